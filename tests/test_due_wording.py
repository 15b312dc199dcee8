"""When an update moves an action's due date but leaves its wording, the
wording (“mid-April”) no longer describes the deadline: pages and papers show
the new date with the old wording marked as what it was, and the revision
keeps it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import DueDateRevision, Status
from actions.services import update_action
from committees.models import Committee, Meeting
from core.models import RAG
from tests import factories


@pytest.fixture
def meetings(db):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    return [
        Meeting.objects.create(committee=committee, date=d)
        for d in [datetime.date(2010, 2, 11), datetime.date(2010, 6, 1)]
    ]


@pytest.fixture
def action(officer_team, meetings):
    # From the February 2010 minutes: “Staff to be involved … by mid-April”.
    return factories.make_action(
        arising_from=meetings[0],
        minute_number="42",
        minute_title="Staff involvement",
        title="Involve staff in the efficiency challenge",
        ref="involve-staff",
        owner=officer_team,
        rag=RAG.GREEN,
        due_date=datetime.date(2010, 4, 15),
        due_wording="mid-April",
    )


def post_update(client, action, **overrides):
    data = {
        "version": action.version,
        "update_date": timezone.localdate().isoformat(),
        "note": "Staff workshops moved to the summer.",
        "rag": RAG.AMBER,
        "status": Status.IN_PROGRESS,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        **overrides,
    }
    return client.post(reverse("actions:update", args=[action.ref]), data)


def revise_to_31_july(client, officer, action):
    client.force_login(officer)
    response = post_update(client, action, due_date="2010-07-31", due_change_reason="Workshops after the elections")
    assert response.status_code == 302
    action.refresh_from_db()


def test_action_page_shows_new_date_with_old_wording_as_superseded(client, officer, action):
    client.force_login(officer)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "“mid-April”" in html
    assert "revised; was" not in html

    revise_to_31_july(client, officer, action)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "31 Jul 2010" in html
    assert "(revised; was “mid-April”)" in html
    # The revision history says which wording went with the old date.
    assert "15 Apr 2010 → 31 Jul 2010 (was “mid-April”) (Workshops after the elections)" in html
    revision = DueDateRevision.objects.get(action=action)
    assert (revision.old_date, revision.new_date, revision.old_wording) == (
        datetime.date(2010, 4, 15),
        datetime.date(2010, 7, 31),
        "mid-April",
    )
    # The wording is kept, not deleted.
    assert (action.due_wording, action.due_wording_superseded) == ("mid-April", True)


def test_lists_show_the_wording_as_superseded(client, officer, action):
    revise_to_31_july(client, officer, action)
    html = client.get(reverse("actions:list")).content.decode()
    assert "(revised; was “mid-April”)" in html
    assert '<div class="due-wording small text-body-secondary">“mid-April”</div>' not in html


def test_matters_arising_paper_prints_the_revised_date_not_the_old_wording(client, officer, clerk, action, meetings):
    client.force_login(clerk)
    html = client.get(reverse("committees:matters_arising", args=[meetings[1].pk])).content.decode()
    assert "<td>mid-April" in html

    revise_to_31_july(client, officer, action)
    client.force_login(clerk)
    html = client.get(reverse("committees:matters_arising", args=[meetings[1].pk])).content.decode()
    assert "<td>mid-April" not in html
    assert "31 Jul 2010 (revised; was “mid-April”)" in html


def test_a_second_revision_keeps_the_original_wording_and_records_none(client, officer, action):
    revise_to_31_july(client, officer, action)
    post_update(client, action, due_date="2010-09-30", due_change_reason="Members decide in September")
    action.refresh_from_db()
    html = client.get(action.get_absolute_url()).content.decode()
    assert "30 Sep 2010" in html
    assert "(revised; was “mid-April”)" in html
    assert list(DueDateRevision.objects.filter(action=action).values_list("old_wording", flat=True)) == [
        "mid-April",
        "",
    ]


def test_an_update_that_keeps_the_date_leaves_the_wording_current(client, officer, action):
    client.force_login(officer)
    post_update(client, action, note="On track for mid-April.")
    action.refresh_from_db()
    html = client.get(action.get_absolute_url()).content.decode()
    assert "“mid-April”" in html
    assert "revised; was" not in html
    assert not action.due_wording_superseded


def test_new_wording_makes_it_current_again(client, officer, administrator, action):
    revise_to_31_july(client, officer, action)
    update_action(action=action, user=administrator, expected_version=action.version, due_wording="end of July 2010")
    action.refresh_from_db()
    html = client.get(action.get_absolute_url()).content.decode()
    assert "“end of July 2010”" in html
    assert "revised; was" not in html


def test_action_without_wording_shows_just_the_new_date(client, officer, action):
    action.due_wording = ""
    action.save()
    revise_to_31_july(client, officer, action)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "31 Jul 2010" in html
    assert "revised; was" not in html
    assert not action.due_wording_superseded
