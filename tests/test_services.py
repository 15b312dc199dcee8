"""Rules below the forms (issue 9): programmes, workstreams, projects,
recommendations and actions are created and changed only through their
services. Each records who saved it, refuses what the model's rules or the
user's scope forbid, and saves nothing when it refuses; the admin and the seed
loader apply the same rules."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import CommandError
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, Recommendation, Status
from actions.services import (
    DUE_DATE_NEEDS_REASON,
    create_action,
    create_recommendation,
    record_action_update,
    update_action,
    update_recommendation,
)
from committees.models import Meeting
from core import roles
from core import services as core_services
from core.models import RAG, EditConflict
from core.services import save_with_services
from programmes.models import Programme, Project, ProjectUpdate, Workstream
from programmes.services import (
    create_programme,
    create_project,
    create_workstream,
    record_project_update,
    update_programme,
    update_project,
    update_workstream,
)
from tests import factories
from tests.test_admin import form_data
from tests.test_fixtures import VALID_OWNER, load, write_fixture
from tests.test_scope import MESSAGES, build_programme, snapshot

TODAY = timezone.localdate
TOMORROW = lambda: TODAY() + datetime.timedelta(days=1)  # noqa: E731


@pytest.fixture
def ours(programme):
    """Pat's programme and everything in it."""
    return build_programme(programme, label="Our")


@pytest.fixture
def theirs(db):
    """Another manager's programme: Pat may read it but not change it."""
    other = factories.make_programme(name="Customer Access Programme", ref="cap")
    other.managers.add(factories.make_user("quentin", roles.PROGRAMME_MANAGER))
    return build_programme(other, label="Their")


HISTORIES = [Programme, Workstream, Project, Recommendation, ActionItem]


@contextmanager
def nothing_saved():
    """Every row and history record a refused write could have touched is as it was."""
    before = snapshot(), {model: model.history.count() for model in HISTORIES}
    yield
    assert (snapshot(), {model: model.history.count() for model in HISTORIES}) == before


def refused_with(error, field, message):
    assert message in error.value.message_dict[field], error.value.message_dict


# --- Who saved it --------------------------------------------------------------------


def test_each_create_service_records_who_created_it(manager, ours):
    created = [
        create_programme(user=manager, name="Libraries Programme"),
        create_workstream(user=manager, programme=ours.programme, name="Office accommodation"),
        create_project(user=manager, workstream=ours.workstream, name="Website upgrade"),
        create_recommendation(
            user=manager, area=ours.area, number=ours.recommendation.number + 1, text="Consider the libraries"
        ),
        create_action(user=manager, title="Plan the move", section=ours.section, recommendations=[ours.recommendation]),
    ]
    for obj in created:
        obj.refresh_from_db()
        record = obj.history.get()
        assert (record.history_type, record.history_user) == ("+", manager), obj
    assert list(created[-1].recommendations.all()) == [ours.recommendation]


def test_each_update_service_records_who_changed_it(manager, ours):
    updated = [
        update_programme(programme=ours.programme, user=manager, expected_version=1, sponsor="The Leader"),
        update_workstream(workstream=ours.workstream, user=manager, expected_version=1, name="Renamed"),
        update_project(project=ours.project, user=manager, expected_version=1, description="Now with detail."),
        update_recommendation(recommendation=ours.recommendation, user=manager, expected_version=1, rag=RAG.RED),
        update_action(action=ours.action, user=manager, expected_version=1, title="Renamed action"),
    ]
    for obj in updated:
        record = obj.history.first()
        assert (record.history_type, record.history_user, obj.version) == ("~", manager, 2), obj
    ours.programme.refresh_from_db()
    assert ours.programme.sponsor == "The Leader"


def test_creating_a_programme_makes_its_creator_a_manager(manager, colleague):
    programme = create_programme(user=manager, name="Libraries Programme", managers=[colleague])
    assert set(programme.managers.all()) == {manager, colleague}
    assert programme.can_be_edited_by(manager)


def test_update_services_change_many_to_many_only_when_given(manager, ours):
    other = factories.make_recommendation(ours.area)
    update_action(action=ours.action, user=manager, expected_version=1, title="Renamed")
    assert list(ours.action.recommendations.all()) == [ours.recommendation]
    update_action(action=ours.action, user=manager, expected_version=2, recommendations=[other])
    assert list(ours.action.recommendations.all()) == [other]


