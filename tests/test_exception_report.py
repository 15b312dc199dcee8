"""The exception report of an action plan and of a programme: the headline
percentages, only the exceptions below them, printable and downloadable."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from actions.exceptions import months_before, review_report
from actions.models import ActionPlan, DueDateRevision, Status
from committees.models import Committee
from core.models import RAG
from programmes.exceptions import ScheduleItem, one_decimal_percentages, position_summary
from programmes.models import HighlightReport, MilestoneStatus
from tests import factories

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def revise(action, *moves, when=None):
    """Record due-date revisions [(old, new)] on `action`, as progress updates do, the last at `when`."""
    when = when or timezone.now()
    for index, (old, new) in enumerate(moves):
        DueDateRevision.objects.create(
            action=action,
            old_date=old,
            new_date=new,
            old_wording="mid-April" if index == 0 else "",
            reason=f"Reason {index + 1}",
            changed_at=when - datetime.timedelta(minutes=len(moves) - index),
        )
    action.due_date = moves[-1][1]
    action.save()


@pytest.fixture
def plan(programme):
    review = factories.make_review(ref="lec", title="London Efficiency Challenge")
    area = factories.make_area(review, number=1, title="Strategic approach to efficiency")
    action_plan = ActionPlan.objects.create(review=review, ref="lec-plan", title="LEC action plan", programme=programme)
    return factories.make_section(action_plan, area, number=1, title="Strategy")


def add_action(section, position, **fields):
    return factories.make_action(section=section, position=position, **{"due_date": days(30), **fields})


@pytest.fixture
def ten_actions(plan, officer_team, colleague_team):
    """7 on target (2 of them complete), 1 a week behind, 1 two months behind, 1 rescheduled."""
    actions = {}
    for position in range(1, 6):
        actions[f"on-target-{position}"] = add_action(plan, position, owner=officer_team, rag=RAG.GREEN)
    for position in (6, 7):
        actions[f"complete-{position}"] = add_action(
            plan, position, status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=days(-90), due_date=days(-100)
        )
    actions["week-behind"] = add_action(plan, 8, due_date=days(-7), rag=RAG.AMBER, owner=colleague_team)
    actions["months-behind"] = add_action(plan, 9, due_date=days(-60), rag=RAG.RED, owner=colleague_team)
    rescheduled = add_action(plan, 10, rag=RAG.GREEN, owner=officer_team, due_wording="mid-April")
    revise(rescheduled, (days(-20), days(10)), (days(10), days(40)), (days(40), days(50)))
    actions["rescheduled"] = rescheduled
    return actions


# --- The headline ---------------------------------------------------------------------------------


def test_percentages_of_ten_actions_are_exact(ten_actions):
    report = review_report(ten_actions["on-target-1"].section.plan.review, today=TODAY)
    summary = {line.key: (line.count, str(line.percent)) for line in report.summary}
    assert summary == {
        "on_target": (7, "70.0"),
        "up_to_a_month": (1, "10.0"),
        "over_a_month": (1, "10.0"),
        "rescheduled": (1, "10.0"),
    }
    assert report.headline == (
        "Of 10 actions: 70.0% on target, 10.0% up to one month behind, 10.0% more than one month behind, "
        "10.0% rescheduled or suspended with approval."
    )


def test_percentages_add_up_to_a_hundred_as_bromsgroves_did():
    # Bromsgrove's 147 actions: 121, 17, 3 and 6 round to 82.3, 11.6, 2.0 and 4.1 (exact shares 82.31,
    # 11.56, 2.04, 4.08: rounding each to the nearest tenth gives the same, and the total is 100.0).
    assert [str(p) for p in one_decimal_percentages([121, 17, 3, 6])] == ["82.3", "11.6", "2.0", "4.1"]
    # Thirds: the tenth left over goes to the first share, so the total is 100.0, not 99.9.
    assert [str(p) for p in one_decimal_percentages([1, 1, 1, 0])] == ["33.4", "33.3", "33.3", "0.0"]
    assert sum(one_decimal_percentages([2, 2, 2, 1])) == 100
    assert [str(p) for p in one_decimal_percentages([0, 0, 0, 0])] == ["0.0", "0.0", "0.0", "0.0"]


def item(**fields):
    defaults = {
        "kind": "Action",
        "ref": "a",
        "number": "",
        "title": "A",
        "url": "/",
        "group": "",
        "group_order": (),
        "owner": "",
        "rag": RAG.GREEN,
        "status": "",
        "due_date": TODAY,
        "due_wording": "",
        "done": False,
        "delivered_on": None,
        "suspended": False,
    }
    return ScheduleItem(**{**defaults, **fields})


def test_a_month_behind_ends_at_31_days_and_suspended_counts_as_rescheduled():
    items = [
        item(due_date=days(-31)),  # up to a month
        item(due_date=days(-32)),  # more than a month
        item(due_date=days(-1), suspended=True),  # superseded
        item(due_date=days(-400), done=True),  # complete, whenever it was due
        item(due_date=None),  # no date cannot be behind
    ]
    counts = [line.count for line in position_summary(items, TODAY)]
    assert counts == [2, 1, 1, 1]


# --- The rows -------------------------------------------------------------------------------------


def test_page_lists_only_red_amber_and_rescheduled_since_the_last_meeting(client, officer, programme, ten_actions):
    committee = Committee.objects.create(name="Improvement & Efficiency Sub-Committee", short_name="IESC", ref="iesc")
    committee.programmes.add(programme)
    factories.make_meeting(committee, date=days(-14))
    earlier = add_action(ten_actions["week-behind"].section, 11, rag=RAG.GREEN, title="Revised long ago")
    revise(earlier, (days(-100), days(100)), when=timezone.now() - datetime.timedelta(days=60))
    client.force_login(officer)

    response = client.get("/actions/reviews/lec/exceptions/")

    assert response.status_code == 200
    rows = response.context["report"].rows
    assert [row.item.ref for row in rows] == [
        ten_actions["week-behind"].ref,
        ten_actions["months-behind"].ref,
        ten_actions["rescheduled"].ref,
    ]
    page = response.content.decode()
    assert f"<strong>{days(-14):%-d %B %Y}</strong> (the last meeting of the Improvement &amp; Efficiency" in page
    assert ten_actions["on-target-1"].title not in page.split('id="exception-rows-h"')[1]
    assert "Revised long ago" not in page
    assert "Of 11 actions: 63.6% on target" in page
    # Owners, RAG in words, the position in words with days behind, original and revised dates.
    assert "Colleague&#x27;s Team" in page
    assert '<span class="rag rag-red">Red</span>' in page
    assert "Up to one month behind (7 days)" in page
    assert "More than one month behind (60 days)" in page
    assert f"{days(-20):%-d %b %Y}" in page
    assert "“mid-April”" in page
    assert f"{days(50):%-d %b %Y}" in page  # the revised one
    assert '<strong class="revision-flag" data-testid="revision-flag">Revised 3 times</strong>' in page
    assert "Reason 3" in page  # the latest revision's reason


def test_reader_may_choose_the_day_rescheduling_counts_from(client, officer, plan, ten_actions):
    earlier = add_action(plan, 11, rag=RAG.GREEN, title="Revised long ago")
    revise(earlier, (days(-100), days(100)), when=timezone.now() - datetime.timedelta(days=60))
    client.force_login(officer)

    default = client.get("/actions/reviews/lec/exceptions/")
    chosen = client.get(f"/actions/reviews/lec/exceptions/?since={days(-90):%d/%m/%Y}")

    # No committee has met, so the default is three months ago: the revision 60 days ago is in.
    assert default.context["report"].since == months_before(TODAY, 3)
    assert "3 months ago (no committee meeting yet)" in default.content.decode()
    assert "Revised long ago" in default.content.decode()
    assert chosen.context["report"].since == days(-90)
    assert "the date chosen" in chosen.content.decode()
    narrow = client.get(f"/actions/reviews/lec/exceptions/?since={days(-30):%Y-%m-%d}")
    assert "Revised long ago" not in narrow.content.decode()


def test_a_wrong_date_says_so_and_uses_the_default(client, officer, ten_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/exceptions/?since=31/13/2010")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a date like 31/07/2010 or 31 July 2010. The date of the last report is used instead." in page
    assert response.context["report"].since == months_before(TODAY, 3)


def test_revised_once_is_not_flagged(client, officer, plan):
    once = add_action(plan, 1, rag=RAG.AMBER)
    revise(once, (days(-5), days(20)))
    client.force_login(officer)
    page = client.get("/actions/reviews/lec/exceptions/").content.decode()
    assert "Revised once" in page
    assert "revision-flag" not in page


def test_nothing_to_report_says_so(client, officer, plan):
    add_action(plan, 1, rag=RAG.GREEN)
    client.force_login(officer)
    page = client.get("/actions/reviews/lec/exceptions/").content.decode()
    assert "No item is rated Red or Amber, and none was rescheduled after" in page


# --- A programme's report ------------------------------------------------------------------------


def test_programme_report_covers_projects_milestones_and_its_actions(client, officer, programme, ten_actions):
    workstream = factories.make_workstream(programme, name="Customer access")
    project = factories.make_project(workstream, name="Web platform", rag=RAG.RED, due_date=days(60))
    factories.make_project_update(project, risks_issues="Capital Ambition may refuse the bid.", rag=RAG.RED)
    milestone = factories.make_milestone(project, name="Go live", due_date=days(-50), rag=RAG.AMBER)
    milestone.due_date = days(10)  # a revised target, kept in its history
    milestone.save()
    factories.make_milestone(project, name="Launch", due_date=days(-3), status=MilestoneStatus.DROPPED)
    HighlightReport.objects.create(
        programme=programme,
        period_start=days(-60),
        period_end=days(-30),
        status=HighlightReport.Status.PUBLISHED,
        title="Highlight report",
    )
    client.force_login(officer)

    response = client.get("/programmes/oip/exceptions/")

    assert response.status_code == 200
    report = response.context["report"]
    assert report.since == days(-30)
    assert "the end of the last published highlight report&#x27;s period" in response.content.decode()
    kinds = {kind: count for kind, count, _ in report.kind_summaries}
    assert kinds == {"Projects": 1, "Milestones": 2, "Actions": 10}
    refs = [row.item.ref for row in report.rows]
    assert project.ref in refs
    assert milestone.ref in refs
    page = response.content.decode()
    assert "Capital Ambition may refuse the bid." in page  # the project's latest risks and issues
    assert "Workstream: Customer access" in page
    assert "Action plan: LEC action plan" in page
    go_live = next(row for row in report.rows if row.item.ref == milestone.ref)
    assert go_live.item.original_due_date == days(-50)
    assert go_live.item.revised_due_date == days(10)
    assert go_live.position == "Rescheduled or suspended with approval"
    # 1 project on target; milestones: 1 rescheduled, 1 dropped (suspended); actions 7/1/1/1.
    assert [line.count for line in report.summary] == [8, 1, 1, 3]


# --- Print, PDF and downloads ---------------------------------------------------------------------


def test_print_view_renders_on_its_own_a4_stylesheet(client, officer, ten_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/exceptions/print/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="viewport"' in page
    assert "css/exception-print.css" in page
    assert "Of 10 actions: 70.0% on target" in page
    assert "Back to the exception report" in page
    assert "Revised 3 times" in page


def test_pdf_download(client, officer, ten_actions, pdf_engine):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/exceptions/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="lec-exception-report-{TODAY:%Y-%m-%d}.pdf"' in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Revised 3 times" in text
    assert "Page 1 of" in text


def test_xlsx_holds_the_exceptions_and_the_headline(client, officer, ten_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/exceptions/?download=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Exceptions"].iter_rows(values_only=True))
    headings = rows[0]
    assert headings[:4] == ("Kind", "Ref", "No.", "Item")
    by_ref = {row[1]: dict(zip(headings, row, strict=True)) for row in rows[1:]}
    assert set(by_ref) == {ten_actions[key].ref for key in ("week-behind", "months-behind", "rescheduled")}
    rescheduled = by_ref[ten_actions["rescheduled"].ref]
    assert rescheduled["Revised twice or more"] == "Revised 3 times"
    assert rescheduled["Times revised"] == 3
    assert rescheduled["Original due date"].date() == days(-20)
    assert rescheduled["Revised due date"].date() == days(50)
    assert rescheduled["Deadline as first written"] == "mid-April"
    assert by_ref[ten_actions["months-behind"].ref]["RAG"] == "Red"
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[1][:4] == ("All items", "On target", 7, 70.0)


def test_csv_holds_the_exceptions(client, officer, ten_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/exceptions/?download=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4
    assert rows[0][0] == "Kind"
    assert ["Action", ten_actions["months-behind"].ref] == rows[2][:2]
    assert "More than one month behind (60 days)" in rows[2]


# --- Who sees it, and what it costs --------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, ten_actions):
    response = client.get("/actions/reviews/lec/exceptions/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = client.get("/programmes/oip/exceptions/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_unknown_programme_or_review_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get("/actions/reviews/no-such/exceptions/").status_code == 404
    assert client.get("/programmes/no-such/exceptions/print/").status_code == 404


def test_every_reader_of_the_review_sees_it(client, clerk, colleague, ten_actions):
    for user in (clerk, colleague):
        client.force_login(user)
        assert client.get("/actions/reviews/lec/exceptions/").status_code == 200


def test_links_from_the_programme_and_review_pages(client, officer, programme, ten_actions):
    client.force_login(officer)
    assert 'href="/programmes/oip/exceptions/"' in client.get("/programmes/oip/").content.decode()
    assert 'href="/actions/reviews/lec/exceptions/"' in client.get("/actions/reviews/lec/").content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(programme, section, n):
    """n more actions (revised, updated), and n projects with a milestone and an update, in the programme."""
    workstream = factories.make_workstream(programme)
    for index in range(n):
        action = add_action(section, 100 + index, rag=RAG.AMBER, owner=factories.make_owner())
        factories.make_action_update(action)
        revise(action, (days(-10), days(10)), (days(10), days(20)))
        project = factories.make_project(workstream, rag=RAG.RED)
        factories.make_project_update(project)
        factories.make_milestone(project, rag=RAG.AMBER)


@pytest.mark.parametrize(
    "url",
    [
        "/actions/reviews/lec/exceptions/",
        "/actions/reviews/lec/exceptions/print/",
        "/programmes/oip/exceptions/",
        "/programmes/oip/exceptions/?download=xlsx",
    ],
)
def test_queries_do_not_grow_with_the_plan(client, officer, programme, plan, url):
    client.force_login(officer)
    grow(programme, plan, 2)
    small = queries(client, url)
    grow(programme, plan, 12)
    assert queries(client, url) == small
