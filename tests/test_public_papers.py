"""Public papers (issue 11): a committee that publishes online shows its
issued Part 1 packs and the published highlight reports presented to its
meetings without a login, as councils publish agendas. Nothing exempt,
draft, unissued or failed is ever reachable there, nor any live page."""

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from committees import issuing
from committees.models import AgendaItem, Committee, IssuedPack, Meeting, ReportAppendix
from core.models import RAG
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories

PERIOD = {"period_start": datetime.date(2010, 4, 22), "period_end": datetime.date(2010, 6, 6)}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def committee(db, programme):
    committee = Committee.objects.create(
        name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie", publish_online=True
    )
    committee.programmes.add(programme)
    return committee


@pytest.fixture
def meeting(committee):
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1), venue="Committee Room 1")
    AgendaItem.objects.create(meeting=meeting, number=8, title="Organisational Improvement Programme")
    return meeting


def make_pack(meeting, *, version=1, part=IssuedPack.Part.PUBLIC, status=IssuedPack.Status.ISSUED):
    pack = IssuedPack.objects.create(meeting=meeting, part=part, version=version, status=status)
    if status == IssuedPack.Status.ISSUED:
        content = f"%PDF-1.4 {part} version {version}".encode()
        pack.pdf.save(pack.download_name, ContentFile(content), save=False)
        pack.issued_at = timezone.now()
        pack.page_count, pack.size_bytes = 12, len(content)
        pack.save()
    return pack


def make_report(programme, manager, *, publish=True, **period):
    workstream = factories.make_workstream(programme, name=f"Customer and Service Led Improvement {factories.n()}")
    project = factories.make_project(workstream, name=f"Project {factories.n()}", rag=RAG.GREEN)
    factories.make_project_update(project, key_progress="Contact centre opened on time")
    report = draft_highlight_report(programme=programme, user=manager, **{**PERIOD, **period})
    if publish:
        publish_highlight_report(report=report, user=manager)
    return report


def test_public_index_lists_only_committees_that_publish(client, committee):
    Committee.objects.create(name="Audit Sub-Committee", ref="audit")
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("public:committee", args=["ie"]) in body
    assert "Audit Sub-Committee" not in body