def test_a_misspelt_field_is_an_error_not_a_new_attribute(manager, ours):
    with nothing_saved(), pytest.raises(FieldDoesNotExist, match="titel"):
        update_action(action=ours.action, user=manager, expected_version=1, titel="Typo")


# --- Status and RAG agree; no completion or update in the future -------------------------


def test_action_services_refuse_a_completed_action_not_rated_complete(manager, ours):
    with nothing_saved():
        with pytest.raises(ValidationError) as refused:
            create_action(
                user=manager, title="Done", section=ours.section, status=Status.COMPLETE, completed_on=TODAY()
            )
        refused_with(refused, "rag", ActionItem.COMPLETE_NEEDS_RAG)
        with pytest.raises(ValidationError) as refused:
            update_action(
                action=ours.action, user=manager, expected_version=1, status=Status.COMPLETE, completed_on=TODAY()
            )
        refused_with(refused, "rag", ActionItem.COMPLETE_NEEDS_RAG)


def test_action_services_refuse_rating_complete_an_action_that_is_not(manager, ours):
    with nothing_saved():
        with pytest.raises(ValidationError) as refused:
            create_action(user=manager, title="Not done", section=ours.section, rag=RAG.COMPLETE)
        refused_with(refused, "rag", ActionItem.RAG_NEEDS_COMPLETE)
        with pytest.raises(ValidationError) as refused:
            update_action(action=ours.action, user=manager, expected_version=1, rag=RAG.COMPLETE)
        refused_with(refused, "rag", ActionItem.RAG_NEEDS_COMPLETE)


def test_action_services_refuse_a_future_completion_date(manager, ours):
    done = {"status": Status.COMPLETE, "rag": RAG.COMPLETE, "completed_on": TOMORROW()}
    with nothing_saved():
        with pytest.raises(ValidationError) as refused:
            create_action(user=manager, title="Done tomorrow", section=ours.section, **done)
        refused_with(refused, "completed_on", ActionItem.FUTURE_COMPLETION)
        with pytest.raises(ValidationError) as refused:
            update_action(action=ours.action, user=manager, expected_version=1, **done)
        refused_with(refused, "completed_on", ActionItem.FUTURE_COMPLETION)


def test_action_services_accept_a_completed_action_rated_complete(manager, ours):
    action = update_action(
        action=ours.action,
        user=manager,
        expected_version=1,
        status=Status.COMPLETE,
        rag=RAG.COMPLETE,
        completed_on=TODAY(),
    )
    action.refresh_from_db()
    assert (action.status, action.rag, action.completed_on) == (Status.COMPLETE, RAG.COMPLETE, TODAY())


def test_action_services_refuse_a_project_outside_the_chosen_workstream(manager, ours):
    elsewhere = factories.make_workstream(ours.programme)
    with nothing_saved(), pytest.raises(ValidationError) as refused:
        update_action(action=ours.action, user=manager, expected_version=1, workstream=elsewhere)
    refused_with(refused, "project", ActionItem.PROJECT_OUTSIDE_WORKSTREAM)


def progress(action, user, **overrides):
    """record_action_update's arguments for a plain progress note on `action`."""
    return {
        "action": action,
        "user": user,
        "expected_version": action.version,
        "note": "Moved on.",
        "update_date": TODAY(),
        "rag": RAG.AMBER,
        "status": Status.IN_PROGRESS,
        "due_date": action.due_date,
        **overrides,
    }


