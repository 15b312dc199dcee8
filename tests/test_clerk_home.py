"""The committee clerk's home page (issue 13): the next meetings, the packs
to prepare and the matters arising due, above (or instead of) My work."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from actions.models import Status
from committees.models import Committee, IssuedPack, Meeting, MinutedAction
from core import roles
from core.models import RAG
from tests import factories


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


def issued_pack(meeting, **extra):
    defaults = {"part": IssuedPack.Part.PUBLIC, "version": 1, "status": IssuedPack.Status.ISSUED}
    return IssuedPack.objects.create(
        meeting=meeting, pdf="packs/2010/pack.pdf", issued_at=timezone.now(), **{**defaults, **extra}
    )


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(html, anchor):
    """The HTML of the home page's section with id `anchor`."""
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_clerk_sees_the_next_meetings_soonest_first_with_their_pack_state(client, clerk, committee):
    later = factories.make_meeting(committee, date=days(30), venue="Committee Room 2")
    sooner = factories.make_meeting(committee, date=days(3), venue="Bromley Civic Centre")
    factories.make_meeting(committee, date=days(-3))  # held already
    issued_pack(later)
    html = section(home(client, clerk), "next-meetings")
    assert html.index(f'data-meeting="{sooner.pk}"') < html.index(f'data-meeting="{later.pk}"')
    assert "Bromley Civic Centre" in html
    assert "Committee Room 2" in html
    assert html.count("Improvement and Efficiency Sub-Committee") == 2
    assert f'href="{sooner.get_absolute_url()}"' in html
    assert f'<a href="{reverse("committees:issued", args=[later.pk])}">Pack issued</a>' in html
    assert "Pack not issued yet" in html
    assert f'href="{reverse("committees:pack", args=[sooner.pk])}"' in html


def test_packs_to_prepare_are_meetings_soon_without_an_issued_pack(client, clerk, committee):
    bare = factories.make_meeting(committee, date=days(10))
    ready = factories.make_meeting(committee, date=days(20))
    ready.agenda_items.create(number=1, title="Apologies for absence")
    report = factories.make_programme().highlight_reports.create(
        title="Highlight report", period_start=days(-60), period_end=days(-30), status="published"
    )
    ready.reports.add(report)
    done = factories.make_meeting(committee, date=days(5))
    issued_pack(done)
    requested = factories.make_meeting(committee, date=days(1))
    IssuedPack.objects.create(meeting=requested, part=IssuedPack.Part.PUBLIC, version=1)
    far = factories.make_meeting(committee, date=days(70))
    html = section(home(client, clerk), "packs-to-prepare")
    assert "Packs to prepare (3)" in html
    rows = {m.pk: f'data-pack-to-prepare="{m.pk}"' in html for m in [bare, ready, done, requested, far]}
    assert rows == {bare.pk: True, ready.pk: True, done.pk: False, requested.pk: True, far.pk: False}
    bare_row = html[html.index(f'data-pack-to-prepare="{bare.pk}"') :]
    assert "In 10 days" in bare_row
    assert "No agenda items yet" in bare_row
    assert "No highlight reports attached" in bare_row
    ready_row = html[html.index(f'data-pack-to-prepare="{ready.pk}"') :].split("</tr>")[0]
    assert "In 20 days" in ready_row
    assert "Ready to issue" in ready_row
    requested_row = html[html.index(f'data-pack-to-prepare="{requested.pk}"') :].split("</tr>")[0]
    assert "Tomorrow" in requested_row
    assert "Pack requested, not issued yet" in requested_row
    assert f'href="{reverse("committees:issued", args=[bare.pk])}"' in bare_row


def test_matters_arising_due_are_open_ones_overdue_or_due_in_four_weeks(client, clerk, committee):
    meeting = factories.make_meeting(committee, date=days(-40))
    team = factories.make_owner("OIP Team")
    overdue = factories.make_action(
        title="Report the savings to members",
        owner=team,
        due_date=days(-5),
        due_wording="mid-April",
        rag=RAG.AMBER,
        status=Status.IN_PROGRESS,
        arising_from=meeting,
        minute_number="37",
        minute_title="LEC feedback",
    )
    soon = factories.make_action(title="Circulate the action plan", owner=team, due_date=days(14), arising_from=meeting)
    later = factories.make_action(title="Review in the autumn", due_date=days(40), arising_from=meeting)
    done = factories.make_action(
        title="Already done",
        due_date=days(-3),
        status=Status.COMPLETE,
        rag=RAG.COMPLETE,
        completed_on=days(-4),
        arising_from=meeting,
    )
    undated = factories.make_action(title="Some day", due_date=None, arising_from=meeting)
    not_arising = factories.make_action(title="Plan action", due_date=days(2))
    html = section(home(client, clerk), "matters-arising-due")
    assert "Matters arising due (2)" in html
    shown = {
        a.title: f'data-matter-arising="{a.ref}"' in html for a in [overdue, soon, later, done, undated, not_arising]
    }
    assert shown == {
        "Report the savings to members": True,
        "Circulate the action plan": True,
        "Review in the autumn": False,
        "Already done": False,
        "Some day": False,
        "Plan action": False,
    }
    assert html.index(overdue.title) < html.index(soon.title)
    row = html[html.index(f'data-matter-arising="{overdue.ref}"') :].split("</tr>")[0]
    for words in ["OIP Team", "“mid-April”", "Overdue", "Amber", "In progress", "Minute 37 LEC feedback"]:
        assert words in row, words
    assert f'href="{meeting.get_absolute_url()}"' in row