def test_public_committee_page_lists_the_latest_part_1_pack_and_published_reports(
    client, committee, meeting, programme, manager
):
    make_pack(meeting, version=1)
    latest = make_pack(meeting, version=2)
    exempt = make_pack(meeting, part=IssuedPack.Part.EXEMPT)
    queued = make_pack(meeting, version=3, status=IssuedPack.Status.QUEUED)
    report = make_report(programme, manager)
    meeting.reports.add(report)

    response = client.get(reverse("public:committee", args=["ie"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tuesday 1 June 2010, Committee Room 1" in body
    assert reverse("public:pack_pdf", args=["ie", latest.pk]) in body
    assert "Agenda and reports (PDF, 12 pages" in body
    assert body.count("Agenda and reports (PDF") == 1  # version 1 is not offered
    for hidden in (exempt, queued):
        assert reverse("public:pack_pdf", args=["ie", hidden.pk]) not in body
    assert reverse("public:report", args=["ie", report.pk]) in body
    assert "Part 2" not in body


def test_the_public_download_serves_the_stored_part_1_pack_without_a_login(client, meeting):
    pack = make_pack(meeting)
    response = client.get(reverse("public:pack_pdf", args=["ie", pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public version 1"


@pytest.mark.parametrize(
    "kind",
    ["exempt", "queued", "generating", "failed", "superseded version", "issued row without its file"],
)
def test_nothing_but_the_latest_issued_part_1_pack_is_served(client, meeting, kind):
    if kind == "exempt":
        pack = make_pack(meeting, part=IssuedPack.Part.EXEMPT)
    elif kind == "superseded version":
        pack = make_pack(meeting, version=1)
        make_pack(meeting, version=2)
    elif kind == "issued row without its file":
        pack = IssuedPack.objects.create(meeting=meeting, version=1, status=IssuedPack.Status.ISSUED)
    else:
        pack = make_pack(meeting, status=kind)
    assert client.get(reverse("public:pack_pdf", args=["ie", pack.pk])).status_code == 404


def test_a_committee_that_does_not_publish_shows_nothing(client, committee, meeting):
    pack = make_pack(meeting)
    committee.publish_online = False
    committee.save()
    assert client.get(reverse("public:committee", args=["ie"])).status_code == 404
    assert client.get(reverse("public:pack_pdf", args=["ie", pack.pk])).status_code == 404


def test_a_pack_is_not_served_under_another_committees_address(client, meeting):
    pack = make_pack(meeting)
    Committee.objects.create(name="Audit Sub-Committee", ref="audit", publish_online=True)
    assert client.get(reverse("public:pack_pdf", args=["audit", pack.pk])).status_code == 404


def test_the_published_report_prints_publicly(client, meeting, programme, manager):
    report = make_report(programme, manager)
    meeting.reports.add(report)
    response = client.get(reverse("public:report", args=["ie", report.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Contact centre opened on time" in body
    assert reverse("public:committee", args=["ie"]) in body
    # No way back into the signed-in pages from here.
    assert reverse("programmes:report", args=[report.pk]) not in body
    assert "Content-Security-Policy" in response.headers


def test_reports_not_presented_or_not_published_are_404(client, meeting, programme, manager):
    draft = make_report(programme, manager, publish=False)
    not_presented = make_report(
        programme, manager, period_start=datetime.date(2010, 6, 7), period_end=datetime.date(2010, 7, 20)
    )
    for report in (draft, not_presented):
        assert client.get(reverse("public:report", args=["ie", report.pk])).status_code == 404
    body = client.get(reverse("public:committee", args=["ie"])).content.decode()
    assert reverse("public:report", args=["ie", draft.pk]) not in body


def test_a_report_of_another_committees_programme_is_404(client, meeting, manager):
    other = factories.make_programme(name="Shared services", ref="shared")
    other.managers.add(manager)
    report = make_report(other, manager)
    Meeting.reports.through.objects.create(meeting=meeting, highlightreport=report)
    assert client.get(reverse("public:report", args=["ie", report.pk])).status_code == 404


def test_the_meetings_live_pages_still_need_a_login(client, meeting):
    make_pack(meeting)
    for url in (
        meeting.get_absolute_url(),
        reverse("committees:pack", args=[meeting.pk]),
        reverse("committees:pack_pdf", args=[meeting.pk]),
        reverse("committees:issued", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.get(f"/public/ie/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/public/ie/meetings/{meeting.pk}/pack/").status_code == 404


@pytest.mark.parametrize("size", [1, 4])
def test_public_committee_page_runs_constant_queries(
    client, committee, programme, manager, size, django_assert_num_queries
):
    for i in range(size):
        meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1 + i))
        make_pack(meeting)
        make_pack(meeting, version=2, status=IssuedPack.Status.FAILED)
        report = make_report(
            programme,
            manager,
            period_start=datetime.date(2009, 1 + i, 1),
            period_end=datetime.date(2009, 1 + i, 28),
        )
        meeting.reports.add(report)
    # The committee, its meetings, their packs, their reports.
    with django_assert_num_queries(4):
        response = client.get(reverse("public:committee", args=["ie"]))
    assert response.content.decode().count("Agenda and reports (PDF") == size


# --- Draft narrative updates never reach the public ----------------------------------------


def narrative_report(meeting, clerk, programme, *, status="final"):
    """A Part 1 report appending a narrative update ("Went to tender.")."""
    from programmes.models import NarrativeSection, NarrativeUpdate

    item = AgendaItem.objects.create(meeting=meeting, number=6, title="OIP update", has_report=True)
    narrative = NarrativeUpdate.objects.create(programme=programme, title="OIP narrative", status=status, **PERIOD)
    NarrativeSection.objects.create(narrative=narrative, position=1, heading="Libraries", text="Went to tender.")
    # Straight into the table, as an import might (the form and services refuse a draft).
    ReportAppendix.objects.create(agenda_item=item, position=1, kind="narrative_update", narrative=narrative)
    return narrative


def public_pack_text(client, pack):
    response = client.get(reverse("public:pack_pdf", args=["ie", pack.pk]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_narrative_rewritten_in_draft_after_issue_never_reaches_the_public(
    client, committee, meeting, programme, manager, clerk
):
    from programmes.models import NarrativeSection
    from programmes.services import reopen_narrative_update

    narrative = narrative_report(meeting, clerk, programme)
    pack = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    assert issuing.generate_pack.call(pack.pk) == "issued"
    # Set back to draft and rewritten: the council has not agreed this wording.
    reopen_narrative_update(narrative=narrative, user=manager, expected_version=narrative.version)
    NarrativeSection.objects.filter(narrative=narrative).update(text="Secret draft wording.")
    with pytest.raises(ValidationError, match="is the narrative update “OIP narrative”, which is a draft"):
        issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    assert IssuedPack.objects.count() == 1

    body = client.get(reverse("public:committee", args=["ie"])).content.decode()
    assert reverse("public:pack_pdf", args=["ie", pack.pk]) in body
    assert "Secret draft wording" not in body
    text = public_pack_text(client, pack)
    assert "Appendix 1: OIP narrative" in text
    assert "Went to tender." in text
    assert "Secret draft wording" not in text
    # The live pack, which shows the draft (marked DRAFT), is for logins only.
    assert client.get(reverse("committees:pack", args=[meeting.pk])).status_code == 302


def test_a_pack_with_a_draft_narrative_appendix_is_never_issued_or_public(client, committee, meeting, programme, clerk):
    narrative_report(meeting, clerk, programme, status="draft")
    with pytest.raises(ValidationError, match="Ask the programme's managers to mark it final"):
        issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    assert not IssuedPack.objects.exists()
    body = client.get(reverse("public:committee", args=["ie"])).content.decode()
    assert "Agenda and reports (PDF" not in body
    assert "Went to tender." not in body