def test_recording_completion_rates_it_complete_and_completes_it_today(manager, ours):
    update = record_action_update(**progress(ours.action, manager, rag=RAG.GREEN, status=Status.COMPLETE))
    ours.action.refresh_from_db()
    assert (ours.action.status, ours.action.rag, ours.action.completed_on) == (Status.COMPLETE, RAG.COMPLETE, TODAY())
    assert (update.rag_after, update.status_after) == (RAG.COMPLETE, Status.COMPLETE)
    assert ours.action.history.first().history_user == manager


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"update_date": "tomorrow"}, "update_date", "An update cannot be dated in the future."),
        (
            {"status": Status.COMPLETE, "completed_on": "tomorrow"},
            "completed_on",
            ActionItem.FUTURE_COMPLETION,
        ),
        ({"rag": RAG.COMPLETE}, "rag", ActionItem.RAG_NEEDS_COMPLETE),
        ({"due_date": datetime.date(2010, 12, 31)}, "due_change_reason", DUE_DATE_NEEDS_REASON),
        (
            {"due_date": datetime.date(2010, 12, 31), "due_change_reason": "  "},
            "due_change_reason",
            DUE_DATE_NEEDS_REASON,
        ),
    ],
)
def test_recording_progress_refuses_what_the_rules_forbid(manager, ours, overrides, field, message):
    overrides = {name: TOMORROW() if value == "tomorrow" else value for name, value in overrides.items()}
    with nothing_saved(), pytest.raises(ValidationError) as refused:
        record_action_update(**progress(ours.action, manager, **overrides))
    refused_with(refused, field, message)
    assert not ActionUpdate.objects.filter(action=ours.action).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": "tomorrow"}, "period_end", "An update cannot cover dates in the future."),
        (
            {"period_start": datetime.date(2010, 8, 1), "period_end": datetime.date(2010, 7, 20)},
            "period_start",
            "The period cannot start after it ends.",
        ),
    ],
)
def test_recording_project_progress_refuses_what_the_rules_forbid(manager, ours, overrides, field, message):
    overrides = {name: TOMORROW() if value == "tomorrow" else value for name, value in overrides.items()}
    data = {"period_end": datetime.date(2010, 7, 20), "key_progress": "Went live.", **overrides}
    with nothing_saved(), pytest.raises(ValidationError) as refused:
        record_project_update(project=ours.project, user=manager, expected_version=1, rag=RAG.GREEN, **data)
    refused_with(refused, field, message)


# --- Edit conflicts and scope --------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "name", "change"),
    [
        (update_programme, "programme", {"sponsor": "Mine"}),
        (update_workstream, "workstream", {"description": "Mine"}),
        (update_project, "project", {"description": "Mine"}),
        (update_recommendation, "recommendation", {"text": "Mine"}),
        (update_action, "action", {"title": "Mine"}),
    ],
)
def test_update_services_refuse_to_overwrite_someone_elses_save(manager, administrator, ours, service, name, change):
    mine = getattr(ours, name)
    theirs = type(mine).objects.get(pk=mine.pk)
    service(**{name: theirs}, user=administrator, expected_version=1, rag=RAG.RED)
    with nothing_saved(), pytest.raises(EditConflict) as conflict:
        service(**{name: mine}, user=manager, expected_version=1, **change)
    assert conflict.value.changed_by == administrator


def test_create_services_refuse_a_parent_outside_the_users_programmes(manager, ours, theirs):
    attempts = [
        (lambda: create_workstream(user=manager, programme=theirs.programme, name="Planted"), "programme"),
        (lambda: create_project(user=manager, workstream=theirs.workstream, name="Planted"), "workstream"),
        (lambda: create_recommendation(user=manager, area=theirs.area, number=99, text="Planted"), "area"),
        (lambda: create_action(user=manager, title="Planted", section=theirs.section), "section"),
        (
            lambda: create_action(
                user=manager, title="Planted", section=ours.section, recommendations=[theirs.recommendation]
            ),
            "recommendations",
        ),
    ]
    with nothing_saved():
        for attempt, field in attempts:
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert list(refused.value.message_dict) == [field]


def test_update_services_refuse_moving_a_row_out_of_the_users_programmes(manager, ours, theirs):
    with nothing_saved():
        with pytest.raises(ValidationError) as refused:
            update_project(project=ours.project, user=manager, expected_version=1, workstream=theirs.workstream)
        assert list(refused.value.message_dict) == ["workstream"]
        with pytest.raises(ValidationError) as refused:
            update_action(
                action=ours.action,
                user=manager,
                expected_version=1,
                workstream=theirs.workstream,
                project=theirs.project,
            )
        assert refused.value.message_dict["workstream"] == [MESSAGES["workstream"]]


@pytest.mark.parametrize(
    ("service", "name"),
    [
        (update_programme, "programme"),
        (update_workstream, "workstream"),
        (update_project, "project"),
        (update_recommendation, "recommendation"),
        (update_action, "action"),
    ],
)
def test_update_services_refuse_rows_the_user_may_not_change(manager, theirs, service, name):
    with nothing_saved(), pytest.raises(PermissionDenied):
        service(**{name: getattr(theirs, name)}, user=manager, expected_version=1, rag=RAG.RED)


