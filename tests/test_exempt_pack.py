"""Part 2 (exempt) papers (issue 11): the Part 1 pack never holds an exempt
report or an exempt minute; they form a separate pack, headed PART 2 -
EXEMPT with each item's Schedule 12A description, that only clerks and
administrators see. To everyone else the exempt papers are 404, so their
existence is not given away."""

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from committees import services
from committees.models import AgendaItem, Committee, Meeting, Minute, ReportAppendix

REASON = "Information relating to the financial or business affairs of any particular person"
SECRET_PARAGRAPH = "Tender prices from the three bidders are set out below."
SECRET_MINUTE = "The Sub-Committee considered the prices of the bidders in confidence."
PUBLIC_PARAGRAPH = "The shared services programme is on track."
PUBLIC_MINUTE = "The Sub-Committee noted the London Efficiency Challenge findings."


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


@pytest.fixture
def earlier(committee):
    """11 February 2010, with a public and an exempt minute."""
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 2, 11))
    Minute.objects.create(meeting=meeting, number=40, title="Efficiency challenge", text=PUBLIC_MINUTE)
    Minute.objects.create(
        meeting=meeting, number=42, title="Contract for printing services", text=SECRET_MINUTE, exempt=True
    )
    return meeting


@pytest.fixture
def meeting(committee, earlier, clerk):
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    AgendaItem.objects.create(
        meeting=meeting, number=3, title="Minutes of the meeting held on 11th February 2010", minutes_of=earlier
    )
    public = AgendaItem.objects.create(
        meeting=meeting, number=6, title="Shared services update", has_report=True, report_number="CEO1199"
    )
    services.add_paragraph(item=public, user=clerk, kind="paragraph", text=PUBLIC_PARAGRAPH)
    AgendaItem.objects.create(
        meeting=meeting,
        number=12,
        title="Exempt minutes of the meeting held on 11th February 2010",
        exempt=True,
        exempt_reason=REASON,
        minutes_of=earlier,
    )
    return meeting


@pytest.fixture
def exempt_item(meeting, clerk):
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=13,
        title="Printing contract award",
        has_report=True,
        report_number="CEO1077",
        exempt=True,
        exempt_reason=REASON,
        reason="To award the printing contract.",
    )
    services.add_paragraph(item=item, user=clerk, kind="paragraph", text=SECRET_PARAGRAPH)
    return item


def pdf_text(content):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def pack_urls(meeting):
    return [
        reverse("committees:pack_exempt", args=[meeting.pk]),
        reverse("committees:pack_exempt_pdf", args=[meeting.pk]),
    ]


def exempt_urls(item, appendix):
    args = [item.meeting_id, item.number]
    return [
        *pack_urls(item.meeting),
        reverse("committees:report", args=args),
        reverse("committees:report_pdf", args=args),
        reverse("committees:appendix_file", args=[*args, appendix.pk]),
    ]


def uploaded(item, clerk):
    data = HTML(string="<p>Bid comparison</p>").write_pdf()
    appendix = ReportAppendix(kind="uploaded", title="Bid comparison", file=SimpleUploadedFile("bids.pdf", data))
    return services.add_appendix(item=item, user=clerk, appendix=appendix)


def test_part_1_pack_never_holds_an_exempt_report_or_minute(client, officer, meeting, exempt_item, pdf_engine):
    client.force_login(officer)
    html = client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()
    text = pdf_text(client.get(reverse("committees:pack_pdf", args=[meeting.pk])).content)
    for printed in (html, text):
        assert PUBLIC_PARAGRAPH in printed
        assert PUBLIC_MINUTE in printed
        assert SECRET_PARAGRAPH not in printed
        assert SECRET_MINUTE not in printed
        assert "CEO1077" not in printed
        assert "To award the printing contract." not in printed
        assert "Contract for printing services".upper() not in printed.upper()
        assert "PART 2 - EXEMPT" not in printed
    assert 'class="report-paper-title">PRINTING CONTRACT AWARD' not in html  # no cover sheet of its own


