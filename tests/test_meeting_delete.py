"""Clerks delete a meeting or an agenda item set up by mistake (issue 13),
only while no pack is issued: a confirmation page says what goes with it
or why it cannot go, and the deletion stays in the history."""

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import AgendaItem, Committee, IssuedPack, Meeting, Minute, ReportAppendix, ReportParagraph
from programmes.models import HighlightReport
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories


def blank_pdf():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


@pytest.fixture
def meeting(committee, programme):
    """A meeting arranged on the wrong day: two agenda items, a report with
    commentary and an uploaded appendix, and a highlight report attached."""
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 9, 14), venue="Committee Room 1")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Apologies for absence")
    item = AgendaItem.objects.create(meeting=meeting, number=2, title="OIP highlight report", has_report=True)
    meeting.pack_item = item
    meeting.save()
    ReportParagraph.objects.create(agenda_item=item, position=1, text="Progress since June.")
    report = publish_highlight_report(
        report=draft_highlight_report(
            programme=programme,
            period_start=datetime.date(2010, 6, 7),
            period_end=datetime.date(2010, 8, 31),
            user=None,
        ),
        user=None,
    )
    meeting.reports.add(report)
    return meeting


def add_upload(item, clerk):
    appendix = ReportAppendix(kind="uploaded", title="Budget", file=SimpleUploadedFile("budget.pdf", blank_pdf()))
    return services.add_appendix(item=item, user=clerk, appendix=appendix)


def issue(meeting, status=IssuedPack.Status.ISSUED, part=IssuedPack.Part.PUBLIC):
    issued = status == IssuedPack.Status.ISSUED
    return IssuedPack.objects.create(
        meeting=meeting,
        part=part,
        version=1,
        status=status,
        pdf="packs/2010/pack.pdf" if issued else "",
        issued_at=timezone.now() if issued else None,
    )


def delete_url(meeting):
    return reverse("committees:meeting_delete", args=[meeting.pk])


def item_delete_url(meeting, number):
    return reverse("committees:agenda_item_delete", args=[meeting.pk, number])


# --- Who may ---


def test_anonymous_user_is_sent_to_log_in(client, meeting):
    for url in [delete_url(meeting), item_delete_url(meeting, 1)]:
        response = client.post(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.agenda_items.count() == 2


@pytest.mark.parametrize("who", ["manager", "officer", "outsider"])
def test_only_clerks_delete_meetings_and_agenda_items(client, meeting, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in [delete_url(meeting), item_delete_url(meeting, 1)]:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.agenda_items.count() == 2


def test_only_clerks_see_the_delete_links(client, clerk, manager, meeting):
    client.force_login(manager)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert delete_url(meeting) not in html
    assert item_delete_url(meeting, 1) not in html
    client.force_login(clerk)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{delete_url(meeting)}">Delete meeting</a>' in html
    assert f'href="{item_delete_url(meeting, 2)}">Delete<span class="visually-hidden"> item 2</span></a>' in html


# --- Deleting a meeting ---


def test_confirmation_page_says_what_goes_with_the_meeting(client, clerk, meeting):
    add_upload(meeting.agenda_items.get(number=2), clerk)
    client.force_login(clerk)
    html = client.get(delete_url(meeting)).content.decode()
    assert "Delete the meeting of I&amp;E, 14 September 2010" in html
    for words in [
        "2 agenda items: 1. Apologies for absence; 2. OIP highlight report",
        "1 paragraph of report commentary",
        "1 report appendix (uploaded files included)",
        "Its link to the 1 highlight report presented (the reports themselves are kept)",
    ]:
        assert words in html, words
    assert ">Delete the meeting</button>" in html
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_clerk_deletes_a_meeting_with_its_agenda_and_the_deletion_is_on_record(
    client, clerk, meeting, tmp_path, django_capture_on_commit_callbacks
):
    add_upload(meeting.agenda_items.get(number=2), clerk)
    failed = issue(meeting, status=IssuedPack.Status.FAILED)
    report = meeting.reports.get()
    assert list(tmp_path.rglob("*.pdf"))
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(meeting), follow=True)
    assert response.redirect_chain[-1][0] == meeting.committee.get_absolute_url()
    assert "The meeting of I&amp;E, 14 September 2010 was deleted." in response.content.decode()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=meeting.pk).exists()
    assert not ReportParagraph.objects.exists()
    assert not ReportAppendix.objects.exists()
    assert not IssuedPack.objects.filter(pk=failed.pk).exists()
    assert HighlightReport.objects.filter(pk=report.pk).exists()
    assert not list(tmp_path.rglob("*.pdf"))
    record = Meeting.history.get(id=meeting.pk, history_type="-")
    assert record.history_user == clerk
    assert record.venue == "Committee Room 1"
    assert record.history_change_reason == services.DELETED_BY_CLERK
    items = AgendaItem.history.filter(meeting_id=meeting.pk, history_type="-")
    assert sorted(items.values_list("title", flat=True)) == ["Apologies for absence", "OIP highlight report"]
    assert {r.history_user for r in items} == {clerk}