def test_only_programme_managers_create_programmes(officer):
    with nothing_saved(), pytest.raises(PermissionDenied):
        create_programme(user=officer, name="Officer's own programme")


def test_a_trusted_writer_without_a_login_passes_the_scope_check_but_not_the_rules(ours):
    action = create_action(user=None, title="Loaded by a script", section=ours.section)
    assert action.history.get().history_user is None
    with nothing_saved(), pytest.raises(ValidationError):
        update_action(action=action, user=None, expected_version=1, rag=RAG.COMPLETE)


def test_forms_and_the_admin_save_only_models_with_registered_services(manager):
    with pytest.raises(ImproperlyConfigured, match="Meeting"):
        save_with_services(Meeting(date=datetime.date(2010, 6, 1)), user=manager)


# --- The admin goes through the same services -------------------------------------------


def admin_change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def admin_add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def admin_post(client, obj, **changes):
    url = admin_change_url(obj)
    return client.post(url, {**form_data(client.get(url)), **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Status.COMPLETE, "completed_on": "2010-06-01", "rag": RAG.GREEN}, ActionItem.COMPLETE_NEEDS_RAG),
        ({"status": Status.IN_PROGRESS, "rag": RAG.COMPLETE}, ActionItem.RAG_NEEDS_COMPLETE),
        ({"status": Status.COMPLETE, "completed_on": "tomorrow", "rag": RAG.COMPLETE}, ActionItem.FUTURE_COMPLETION),
        ({"workstream": "elsewhere"}, ActionItem.PROJECT_OUTSIDE_WORKSTREAM),
    ],
)
def test_admin_refuses_an_action_the_rules_forbid(admin_client, ours, changes, message):
    values = {"tomorrow": TOMORROW().isoformat(), "elsewhere": factories.make_workstream(ours.programme).pk}
    changes = {name: values.get(value, value) for name, value in changes.items()}
    with nothing_saved():
        response = admin_post(admin_client, ours.action, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_admin_refuses_an_action_row_the_rules_forbid_in_its_plan_sections_inline(admin_client, ours):
    url = admin_change_url(ours.section)
    data = form_data(admin_client.get(url))
    data.update({"actions-0-status": Status.COMPLETE, "actions-0-completed_on": "2010-06-01"})
    with nothing_saved():
        response = admin_client.post(url, data)
    assert response.status_code == 200
    assert ActionItem.COMPLETE_NEEDS_RAG in response.content.decode()


def test_admin_refuses_a_future_dated_action_update(admin_client, ours):
    data = {
        "action": ours.action.pk,
        "update_date": TOMORROW().isoformat(),
        "note": "Written ahead.",
        "recorded_at_0": TODAY().isoformat(),
        "recorded_at_1": "09:00:00",
    }
    response = admin_client.post(admin_add_url(ActionUpdate), data)
    assert response.status_code == 200
    assert "An update cannot be dated in the future." in response.content.decode()
    assert not ActionUpdate.objects.filter(note="Written ahead.").exists()


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"period_end": "tomorrow"}, "An update cannot cover dates in the future."),
        ({"period_start": "2010-08-01", "period_end": "2010-07-20"}, "The period cannot start after it ends."),
    ],
)
def test_admin_refuses_a_project_update_the_rules_forbid(admin_client, ours, dates, message):
    data = {
        "project": ours.project.pk,
        "key_progress": "Written ahead.",
        "rag": RAG.GREEN,
        "recorded_at_0": TODAY().isoformat(),
        "recorded_at_1": "09:00:00",
        **{name: TOMORROW().isoformat() if value == "tomorrow" else value for name, value in dates.items()},
    }
    response = admin_client.post(admin_add_url(ProjectUpdate), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectUpdate.objects.filter(key_progress="Written ahead.").exists()


def test_admin_saves_through_the_services_with_the_admin_as_the_history_user(admin_client, admin_user, ours):
    response = admin_post(admin_client, ours.action, title="Renamed in the admin")
    assert response.status_code == 302
    ours.action.refresh_from_db()
    assert (ours.action.title, ours.action.version) == ("Renamed in the admin", 2)
    assert ours.action.history.first().history_user == admin_user


def test_a_programme_added_in_the_admin_is_managed_by_whoever_added_it_and_those_chosen(
    admin_client, admin_user, manager
):
    data = {
        "name": "Libraries Programme",
        "ref": "libraries",
        "stage": "definition",
        "rag": RAG.NOT_RATED,
        "managers": [manager.pk],
        "workstreams-TOTAL_FORMS": 0,
        "workstreams-INITIAL_FORMS": 0,
    }
    response = admin_client.post(admin_add_url(Programme), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    programme = Programme.objects.get(ref="libraries")
    assert set(programme.managers.all()) == {admin_user, manager}
    assert programme.history.get().history_user == admin_user


def test_admin_inline_rows_are_saved_through_their_services(admin_client, ours, monkeypatch):
    calls = []
    registered = core_services.services_for(Workstream)

    def spy(service):
        def called(**kwargs):
            calls.append((service.__name__, kwargs["workstream"].name))
            return service(**kwargs)

        return called

    monkeypatch.setitem(
        core_services._services,
        Workstream,
        core_services.Services(create=spy(registered.create), update=spy(registered.update), arg="workstream"),
    )
    url = admin_change_url(ours.programme)
    data = form_data(admin_client.get(url))
    data["workstreams-0-name"] = "Renamed inline"
    data["workstreams-TOTAL_FORMS"] = 2
    data.update({"workstreams-1-name": "Added inline", "workstreams-1-position": 2, "workstreams-1-rag": RAG.AMBER})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert calls == [("update_workstream", "Renamed inline"), ("create_workstream", "Added inline")]
    assert set(ours.programme.workstreams.values_list("name", flat=True)) == {"Renamed inline", "Added inline"}


# --- The seed loader applies the same model rules --------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "complete", "completed_on": "2010-06-01", "rag": "green"}, ActionItem.COMPLETE_NEEDS_RAG),
        ({"status": "in_progress", "rag": "complete"}, ActionItem.RAG_NEEDS_COMPLETE),
        ({"status": "complete", "completed_on": "2099-01-01", "rag": "complete"}, ActionItem.FUTURE_COMPLETION),
    ],
)
def test_the_seed_loader_refuses_an_action_the_rules_forbid(db, tmp_path, fields, message):
    action = {"model": "actions.actionitem", "fields": {"ref": "fx-rule", "title": "Against the rules", **fields}}
    with pytest.raises(CommandError, match=message.split(":")[0]):
        load(write_fixture(tmp_path, [VALID_OWNER, action]))
    assert not ActionItem.objects.exists()