def test_exempt_pack_holds_the_exempt_papers_only(client, clerk, meeting, exempt_item, pdf_engine):
    client.force_login(clerk)
    html = client.get(reverse("committees:pack_exempt", args=[meeting.pk])).content.decode()
    text = pdf_text(client.get(reverse("committees:pack_exempt_pdf", args=[meeting.pk])).content)
    for printed in (html, text):
        assert "PART 2 - EXEMPT" in printed
        assert "Schedule 12A Description" in printed
        assert REASON in printed
        assert SECRET_PARAGRAPH in printed
        assert "CEO1077" in printed
        assert SECRET_MINUTE in printed
        assert PUBLIC_PARAGRAPH not in printed
        assert PUBLIC_MINUTE not in printed
        assert "MATTERS ARISING FROM PREVIOUS MEETINGS" not in printed
    assert f"PART 2 - EXEMPT: {REASON}" in html  # on the report's own cover
    assert 'class="report-paper-title">PRINTING CONTRACT AWARD' in html
    assert reverse("committees:pack_exempt_pdf", args=[meeting.pk]) in html


def test_administrator_sees_the_exempt_pack(client, administrator, meeting, exempt_item):
    client.force_login(administrator)
    response = client.get(reverse("committees:pack_exempt", args=[meeting.pk]))
    assert SECRET_PARAGRAPH in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "outsider", "manager"])
def test_others_get_not_found_for_every_exempt_paper(client, clerk, meeting, earlier, exempt_item, who, request):
    appendix = uploaded(exempt_item, clerk)
    client.force_login(request.getfixturevalue(who))
    for url in exempt_urls(exempt_item, appendix):
        assert client.get(url).status_code == 404, url
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("committees:pack_exempt", args=[meeting.pk]) not in html
    assert reverse("committees:report", args=[meeting.pk, exempt_item.number]) not in html
    assert reverse("committees:report", args=[meeting.pk, 6]) in html  # Part 1 reports stay open
    minutes = client.get(reverse("committees:minutes", args=[earlier.pk])).content.decode()
    assert PUBLIC_MINUTE in minutes
    assert SECRET_MINUTE not in minutes


def test_clerk_sees_every_exempt_paper_and_the_links(client, clerk, meeting, exempt_item):
    appendix = uploaded(exempt_item, clerk)
    client.force_login(clerk)
    for url in exempt_urls(exempt_item, appendix):
        assert client.get(url).status_code == 200, url
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("committees:pack_exempt", args=[meeting.pk]) in html
    assert reverse("committees:pack_exempt_pdf", args=[meeting.pk]) in html
    assert reverse("committees:report", args=[meeting.pk, exempt_item.number]) in html


def test_exempt_report_prints_its_uploaded_appendix_in_the_exempt_pack_pdf(
    client, clerk, meeting, exempt_item, pdf_engine
):
    uploaded(exempt_item, clerk)
    client.force_login(clerk)
    assert "Bid comparison" in pdf_text(client.get(reverse("committees:pack_exempt_pdf", args=[meeting.pk])).content)
    part_1 = pdf_text(client.get(reverse("committees:pack_pdf", args=[meeting.pk])).content)
    assert "Bid comparison" not in part_1


def test_anonymous_is_sent_to_log_in(client, meeting):
    for url in pack_urls(meeting):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 4])
def test_exempt_pack_runs_constant_queries(client, clerk, meeting, earlier, size, django_assert_num_queries):
    for n in range(size):
        item = AgendaItem.objects.create(
            meeting=meeting, number=20 + n, title=f"Exempt {n}", has_report=True, exempt=True, exempt_reason=REASON
        )
        for p in range(size):
            services.add_paragraph(item=item, user=clerk, kind="paragraph", text=f"Secret {n}.{p}")
        Minute.objects.create(meeting=earlier, number=50 + n, title=f"Exempt minute {n}", exempt=True)
    client.force_login(clerk)
    with django_assert_num_queries(12):  # with the data stamp (page cache)
        response = client.get(reverse("committees:pack_exempt", args=[meeting.pk]))
    assert response.content.count(b'class="report-paper"') == size