def test_clerk_with_nothing_arranged_is_told_so_not_shown_an_empty_my_work(client, clerk):
    html = home(client, clerk)
    assert "No meetings are arranged from today on." in html
    assert "Nothing to prepare" in html
    assert "No matters arising are overdue or due in the next 4 weeks." in html
    assert "You own no open actions or projects yourself." in html
    assert "ask the programme manager to add you to the team" not in html


def test_clerk_who_owns_actions_still_sees_their_own_work(client, clerk, committee):
    team = factories.make_owner("Democratic Services")
    team.members.add(clerk)
    factories.make_action(title="Book the council chamber", owner=team, due_date=days(3))
    factories.make_meeting(committee, date=days(7))
    html = home(client, clerk)
    assert "Your actions and projects" in html
    assert "Book the council chamber" in html
    assert html.index('id="next-meetings"') < html.index("Book the council chamber")


def test_officer_sees_no_clerk_sections(client, officer, committee):
    factories.make_meeting(committee, date=days(7))
    html = home(client, officer)
    assert 'id="next-meetings"' not in html
    assert "Packs to prepare" not in html


def test_a_login_made_clerk_sees_the_sections_at_once(client, officer, committee):
    factories.make_meeting(committee, date=days(7))
    client.force_login(officer)
    assert 'id="next-meetings"' not in client.get(reverse("home")).content.decode()
    officer.groups.add(Group.objects.get(name=roles.COMMITTEE_CLERK))
    assert 'id="next-meetings"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("size", [2, 15])
def test_clerk_home_runs_constant_queries(client, clerk, committee, size, django_assert_num_queries):
    team = factories.make_owner("Democratic Services")
    team.members.add(clerk)
    factories.make_action(owner=team, due_date=days(3), recommendations=[factories.make_recommendation()])
    factories.make_project(owner=team, due_date=days(9))
    for i in range(size):
        meeting = factories.make_meeting(committee, date=days(i + 1))
        meeting.agenda_items.create(number=1, title="Apologies")
        if i % 2:
            issued_pack(meeting)
        factories.make_action(owner=team, due_date=days(i - 5), arising_from=factories.make_meeting(date=days(-i - 1)))
    client.force_login(clerk)
    # session, user, whether a clerk, the next meetings, packs to prepare, matters arising due and how
    # many, then My work (actions, their recommendations, projects, milestones),
    # programmes, reviews
    with django_assert_num_queries(14):  # with the data stamp (page cache)
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert html.count("<tr data-meeting=") == min(size, 6)
    assert html.count("<tr data-matter-arising=") == size
    assert f"Matters arising due ({size})" in html


def test_officer_home_gains_one_query_for_the_clerk_role(client, officer, officer_team, django_assert_num_queries):
    factories.make_action(owner=officer_team, due_date=days(3), recommendations=[factories.make_recommendation()])
    factories.make_project(owner=officer_team, due_date=days(9))
    client.force_login(officer)
    # session, user, whether a clerk, actions, their recommendations, projects,
    # milestones, programmes, reviews
    with django_assert_num_queries(10):  # with the data stamp (page cache)
        client.get(reverse("home"))


def test_due_by_is_open_matters_arising_due_by_the_date(committee):
    meeting = factories.make_meeting(committee, date=datetime.date(2010, 6, 1))
    due = factories.make_action(due_date=datetime.date(2010, 7, 1), arising_from=meeting)
    factories.make_action(due_date=datetime.date(2010, 7, 2), arising_from=meeting)
    factories.make_action(due_date=datetime.date(2010, 6, 1), status=Status.SUPERSEDED, arising_from=meeting)
    assert [row.action for row in MinutedAction.objects.due_by(datetime.date(2010, 7, 1))] == [due]


def test_upcoming_without_issued_pack(committee):
    past = factories.make_meeting(committee, date=days(-1))
    issued = factories.make_meeting(committee, date=days(2))
    issued_pack(issued)
    exempt_only = factories.make_meeting(committee, date=days(4))
    issued_pack(exempt_only, part=IssuedPack.Part.EXEMPT)
    failed = factories.make_meeting(committee, date=days(3))
    IssuedPack.objects.create(meeting=failed, part="public", version=1, status=IssuedPack.Status.FAILED)
    assert list(Meeting.objects.upcoming().without_issued_pack()) == [failed, exempt_only]
    assert past not in Meeting.objects.upcoming()
