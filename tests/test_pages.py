"""The first pages: home, programme overview, project, review, recommendation
and action pages. Each shows RAG in words and runs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Status
from core.models import RAG
from tests import factories


def build_programme(programme, projects, owner):
    """`projects` projects spread over three workstreams, each with an update."""
    workstreams = [factories.make_workstream(programme, owner=owner, rag=RAG.AMBER) for _ in range(3)]
    for i in range(projects):
        project = factories.make_project(workstreams[i % 3], owner=owner, rag=[RAG.RED, RAG.AMBER, RAG.GREEN][i % 3])
        factories.make_project_update(project)
    return workstreams


def build_review(areas, recs_per_area, actions_per_rec, owner):
    review = factories.make_review(title="London Efficiency Challenge")
    plan_sections = []
    for a in range(areas):
        area = factories.make_area(review, number=a + 1)
        factories.make_finding(area)
        section = factories.make_section(area=area)
        plan_sections.append(section)
        for _ in range(recs_per_area):
            rec = factories.make_recommendation(area)
            for _ in range(actions_per_rec):
                action = factories.make_action([rec], owner=owner, section=section, due_wording="end of June 2010")
                factories.make_action_update(action)
        factories.make_action(owner=owner, section=section, title="Unlinked action")
    return review


@pytest.mark.parametrize("projects", [3, 30])
def test_programme_overview_runs_constant_queries(
    client, officer, programme, officer_team, projects, django_assert_num_queries
):
    build_programme(programme, projects, officer_team)
    client.force_login(officer)
    # The overview, then the milestones and risks rollup (2), savings against
    # target (7) and partners (2): each a fixed number of queries.
    with django_assert_num_queries(23):  # with the data stamp and the page's heading (page cache)
        response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'data-project="') == projects


def test_programme_overview_shows_projects_with_rag_words_owner_and_latest_update(
    client, officer, programme, officer_team
):
    workstream = factories.make_workstream(programme, name="Self-service and ICT")
    project = factories.make_project(workstream, name="Voice Recognition", rag=RAG.GREEN, owner=officer_team)
    factories.make_project_update(project, period_end=datetime.date(2010, 6, 6))
    client.force_login(officer)
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Workstream: Self-service and ICT" in html
    assert '<span class="rag rag-green">Green</span>' in html
    assert '<span class="rag rag-amber">Amber</span>' in html  # overall RAG
    assert "Officer&#x27;s Team" in html
    assert "6 Jun 2010" in html
    assert project.get_absolute_url() in html
    assert "RAG key:" in html


def test_project_page_shows_update_narrative(client, officer, programme):
    project = factories.make_project(factories.make_workstream(programme), name="Voice Recognition")
    factories.make_project_update(project, key_progress="VR Hard/Software installed", risks_issues="Grammar risk")
    client.force_login(officer)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert "VR Hard/Software installed" in response.content.decode()
    assert "Grammar risk" in response.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_review_page_runs_constant_queries(client, officer, officer_team, size, django_assert_num_queries):
    review = build_review(areas=size + 1, recs_per_area=size, actions_per_rec=size, owner=officer_team)
    client.force_login(officer)
    # Fewer than the progress table's: the page's rows need no updates.
    with django_assert_num_queries(16):  # with the data stamp and the page's heading (page cache)
        response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'data-action="') == (size + 1) * (size * size + 1)


def test_review_page_shows_recommendation_with_its_actions_and_overdue_marker(client, officer, officer_team):
    area = factories.make_area(title="Customer access", number=3)
    rec = factories.make_recommendation(area, text="A transactional website is required as a priority", number=3)
    section = factories.make_section(area=area)
    factories.make_action(
        [rec],
        title="IS to write up investment proposal of work on e-forms",
        owner=officer_team,
        section=section,
        due_date=datetime.date(2010, 4, 30),
        due_wording="by end of April",
        rag=RAG.AMBER,
    )
    client.force_login(officer)
    response = client.get(area.review.get_absolute_url())
    html = response.content.decode()
    assert "3. Customer access" in html
    assert "A transactional website is required as a priority" in html
    assert "IS to write up investment proposal of work on e-forms" in html
    assert "“by end of April”" in html
    assert "30 Apr 2010" in html
    assert '<span class="overdue-flag">Overdue</span>' in html
    assert '<span class="rag rag-amber">Amber</span>' in html


def test_completed_action_is_not_flagged_overdue(client, officer):
    rec = factories.make_recommendation()
    action = factories.make_action(
        [rec], status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=datetime.date(2010, 6, 1)
    )
    client.force_login(officer)
    response = client.get(action.get_absolute_url())
    assert 'overdue-flag">Overdue' not in response.content.decode().split("RAG key")[0]
    assert '<span class="rag rag-complete">Complete</span>' in response.content.decode()


def test_overdue_green_action_shows_the_conflict(client, officer):
    action = factories.make_action(rag=RAG.GREEN, due_date=datetime.date(2010, 6, 30))
    client.force_login(officer)
    response = client.get(action.get_absolute_url())
    assert "Overdue but rated Green" in response.content.decode()


@pytest.mark.parametrize("updates", [1, 10])
def test_action_page_runs_constant_queries(client, officer, updates, django_assert_num_queries):
    rec = factories.make_recommendation()
    action = factories.make_action([rec, factories.make_recommendation()])
    for _ in range(updates):
        factories.make_action_update(action)
    client.force_login(officer)
    with django_assert_num_queries(9):
        response = client.get(action.get_absolute_url())
    assert response.content.count(b'id="update-') == updates


@pytest.mark.parametrize("actions", [1, 10])
def test_recommendation_page_runs_constant_queries(client, officer, actions, django_assert_num_queries):
    rec = factories.make_recommendation()
    for _ in range(actions):
        factories.make_action([rec])
    client.force_login(officer)
    with django_assert_num_queries(9):
        response = client.get(rec.get_absolute_url())
    assert response.content.count(b'data-action="') == actions


@pytest.mark.parametrize("rows", [1, 10])
def test_home_and_lists_run_constant_queries(client, officer, rows, django_assert_num_queries):
    for _ in range(rows):
        factories.make_programme()
        factories.make_review()
    client.force_login(officer)
    # The home page's My work queries each tracked kind once (actions, projects, milestones),
    # and one asks whether the login is a committee clerk.
    with django_assert_num_queries(9):  # with the data stamp (page cache)
        response = client.get(reverse("home"))
    assert response.content.count(b"list-group-item") >= 2 * rows
    with django_assert_num_queries(5):  # two more to ask whether to offer "New programme"
        client.get(reverse("programmes:list"))
    with django_assert_num_queries(3):
        client.get(reverse("actions:reviews"))


@pytest.mark.parametrize("updates", [1, 10])
def test_project_page_runs_constant_queries(client, officer, programme, updates, django_assert_num_queries):
    project = factories.make_project(factories.make_workstream(programme))
    for _ in range(updates):
        factories.make_project_update(project)
        factories.make_action(project=project)
    client.force_login(officer)
    # Also its milestones, risks and sharing (3), funding (2), benefits and
    # their totals (3) and partners (1), each a fixed number of queries.
    with django_assert_num_queries(17):
        response = client.get(project.get_absolute_url())
    assert response.content.count(b'data-action="') == updates


def test_navigation_shows_who_is_logged_in(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert "Logged in as <strong>Alice Officer</strong>" in response.content.decode()


def test_unknown_programme_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("programmes:detail", args=["nope"])).status_code == 404