# --- The app's forms only parse and show the services' refusals ------------------------------


def test_an_edit_form_shows_a_rule_about_a_field_it_does_not_show(client, manager, ours):
    """An action rated Complete before the rule existed: its edit form has no
    RAG or status, so the refusal is shown at the top rather than failing."""
    ActionItem.objects.filter(pk=ours.action.pk).update(rag=RAG.COMPLETE)
    client.force_login(manager)
    data = {"title": "Renamed", "section": ours.section.pk, "version": 1}
    with nothing_saved():
        response = client.post(reverse("actions:edit", args=[ours.action.ref]), data)
    assert response.status_code == 200
    assert ActionItem.RAG_NEEDS_COMPLETE in response.content.decode()


def test_the_create_form_refuses_rating_a_new_action_complete(client, manager, ours):
    client.force_login(manager)
    data = {"title": "Born complete", "section": ours.section.pk, "rag": RAG.COMPLETE}
    with nothing_saved():
        response = client.post(reverse("actions:create"), data)
    assert ActionItem.RAG_NEEDS_COMPLETE in response.content.decode()


def test_the_edit_form_refuses_a_project_outside_the_chosen_workstream(client, manager, ours):
    elsewhere = factories.make_workstream(ours.programme)
    client.force_login(manager)
    data = {"title": ours.action.title, "section": ours.section.pk, "version": 1}
    data.update({"workstream": elsewhere.pk, "project": ours.project.pk})
    with nothing_saved():
        response = client.post(reverse("actions:edit", args=[ours.action.ref]), data)
    assert ActionItem.PROJECT_OUTSIDE_WORKSTREAM in response.content.decode()
