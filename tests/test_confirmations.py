"""Writes that cannot be undone ask first: publishing a highlight report and
issuing a committee pack need a ticked confirmation, and a correction needs
its reason, which prints on the new version."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from committees.models import AgendaItem, Committee, IssuedPack, Meeting
from core.models import RAG
from programmes.models import HighlightReport
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
REASON = "The Website upgrade was Amber in the period, not Green."


@pytest.fixture
def report(programme, manager):
    workstream = factories.make_workstream(programme, name="Self-service and ICT")
    project = factories.make_project(workstream, name="Website upgrade", rag=RAG.AMBER)
    factories.make_project_update(project, key_progress="Tender issued.")
    return draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)


@pytest.fixture
def published(report, manager):
    return publish_highlight_report(report=report, user=manager)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def meeting(db):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1), venue="Committee Room 1")
    AgendaItem.objects.create(meeting=meeting, number=8, title="Organisational Improvement Programme")
    return meeting


# --- Publishing -------------------------------------------------------------------------------


def test_the_report_page_asks_to_confirm_publishing(client, manager, report):
    client.force_login(manager)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "I understand that publishing freezes this version: it is what the committee sees" in page
    assert 'name="confirm"' in page
    assert "required" in page.split('name="confirm"')[1].split(">")[0]


def test_publishing_without_the_confirmation_publishes_nothing_and_says_why(client, manager, report):
    client.force_login(manager)
    response = client.post(reverse("programmes:report_publish", args=[report.pk]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Not published: tick the box to confirm that you want to publish this version." in page
    assert "Publishing freezes version 1 as it is now: it becomes what the committee sees" in page
    assert 'class="alert alert-danger error-summary"' in page
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.DRAFT
    assert report.published_at is None


def test_publishing_with_the_confirmation_publishes(client, manager, report):
    client.force_login(manager)
    response = client.post(reverse("programmes:report_publish", args=[report.pk]), {"confirm": "on"}, follow=True)
    assert "Version 1 published. It can no longer be changed." in response.content.decode()
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.PUBLISHED


def test_an_outsider_cannot_reach_the_publish_confirmation(client, outsider, report):
    client.force_login(outsider)
    response = client.post(reverse("programmes:report_publish", args=[report.pk]), {})
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.DRAFT


# --- Correcting -------------------------------------------------------------------------------


def test_the_published_report_page_asks_for_the_reason(client, manager, published):
    client.force_login(manager)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Reason for the correction" in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_without_a_reason_is_refused(client, manager, published, reason):
    client.force_login(manager)
    response = client.post(reverse("programmes:report_correct", args=[published.pk]), {"reason": reason})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why the report is being corrected: the reason prints on the new version." in page
    assert HighlightReport.objects.count() == 1


def test_the_reason_prints_on_the_new_version(client, manager, clerk, published):
    client.force_login(manager)
    response = client.post(reverse("programmes:report_correct", args=[published.pk]), {"reason": REASON}, follow=True)
    assert "Version 2 drafted as a copy" in response.content.decode()
    correction = HighlightReport.objects.get(version_number=2)
    assert correction.correction_reason == REASON
    expected = f"Correction of version 1:</strong> {escape(REASON)}"
    assert expected in client.get(correction.get_absolute_url()).content.decode()

    publish_highlight_report(report=correction, user=manager)
    client.force_login(clerk)
    assert expected in client.get(correction.get_absolute_url()).content.decode()
    assert expected in client.get(reverse("programmes:report_print", args=[correction.pk])).content.decode()
    pdf = client.get(reverse("programmes:report_pdf", args=[correction.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert "Correction of version 1:" in " ".join(text.split())
    assert "not Green" in text
    # The version it corrects carries no reason of its own.
    assert "Correction of version" not in client.get(published.get_absolute_url()).content.decode()


def test_an_over_long_reason_is_refused_on_the_field(client, manager, published):
    limit = HighlightReport._meta.get_field("correction_reason").max_length
    client.force_login(manager)
    response = client.post(reverse("programmes:report_correct", args=[published.pk]), {"reason": "x" * (limit + 1)})
    assert response.status_code == 400
    assert "Reason for the correction" in response.content.decode()
    assert HighlightReport.objects.count() == 1


# --- Issuing a pack ---------------------------------------------------------------------------


def test_the_issue_form_asks_to_confirm(client, clerk, meeting):
    client.force_login(clerk)
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "I understand that the issued pack is frozen as it is now" in page
    assert 'name="confirm"' in page


def test_issuing_without_the_confirmation_issues_nothing_and_says_why(client, clerk, meeting):
    client.force_login(clerk)
    url = reverse("committees:pack_issue", args=[meeting.pk])
    response = client.post(url, {"part": IssuedPack.Part.PUBLIC}, follow=True)
    assert "Not issued: tick the box to confirm" in response.content.decode()
    assert not IssuedPack.objects.exists()


def test_issuing_with_the_confirmation_queues_the_pack(client, clerk, meeting, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    url = reverse("committees:pack_issue", args=[meeting.pk])
    with django_capture_on_commit_callbacks():
        response = client.post(url, {"part": IssuedPack.Part.PUBLIC, "confirm": "yes"}, follow=True)
    assert "Version 1 of the Part 1 (public) pack is being generated" in response.content.decode()
    assert IssuedPack.objects.get().version == 1
