"""Free-text search forgives case, accents and punctuation (core/search.py),
on SQLite and on PostgreSQL, where full-text search also matches stems."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from actions.models import ActionItem
from core.search import fold, search_words, text_search
from programmes.models import Project
from tests import factories

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
ACTION_FIELDS = ["title", "description", "updates__note"]


def found(value, fields=ACTION_FIELDS):
    return set(text_search(ActionItem.objects.all(), fields, value).values_list("title", flat=True))


@pytest.fixture
def actions(db):
    surgeries = factories.make_action(title="Councillors' surgeries in every ward")
    factories.make_action(title="Café at the Central Library", description="Run by a social enterprise.")
    factories.make_action(title="Review shared services with Bexley")
    factories.make_action(title="Co-ordinate the e-forms roll-out")
    factories.make_action_update(surgeries, note="Ward members agreed the timetable.")
    factories.make_action_update(surgeries, note="Timetable published on the website.")
    return surgeries


def test_fold_drops_case_accents_and_punctuation():
    assert fold("Councillors\u2019 Surgeries – CAFÉ, shared-services!") == "councillorssurgeriescafesharedservices"
    assert fold(None) is None


def test_search_words_keep_apostrophes_inside_words_only():
    assert search_words("  councillor's 'surgeries', SHARED-SERVICES ") == [
        "councillor's",
        "surgeries",
        "SHARED",
        "SERVICES",
    ]
    assert search_words("' - ,") == []


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("councillors surgeries", "Councillors' surgeries in every ward"),
        ("COUNCILLORS' SURGERIES", "Councillors' surgeries in every ward"),
        ("surger", "Councillors' surgeries in every ward"),
        ("cafe", "Café at the Central Library"),
        ("CAFÉ library", "Café at the Central Library"),
        ("SHARED-SERVICES", "Review shared services with Bexley"),
        ("sharedservices bexley", "Review shared services with Bexley"),
        ("coordinate eforms", "Co-ordinate the e-forms roll-out"),
        ("social enterprise", "Café at the Central Library"),
    ],
)
def test_search_forgives_case_accents_and_punctuation(actions, typed, title):
    assert found(typed) == {title}


def test_search_needs_every_word_but_not_in_the_same_field(actions):
    assert found("surgeries timetable") == {"Councillors' surgeries in every ward"}
    assert found("surgeries bexley") == set()


def test_search_through_related_text_lists_each_row_once(actions):
    matches = text_search(ActionItem.objects.all(), ACTION_FIELDS, "timetable")
    assert list(matches.values_list("title", flat=True)) == ["Councillors' surgeries in every ward"]


def test_a_search_of_only_punctuation_filters_nothing(actions):
    assert text_search(ActionItem.objects.all(), ACTION_FIELDS, " '-, ").count() == ActionItem.objects.count()


@pytest.mark.parametrize(
    ("typed", "count"),
    [("the", 3), ("O'Brien", 0), ("Łódź", 0), ("2010/11", 0), ("zz_top", 0), ("straße", 0), ("':* | & ! ( )", 4)],
)
def test_odd_searches_find_what_they_should_and_never_fail(actions, typed, count):
    # Stop words, apostrophes, non-Latin letters and tsquery operators are
    # all just text to search for (or, alone, nothing to search for).
    assert len(found(typed)) == count


def test_search_keeps_the_callers_filters(actions):
    others = ActionItem.objects.exclude(pk=actions.pk)
    assert not text_search(others, ACTION_FIELDS, "surgeries").exists()


def test_the_database_does_the_matching(actions):
    """PostgreSQL adds full-text search, which also finds other forms of a
    word; SQLite folds with a function registered on each connection, which
    must fold exactly as Python does."""
    if ON_POSTGRESQL:
        assert found("councillor surgery") == {"Councillors' surgeries in every ward"}
        assert found("publishing") == {"Councillors' surgeries in every ward"}
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT oip_fold(%s)", ["Councillors\u2019 Café – SHARED-SERVICES"])
            assert cursor.fetchone()[0] == fold("Councillors\u2019 Café – SHARED-SERVICES")
        assert found("councillor surgery") == set()  # no stemming without full-text search


# --- The list pages ----------------------------------------------------------------


def test_all_actions_search_finds_without_the_apostrophe(client, officer, actions):
    client.force_login(officer)
    response = client.get(reverse("actions:list"), {"q": "councillors surgeries"})
    html = response.content.decode()
    assert "Councillors&#x27; surgeries in every ward" in html
    assert "1 action found." in html
    assert "Café at the Central Library" not in html


def test_all_actions_search_with_no_match_says_so(client, officer, actions):
    client.force_login(officer)
    response = client.get(reverse("actions:list"), {"q": "cafés surgeries"})
    assert "No actions match these filters." in response.content.decode()


def test_all_projects_search_ignores_accents_and_case(client, officer):
    workstream = factories.make_workstream()
    project = factories.make_project(workstream, name="Community Café pilot")
    factories.make_project(workstream, name="Voice Recognition")
    factories.make_project_update(project, risks_issues="Lease with the SHARED-SERVICES team unsigned.")
    client.force_login(officer)
    for typed in ("cafe", "COMMUNITY CAFE", "shared services lease"):
        html = client.get(reverse("programmes:projects"), {"q": typed}).content.decode()
        assert "Community Café pilot" in html, typed
        assert "Voice Recognition" not in html, typed
    assert set(text_search(Project.objects.all(), ["name"], "recognition").values_list("name", flat=True)) == {
        "Voice Recognition"
    }


@pytest.mark.parametrize("rows", [3, 30])
def test_action_search_runs_constant_queries(client, officer, rows, django_assert_num_queries):
    for i in range(rows):
        action = factories.make_action(title=f"Councillors' surgery {i}")
        factories.make_action_update(action, note="Café booked.")
    client.force_login(officer)
    with django_assert_num_queries(14):  # with the data stamp (page cache)
        response = client.get(reverse("actions:list"), {"q": "councillors cafe"})
    assert response.content.count(b'data-action="') == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_project_search_runs_constant_queries(client, officer, rows, django_assert_num_queries):
    workstream = factories.make_workstream()
    for i in range(rows):
        project = factories.make_project(workstream, name=f"Café pilot {i}")
        factories.make_project_update(project, next_tasks="Agree the SHARED-SERVICES lease.")
    client.force_login(officer)
    with django_assert_num_queries(9):  # as without a search (tests/test_officer_workflow.py)
        response = client.get(reverse("programmes:projects"), {"q": "cafe shared services"})
    assert response.content.count(b'data-project="') == min(rows, 25)
