"""Every object can be opened at its address: a ref left blank is made from the
name, and a ref that a fixed page address uses (`new`, `projects` …) is
refused, so no object is ever hidden behind another page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from actions.models import ActionItem
from committees.models import Committee
from core.models import RAG
from core.seed import load_seed_data
from core.validators import reserved_refs
from programmes.models import Programme, Project
from tests import factories

WORDS = ["new", "projects", "reports", "edit"]
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def refused(word):
    return f"“{word}” is used by a page address; choose another ref."


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Self-service and ICT", ref="self-service")


def assert_opens(client, obj, name):
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    assert f"<title>{name} · OIP Tracker</title>" in response.content.decode()


# --- The reserved words come from the URLconf ----------------------------------------


def page_routes(patterns=None, prefix=""):
    """Every path() route in the URLconf, written out in full, e.g. programmes/<slug:ref>/edit/."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from page_routes(entry.url_patterns, route)
        else:
            yield route


def test_the_fixed_segments_beside_a_ref_are_reserved():
    # Why: a programme with the ref `new` would open the new-programme form.
    assert resolve(reverse("programmes:detail", args=["new"])).url_name == "create"
    assert {"new", "projects", "reports", "workstreams", "reviews", "recommendations", "meetings"} <= reserved_refs()
    assert "edit" not in reserved_refs()  # it only ever follows a ref: /programmes/<ref>/edit/


def test_every_word_not_reserved_reaches_every_page_named_by_a_ref():
    """Put each fixed segment of the URLconf that is not reserved where each
    ref goes: the address must still reach that page. A route added later
    that could shadow an object fails here unless it reserves its word."""
    routes = list(page_routes())
    words = {segment for route in routes for segment in route.split("/") if segment and "<" not in segment}
    words -= reserved_refs()
    ref_routes = [route for route in routes if any(m["name"].endswith("ref") for m in PARAMETER.finditer(route))]
    assert len(ref_routes) > 10
    assert "edit" in words
    for route in ref_routes:
        for word in words:
            path = "/" + PARAMETER.sub(
                lambda m, word=word: word if m["name"].endswith("ref") else "1" if m["converter"] == "int" else "x",
                route,
            )
            assert resolve(path).route == route, f"{path} does not reach {route}"


# --- Made from the name, in the browser ---------------------------------------------


@pytest.mark.parametrize("word", WORDS)
def test_programme_named_like_a_page_gets_a_ref_that_opens(client, manager, word):
    client.force_login(manager)
    data = {"name": word, "ref": "", "stage": "definition", "rag": RAG.NOT_RATED}
    response = client.post(reverse("programmes:create"), data)
    programme = Programme.objects.get(name=word)
    assert response.status_code == 302
    assert programme.ref == (f"{word}-2" if word in reserved_refs() else word)
    assert_opens(client, programme, word)


@pytest.mark.parametrize("word", WORDS)
def test_project_named_like_a_page_gets_a_ref_that_opens(client, manager, workstream, word):
    client.force_login(manager)
    data = {"workstream": workstream.pk, "name": word, "ref": "", "rag": RAG.AMBER, "position": 1}
    response = client.post(reverse("programmes:project_create", args=[workstream.ref]), data)
    assert response.status_code == 302
    assert_opens(client, Project.objects.get(name=word), word)


@pytest.mark.parametrize("word", WORDS)
def test_action_titled_like_a_page_opens(client, manager, workstream, word):
    client.force_login(manager)
    response = client.post(
        reverse("actions:create"), {"title": word, "workstream": workstream.pk, "rag": RAG.NOT_RATED}
    )
    assert response.status_code == 302
    assert_opens(client, ActionItem.objects.get(title=word), word)


def test_programme_form_says_the_ref_may_be_left_blank(client, manager):
    client.force_login(manager)
    response = client.get(reverse("programmes:create"))
    assert "Leave blank to have one made for it." in response.content.decode()


# --- Typed refs -----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["new", "projects", "reports"])
def test_programme_ref_used_by_a_page_is_refused_with_a_message(client, manager, word):
    client.force_login(manager)
    data = {"name": "Customer Access Programme", "ref": word, "stage": "definition", "rag": RAG.NOT_RATED}
    response = client.post(reverse("programmes:create"), data)
    assert response.status_code == 200
    assert refused(word) in response.content.decode()
    assert not Programme.objects.filter(name="Customer Access Programme").exists()


