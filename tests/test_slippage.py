"""Slippage: the share of actions and milestones delivered by their original
due date, days slipped and revisions per item, per area, owner and overall."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionPlan, DueDateRevision, Status
from actions.slippage import review_slippage
from core.models import RAG
from programmes.models import MilestoneStatus
from tests import factories

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def revise(action, *moves):
    for index, (old, new) in enumerate(moves):
        DueDateRevision.objects.create(
            action=action,
            old_date=old,
            new_date=new,
            reason=f"Reason {index + 1}",
            changed_at=timezone.now() - datetime.timedelta(minutes=len(moves) - index),
        )
    action.due_date = moves[-1][1]
    action.save()


@pytest.fixture
def sections(programme):
    review = factories.make_review(ref="lec", title="London Efficiency Challenge")
    plan = ActionPlan.objects.create(review=review, ref="lec-plan", title="LEC action plan", programme=programme)
    strategy = factories.make_area(review, number=1, title="Strategic approach")
    access = factories.make_area(review, number=2, title="Customer access")
    return factories.make_section(plan, strategy, number=1), factories.make_section(plan, access, number=2)


@pytest.fixture
def five_actions(sections, officer_team, colleague_team):
    """On time and late (the officer's team, area 1); open and overdue after two revisions, open and
    not yet due, and superseded (the colleague's team, area 2)."""
    first, second = sections

    def complete(**fields):
        return {"status": Status.COMPLETE, "rag": RAG.COMPLETE, **fields}

    on_time = factories.make_action(
        section=first, position=1, owner=officer_team, due_date=days(-20), **complete(completed_on=days(-25))
    )
    late = factories.make_action(
        section=first, position=2, owner=officer_team, due_date=days(-30), **complete(completed_on=days(-10))
    )
    overdue = factories.make_action(section=second, position=1, owner=colleague_team, rag=RAG.RED)
    revise(overdue, (days(-40), days(-5)), (days(-5), days(20)))
    not_due = factories.make_action(section=second, position=2, owner=colleague_team, due_date=days(30))
    superseded = factories.make_action(
        section=second, position=3, owner=colleague_team, due_date=days(-100), status=Status.SUPERSEDED
    )
    return on_time, late, overdue, not_due, superseded


def test_overall_line(five_actions):
    review = five_actions[0].section.plan.review
    line = review_slippage(review, today=TODAY).overall
    assert line.items == 5
    assert line.delivered == 2
    assert line.due_so_far == 3  # on time, late, overdue: not the one not yet due, nor the superseded
    assert line.on_time == 1
    assert line.percent_on_time == Decimal("33.3")
    assert line.mean_days == Decimal("20.0")  # (0 + 20 + 40) / 3: overdue counts from its ORIGINAL due date
    assert line.worst_days == 40
    assert line.revisions_per_item == Decimal("0.4")  # 2 revisions over 5 items
    assert line.most_revisions == 2
    assert line.revised_twice == 1


def test_grouped_by_area_and_owner(five_actions):
    result = review_slippage(five_actions[0].section.plan.review, today=TODAY)
    by_area = {line.label: line for line in result.by_group}
    assert list(by_area) == ["1. Strategic approach", "2. Customer access"]
    strategy, access = by_area.values()
    assert (strategy.items, strategy.on_time, strategy.percent_on_time, strategy.mean_days) == (
        2,
        1,
        Decimal("50.0"),
        Decimal("10.0"),
    )
    assert (access.items, access.due_so_far, access.percent_on_time, access.worst_days) == (3, 1, Decimal("0.0"), 40)
    assert access.revisions_per_item == Decimal("0.7")  # 2 / 3, rounded
    by_owner = {line.label: line for line in result.by_owner}
    assert by_owner["Officer's Team"].worst_days == 20
    assert by_owner["Colleague's Team"].most_revisions == 2


def test_nothing_due_yet_shows_dashes(client, officer, sections):
    factories.make_action(section=sections[0], position=1, due_date=days(10))
    client.force_login(officer)
    page = client.get("/actions/reviews/lec/slippage/").content.decode()
    assert "none due yet" in page
    line = review_slippage(sections[0].plan.review, today=TODAY).overall
    assert (line.percent_on_time, line.mean_days, line.worst_days) == (None, None, None)


def test_page_shows_the_figures_and_says_how_they_are_counted(client, officer, five_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/slippage/")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "All actions: 5 items, 2 delivered;\n  33.3% of the 3 due so far delivered by their original "
        "due date, 20.0 days slipped on average, 40 at worst" in page
    )
    assert "By review area" in page
    assert "By owner" in page
    assert "<td>1 (33.3%)</td>" in page
    assert "for an item still open, the days from its original due date to today" in page


def test_programme_slippage_reads_milestone_revisions_from_history(client, officer, programme, five_actions):
    workstream = factories.make_workstream(programme, name="Customer access")
    project = factories.make_project(workstream)
    milestone = factories.make_milestone(
        project, name="Go live", due_date=days(-50), status=MilestoneStatus.IN_PROGRESS
    )
    milestone.due_date = days(15)
    milestone.save()
    milestone.due_date = days(25)
    milestone.save()
    achieved = factories.make_milestone(project, name="Sign-off", due_date=days(-10))
    achieved.status, achieved.achieved_on = MilestoneStatus.ACHIEVED, days(-12)
    achieved.save()
    client.force_login(officer)

    response = client.get("/programmes/oip/slippage/")

    assert response.status_code == 200
    result = response.context["slippage"]
    kinds = {line.label: line for line in result.by_kind}
    milestones = kinds["Milestones"]
    assert (milestones.items, milestones.delivered, milestones.due_so_far, milestones.on_time) == (2, 1, 2, 1)
    assert milestones.worst_days == 50  # open, 50 days past the date first set
    assert milestones.most_revisions == 2
    assert milestones.revised_twice == 1
    assert kinds["Actions"].items == 5
    assert [line.label for line in result.by_group] == ["Workstream: Customer access", "Action plan: LEC action plan"]
    assert result.overall.items == 7  # projects are not measured for slippage


def test_downloads(client, officer, five_actions):
    client.force_login(officer)
    response = client.get("/actions/reviews/lec/slippage/?download=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("Grouped by", "Group", "Items")
    assert rows[1] == ("Overall", "All actions", 5, 2, 3, 1, 33.3, 20.0, 40, 0.4, 2, 1)
    assert ("Review area", "2. Customer access") in [row[:2] for row in rows]
    response = client.get("/actions/reviews/lec/slippage/?download=csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[1][:3] == ["Overall", "All actions", "5"]


def test_anonymous_is_sent_to_log_in_and_unknown_is_not_found(client, officer, five_actions):
    assert "/login/" in client.get("/actions/reviews/lec/slippage/")["Location"]
    assert "/login/" in client.get("/programmes/oip/slippage/")["Location"]
    client.force_login(officer)
    assert client.get("/programmes/no-such/slippage/").status_code == 404
    assert client.get("/actions/reviews/no-such/slippage/").status_code == 404


def test_links_from_the_programme_and_review_pages(client, officer, five_actions):
    client.force_login(officer)
    assert 'href="/programmes/oip/slippage/"' in client.get("/programmes/oip/").content.decode()
    assert 'href="/actions/reviews/lec/slippage/"' in client.get("/actions/reviews/lec/").content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(programme, section, n):
    workstream = factories.make_workstream(programme)
    for index in range(n):
        action = factories.make_action(section=section, position=10 + index, owner=factories.make_owner())
        revise(action, (days(-10), days(10)))
        milestone = factories.make_milestone(factories.make_project(workstream), owner=factories.make_owner())
        milestone.due_date = days(5)
        milestone.save()


@pytest.mark.parametrize("url", ["/actions/reviews/lec/slippage/", "/programmes/oip/slippage/"])
def test_queries_do_not_grow_with_the_plan(client, officer, programme, sections, url):
    client.force_login(officer)
    grow(programme, sections[0], 2)
    small = queries(client, url)
    grow(programme, sections[1], 12)
    assert queries(client, url) == small


def test_long_slips_print_with_thousands_separated(client, officer, sections):
    factories.make_action(section=sections[0], position=1, due_date=days(-2000))
    client.force_login(officer)
    page = client.get("/actions/reviews/lec/slippage/").content.decode()
    assert "<td>2,000.0</td>" in page
    assert "<td>2,000</td>" in page
