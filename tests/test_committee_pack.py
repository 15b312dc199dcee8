"""The committee pack: a cover sheet in the council's report format, the
published highlight reports presented, matters arising and action plan
progress, in one document with continuous page numbers."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse

from committees.models import AgendaItem, Committee, Meeting
from core.models import RAG
from programmes.models import HighlightReport
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories
from tests.history import backdate_all


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


@pytest.fixture
def meeting(committee, programme):
    committee.programmes.add(programme)
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    meeting.pack_item = AgendaItem.objects.create(
        meeting=meeting,
        number=8,
        title="Organisational Improvement Programme",
        report_number="CEO1058",
        contact_officer="Chris Spellman, Assistant Director, Organisational Improvement",
        decision_maker="Improvement and Efficiency Sub-Committee",
        decision_type="Non-Urgent Non-Executive Non-Key",
        chief_officer="Doug Patterson, Chief Executive",
        ward="Borough wide",
        reason="To update Members on the progress of the Organisational Improvement Programme",
        recommendations="Note the progress made on the first phase projects",
    )
    meeting.save()
    return meeting


def published_report(programme, manager, projects):
    workstream = factories.make_workstream(programme, name="Customer and Service Led Improvement")
    for i in range(projects):
        project = factories.make_project(workstream, name=f"Project number {i}", rag=RAG.GREEN)
        factories.make_project_update(project, key_progress=f"Progress on project {i}")
    report = draft_highlight_report(
        programme=programme, period_start=datetime.date(2010, 4, 22), period_end=datetime.date(2010, 6, 6), user=manager
    )
    publish_highlight_report(report=report, user=manager)
    return report


def test_clerk_attaches_a_published_report_and_chooses_the_cover(client, clerk, manager, programme, meeting):
    report = published_report(programme, manager, 2)
    client.force_login(clerk)
    response = client.post(
        reverse("committees:pack_contents", args=[meeting.pk]),
        {"reports": [report.pk], "pack_item": meeting.pack_item_id},
        follow=True,
    )
    assert "Committee pack contents saved." in response.content.decode()
    meeting.refresh_from_db()
    assert list(meeting.reports.all()) == [report]
    assert report.title in response.content.decode()


def test_draft_reports_cannot_be_attached(client, clerk, manager, programme, meeting):
    draft = draft_highlight_report(
        programme=programme, period_start=datetime.date(2010, 4, 22), period_end=datetime.date(2010, 6, 6), user=manager
    )
    client.force_login(clerk)
    response = client.post(reverse("committees:pack_contents", args=[meeting.pk]), {"reports": [draft.pk]})
    assert "Select a valid choice" in response.content.decode()
    assert not meeting.reports.exists()


def test_anonymous_cannot_change_pack_contents(client, meeting):
    response = client.post(reverse("committees:pack_contents", args=[meeting.pk]), {})
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["officer", "manager", "outsider"])
def test_only_clerks_choose_pack_contents(client, manager, programme, meeting, who, request):
    report = published_report(programme, manager, 1)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("committees:pack_contents", args=[meeting.pk]), {"reports": [report.pk]})
    assert response.status_code == 403
    assert not meeting.reports.exists()


def test_pack_prints_cover_reports_matters_arising_and_progress(client, clerk, manager, programme, meeting):
    report = published_report(programme, manager, 3)
    meeting.reports.add(report)
    earlier = Meeting.objects.create(committee=meeting.committee, date=datetime.date(2010, 2, 11))
    factories.make_action(arising_from=earlier, minute_number="42", minute_title="London Efficiency Challenge Feedback")
    section = factories.make_section(area=factories.make_area(title="Customer access"))
    section.plan.programme = programme
    section.plan.save()
    factories.make_action([factories.make_recommendation(section.area)], section=section, title="E-forms proposal")
    backdate_all(datetime.date(2010, 5, 1))  # the pack shows them as they stood on 1 June 2010
    client.force_login(clerk)
    html = client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()
    for text in [
        "Report No.",
        "CEO1058",
        "Decision Maker",
        "Non-Urgent Non-Executive Non-Key",
        "ORGANISATIONAL IMPROVEMENT PROGRAMME",
        "Doug Patterson, Chief Executive",
        "Borough wide",
        "Project number 0",
        "Project number 2",
        "Progress on project 1",
        "MATTERS ARISING FROM PREVIOUS MEETINGS",
        "42 London Efficiency Challenge Feedback",
        "action plan progress",
        "E-forms proposal",
    ]:
        assert text in html, text


@pytest.mark.single_pass  # PDF layout: the SQLite pass only
def test_pack_pdf_has_continuous_page_numbers_and_every_project(client, clerk, manager, programme, meeting):
    meeting.reports.add(published_report(programme, manager, 6))
    client.force_login(clerk)
    response = client.get(reverse("committees:pack_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 3  # cover, report, matters arising at least
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    text = "\n".join(pages)
    for i in range(6):
        assert f"Project number {i}" in text
    assert "Decision Type Non-Urgent Non-Executive Non-Key" in text
    assert "GREEN" in text


@pytest.mark.parametrize("size", [3, 30])
def test_pack_runs_constant_queries(client, clerk, manager, programme, meeting, size, django_assert_num_queries):
    meeting.reports.add(published_report(programme, manager, size))
    earlier = Meeting.objects.create(committee=meeting.committee, date=datetime.date(2010, 2, 11))
    section = factories.make_section(area=factories.make_area())
    section.plan.programme = programme
    section.plan.save()
    for i in range(size):
        factories.make_action_update(factories.make_action(arising_from=earlier, minute_number=str(i)))
        action = factories.make_action([factories.make_recommendation(section.area)], section=section)
        factories.make_action_update(action)
    backdate_all(datetime.date(2010, 5, 1))  # the pack shows them as they stood on 1 June 2010
    client.force_login(clerk)
    # 24 with issue 11's agenda front sheet; one of them reads the matters arising as at the papers' date.
    with django_assert_num_queries(25):  # with the data stamp (page cache)
        response = client.get(reverse("committees:pack", args=[meeting.pk]))
    assert response.content.count(b"Project number") >= size
    assert response.content.count(b'data-action="') == 2 * size


def test_only_published_reports_are_offered(clerk, manager, programme, meeting):
    from committees.forms import MeetingPackForm

    report = published_report(programme, manager, 1)
    draft = HighlightReport.objects.exclude(pk=report.pk).first()
    form = MeetingPackForm(instance=meeting, user=clerk)
    assert report in form.fields["reports"].queryset
    assert draft is None or draft not in form.fields["reports"].queryset
