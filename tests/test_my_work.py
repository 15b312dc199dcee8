"""My work: the home page lists what the logged-in officer answers for,
grouped by when it is due, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Status
from core.models import RAG
from tests import factories
from workspace.work import my_work


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def group_html(html, key):
    """The HTML of one group's section, so assertions say which group a row is in."""
    start = html.index(f'<section id="{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def alices_work(officer, officer_team, programme):
    area = factories.make_area(title="Customer access", number=3)
    rec = factories.make_recommendation(area, number=3, text="A transactional website is required as a priority")
    overdue = factories.make_action(
        [rec], title="Write up the e-forms proposal", owner=officer_team, due_date=days(-10), rag=RAG.RED
    )
    factories.make_action_update(overdue, update_date=datetime.date(2010, 6, 1))
    section = factories.make_section(title="Further research")
    person = factories.make_owner("Alice Officer", kind="person", user=officer)
    project = factories.make_project(
        factories.make_workstream(programme, name="Self-service and ICT"),
        name="Voice Recognition",
        owner=person,
        due_date=days(30),
        rag=RAG.AMBER,
    )
    return {
        "overdue": overdue,
        "soon": factories.make_action(title="Draft the channel strategy", owner=officer_team, due_date=days(5)),
        "later": factories.make_action(
            title="Benchmark the contact centre", owner=officer_team, section=section, due_date=days(60)
        ),
        "undated": factories.make_action(title="Agree a web manager", owner=officer_team, due_date=None),
        "mine": factories.make_action(title="Brief the portfolio holder", owner=person, due_date=days(2)),
        "project": project,
    }


def test_officer_sees_their_work_grouped_by_due_date(client, officer, alices_work):
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()

    overdue = group_html(html, "overdue")
    assert "Write up the e-forms proposal" in overdue
    assert '<span class="rag rag-red">Red</span>' in overdue
    assert "3.3 A transactional website is required as a priority" in overdue
    assert "1 Jun 2010" in overdue
    update_url = reverse("actions:update", args=[alices_work["overdue"].ref])
    button = f'href="{update_url}">Update<span class="visually-hidden"> Write up the e-forms proposal</span>'
    assert button in overdue

    soon = group_html(html, "soon")
    assert "Draft the channel strategy" in soon
    assert "Brief the portfolio holder" in soon  # owned by Alice by name, not through her team

    later = group_html(html, "later")
    assert "Benchmark the contact centre" in later
    assert "Further research" in later
    assert "Voice Recognition" in later
    assert "Workstream: Self-service and ICT" in later
    assert "Organisational Improvement Programme" in later
    assert ">Project<" in later

    assert "Agree a web manager" in group_html(html, "undated")


def test_counts_at_the_top_link_to_their_groups(client, officer, alices_work):
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    counts = html[: html.index('<section id="overdue"')]
    assert '<span class="work-count-number">1</span> Overdue' in counts
    assert '<span class="work-count-number">2</span> Due in the next 14 days' in counts
    assert '<span class="work-count-number">2</span> Later' in counts
    assert '<span class="work-count-number">1</span> No due date' in counts
    assert 'href="#overdue"' in counts
    assert 'href="#undated"' in counts


def test_officer_does_not_see_a_colleagues_action(client, officer, colleague, colleague_team, alices_work):
    factories.make_action(title="Bob's own action", owner=colleague_team, due_date=days(-3))
    client.force_login(officer)
    assert "Bob&#x27;s own action" not in client.get(reverse("home")).content.decode()


def test_completed_and_superseded_actions_are_not_listed(client, officer, officer_team):
    factories.make_action(
        title="Finished action",
        owner=officer_team,
        status=Status.COMPLETE,
        rag=RAG.COMPLETE,
        completed_on=datetime.date(2010, 6, 1),
    )
    factories.make_action(title="Overtaken action", owner=officer_team, status=Status.SUPERSEDED)
    factories.make_action(title="Still open", owner=officer_team)
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert "Still open" in html
    assert "Finished action" not in html
    assert "Overtaken action" not in html


def test_overdue_green_action_shows_the_conflict(client, officer, officer_team):
    factories.make_action(title="Rosy action", owner=officer_team, rag=RAG.GREEN, due_date=days(-1))
    client.force_login(officer)
    overdue = group_html(client.get(reverse("home")).content.decode(), "overdue")
    assert "Rosy action" in overdue
    assert "Overdue but rated Green" in overdue


def test_outsider_sees_the_empty_state(client, outsider, officer_team):
    factories.make_action(title="Team action", owner=officer_team)
    client.force_login(outsider)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="my-work-empty"' in html
    assert "You have no open actions or projects." in html
    assert "Team action" not in html
    assert reverse("programmes:list") in html
    assert reverse("actions:reviews") in html


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_main_content_has_every_group_heading_for_printing(client, officer, officer_team):
    factories.make_action(owner=officer_team, due_date=None)
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    for heading in ["Overdue (0)", "Due in the next 14 days (0)", "Later (0)", "No due date (1)"]:
        assert f'class="h4">{heading}</h2>' in main
    assert main.index("<h1") < main.index("<h2")


def test_my_work_groups_relative_to_the_given_day(officer, officer_team):
    action = factories.make_action(owner=officer_team, due_date=datetime.date(2010, 6, 30))
    assert my_work(officer, today=datetime.date(2010, 6, 20)).counts["soon"] == 1
    assert my_work(officer, today=datetime.date(2010, 7, 1)).groups[0].items[0].item == action


@pytest.mark.parametrize("size", [2, 20])
def test_my_work_runs_constant_queries(client, officer, officer_team, programme, size, django_assert_num_queries):
    workstream = factories.make_workstream(programme)
    meeting = factories.make_meeting()
    for i in range(size):
        rec = factories.make_recommendation()
        action = factories.make_action(
            [rec, factories.make_recommendation()], owner=officer_team, due_date=days(i * 7 - 20)
        )
        factories.make_action_update(action)
        factories.make_action(
            owner=officer_team, arising_from=meeting, minute_number=str(i), section=factories.make_section()
        )
        factories.make_action(owner=officer_team, arising_from=meeting, minute_number=str(i), due_date=None)
        project = factories.make_project(workstream, owner=officer_team, due_date=days(i))
        factories.make_project_update(project)
    client.force_login(officer)
    # session, user, whether a clerk, actions, their recommendations, projects, milestones,
    # programmes, reviews
    with django_assert_num_queries(10):  # with the data stamp (page cache)
        response = client.get(reverse("home"))
    assert response.content.count(b"<tr data-work=") == 4 * size


def test_matter_arising_links_to_its_meeting(client, officer, officer_team):
    meeting = factories.make_meeting()
    factories.make_action(owner=officer_team, arising_from=meeting, minute_number="42", minute_title="LEC feedback")
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert "Minute 42 LEC feedback" in html
