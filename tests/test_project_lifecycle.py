"""Projects have a life: a stage, on hold, closed with a date and a note.

Closed and on-hold projects drop out of new highlight reports, My work and
reminders, but stay readable, searchable and in earlier published reports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import RAG
from programmes.models import Project, ProjectStage, ProjectStatus
from programmes.services import (
    change_project_status,
    draft_highlight_report,
    publish_highlight_report,
    remove_report_row,
)
from tests import factories
from workspace.reminders import send_reminders
from workspace.work import my_work

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
CLOSED_ON = datetime.date(2010, 5, 28)
NOTE = "Outcome: the new telephony is live. Lessons: involve the contact centre earlier."


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Self-service and ICT")


def close(project, user):
    return change_project_status(
        project=project,
        user=user,
        expected_version=project.version,
        status=ProjectStatus.CLOSED,
        closed_on=CLOSED_ON,
        closure_note=NOTE,
    )


def hold(project, user):
    return change_project_status(
        project=project, user=user, expected_version=project.version, status=ProjectStatus.ON_HOLD
    )


# The model's rules


def test_existing_and_new_projects_start_active_in_implementation(workstream):
    project = factories.make_project(workstream)
    assert project.stage == ProjectStage.IMPLEMENTATION
    assert project.status == ProjectStatus.ACTIVE
    assert list(Project.objects.active()) == [project]


def test_closed_project_needs_a_closing_date_and_a_closure_note(workstream):
    project = factories.make_project(workstream)
    project.stage = ProjectStage.CLOSED
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert set(error.value.message_dict) >= {"closed_on", "closure_note"}


def test_only_a_closed_project_has_a_closing_date(workstream):
    project = factories.make_project(workstream)
    project.closed_on = CLOSED_ON
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "closed_on" in error.value.message_dict


def test_database_refuses_a_closed_project_without_a_note(workstream):
    project = factories.make_project(workstream)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(stage=ProjectStage.CLOSED, closed_on=CLOSED_ON)


def test_database_refuses_a_project_both_closed_and_on_hold(workstream):
    project = factories.make_project(workstream)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            stage=ProjectStage.CLOSED, closed_on=CLOSED_ON, closure_note=NOTE, on_hold=True
        )


# The service


def test_manager_closes_a_project_with_date_and_note_and_history_records_it(manager, workstream):
    project = factories.make_project(workstream)
    close(project, manager)
    project.refresh_from_db()
    assert (project.stage, project.closed_on, project.closure_note) == (ProjectStage.CLOSED, CLOSED_ON, NOTE)
    assert project.history.first().history_user == manager


def test_closing_without_a_note_is_refused(manager, workstream):
    project = factories.make_project(workstream)
    with pytest.raises(ValidationError) as error:
        change_project_status(
            project=project,
            user=manager,
            expected_version=project.version,
            status=ProjectStatus.CLOSED,
            closed_on=CLOSED_ON,
        )
    assert "closure_note" in error.value.message_dict
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENTATION


def test_reopening_clears_the_closure_and_returns_to_implementation(manager, workstream):
    project = close(factories.make_project(workstream), manager)
    change_project_status(project=project, user=manager, expected_version=project.version, status="active")
    project.refresh_from_db()
    assert (project.stage, project.closed_on, project.closure_note) == (ProjectStage.IMPLEMENTATION, None, "")
    assert project.history.filter(stage=ProjectStage.CLOSED, closure_note=NOTE).exists()


def test_hold_keeps_the_stage_and_resume_lifts_it(manager, workstream):
    project = factories.make_project(workstream, stage=ProjectStage.SCOPING)
    hold(project, manager)
    project.refresh_from_db()
    assert (project.stage, project.status) == (ProjectStage.SCOPING, ProjectStatus.ON_HOLD)
    change_project_status(project=project, user=manager, expected_version=project.version, status="active")
    project.refresh_from_db()
    assert (project.stage, project.status) == (ProjectStage.SCOPING, ProjectStatus.ACTIVE)


def test_only_the_programmes_managers_may_close_a_project(officer, workstream):
    project = factories.make_project(workstream)
    with pytest.raises(PermissionDenied):
        close(project, officer)
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENTATION


# The page


def status_url(project):
    return reverse("programmes:project_status", args=[project.ref])


def close_data(project, **extra):
    return {
        "version": project.version,
        "status": "closed",
        "stage": "implementation",
        "closed_on": "2010-05-28",
        "closure_note": NOTE,
        **extra,
    }


def test_anonymous_user_is_sent_to_login_from_the_status_page(client, workstream):
    project = factories.make_project(workstream)
    response = client.get(status_url(project))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_officer_cannot_close_a_project(client, officer, workstream):
    project = factories.make_project(workstream)
    client.force_login(officer)
    assert client.get(status_url(project)).status_code == 403
    assert client.post(status_url(project), close_data(project)).status_code == 403
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENTATION


def test_manager_closes_a_project_from_its_page_and_sees_the_closure(client, manager, workstream):
    project = factories.make_project(workstream, rag=RAG.AMBER)
    client.force_login(manager)
    page = client.get(project.get_absolute_url())
    assert status_url(project).encode() in page.content

    response = client.post(status_url(project), close_data(project), follow=True)

    project.refresh_from_db()
    assert project.stage == ProjectStage.CLOSED
    assert project.closure_note == NOTE
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert b'data-testid="status">Closed<' in response.content
    assert NOTE.encode() in response.content
    assert b'<span class="rag rag-amber">Amber</span>' in response.content  # RAG still a word


def test_closing_from_the_page_without_a_note_shows_the_error(client, manager, workstream):
    project = factories.make_project(workstream)
    client.force_login(manager)
    response = client.post(status_url(project), close_data(project, closure_note=""))
    assert response.status_code == 200
    assert "Say what the project achieved" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENTATION


def test_manager_puts_a_project_on_hold_from_its_page(client, manager, workstream):
    project = factories.make_project(workstream)
    client.force_login(manager)
    client.post(status_url(project), close_data(project, status="on_hold", stage="scoping"))
    project.refresh_from_db()
    assert (project.stage, project.on_hold, project.closed_on) == (ProjectStage.SCOPING, True, None)


@pytest.mark.parametrize("updates", [1, 10])
def test_status_page_runs_constant_queries(client, manager, workstream, updates, django_assert_num_queries):
    project = factories.make_project(workstream)
    for _ in range(updates):
        factories.make_project_update(project)
    client.force_login(manager)
    with django_assert_num_queries(9):
        response = client.get(status_url(project))
    assert response.status_code == 200


# Out of new work, still readable


def test_closed_and_on_hold_projects_leave_my_work(officer, manager, workstream):
    person = factories.make_owner("Alice Officer", kind="person", user=officer)
    running = factories.make_project(workstream, name="Running", owner=person, due_date=days(5))
    closed = close(factories.make_project(workstream, name="Closed", owner=person, due_date=days(-5)), manager)
    held = hold(factories.make_project(workstream, name="Held", owner=person, due_date=days(-5)), manager)

    items = [row.item for group in my_work(officer).groups for row in group.items]

    assert running in items
    assert closed not in items
    assert held not in items


def test_closed_and_on_hold_projects_get_no_reminders(officer, officer_team, manager, workstream, mailoutbox):
    today = datetime.date(2010, 6, 15)
    factories.make_project(workstream, name="Running late", owner=officer_team, due_date=today - datetime.timedelta(3))
    close(factories.make_project(workstream, name="Finished", owner=officer_team, due_date=today), manager)
    hold(factories.make_project(workstream, name="Paused", owner=officer_team, due_date=today), manager)

    send_reminders(today=today)

    body = mailoutbox[0].body
    assert "Running late" in body
    assert "Finished" not in body
    assert "Paused" not in body


def test_new_report_leaves_out_closed_and_on_hold_but_earlier_report_keeps_them(manager, workstream):
    running = factories.make_project(workstream, name="Running", position=1)
    finished = factories.make_project(workstream, name="Finished", position=2)
    paused = factories.make_project(workstream, name="Paused", position=3)
    earlier = publish_highlight_report(
        report=draft_highlight_report(programme=workstream.programme, period_start=START, period_end=END, user=manager),
        user=manager,
    )
    close(finished, manager)
    hold(paused, manager)

    later = draft_highlight_report(
        programme=workstream.programme,
        period_start=END + datetime.timedelta(1),
        period_end=END + datetime.timedelta(30),
        user=manager,
    )

    assert [row.project for row in later.rows.all()] == [running]
    assert [row.project for row in earlier.rows.all()] == [running, finished, paused]


def test_all_projects_lists_closed_ones_with_their_status_and_filters_by_it(client, officer, manager, workstream):
    factories.make_project(workstream, name="Running project")
    close(factories.make_project(workstream, name="Finished project"), manager)
    client.force_login(officer)
    url = reverse("programmes:projects")

    everything = client.get(url).content.decode()
    assert "Running project" in everything
    assert "Finished project" in everything
    assert '<td data-testid="stage">Closed</td>' in everything

    closed = client.get(url, {"status": "closed"}).content.decode()
    assert "Finished project" in closed
    assert "Running project" not in closed

    active = client.get(url, {"status": "active", "q": "project"}).content.decode()
    assert "Running project" in active
    assert "Finished project" not in active


def test_project_list_filters_by_stage(client, officer, workstream):
    factories.make_project(workstream, name="Early idea", stage=ProjectStage.PROPOSED)
    factories.make_project(workstream, name="Under way")
    client.force_login(officer)
    html = client.get(reverse("programmes:projects"), {"stage": "proposed"}).content.decode()
    assert "Early idea" in html
    assert "Under way" not in html


def test_closed_project_page_stays_readable_to_any_login(client, colleague, manager, workstream):
    project = close(factories.make_project(workstream), manager)
    client.force_login(colleague)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert NOTE in response.content.decode()


# Leaving a row out of a draft report


@pytest.fixture
def draft_report(manager, workstream):
    factories.make_project(workstream, name="Website upgrade", rag=RAG.RED, position=1)
    factories.make_project(workstream, name="Voice Recognition", rag=RAG.GREEN, position=2)
    return draft_highlight_report(programme=workstream.programme, period_start=START, period_end=END, user=manager)


def remove_url(report, row):
    return reverse("programmes:report_row_remove", args=[report.pk, row.pk])


def red_row(report):
    return report.rows.get(project_name="Website upgrade")


def test_anonymous_user_is_sent_to_login_from_removing_a_row(client, draft_report):
    response = client.post(remove_url(draft_report, red_row(draft_report)))
    assert response.status_code == 302
    assert reverse("login") in response.url
    assert draft_report.rows.count() == 2


def test_officer_cannot_remove_a_row(client, officer, draft_report):
    client.force_login(officer)
    assert client.post(remove_url(draft_report, red_row(draft_report))).status_code == 403
    assert draft_report.rows.count() == 2


def test_manager_leaves_a_row_out_and_the_suggested_rag_follows_the_rows_left(client, manager, draft_report):
    assert draft_report.overall_rag == RAG.RED
    client.force_login(manager)
    edit = client.get(reverse("programmes:report_edit", args=[draft_report.pk])).content.decode()
    assert remove_url(draft_report, red_row(draft_report)) in edit

    response = client.post(remove_url(draft_report, red_row(draft_report)), follow=True)

    draft_report.refresh_from_db()
    assert [row.project_name for row in draft_report.rows.all()] == ["Voice Recognition"]
    assert draft_report.overall_rag == RAG.GREEN
    assert "left out of this report" in response.content.decode()
    assert Project.objects.filter(name="Website upgrade").exists()


def test_an_overridden_overall_rag_stays_when_a_row_is_left_out(manager, draft_report):

    draft_report.overall_rag = RAG.AMBER
    draft_report.overall_rag_reason = "Recovery plan agreed for the website."
    draft_report.save()
    remove_report_row(row=red_row(draft_report), user=manager)
    draft_report.refresh_from_db()
    assert draft_report.overall_rag == RAG.AMBER


def test_a_published_reports_rows_cannot_be_removed(client, manager, draft_report):
    publish_highlight_report(report=draft_report, user=manager)
    client.force_login(manager)
    client.post(remove_url(draft_report, red_row(draft_report)))
    assert draft_report.rows.count() == 2


def test_programme_page_marks_closed_and_on_hold_projects(client, officer, manager, workstream):
    factories.make_project(workstream, name="Running project")
    close(factories.make_project(workstream, name="Finished project"), manager)
    hold(factories.make_project(workstream, name="Paused project"), manager)
    client.force_login(officer)
    html = client.get(workstream.programme.get_absolute_url()).content.decode()
    assert html.count('data-testid="status"') == 2
    assert '<span class="badge text-bg-light border" data-testid="status">Closed</span>' in html
    assert '<span class="badge text-bg-light border" data-testid="status">On hold</span>' in html
