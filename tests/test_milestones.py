"""Milestones (issue 10, point 2): several per project, by stage or phase,
with a target date as written and as a real date, a responsible officer, a
status and the date achieved. Managers add, change and remove them; the
responsible officer, the project's owner or a manager records progress.
They are a tracked kind: My work, reminders and changes since the last
meeting list them without naming them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.changes import changes_between, window_for
from committees.models import Committee, Meeting
from core import roles
from core.models import RAG, Owner
from programmes.models import Milestone, MilestoneStatus
from programmes.services import record_milestone_progress
from tests import factories
from workspace.reminders import send_reminders
from workspace.work import my_work

SITE = "https://oip.bromley.example"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Customer access")


@pytest.fixture
def project(workstream, colleague_team):
    """Bob's team owns the project; Alice's team answers for its milestone."""
    return factories.make_project(workstream, name="Joint web platform", ref="joint-web", owner=colleague_team)


@pytest.fixture
def milestone(project, officer_team):
    return factories.make_milestone(
        project,
        number="1.1",
        stage="Governance",
        name="Partnership agreement signed",
        owner=officer_team,
        due_date=days(20),
        due_wording="July 2010",
        rag=RAG.AMBER,
    )


@pytest.fixture
def other_manager(db):
    """Quentin manages another programme, not this one."""
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER)
    factories.make_programme(name="Customer Access Programme").managers.add(user)
    return user


def url(name, obj):
    return reverse(f"programmes:{name}", args=[obj.ref])


def milestone_data(milestone=None, **overrides):
    data = {
        "number": "1.2",
        "stage": "Implementation",
        "name": "Platform live",
        "due_wording": "March 2011",
        "due_date": "2011-03-31",
        "owner": "",
        "status": MilestoneStatus.PLANNED,
        "achieved_on": "",
        "rag": RAG.GREEN,
        "position": 2,
        "key": "on",
    }
    if milestone is not None:
        data.update(
            number=milestone.number,
            stage=milestone.stage,
            name=milestone.name,
            due_wording=milestone.due_wording,
            due_date=milestone.due_date.isoformat(),
            owner=milestone.owner_id or "",
            status=milestone.status,
            rag=milestone.rag,
            position=milestone.position,
            version=milestone.version,
        )
    return {**data, **overrides}


def progress_data(milestone, **overrides):
    data = {
        "version": milestone.version,
        "status": milestone.status,
        "achieved_on": "",
        "rag": milestone.rag,
        "due_date": milestone.due_date.isoformat() if milestone.due_date else "",
        "due_wording": milestone.due_wording,
    }
    return {**data, **overrides}


def snapshot():
    return list(Milestone.objects.order_by("pk").values())


# --- The model's rules ----------------------------------------------------------------


def test_an_achieved_milestone_needs_the_date_it_was_achieved(milestone):
    milestone.status = MilestoneStatus.ACHIEVED
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert refused.value.message_dict == {"achieved_on": ["Give the date the milestone was achieved."]}


def test_a_milestone_cannot_be_achieved_in_the_future(milestone):
    milestone.status, milestone.achieved_on = MilestoneStatus.ACHIEVED, days(1)
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert refused.value.message_dict == {"achieved_on": ["A milestone cannot be achieved in the future."]}


def test_only_an_achieved_milestone_has_an_achieved_date(milestone):
    milestone.status, milestone.achieved_on = MilestoneStatus.IN_PROGRESS, days(-1)
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert refused.value.message_dict == {"achieved_on": ["Only an achieved milestone has an achieved date."]}


def test_open_leaves_out_met_and_dropped_milestones_and_those_of_closed_or_on_hold_projects(workstream, project):
    planned = factories.make_milestone(project, name="Planned")
    factories.make_milestone(project, name="Met", status=MilestoneStatus.ACHIEVED, achieved_on=days(-3))
    factories.make_milestone(project, name="Dropped", status=MilestoneStatus.DROPPED)
    factories.make_milestone(factories.make_project(workstream, on_hold=True), name="Paused project's")
    closed = factories.make_project(workstream, stage="closed", closed_on=days(-1), closure_note="Done.")
    factories.make_milestone(closed, name="Closed project's")

    assert list(Milestone.objects.open()) == [planned]


def test_overdue_and_due_within_follow_the_target_date(project):
    late = factories.make_milestone(project, name="Late", due_date=days(-1))
    soon = factories.make_milestone(project, name="Soon", due_date=days(5))
    factories.make_milestone(project, name="Later", due_date=days(60))
    factories.make_milestone(
        project, name="Late but met", due_date=days(-9), status=MilestoneStatus.ACHIEVED, achieved_on=days(-2)
    )

    assert list(Milestone.objects.overdue()) == [late]
    assert list(Milestone.objects.due_within(7)) == [soon]
    assert late.overdue
    assert not soon.overdue


def test_an_achieved_milestone_is_rated_complete_and_only_an_achieved_one(milestone, manager):
    record_milestone_progress(
        milestone=milestone,
        user=manager,
        expected_version=milestone.version,
        status=MilestoneStatus.ACHIEVED,
        achieved_on=days(0),
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.rag) == (MilestoneStatus.ACHIEVED, RAG.COMPLETE)

    with pytest.raises(ValidationError) as refused:
        record_milestone_progress(
            milestone=milestone, user=manager, expected_version=milestone.version, status=MilestoneStatus.IN_PROGRESS
        )
    assert list(refused.value.message_dict) == ["rag"]


# --- A tracked kind ---------------------------------------------------------------------


@pytest.fixture
def late_milestone(milestone):
    milestone.due_date = days(-2)
    milestone.save()
    return milestone


def test_milestone_is_in_my_work_with_its_project_and_an_update_link(client, officer, late_milestone):
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    overdue = html[html.index('<section id="overdue"') : html.index('<section id="soon"')]
    assert "Partnership agreement signed" in overdue
    assert "<td>Milestone</td>" in overdue
    assert f'<a href="{late_milestone.project.get_absolute_url()}">Project: Joint web platform</a>' in overdue
    assert f'href="{url("milestone_update", late_milestone)}">Update' in overdue


def test_milestone_is_in_the_reminder_digest(settings, officer, late_milestone, mailoutbox):
    settings.SITE_URL = SITE

    assert send_reminders() == 1

    body = mailoutbox[0].body
    assert "- Milestone: Partnership agreement signed" in body
    assert f"Update it: {SITE}{url('milestone_update', late_milestone)}" in body


def test_achieved_and_newly_overdue_milestones_are_in_changes_since_the_last_meeting(
    client, clerk, officer, project, late_milestone
):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", ref="ie")
    previous = Meeting.objects.create(committee=committee, date=days(-30))
    meeting = Meeting.objects.create(committee=committee, date=days(7))
    overdue = factories.make_milestone(project, name="Website content migrated", due_date=days(-3))
    Milestone.history.model.objects.update(history_date=timezone.now() - datetime.timedelta(days=60))
    record_milestone_progress(
        milestone=late_milestone,
        user=officer,
        expected_version=late_milestone.version,
        status=MilestoneStatus.ACHIEVED,
        achieved_on=days(-1),
    )

    changes = changes_between(*window_for(meeting, previous))

    assert [(c.kind, c.label, c.before) for c in changes.completed] == [
        ("Milestone", "Partnership agreement signed", "Amber")
    ]
    assert [(c.kind, c.label) for c in changes.newly_overdue] == [("Milestone", overdue.name)]
    client.force_login(clerk)
    html = client.get(reverse("committees:changes", args=[meeting.pk])).content.decode()
    assert "Completed (1)" in html
    assert "<td>Milestone</td>" in html
    assert url("milestone", overdue) in html


def test_my_work_leaves_out_milestones_of_projects_on_hold(officer, project, late_milestone):
    assert my_work(officer).total == 1
    project.on_hold = True
    project.save()
    assert my_work(officer).total == 0


@pytest.mark.parametrize("size", [1, 6])
def test_my_work_reminders_and_changes_run_constant_queries_with_milestones(
    client, settings, officer, officer_team, clerk, project, size, django_assert_num_queries
):
    settings.SITE_URL = SITE
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", ref="ie")
    Meeting.objects.create(committee=committee, date=days(-30))
    meeting = Meeting.objects.create(committee=committee, date=days(0))
    for i in range(size):
        other = factories.make_project(project.workstream)
        factories.make_milestone(other, owner=officer_team, due_date=days(-i - 1))
        factories.make_milestone(project, owner=officer_team, due_date=days(i + 1))
    client.force_login(officer)
    with django_assert_num_queries(9):  # one asks whether the login is a committee clerk
        response = client.get(reverse("home"))
    assert response.content.decode().count("<td>Milestone</td>") == 2 * size
    client.force_login(clerk)
    with django_assert_num_queries(13):
        response = client.get(reverse("committees:changes", args=[meeting.pk]))
    assert f"Newly overdue ({size})" in response.content.decode()
    with django_assert_num_queries(8):
        assert send_reminders() == 1


# --- Managers add, change and remove milestones -----------------------------------------


@pytest.mark.parametrize(
    "name", ["milestone_create", "milestone_edit", "milestone_update", "milestone_delete", "milestone"]
)
def test_anonymous_is_sent_to_log_in(client, project, milestone, name):
    target = project if name == "milestone_create" else milestone
    response = client.get(url(name, target))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_manager_adds_a_milestone(client, manager, project, officer_team):
    client.force_login(manager)
    response = client.post(url("milestone_create", project), milestone_data(owner=officer_team.pk))
    milestone = Milestone.objects.get(name="Platform live")
    assert response.status_code == 302
    assert response.url == f"{project.get_absolute_url()}#milestone-{milestone.ref}"
    assert (milestone.project, milestone.number, milestone.stage) == (project, "1.2", "Implementation")
    assert (milestone.due_date, milestone.due_wording) == (datetime.date(2011, 3, 31), "March 2011")
    assert (milestone.owner, milestone.key, milestone.history.first().history_user) == (officer_team, True, manager)
    html = client.get(response.url).content.decode()
    assert "Milestone “1.2 Platform live” added." in html
    assert "“March 2011”" in html


def test_bad_milestone_says_what_is_wrong_and_saves_nothing(client, manager, project):
    client.force_login(manager)
    response = client.post(
        url("milestone_create", project), milestone_data(name="", status=MilestoneStatus.ACHIEVED, rag=RAG.AMBER)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are problems with what you entered" in html
    assert "Give the date the milestone was achieved." in html
    assert not Milestone.objects.exists()


def test_manager_edits_a_milestone_and_sees_its_history(client, manager, milestone):
    client.force_login(manager)
    response = client.post(url("milestone_edit", milestone), milestone_data(milestone, name="Agreement signed"))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Agreement signed", 2)
    html = client.get(url("milestone_edit", milestone)).content.decode()
    assert "Change history" in html
    assert "Key milestone: Partnership agreement signed → Agreement signed" in html


def test_manager_removes_a_milestone_after_confirming(client, manager, milestone):
    client.force_login(manager)
    page = client.get(url("milestone_delete", milestone)).content.decode()
    assert "Remove milestone?" in page
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    response = client.post(url("milestone_delete", milestone), {"version": milestone.version})
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert Milestone.history.filter(id=milestone.pk, history_type="-").get().history_user == manager


def test_removing_a_milestone_someone_has_since_changed_is_refused(client, manager, officer, milestone):
    opened_at = milestone.version
    record_milestone_progress(
        milestone=milestone, user=officer, expected_version=opened_at, status=MilestoneStatus.IN_PROGRESS
    )
    client.force_login(manager)
    response = client.post(url("milestone_delete", milestone), {"version": opened_at})
    assert response.status_code == 200
    assert "Alice Officer saved this while you were editing it" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize("who", ["officer", "colleague", "outsider", "clerk", "other_manager"])
def test_only_the_programmes_managers_add_change_or_remove_milestones(request, client, project, milestone, who):
    """Alice answers for the milestone and Bob's team owns the project: both
    record progress, neither changes the milestone itself."""
    before = snapshot()
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("milestone_create", project), milestone_data()).status_code == 403
    assert client.post(url("milestone_edit", milestone), milestone_data(milestone, name="X")).status_code == 403
    assert client.get(url("milestone_delete", milestone)).status_code == 403
    assert client.post(url("milestone_delete", milestone), {"version": milestone.version}).status_code == 403
    assert snapshot() == before


# --- Progress: the responsible officer, the project's owner or a manager ---------------


def test_responsible_officer_records_the_milestone_achieved(client, officer, milestone):
    client.force_login(officer)
    page = client.get(url("milestone_update", milestone)).content.decode()
    assert "Not started · " in page  # its status now, in words
    response = client.post(
        url("milestone_update", milestone),
        progress_data(milestone, status=MilestoneStatus.ACHIEVED, achieved_on=days(-1).isoformat()),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.achieved_on, milestone.rag) == (
        MilestoneStatus.ACHIEVED,
        days(-1),
        RAG.COMPLETE,
    )
    assert milestone.history.first().history_user == officer
    html = client.get(response.url).content.decode()
    assert "Progress saved for milestone “1.1 Partnership agreement signed”." in html
    row = html[html.index(f'id="milestone-{milestone.ref}"') :]
    assert "Achieved" in row[: row.index("</tr>")]


def test_officer_records_a_revised_target(client, officer, milestone):
    client.force_login(officer)
    client.post(
        url("milestone_update", milestone),
        progress_data(milestone, status=MilestoneStatus.IN_PROGRESS, due_date="2010-12-31", due_wording="Dec 2010"),
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.due_date, milestone.due_wording) == (
        MilestoneStatus.IN_PROGRESS,
        datetime.date(2010, 12, 31),
        "Dec 2010",
    )


def test_the_projects_owner_records_progress_too(client, colleague, milestone):
    client.force_login(colleague)
    response = client.post(url("milestone_update", milestone), progress_data(milestone, rag=RAG.RED))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.rag == RAG.RED


@pytest.mark.parametrize("who", ["outsider", "clerk", "other_manager"])
def test_others_cannot_record_progress(request, client, milestone, who):
    before = snapshot()
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("milestone_update", milestone)).status_code == 403
    data = progress_data(milestone, status=MilestoneStatus.ACHIEVED, achieved_on=days(0).isoformat())
    assert client.post(url("milestone_update", milestone), data).status_code == 403
    assert snapshot() == before


def test_an_officer_of_another_team_cannot_record_progress(client, milestone, project):
    dana = factories.make_user("dana", roles.OFFICER)
    Owner.objects.create(name="Dana's Team").members.add(dana)
    client.force_login(dana)
    assert client.post(url("milestone_update", milestone), progress_data(milestone, rag=RAG.RED)).status_code == 403


def test_bad_progress_says_what_is_wrong_and_saves_nothing(client, officer, milestone):
    before = snapshot()
    client.force_login(officer)
    response = client.post(url("milestone_update", milestone), progress_data(milestone, status="achieved"))
    assert response.status_code == 200
    assert "Give the date the milestone was achieved." in response.content.decode()
    assert snapshot() == before


def test_progress_after_someone_elses_save_is_refused_with_what_they_changed(client, officer, manager, milestone):
    opened_at = milestone.version
    record_milestone_progress(
        milestone=Milestone.objects.get(pk=milestone.pk),
        user=manager,
        expected_version=opened_at,
        status=MilestoneStatus.IN_PROGRESS,
    )
    client.force_login(officer)
    response = client.post(url("milestone_update", milestone), progress_data(milestone, version=opened_at, rag=RAG.RED))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pat Manager saved this while you were editing it, so your changes have not been saved." in html
    assert "Status: Not started → In progress" in html
    milestone.refresh_from_db()
    assert (milestone.status, milestone.rag) == (MilestoneStatus.IN_PROGRESS, RAG.AMBER)


# --- The project page and the programme page --------------------------------------------


def test_project_page_lists_milestones_in_words_with_links_by_permission(client, officer, manager, milestone):
    client.force_login(officer)
    html = client.get(milestone.project.get_absolute_url()).content.decode()
    section = html[html.index('<section id="milestones"') :]
    section = section[: section.index("</section>")]
    for text in ["1.1", "Governance", "Partnership agreement signed", "“July 2010”", "Officer&#x27;s Team"]:
        assert text in section
    assert 'Not started · <span class="rag rag-amber">Amber</span>' in section
    assert url("milestone_update", milestone) in section
    assert url("milestone_edit", milestone) not in section
    assert "Add a milestone" not in section

    client.force_login(manager)
    section = client.get(milestone.project.get_absolute_url()).content.decode()
    assert url("milestone_edit", milestone) in section
    assert url("milestone_create", milestone.project) in section


def test_a_milestones_address_opens_its_row_on_the_project_page(client, officer, milestone):
    client.force_login(officer)
    response = client.get(milestone.get_absolute_url())
    assert response.status_code == 302
    assert response.url == f"/programmes/projects/joint-web/#milestone-{milestone.ref}"


def queries_for(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_project_page_runs_constant_queries_with_milestones_and_risks(
    client, officer, officer_team, project, django_assert_num_queries
):
    """The same number of queries for one milestone and risk as for six (the
    page's other sections are counted in tests/test_pages.py)."""
    factories.make_milestone(project, owner=factories.make_owner())
    factories.make_risk(project, owner=officer_team)
    client.force_login(officer)
    one_each = queries_for(client, project.get_absolute_url())
    for _ in range(5):
        factories.make_milestone(project, owner=factories.make_owner())
        factories.make_risk(project, owner=factories.make_owner())
    with django_assert_num_queries(one_each):
        response = client.get(project.get_absolute_url())
    assert response.content.count(b"data-milestone=") == 6
    assert response.content.count(b"data-risk=") == 6


def test_programme_page_rolls_up_milestones_due_and_overdue(client, officer, programme, project, workstream):
    factories.make_milestone(project, name="Soon", due_date=days(10))
    factories.make_milestone(project, name="Within the quarter", due_date=days(89))
    factories.make_milestone(project, name="Too far off", due_date=days(120))
    factories.make_milestone(project, name="Late", due_date=days(-4))
    factories.make_milestone(project, name="Met", due_date=days(5), status="achieved", achieved_on=days(-1))
    paused = factories.make_project(workstream, on_hold=True)
    factories.make_milestone(paused, name="Paused", due_date=days(5))
    other_programme = factories.make_programme()
    shared = factories.make_project(factories.make_workstream(other_programme), name="Regulatory services")
    shared.shared_with.add(workstream)
    factories.make_milestone(shared, name="Shared", due_date=days(30))
    factories.make_milestone(factories.make_project(factories.make_workstream(other_programme)), due_date=days(3))

    client.force_login(officer)
    html = client.get(programme.get_absolute_url()).content.decode()
    section = html[html.index('<section id="delivery"') :]
    due = section[section.index('data-testid="milestones-due"') : section.index('id="milestones-overdue-heading"')]
    overdue = section[section.index('id="milestones-overdue-heading"') : section.index("risk-grades-heading")]
    assert 'Milestones due in the next 90 days: <span data-testid="milestones-due-count">3</span>' in section
    assert ["Soon" in due, "Within the quarter" in due, "Shared" in due] == [True, True, True]
    assert "Too far off" not in section
    assert "Met" not in section
    assert "Paused" not in section
    assert 'Overdue milestones: <span data-testid="milestones-overdue-count">1</span>' in section
    assert "Late" in overdue
    assert '<span class="overdue-flag">Overdue</span>' in overdue


def test_programme_page_rollup_runs_constant_queries(client, officer, programme, workstream, django_assert_num_queries):
    """Two queries for the rollup (milestones due or overdue, risk grades),
    whatever the number of projects, milestones and risks."""

    def add_projects(count, start):
        for i in range(start, start + count):
            project = factories.make_project(workstream)
            factories.make_milestone(project, due_date=days(i + 1), owner=factories.make_owner())
            factories.make_milestone(project, due_date=days(-i - 1))
            factories.make_risk(project)

    client.force_login(officer)
    add_projects(1, 0)
    one = queries_for(client, programme.get_absolute_url())
    add_projects(5, 1)
    with django_assert_num_queries(one):
        response = client.get(programme.get_absolute_url())
    html = response.content.decode()
    assert '<span data-testid="milestones-due-count">6</span>' in html
    assert '<span data-testid="milestones-overdue-count">6</span>' in html


def test_staff_officer_cannot_change_a_milestone_in_the_admin(client, officer, milestone):
    """Officers' role grants change_milestone for recording progress; the
    admin must not turn that into changing the milestone itself."""
    from tests.test_admin import form_data

    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    address = reverse("admin:programmes_milestone_change", args=[milestone.pk])
    data = form_data(client.get(address))
    data["name"] = "Renamed by the officer"
    assert client.post(address, data).status_code == 403
    milestone.refresh_from_db()
    assert milestone.name == "Partnership agreement signed"
