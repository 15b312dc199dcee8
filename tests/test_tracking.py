"""The registry of tracked kinds: a kind registered once is in My work, the
reminder digests and changes since the last meeting, without any of those
being edited."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from committees.changes import changes_between, window_for
from committees.models import Committee, Meeting
from core.models import RAG
from core.tracking import Link, TrackedKind, register, registered, tracked_kinds
from programmes.models import Workstream
from tests import factories
from workspace.reminders import send_reminders
from workspace.work import my_work

SITE = "https://oip.bromley.example"

# Workstreams are not tracked today; this stands in for the next kind (a
# milestone, a risk) under a label no real kind will take.
TRIAL_KIND = TrackedKind(
    label="Trial workstream",
    model=Workstream,
    title_attr="name",
    update_url_name="programmes:workstream_edit",
    order=90,
    my_work_queryset=lambda workstreams: workstreams.select_related("programme"),
    parents=lambda workstream: [
        Link(f"Programme: {workstream.programme.name}", workstream.programme.get_absolute_url())
    ],
)


@pytest.fixture
def trial_kind():
    with registered(TRIAL_KIND) as kind:
        yield kind


@pytest.fixture
def late_workstream(officer_team, programme):
    return factories.make_workstream(
        programme,
        name="Self-service and ICT",
        owner=officer_team,
        rag=RAG.RED,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )


def test_built_in_kinds_are_actions_projects_milestones_and_recommendations():
    kinds = {kind.label: kind for kind in tracked_kinds()}
    assert list(kinds) == ["Action", "Project", "Milestone", "Recommendation"]
    assert [label for label, kind in kinds.items() if kind.in_my_work] == ["Action", "Project", "Milestone"]
    assert [label for label, kind in kinds.items() if kind.in_reminders] == ["Action", "Project", "Milestone"]
    assert [label for label, kind in kinds.items() if kind.in_changes] == [
        "Action",
        "Project",
        "Milestone",
        "Recommendation",
    ]
    assert [label for label, kind in kinds.items() if kind.reports_new] == ["Action"]
    assert [label for label, kind in kinds.items() if kind.reports_overdue] == ["Action", "Project", "Milestone"]


def test_registered_kind_is_in_my_work(client, officer, late_workstream, trial_kind):
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    overdue = html[html.index('<section id="overdue"') : html.index('<section id="soon"')]
    assert "Self-service and ICT" in overdue
    assert "<td>Trial workstream</td>" in overdue
    programme = late_workstream.programme
    assert f'<a href="{programme.get_absolute_url()}">Programme: Organisational Improvement Programme</a>' in overdue
    assert f'href="{reverse("programmes:workstream_edit", args=[late_workstream.ref])}">Update' in overdue


def test_registered_kind_is_in_the_reminder_digest(settings, officer, late_workstream, trial_kind, mailoutbox):
    settings.SITE_URL = SITE

    assert send_reminders() == 1

    body = mailoutbox[0].body
    assert "- Trial workstream: Self-service and ICT" in body
    assert f"Update it: {SITE}{reverse('programmes:workstream_edit', args=[late_workstream.ref])}" in body


def test_registered_kind_is_in_changes_since_the_last_meeting(client, clerk, manager, late_workstream, trial_kind):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", ref="ie")
    today = timezone.localdate()
    previous = Meeting.objects.create(committee=committee, date=today - datetime.timedelta(days=30))
    meeting = Meeting.objects.create(committee=committee, date=today + datetime.timedelta(days=7))
    Workstream.history.model.objects.update(history_date=timezone.now() - datetime.timedelta(days=60))
    late_workstream.rag = RAG.GREEN
    late_workstream._history_user = manager
    late_workstream.save()

    changes = changes_between(*window_for(meeting, previous))

    assert [(c.kind, c.label, c.before, c.after) for c in changes.improved] == [
        ("Trial workstream", "Self-service and ICT", "Red", "Green")
    ]
    assert [(c.kind, c.label) for c in changes.newly_overdue] == [("Trial workstream", "Self-service and ICT")]
    assert changes.new_actions == []  # only kinds that report_new
    client.force_login(clerk)
    html = client.get(reverse("committees:changes", args=[meeting.pk])).content.decode()
    assert "RAG improved (1)" in html
    assert "<td>Trial workstream</td>" in html


def test_kind_is_gone_once_its_registration_ends(officer, late_workstream):
    with registered(TRIAL_KIND):
        assert "Trial workstream" in [kind.label for kind in tracked_kinds()]
        assert my_work(officer).total == 1
    assert "Trial workstream" not in [kind.label for kind in tracked_kinds()]
    assert my_work(officer).total == 0


def test_a_second_kind_with_a_taken_label_is_refused():
    with pytest.raises(ImproperlyConfigured, match="already called 'Action'"):
        register(dataclasses.replace(TRIAL_KIND, label="Action"))
    assert [kind.model for kind in tracked_kinds() if kind.label == "Action"] == [ActionItem]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": Committee}, "not Accountable"),
        ({"update_url_name": None}, "needs an update_url_name"),
    ],
)
def test_kinds_that_the_pages_could_not_list_are_refused(changes, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        register(dataclasses.replace(TRIAL_KIND, **changes))
    assert "Trial workstream" not in [kind.label for kind in tracked_kinds()]
