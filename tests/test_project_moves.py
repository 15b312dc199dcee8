"""Projects moved between workstreams and programmes, and shared by two
programmes (issue 10, point 1): one record throughout, its updates, history
and earlier reports still pointing at it, the move in its audit history."""

import datetime

import pytest
from django.urls import reverse

from core import roles
from core.models import RAG
from programmes.models import HighlightReportRow, Project
from programmes.services import draft_highlight_report, publish_highlight_report
from tests import factories

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
# The programme page's fixed count (its roll-ups included), shared projects or not.
PROGRAMME_PAGE_QUERIES = 23  # with the data stamp and the page's heading (page cache)
REASON = "Taken over by the Shared Services programme"


@pytest.fixture
def oip(programme):
    return factories.make_workstream(programme, name="Customer access", position=1)


@pytest.fixture
def shared_services(manager):
    """A second programme Pat also manages."""
    other = factories.make_programme(name="Shared Services Programme", ref="shared-services")
    other.managers.add(manager)
    return factories.make_workstream(other, name="Priority projects", position=1)


@pytest.fixture
def not_pats(db):
    other = factories.make_programme(name="Customer Access Programme", ref="cap")
    other.managers.add(factories.make_user("quentin", roles.PROGRAMME_MANAGER))
    return factories.make_workstream(other, name="Their workstream")


@pytest.fixture
def regulatory(oip):
    project = factories.make_project(oip, name="Regulatory services", rag=RAG.AMBER)
    factories.make_project_update(project, key_progress="Options appraisal done.")
    return project


def move(client, project, workstream, reason=REASON):
    return client.post(
        reverse("programmes:project_move", args=[project.ref]),
        {"version": project.version, "workstream": workstream.pk, "reason": reason},
    )


# --- Moving --------------------------------------------------------------------------


def test_manager_moves_a_project_to_another_programme_they_manage(client, manager, regulatory, shared_services):
    report = publish_highlight_report(
        report=draft_highlight_report(
            programme=regulatory.workstream.programme, period_start=START, period_end=END, user=manager
        ),
        user=manager,
    )
    client.force_login(manager)
    response = move(client, regulatory, shared_services)
    assert response.status_code == 302
    regulatory.refresh_from_db()
    assert regulatory.workstream == shared_services
    # The same record: its updates, and the row of the report published before the move.
    assert regulatory.updates.get().key_progress == "Options appraisal done."
    assert HighlightReportRow.objects.get(report=report).project == regulatory
    record = regulatory.history.first()
    assert record.history_change_reason == (
        "Moved from Customer access (Organisational Improvement Programme) to Priority projects "
        f"(Shared Services Programme): {REASON}"
    )
    assert record.history_user == manager
    page = client.get(regulatory.get_absolute_url()).content.decode()
    assert "Moved from Customer access (Organisational Improvement Programme) to Priority projects" in page
    assert "Options appraisal done." in page


def test_the_earlier_report_keeps_what_it_printed(client, manager, officer, regulatory, shared_services):
    report = publish_highlight_report(
        report=draft_highlight_report(
            programme=regulatory.workstream.programme, period_start=START, period_end=END, user=manager
        ),
        user=manager,
    )
    client.force_login(manager)
    move(client, regulatory, shared_services)
    client.force_login(officer)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Work stream: Customer access" in page
    assert "Regulatory services" in page


def test_a_move_needs_a_reason(client, manager, regulatory, shared_services):
    client.force_login(manager)
    response = move(client, regulatory, shared_services, reason="")
    assert "Say why the project is moving" in response.content.decode()
    regulatory.refresh_from_db()
    assert regulatory.workstream.name == "Customer access"


def test_manager_cannot_move_a_project_into_a_programme_they_do_not_manage(client, manager, regulatory, not_pats):
    client.force_login(manager)
    response = move(client, regulatory, not_pats)
    assert response.status_code == 200
    assert Project.SCOPE_WORKSTREAM in response.content.decode()
    regulatory.refresh_from_db()
    assert (regulatory.workstream.name, regulatory.version) == ("Customer access", 1)


def test_move_page_offers_only_the_managers_workstreams(client, manager, regulatory, shared_services, not_pats):
    client.force_login(manager)
    page = client.get(reverse("programmes:project_move", args=[regulatory.ref])).content.decode()
    assert "Shared Services Programme: Priority projects" in page
    assert "Their workstream" not in page


@pytest.mark.parametrize("who", ["officer", "clerk"])
def test_only_the_programmes_managers_move_a_project(client, request, who, regulatory, shared_services):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("programmes:project_move", args=[regulatory.ref])).status_code == 403
    assert move(client, regulatory, shared_services).status_code == 403
    regulatory.refresh_from_db()
    assert regulatory.workstream.name == "Customer access"


