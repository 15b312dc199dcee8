"""Starting a highlight report offers the period after the last published
one, and re-entering a published period says so before drafting a new
version of it (issue 13, "Every screen")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import HighlightReport
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories

APRIL, JUNE = datetime.date(2010, 4, 1), datetime.date(2010, 6, 30)
CONFIRM = "Yes, draft a new version of that period"


@pytest.fixture
def project(programme):
    workstream = factories.make_workstream(programme, name="Office Accommodation")
    return factories.make_project(workstream, name="Office accommodation business case")


def publish(programme, user, start=APRIL, end=JUNE):
    report = draft_highlight_report(programme=programme, period_start=start, period_end=end, user=user)
    return publish_highlight_report(report=report, user=user)


def start_url(programme):
    return reverse("programmes:report_create", args=[programme.ref])


def offered(response):
    """The period the start form offers, whatever format the date inputs show it in."""
    form = response.context["form"]
    return form["period_start"].value(), form["period_end"].value()


# --- The period offered -------------------------------------------------------------


def report_for(start, end):
    return HighlightReport(period_start=start, period_end=end)


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # A quarter follows a quarter, a month a month: whole months stay whole.
        ((APRIL, JUNE), (datetime.date(2010, 7, 1), datetime.date(2010, 9, 30))),
        (
            (datetime.date(2010, 1, 1), datetime.date(2010, 1, 31)),
            (datetime.date(2010, 2, 1), datetime.date(2010, 2, 28)),
        ),
        (
            (datetime.date(2010, 11, 1), datetime.date(2010, 12, 31)),
            (datetime.date(2011, 1, 1), datetime.date(2011, 2, 28)),
        ),
        # Any other period keeps its number of days (26 Apr to 6 Jun is 41 days after its start).
        (
            (datetime.date(2010, 4, 26), datetime.date(2010, 6, 6)),
            (datetime.date(2010, 6, 7), datetime.date(2010, 7, 18)),
        ),
    ],
)
def test_the_period_offered_follows_the_last_one_and_is_as_long(last, expected):
    today = datetime.date(2026, 12, 1)
    assert HighlightReport.period_after(report_for(*last), today=today) == expected


def test_with_nothing_published_no_start_is_offered_and_the_period_ends_today():
    today = datetime.date(2026, 12, 1)
    assert HighlightReport.period_after(None, today=today) == (None, today)


def test_the_period_offered_ends_no_later_than_a_report_started_today_may():
    today = datetime.date(2026, 12, 1)
    last = report_for(datetime.date(2026, 9, 1), datetime.date(2026, 11, 30))  # a quarter, ending yesterday
    start, end = HighlightReport.period_after(last, today=today)
    assert start == datetime.date(2026, 12, 1)
    assert end == HighlightReport.latest_period_end(today) == datetime.date(2027, 1, 1)


def test_a_period_too_long_to_repeat_is_followed_by_a_month():
    today = datetime.date(2060, 6, 10)
    last = report_for(datetime.date(2000, 1, 2), datetime.date(2060, 6, 6))  # 60 years: repeated, past 2100
    assert HighlightReport.period_after(last, today=today) == (datetime.date(2060, 6, 7), datetime.date(2060, 7, 6))


# --- The start page ---------------------------------------------------------------


def test_the_start_page_offers_the_period_after_the_last_published_report(client, manager, programme, project):
    publish(programme, manager, start=datetime.date(2010, 1, 1), end=datetime.date(2010, 3, 31))
    publish(programme, manager)  # April to June 2010, the last one
    client.force_login(manager)
    response = client.get(start_url(programme))
    assert response.status_code == 200
    assert offered(response) == (datetime.date(2010, 7, 1), datetime.date(2010, 9, 30))
    assert "The last published report covered 1 Apr 2010 to 30 Jun 2010" in response.content.decode()
    assert CONFIRM not in response.content.decode()  # nothing to confirm yet


def test_with_nothing_published_the_start_page_offers_a_period_ending_today(client, manager, programme, project):
    client.force_login(manager)
    response = client.get(start_url(programme))
    assert offered(response) == (None, timezone.localdate())
    assert "The last published report covered" not in response.content.decode()


def test_accepting_the_period_offered_drafts_the_next_quarter(client, manager, programme, project):
    publish(programme, manager)
    client.force_login(manager)
    response = client.post(start_url(programme), {"period_start": "2010-07-01", "period_end": "2010-09-30"})
    assert response.status_code == 302
    report = HighlightReport.objects.get(period_start=datetime.date(2010, 7, 1))
    assert (report.period_end, report.version_number, report.status) == (datetime.date(2010, 9, 30), 1, "draft")
    assert response["Location"] == reverse("programmes:report_edit", args=[report.pk])


# --- Re-entering a published period -----------------------------------------------


def test_re_entering_a_published_period_warns_and_drafts_nothing(client, manager, programme, project):
    publish(programme, manager)
    client.force_login(manager)
    response = client.post(start_url(programme), {"period_start": "2010-04-01", "period_end": "2010-06-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The report for 1 Apr 2010 to 30 Jun 2010 is already published (version 1)" in page
    assert CONFIRM in page
    checkbox = response.context["form"]["new_version"]
    assert checkbox.field.widget.input_type == "checkbox"
    assert 'type="checkbox" name="new_version"' in page
    assert 'name="new_version" value="True" checked' not in page  # never ticked for the user
    assert HighlightReport.objects.count() == 1


def test_ticking_the_confirmation_drafts_a_new_version_of_the_period(client, manager, programme, project):
    first = publish(programme, manager)
    client.force_login(manager)
    data = {"period_start": "2010-04-01", "period_end": "2010-06-30", "new_version": "on"}
    response = client.post(start_url(programme), data, follow=True)
    second = HighlightReport.objects.get(version_number=2)
    assert response.redirect_chain[-1][0] == reverse("programmes:report_edit", args=[second.pk])
    assert "Version 2 drafted from the latest project updates" in response.content.decode()
    assert second.is_draft
    first.refresh_from_db()
    assert first.status == HighlightReport.Status.PUBLISHED  # until the new version is published


def test_a_period_overlapping_but_not_equal_to_a_published_one_needs_no_confirmation(
    client, manager, programme, project
):
    publish(programme, manager)
    client.force_login(manager)
    response = client.post(start_url(programme), {"period_start": "2010-04-01", "period_end": "2010-07-31"})
    assert response.status_code == 302
    assert HighlightReport.objects.filter(period_end=datetime.date(2010, 7, 31)).exists()


def test_a_colleague_cannot_draft_a_new_version(client, colleague, manager, programme, project):
    publish(programme, manager)
    client.force_login(colleague)
    data = {"period_start": "2010-04-01", "period_end": "2010-06-30", "new_version": "on"}
    assert client.post(start_url(programme), data).status_code == 403
    assert HighlightReport.objects.count() == 1


def test_anonymous_start_is_sent_to_login(client, manager, programme, project):
    publish(programme, manager)
    response = client.post(start_url(programme), {"period_start": "2010-07-01", "period_end": "2010-09-30"})
    assert "/login/" in response["Location"]
    assert HighlightReport.objects.count() == 1


def test_the_start_page_runs_constant_queries(client, manager, programme, project):
    def queries():
        with CaptureQueriesContext(connection) as run:
            assert client.get(start_url(programme)).status_code == 200
        return len(run)

    client.force_login(manager)
    publish(programme, manager, start=datetime.date(2009, 1, 1), end=datetime.date(2009, 3, 31))
    client.get(start_url(programme))  # warm the session
    one = queries()
    for start, end in [((2009, 4, 1), (2009, 6, 30)), ((2009, 7, 1), (2009, 9, 30)), ((2009, 10, 1), (2009, 12, 31))]:
        publish(programme, manager, start=datetime.date(*start), end=datetime.date(*end))
    assert queries() == one