def test_project_ref_used_by_a_page_is_refused_when_edited(client, manager, workstream):
    project = factories.make_project(workstream, name="Voice Recognition", ref="voice")
    client.force_login(manager)
    data = {"workstream": workstream.pk, "name": project.name, "ref": "new", "position": 1, "version": project.version}
    response = client.post(reverse("programmes:project_edit", args=[project.ref]), data)
    assert refused("new") in response.content.decode()
    project.refresh_from_db()
    assert project.ref == "voice"


def test_ref_edit_is_allowed_and_opens(client, manager, workstream):
    client.force_login(manager)
    data = {"name": "Edit", "ref": "edit", "stage": "definition", "rag": RAG.NOT_RATED}
    client.post(reverse("programmes:create"), data)
    programme = Programme.objects.get(ref="edit")
    assert_opens(client, programme, "Edit")
    project = factories.make_project(workstream, name="Edit project", ref="edit")
    assert_opens(client, project, "Edit project")
    action = factories.make_action(title="Edit action", ref="edit", workstream=workstream)
    assert_opens(client, action, "Edit action")


# --- In the model, for the admin, imports and the seed loader -------------------------


@pytest.mark.parametrize("word", WORDS)
def test_objects_created_in_code_get_refs_that_open(client, manager, workstream, word):
    programme = Programme.objects.create(name=word)
    project = Project.objects.create(workstream=workstream, name=word)
    action = ActionItem(title=word, ref="", workstream=workstream)
    action.full_clean()
    action.save()
    client.force_login(manager)
    for obj in (programme, project, action):
        assert obj.ref not in reserved_refs()
        assert_opens(client, obj, word)


@pytest.mark.parametrize("word", ["new", "projects", "reports"])
def test_model_validation_refuses_a_ref_used_by_a_page(workstream, word):
    for obj in (
        Programme(name="A programme", ref=word),
        Project(workstream=workstream, name="A project", ref=word),
        ActionItem(title="An action", ref=word),
        Committee(name="A committee", ref=word),
    ):
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        assert error.value.message_dict["ref"] == [refused(word)]


def test_made_refs_skip_those_taken(db):
    first, second = Programme.objects.create(name="Office Moves"), Programme.objects.create(name="Office Moves 2")
    third = Programme.objects.create(name="Office  moves!")
    assert (first.ref, second.ref, third.ref) == ("office-moves", "office-moves-2", "office-moves-3")


def test_a_cleared_ref_is_made_again_from_the_name(db):
    programme = factories.make_programme(name="Customer Access", ref="cap")
    programme.ref = ""
    programme.full_clean()
    assert programme.ref == "customer-access"


def test_a_long_name_makes_a_ref_that_fits(db):
    name = "A very long programme name " * 6
    first, second = Programme.objects.create(name=name), Programme.objects.create(name=name + "again")
    assert len(first.ref) <= 50
    assert second.ref == f"{first.ref}-2"


def test_recommendation_ref_is_made_from_its_area_and_number(db):
    area = factories.make_area(ref="customer-access")
    recommendation = factories.make_recommendation(area, number=3, ref="")
    assert recommendation.ref == "customer-access-rec-3"


def test_admin_makes_a_ref_left_blank(admin_client):
    data = {"name": "Meetings", "short_name": "", "ref": "", "meetings-TOTAL_FORMS": 0, "meetings-INITIAL_FORMS": 0}
    response = admin_client.post(reverse("admin:committees_committee_add"), data)
    assert response.status_code == 302
    committee = Committee.objects.get(name="Meetings")
    assert committee.ref == "meetings-2"
    assert admin_client.get(committee.get_absolute_url()).status_code == 200


def test_seed_loader_makes_a_ref_left_out(db, tmp_path):
    path = tmp_path / "committee.json"
    path.write_text('[{"model": "committees.committee", "fields": {"name": "New"}}]')
    load_seed_data([path])
    assert Committee.objects.get(name="New").ref == "new-2"