def test_anonymous_users_are_sent_to_log_in_from_the_move_page(client, regulatory):
    response = client.get(reverse("programmes:project_move", args=[regulatory.ref]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_stale_move_is_refused_as_an_edit_conflict(client, manager, regulatory, shared_services):
    stale_version = regulatory.version
    regulatory.name = "Regulatory services (renamed)"
    regulatory.save()
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_move", args=[regulatory.ref]),
        {"version": stale_version, "workstream": shared_services.pk, "reason": REASON},
    )
    assert "saved this while you were editing it" in response.content.decode()
    regulatory.refresh_from_db()
    assert regulatory.workstream.name == "Customer access"


@pytest.mark.parametrize("history", [1, 8])
def test_move_page_runs_constant_queries(
    client, manager, regulatory, shared_services, history, django_assert_num_queries
):
    for _ in range(history):
        factories.make_project_update(regulatory)
        factories.make_workstream(shared_services.programme)
    client.force_login(manager)
    with django_assert_num_queries(10):
        response = client.get(reverse("programmes:project_move", args=[regulatory.ref]))
    assert response.status_code == 200


# --- Sharing ---------------------------------------------------------------------------


def edit_data(project, **overrides):
    data = {
        "workstream": project.workstream_id,
        "name": project.name,
        "ref": project.ref,
        "position": project.position,
        "version": project.version,
    }
    return {**data, **overrides}


def test_home_manager_shares_a_project_into_another_programme(client, manager, officer, regulatory, shared_services):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[regulatory.ref]),
        edit_data(regulatory, shared_with=[shared_services.pk]),
    )
    assert response.status_code == 302
    assert list(regulatory.shared_with.all()) == [shared_services]
    assert Project.objects.filter(name="Regulatory services").count() == 1

    client.force_login(officer)
    page = client.get(shared_services.programme.get_absolute_url()).content.decode()
    assert "Regulatory services" in page
    assert "Shared: led by Organisational Improvement Programme" in page
    project_page = client.get(regulatory.get_absolute_url()).content.decode()
    assert "Shared Services Programme: Priority projects" in project_page


def test_a_shared_project_is_drafted_into_both_programmes_reports(manager, regulatory, shared_services):
    regulatory.shared_with.add(shared_services)
    home = draft_highlight_report(
        programme=regulatory.workstream.programme, period_start=START, period_end=END, user=manager
    )
    other = draft_highlight_report(
        programme=shared_services.programme, period_start=START, period_end=END, user=manager
    )
    home_row, other_row = home.rows.get(), other.rows.get()
    assert home_row.project == other_row.project == regulatory
    assert (home_row.workstream_name, other_row.workstream_name) == ("Customer access", "Priority projects")
    assert other_row.key_progress == "Options appraisal done."


def test_manager_cannot_share_into_a_programme_they_do_not_manage(client, manager, regulatory, not_pats):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[regulatory.ref]), edit_data(regulatory, shared_with=[not_pats.pk])
    )
    assert response.status_code == 200
    assert Project.SCOPE_SHARED in response.content.decode()
    assert not regulatory.shared_with.exists()


def test_sharing_kept_by_another_programme_survives_an_edit(client, manager, regulatory, not_pats):
    """A workstream it is already shared into stays, even one Pat does not manage."""
    regulatory.shared_with.add(not_pats)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[regulatory.ref]),
        edit_data(regulatory, name="Regulatory services (shared)", shared_with=[not_pats.pk]),
    )
    assert response.status_code == 302
    assert list(regulatory.shared_with.all()) == [not_pats]


def test_a_project_is_not_shared_with_its_own_programme(client, manager, regulatory, programme):
    own = factories.make_workstream(programme, name="Another of ours")
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[regulatory.ref]), edit_data(regulatory, shared_with=[own.pk])
    )
    assert response.status_code == 200
    assert not regulatory.shared_with.exists()


def test_moving_into_a_workstream_it_was_shared_into_ends_that_sharing(client, manager, regulatory, shared_services):
    regulatory.shared_with.add(shared_services)
    client.force_login(manager)
    move(client, regulatory, shared_services)
    regulatory.refresh_from_db()
    assert regulatory.workstream == shared_services
    assert not regulatory.shared_with.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_programme_page_with_shared_projects_runs_constant_queries(
    client, officer, manager, oip, shared_services, size, django_assert_num_queries
):
    for i in range(size):
        factories.make_project(oip, name=f"Shared {i}").shared_with.add(shared_services)
    client.force_login(officer)
    with django_assert_num_queries(PROGRAMME_PAGE_QUERIES):
        response = client.get(shared_services.programme.get_absolute_url())
    assert response.content.decode().count('data-shared="true"') == size
