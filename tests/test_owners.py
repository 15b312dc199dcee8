"""Managing the people and structure without the admin (issue 10, point 4):
managers add and edit owners (people and teams, with post titles) in the
browser; a "New programme" link; refs made from names on every create form;
an update records who wrote it when someone else entered it."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from actions.models import ActionItem, ActionUpdate, Recommendation
from core.models import RAG, Owner
from programmes.models import Milestone, Partner, Programme, Project, ProjectUpdate, Risk, Workstream
from tests import factories

POST_TITLE = "Assistant Director, Organisational Improvement"


def owner_data(owner=None, **overrides):
    data = {"name": "Chris Spellman", "full_name": "", "kind": "person", "post_title": POST_TITLE}
    data.update({"organisation": "", "email": "", "telephone": "", "user": "", "members": []})
    if owner is not None:
        data.update(
            {
                "name": owner.name,
                "full_name": owner.full_name,
                "kind": owner.kind,
                "post_title": owner.post_title,
                "organisation": owner.organisation,
                "email": owner.email,
                "telephone": owner.telephone,
                "user": owner.user_id or "",
                "members": list(owner.members.values_list("pk", flat=True)),
                "version": owner.version,
            }
        )
    return {**data, **overrides}


@pytest.fixture
def lorna(db):
    return factories.make_owner("Lorna Blackwood", kind=Owner.Kind.PERSON, post_title="Head of Customer Services")


# --- Who may see and change people ------------------------------------------------------


@pytest.mark.parametrize("name", ["owners", "owner_create"])
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_anonymous_users_cannot_open_an_owner(client, lorna):
    response = client.get(reverse("owner_detail", args=[lorna.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_any_login_reads_people_but_only_managers_see_add_and_edit(client, officer, manager, lorna):
    client.force_login(officer)
    page = client.get(reverse("owners")).content.decode()
    assert "Lorna Blackwood" in page
    assert "Head of Customer Services" in page
    assert "Add a person or team" not in page
    assert ">People</a>" in page  # in the navigation
    detail = client.get(lorna.get_absolute_url()).content.decode()
    assert "Edit named officer" not in detail
    client.force_login(manager)
    assert "Add a person or team" in client.get(reverse("owners")).content.decode()
    assert "Edit named officer" in client.get(lorna.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["officer", "clerk", "outsider"])
def test_only_managers_add_or_edit_people(client, request, who, lorna):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("owner_create")).status_code == 403
    assert client.post(reverse("owner_create"), owner_data()).status_code == 403
    response = client.post(reverse("owner_edit", args=[lorna.pk]), owner_data(lorna, post_title="Changed"))
    assert response.status_code == 403
    lorna.refresh_from_db()
    assert lorna.post_title == "Head of Customer Services"
    assert not Owner.objects.filter(name="Chris Spellman").exists()


# --- Adding and editing -------------------------------------------------------------------


def test_manager_adds_a_named_officer_with_post_title_and_login(client, manager, officer):
    client.force_login(manager)
    data = owner_data(email="chris.spellman@bromley.gov.uk", telephone="020 8461 7942", user=officer.pk)
    response = client.post(reverse("owner_create"), data)
    owner = Owner.objects.get(name="Chris Spellman")
    assert response.status_code == 302
    assert response["Location"] == owner.get_absolute_url()
    assert (owner.kind, owner.post_title, owner.telephone, owner.user) == (
        "person",
        POST_TITLE,
        "020 8461 7942",
        officer,
    )
    page = client.get(owner.get_absolute_url()).content.decode()
    assert POST_TITLE in page
    assert "Alice Officer (alice)" in page


def test_manager_adds_a_team_with_member_logins(client, manager, officer, colleague):
    client.force_login(manager)
    data = owner_data(name="SS Team", full_name="Shared Services Team", kind="team", post_title="")
    data["members"] = [officer.pk, colleague.pk]
    assert client.post(reverse("owner_create"), data).status_code == 302
    team = Owner.objects.get(name="SS Team")
    assert set(team.members.all()) == {officer, colleague}
    assert team.organisation == ""
    assert team.user is None


def test_manager_edits_an_owner_and_the_version_moves_on(client, manager, lorna):
    client.force_login(manager)
    response = client.post(
        reverse("owner_edit", args=[lorna.pk]), owner_data(lorna, organisation="London Borough of Bexley")
    )
    assert response.status_code == 302
    lorna.refresh_from_db()
    assert (lorna.organisation, lorna.version) == ("London Borough of Bexley", 2)


def test_two_managers_editing_one_owner_do_not_overwrite_each_other(client, manager, lorna):
    stale = owner_data(lorna, post_title="Written second")
    client.force_login(manager)
    assert (
        client.post(reverse("owner_edit", args=[lorna.pk]), owner_data(lorna, post_title="Written first")).status_code
        == 302
    )
    response = client.post(reverse("owner_edit", args=[lorna.pk]), stale)
    assert response.status_code == 200
    assert "saved this while you were editing it" in response.content.decode()
    assert "Written second" in response.content.decode()  # their typing is kept
    lorna.refresh_from_db()
    assert lorna.post_title == "Written first"


def test_a_name_clash_says_who_is_there_already_and_saves_nothing(client, manager, lorna):
    client.force_login(manager)
    response = client.post(reverse("owner_create"), owner_data(name="lorna blackwood"))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape("There is already someone called “Lorna Blackwood”, Head of Customer Services") in page
    assert f'href="{lorna.get_absolute_url()}"' in page
    assert Owner.objects.filter(name__iexact="lorna blackwood").count() == 1


def test_a_team_takes_member_logins_not_a_login_of_its_own(client, manager, officer):
    client.force_login(manager)
    response = client.post(reverse("owner_create"), owner_data(name="OIP Team", kind="team", user=officer.pk))
    assert "A team or role has member logins, not a login of its own" in response.content.decode()
    assert not Owner.objects.filter(name="OIP Team").exists()


def test_a_login_already_linked_to_someone_is_refused_clearly(client, manager, officer):
    factories.make_owner("Alice Officer", kind=Owner.Kind.PERSON, user=officer)
    client.force_login(manager)
    response = client.post(reverse("owner_create"), owner_data(user=officer.pk))
    assert "That login already belongs to someone else here" in response.content.decode()
    assert not Owner.objects.filter(name="Chris Spellman").exists()


# --- What an owner answers for -----------------------------------------------------------


def own_things(owner, programme, count):
    workstream = factories.make_workstream(programme)
    for i in range(count):
        project = factories.make_project(workstream, name=f"Owned project {i}", owner=owner)
        factories.make_action(title=f"Owned action {i}", owner=owner, project=project)
        factories.make_milestone(project, name=f"Owned milestone {i}", owner=owner)


def test_owner_page_lists_projects_actions_and_milestones(client, officer, programme, lorna):
    own_things(lorna, programme, 1)
    factories.make_project(name="Someone else's project")
    client.force_login(officer)
    page = client.get(lorna.get_absolute_url()).content.decode()
    assert "Owned project 0" in page
    assert "Owned action 0" in page
    assert "Owned milestone 0" in page
    assert "Someone else&#x27;s project" not in page
    assert "Projects (1)" in page


@pytest.mark.parametrize("count", [1, 8])
def test_people_pages_run_constant_queries(client, officer, programme, lorna, count, django_assert_num_queries):
    own_things(lorna, programme, count)
    for i in range(count):
        team = factories.make_owner(f"Team {i} of many")
        team.members.add(officer)
    client.force_login(officer)
    with django_assert_num_queries(6):
        response = client.get(reverse("owners"))
    assert response.content.decode().count("data-owner=") == Owner.objects.count()
    with django_assert_num_queries(11):
        response = client.get(lorna.get_absolute_url())
    assert response.content.decode().count("Owned milestone") == count


# --- A "New programme" link and refs made from names everywhere ----------------------------


def test_new_programme_link_only_for_those_who_may_create_one(client, officer, manager):
    client.force_login(officer)
    assert "New programme" not in client.get(reverse("programmes:list")).content.decode()
    client.force_login(manager)
    page = client.get(reverse("programmes:list")).content.decode()
    assert f'href="{reverse("programmes:create")}">New programme' in page


@pytest.fixture
def places(programme):
    workstream = factories.make_workstream(programme, name="Self-service and ICT")
    project = factories.make_project(workstream, name="Website upgrade", ref="website-upgrade")
    area = factories.make_area(factories.make_review())
    section = factories.make_section(area=area)
    section.plan.programme = programme
    section.plan.save()
    return workstream, project, area, section


def create_attempts(programme, workstream, project, area, section):
    """(model, URL, data without a ref, the ref it should get)."""
    return {
        "programme": (
            Programme,
            reverse("programmes:create"),
            {"name": "Shared Services Programme", "stage": "definition", "rag": RAG.AMBER},
            "shared-services-programme",
        ),
        "workstream": (
            Workstream,
            reverse("programmes:workstream_create", args=[programme.ref]),
            {"name": "Office Accommodation", "rag": RAG.AMBER, "position": 1},
            "office-accommodation",
        ),
        "project": (
            Project,
            reverse("programmes:project_create", args=[workstream.ref]),
            {"workstream": workstream.pk, "name": "Voice Recognition", "rag": RAG.GREEN, "position": 2},
            "voice-recognition",
        ),
        "recommendation": (
            Recommendation,
            reverse("actions:recommendation_create", args=[area.ref]),
            {"area": area.pk, "number": 7, "text": "Review the customer contact strategy", "kind": "recommendation"}
            | {"rag": RAG.AMBER},
            None,
        ),
        "action": (
            ActionItem,
            reverse("actions:create"),
            {"title": "Agree the accommodation strategy", "section": section.pk, "rag": RAG.NOT_RATED},
            None,
        ),
        "milestone": (
            Milestone,
            reverse("programmes:milestone_create", args=[project.ref]),
            {"number": "1.1", "name": "Governance agreed", "status": "planned", "rag": RAG.NOT_RATED}
            | {"position": 1, "key": "on"},
            "website-upgrade-milestone-1-1",
        ),
        "risk": (
            Risk,
            reverse("programmes:risk_create", args=[project.ref]),
            {"number": 1, "kind": "risk", "description": "Partners withdraw", "probability": 2, "impact": 3}
            | {"status": "open"},
            "website-upgrade-risk-1",
        ),
        "partner": (
            Partner,
            reverse("programmes:partner_create"),
            {"name": "London Borough of Croydon", "short_name": "LB Croydon", "kind": "council"},
            "london-borough-of-croydon",
        ),
    }


@pytest.mark.parametrize(
    "kind", ["programme", "workstream", "project", "recommendation", "action", "milestone", "risk", "partner"]
)
def test_every_create_form_makes_the_ref_when_left_blank(client, manager, programme, places, kind):
    model, url, data, expected_ref = create_attempts(programme, *places)[kind]
    before = set(model.objects.values_list("pk", flat=True))
    client.force_login(manager)
    response = client.post(url, {**data, "ref": ""} if "ref" in _form_fields(client, url) else data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (created,) = model.objects.exclude(pk__in=before)
    assert created.ref
    if expected_ref:
        assert created.ref == expected_ref


def _form_fields(client, url):
    form = client.get(url).context["form"]
    return set(form.fields)


def test_a_typed_ref_is_kept(client, manager, programme, places):
    workstream = places[0]
    client.force_login(manager)
    data = {"workstream": workstream.pk, "name": "Voice Recognition", "ref": "vr", "rag": RAG.GREEN, "position": 2}
    assert client.post(reverse("programmes:project_create", args=[workstream.ref]), data).status_code == 302
    assert Project.objects.filter(ref="vr", name="Voice Recognition").exists()


# --- Entered by X for Y --------------------------------------------------------------------


def test_project_update_entered_for_someone_else_names_both(client, manager, programme, places):
    project = places[1]
    client.force_login(manager)
    data = {
        "version": project.version,
        "period_end": datetime.date(2012, 1, 18).isoformat(),
        "key_progress": "Business case agreed by the three boroughs.",
        "rag": RAG.GREEN,
        "author_name": "Chris Spellman",
    }
    assert client.post(reverse("programmes:project_update", args=[project.ref]), data).status_code == 302
    update = ProjectUpdate.objects.get(project=project)
    assert (update.author, update.author_name) == (manager, "Chris Spellman")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "entered by Pat Manager for Chris Spellman" in page


def test_project_update_by_its_author_names_them_once(client, manager, programme, places):
    project = places[1]
    client.force_login(manager)
    data = {"version": project.version, "period_end": "2012-01-18", "key_progress": "Done.", "rag": RAG.GREEN}
    client.post(reverse("programmes:project_update", args=[project.ref]), data)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "· Pat Manager" in page
    assert "entered by" not in page


def test_action_update_entered_for_someone_else_names_both(client, manager, programme, places):
    action = factories.make_action(section=places[3], title="Agree the accommodation strategy")
    client.force_login(manager)
    data = {
        "version": action.version,
        "update_date": "2012-01-18",
        "note": "Strategy agreed at COE.",
        "rag": RAG.GREEN,
        "status": "in_progress",
        "due_date": action.due_date.isoformat(),
        "author_name": "Lorna Blackwood",
    }
    response = client.post(reverse("actions:update", args=[action.ref]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update = ActionUpdate.objects.get(action=action)
    assert (update.author, update.author_name) == (manager, "Lorna Blackwood")
    assert "entered by Pat Manager for Lorna Blackwood" in client.get(action.get_absolute_url()).content.decode()
