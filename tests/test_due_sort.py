"""Sorting All actions and All projects by due date: "No date" rows come last
whichever way the column is sorted, across pages too, and sorting costs no
extra queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

JUNE, JULY, AUGUST = datetime.date(2010, 6, 30), datetime.date(2010, 7, 31), datetime.date(2010, 8, 31)


def rows(response, kind):
    """The rows of a list page, in page order: (ref, the row's HTML)."""
    html = response.content.decode()
    return re.findall(rf'<tr data-{kind}="([^"]+)">(.*?)</tr>', html, re.S)


def refs(response, kind):
    return [ref for ref, _ in rows(response, kind)]


@pytest.fixture
def dated_and_undated_actions(db, officer_team):
    # Created out of order, so neither creation order nor pk gives the answer.
    for ref, due in [("july", JULY), ("undated-a", None), ("june", JUNE), ("undated-b", None), ("august", AUGUST)]:
        factories.make_action(ref=ref, title=f"Action due {ref}", owner=officer_team, due_date=due)


@pytest.fixture
def dated_and_undated_projects(db, officer_team):
    workstream = factories.make_workstream()
    for ref, due in [("july", JULY), ("undated-a", None), ("june", JUNE), ("undated-b", None), ("august", AUGUST)]:
        factories.make_project(workstream, ref=ref, name=f"Project due {ref}", owner=officer_team, due_date=due)


@pytest.mark.parametrize(
    ("url_name", "kind", "fixture"),
    [
        ("actions:list", "action", "dated_and_undated_actions"),
        ("programmes:projects", "project", "dated_and_undated_projects"),
    ],
)
@pytest.mark.parametrize(
    ("order", "dated"),
    [("due", ["june", "july", "august"]), ("-due", ["august", "july", "june"])],
)
def test_no_date_rows_come_last_both_ways(client, officer, request, url_name, kind, fixture, order, dated):
    request.getfixturevalue(fixture)
    client.force_login(officer)
    response = client.get(reverse(url_name), {"o": order})
    assert response.status_code == 200
    listed = rows(response, kind)
    assert [ref for ref, _ in listed] == [*dated, "undated-a", "undated-b"]
    assert ["No date" in html for _, html in listed] == [False, False, False, True, True]


def test_no_date_actions_come_after_every_page_of_dated_ones(client, officer, officer_team):
    # 26 dated actions fill page 1 and spill onto page 2, where the undated ones follow them.
    for day in range(1, 27):
        factories.make_action(ref=f"dated-{day:02}", owner=officer_team, due_date=datetime.date(2010, 7, day))
    factories.make_action(ref="undated", owner=officer_team, due_date=None)
    client.force_login(officer)
    for order, first, last_dated in [("due", "dated-01", "dated-26"), ("-due", "dated-26", "dated-01")]:
        page_1 = refs(client.get(reverse("actions:list"), {"o": order}), "action")
        page_2 = refs(client.get(reverse("actions:list"), {"o": order, "page": 2}), "action")
        assert len(page_1) == 25
        assert "undated" not in page_1
        assert page_1[0] == first
        assert page_2 == [last_dated, "undated"]


def test_never_updated_actions_come_last_when_sorted_by_last_update(client, officer, officer_team):
    early = factories.make_action(ref="early", owner=officer_team)
    factories.make_action_update(early, update_date=datetime.date(2010, 5, 1))
    factories.make_action(ref="never", owner=officer_team)
    late = factories.make_action(ref="late", owner=officer_team)
    factories.make_action_update(late, update_date=datetime.date(2010, 6, 1))
    client.force_login(officer)
    assert refs(client.get(reverse("actions:list"), {"o": "updated"}), "action") == ["early", "late", "never"]
    assert refs(client.get(reverse("actions:list"), {"o": "-updated"}), "action") == ["late", "early", "never"]


def query_count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "make_row"),
    [
        ("actions:list", lambda i, owner: factories.make_action(owner=owner, due_date=None if i % 2 else JUNE)),
        (
            "programmes:projects",
            lambda i, owner: factories.make_project(owner=owner, due_date=None if i % 2 else JUNE),
        ),
    ],
)
def test_sorting_by_due_date_adds_no_queries(client, officer, officer_team, url_name, make_row):
    client.force_login(officer)
    url = reverse(url_name)
    # Two data sizes: the same number of queries, sorted either way or not at all.
    for i in range(3):
        make_row(i, officer_team)
    small = {order: query_count(client, url, {"o": order} if order else {}) for order in ("", "due", "-due")}
    for i in range(3, 30):
        make_row(i, officer_team)
    large = {order: query_count(client, url, {"o": order} if order else {}) for order in ("", "due", "-due")}
    assert len(set(small.values())) == 1
    assert small == large