def test_a_meeting_whose_pack_is_issued_cannot_be_deleted(client, clerk, meeting):
    issue(meeting, part=IssuedPack.Part.EXEMPT)
    client.force_login(clerk)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert delete_url(meeting) not in html
    assert item_delete_url(meeting, 1) not in html
    html = client.get(delete_url(meeting)).content.decode()
    assert "cannot be deleted" in html
    assert "Delete the meeting</button>" not in html
    response = client.post(delete_url(meeting))
    assert response.status_code == 200
    assert "The papers for this meeting have been issued (Part 2 (exempt) pack)" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.agenda_items.count() == 2
    assert not Meeting.history.filter(history_type="-").exists()


def test_a_meeting_whose_pack_is_being_generated_cannot_be_deleted(client, clerk, meeting):
    issue(meeting, status=IssuedPack.Status.GENERATING)
    client.force_login(clerk)
    html = client.post(delete_url(meeting)).content.decode()
    assert "Version 1 of the Part 1 (public) pack has been requested and is not finished" in html
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_with_minutes_cannot_be_deleted(client, clerk, meeting):
    Minute.objects.create(meeting=meeting, number=43, title="Apologies for absence")
    client.force_login(clerk)
    html = client.post(delete_url(meeting)).content.decode()
    assert "Minutes are recorded for this meeting (minute 43)" in html
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.minutes.count() == 1


def test_a_meeting_whose_minutes_a_later_agenda_takes_cannot_be_deleted(client, clerk, committee, meeting):
    later = Meeting.objects.create(committee=committee, date=datetime.date(2010, 11, 30))
    AgendaItem.objects.create(meeting=later, number=3, title="Minutes", minutes_of=meeting)
    client.force_login(clerk)
    html = client.post(delete_url(meeting)).content.decode()
    assert "Item 3 of the meeting of I&amp;E, 30 November 2010 takes the minutes of this meeting" in html
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_with_matters_arising_minuted_at_it_cannot_be_deleted(clerk, meeting):
    factories.make_action(arising_from=meeting, minute_number="41")
    with pytest.raises(Exception, match="1 action was minuted at this meeting"):
        services.delete_meeting(meeting=meeting, user=clerk)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


# --- Deleting an agenda item ---


def test_clerk_deletes_an_agenda_item_and_its_report(client, clerk, meeting, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    html = client.get(item_delete_url(meeting, 2)).content.decode()
    assert "1 paragraph of report commentary" in html
    assert "Its cover sheet opens the committee pack" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item_delete_url(meeting, 2), follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Agenda item 2. OIP highlight report was deleted." in response.content.decode()
    assert list(meeting.agenda_items.values_list("number", "title")) == [(1, "Apologies for absence")]
    assert not ReportParagraph.objects.exists()
    meeting.refresh_from_db()
    assert meeting.pack_item is None
    record = AgendaItem.history.get(meeting_id=meeting.pk, number=2, history_type="-")
    assert record.history_user == clerk


def test_an_agenda_item_of_an_issued_pack_cannot_be_deleted(client, clerk, meeting):
    issue(meeting)
    client.force_login(clerk)
    response = client.post(item_delete_url(meeting, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The papers for this meeting have been issued (Part 1 (public) pack)" in html
    assert "so its agenda cannot be deleted" in html
    assert meeting.agenda_items.count() == 2
    assert ReportParagraph.objects.count() == 1


def test_an_agenda_item_with_a_minute_under_it_cannot_be_deleted(client, clerk, meeting):
    item = meeting.agenda_items.get(number=2)
    Minute.objects.create(meeting=meeting, number=44, title="OIP highlight report", agenda_item=item)
    client.force_login(clerk)
    html = client.post(item_delete_url(meeting, 2)).content.decode()
    assert "Minute 44 OIP highlight report is recorded under this item" in html
    assert meeting.agenda_items.count() == 2


def test_another_meetings_item_is_not_found(client, clerk, committee, meeting):
    other = Meeting.objects.create(committee=committee, date=datetime.date(2010, 11, 30))
    client.force_login(clerk)
    assert client.post(item_delete_url(other, 2)).status_code == 404
    assert meeting.agenda_items.count() == 2


@pytest.mark.parametrize("items", [1, 8])
def test_meeting_delete_page_runs_constant_queries(client, clerk, committee, items, django_assert_num_queries):
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 9, 14))
    for number in range(1, items + 1):
        item = AgendaItem.objects.create(meeting=meeting, number=number, title=f"Item {number}")
        ReportParagraph.objects.create(agenda_item=item, position=1, text="Commentary")
    client.force_login(clerk)
    # session, user, meeting, its agenda (prefetch), permissions (2), packs, minutes,
    # matters arising, items taking its minutes, agenda items, paragraphs, appendices,
    # highlight reports, failed packs
    with django_assert_num_queries(15):
        response = client.get(delete_url(meeting))
    assert f"{items} agenda item" in response.content.decode()


def test_the_admin_keeps_the_same_rules(client, administrator, meeting):
    client.force_login(administrator)
    issue(meeting)
    url = reverse("admin:committees_meeting_delete", args=[meeting.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    item = meeting.agenda_items.get(number=1)
    assert (
        client.post(reverse("admin:committees_agendaitem_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    )
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.agenda_items.count() == 2
    changelist = client.get(reverse("admin:committees_meeting_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_the_admin_deletes_a_meeting_with_no_pack(client, administrator, meeting):
    client.force_login(administrator)
    response = client.post(reverse("admin:committees_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert Meeting.history.get(id=meeting.pk, history_type="-").history_user == administrator
