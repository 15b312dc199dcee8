"""Officers and managers keep actions and projects up to date: who may write
what, what a save changes, and what is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, DueDateRevision, Status
from core.models import RAG
from programmes.models import Programme, Project, ProjectUpdate, Workstream
from tests import factories

TODAY = timezone.localdate


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Self-service and ICT", ref="self-service")


@pytest.fixture
def project(workstream, officer_team):
    return factories.make_project(workstream, name="Voice Recognition", ref="voice", owner=officer_team)


@pytest.fixture
def plan_section(programme):
    area = factories.make_area(title="Customer access", ref="customer-access")
    section = factories.make_section(area=area)
    section.plan.programme = programme
    section.plan.save()
    return section


@pytest.fixture
def action(officer_team, plan_section):
    rec = factories.make_recommendation(plan_section.area, text="A transactional website is required")
    return factories.make_action(
        [rec],
        title="Write up the e-forms investment proposal",
        ref="eforms",
        owner=officer_team,
        section=plan_section,
        rag=RAG.GREEN,
        due_date=datetime.date(2010, 4, 30),
        due_wording="by end of April",
    )


def update_data(obj, **overrides):
    data = {
        "version": obj.version,
        "update_date": TODAY().isoformat(),
        "note": "Proposal drafted and with COE.",
        "rag": RAG.AMBER,
        "status": Status.IN_PROGRESS,
        "due_date": obj.due_date.isoformat() if obj.due_date else "",
    }
    return {**data, **overrides}


def project_update_data(project, **overrides):
    data = {
        "version": project.version,
        "period_start": "2010-06-07",
        "period_end": "2010-07-20",
        "key_progress": "Went live to all staff on 14 June.",
        "risks_issues": "Grammar gaps.",
        "next_tasks": "Extend to external calls.",
        "rag": RAG.GREEN,
    }
    return {**data, **overrides}


# --- Recording progress on an action -------------------------------------------------


def test_anonymous_post_to_action_update_is_sent_to_login(client, action):
    response = client.post(reverse("actions:update", args=[action.ref]), update_data(action))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not action.updates.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider", "clerk"])
def test_others_cannot_update_an_officers_action(client, action, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("actions:update", args=[action.ref]), update_data(action))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.rag == RAG.GREEN
    assert not action.updates.exists()


@pytest.mark.parametrize("who", ["officer", "manager", "administrator"])
def test_owner_manager_and_admin_can_update_an_action(client, action, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(reverse("actions:update", args=[action.ref]), update_data(action), follow=True)
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    assert "Update saved" in response.content.decode()
    assert "Proposal drafted and with COE." in response.content.decode()
    action.refresh_from_db()
    assert (action.rag, action.status, action.version) == (RAG.AMBER, Status.IN_PROGRESS, 2)
    update = action.updates.get()
    assert (update.author, update.rag_before, update.rag_after) == (user, RAG.GREEN, RAG.AMBER)
    assert action.history.first().history_user == user


def test_timeline_shows_updates_newest_first(client, officer, action):
    client.force_login(officer)
    url = reverse("actions:update", args=[action.ref])
    client.post(url, update_data(action, note="First note", update_date="2010-05-01"))
    action.refresh_from_db()
    client.post(url, update_data(action, note="Second note"))
    html = client.get(action.get_absolute_url()).content.decode()
    assert html.index("Second note") < html.index("First note")


def test_marking_complete_sets_rag_and_defaults_completion_date(client, officer, action):
    client.force_login(officer)
    client.post(reverse("actions:update", args=[action.ref]), update_data(action, status=Status.COMPLETE))
    action.refresh_from_db()
    assert (action.status, action.rag, action.completed_on) == (Status.COMPLETE, RAG.COMPLETE, TODAY())
    assert not ActionItem.objects.overdue().filter(pk=action.pk).exists()


def test_changing_due_date_needs_a_reason_and_keeps_the_original(client, officer, action):
    client.force_login(officer)
    url = reverse("actions:update", args=[action.ref])
    response = client.post(url, update_data(action, due_date="2010-09-30"))
    assert "Give a reason for changing the due date." in response.content.decode()
    action.refresh_from_db()
    assert action.due_date == datetime.date(2010, 4, 30)

    client.post(url, update_data(action, due_date="2010-09-30", due_change_reason="Waiting for COE decision"))
    action.refresh_from_db()
    client.post(url, update_data(action, due_date="2010-12-31", due_change_reason="Members decide in September"))
    action.refresh_from_db()
    assert action.due_date == datetime.date(2010, 12, 31)
    assert list(DueDateRevision.objects.filter(action=action).values_list("old_date", "new_date", "reason")) == [
        (datetime.date(2010, 4, 30), datetime.date(2010, 9, 30), "Waiting for COE decision"),
        (datetime.date(2010, 9, 30), datetime.date(2010, 12, 31), "Members decide in September"),
    ]
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Originally due 30 Apr 2010, revised 2 times." in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"note": ""}, "Write a progress note"),
        ({"status": "finished"}, "Select a valid choice"),
        ({"rag": "purple"}, "Select a valid choice"),
        ({"status": Status.COMPLETE, "completed_on": "2099-01-01"}, "cannot be in the future"),
        ({"update_date": "2099-01-01"}, "cannot be dated in the future"),
        ({"rag": RAG.COMPLETE}, "Only a complete action can be rated Complete"),
        ({"version": "abc"}, "Enter a whole number"),
        ({"due_date": "31/31/2010"}, "Enter a date like 31/07/2010 or 31 July 2010."),
    ],
)
def test_invalid_action_update_is_refused_and_nothing_is_saved(client, officer, action, overrides, message):
    client.force_login(officer)
    response = client.post(reverse("actions:update", args=[action.ref]), update_data(action, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "with what you entered" in html  # the error summary
    assert message in html
    action.refresh_from_db()
    assert (action.rag, action.version) == (RAG.GREEN, 1)
    assert not ActionUpdate.objects.exists()


def test_second_editor_is_refused_with_what_changed_and_keeps_their_text(client, officer, manager, action):
    opened_version = action.version
    client.force_login(manager)
    client.post(reverse("actions:update", args=[action.ref]), update_data(action, rag=RAG.RED, note="Manager note"))

    client.force_login(officer)
    response = client.post(
        reverse("actions:update", args=[action.ref]),
        update_data(action, version=opened_version, note="My carefully typed note"),
    )
    html = response.content.decode()
    assert "Pat Manager saved this while you were editing it" in html
    assert "RAG status: Green → Red" in html
    assert "My carefully typed note</textarea>" in html
    action.refresh_from_db()
    assert action.rag == RAG.RED
    assert list(action.updates.values_list("note", flat=True)) == ["Manager note"]

    # The form now carries the current version: saving again (after merging) works.
    response = client.post(
        reverse("actions:update", args=[action.ref]), update_data(action, note="My carefully typed note")
    )
    assert response.status_code == 302
    assert action.updates.count() == 2


def test_overdue_green_is_flagged_by_the_model():
    green = ActionItem(rag=RAG.GREEN, due_date=datetime.date(2010, 1, 1))
    amber = ActionItem(rag=RAG.AMBER, due_date=datetime.date(2010, 1, 1))
    done = ActionItem(rag=RAG.COMPLETE, status=Status.COMPLETE, due_date=datetime.date(2010, 1, 1))
    assert green.rag_conflict
    assert amber.overdue
    assert not amber.rag_conflict
    assert not done.overdue


@pytest.mark.django_db
def test_overdue_queryset_excludes_closed_and_future_actions():
    late = factories.make_action(due_date=datetime.date(2010, 1, 1))
    factories.make_action(due_date=TODAY() + datetime.timedelta(days=3))
    factories.make_action(
        due_date=datetime.date(2010, 1, 1), status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=TODAY()
    )
    factories.make_action(due_date=datetime.date(2010, 1, 1), status=Status.SUPERSEDED)
    assert list(ActionItem.objects.overdue()) == [late]
    assert ActionItem.objects.due_within(days=7).count() == 1


# --- Project updates -----------------------------------------------------------------


def test_anonymous_post_to_project_update_is_sent_to_login(client, project):
    response = client.post(reverse("programmes:project_update", args=[project.ref]), project_update_data(project))
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["colleague", "outsider", "clerk"])
def test_others_cannot_update_a_project(client, project, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("programmes:project_update", args=[project.ref]), project_update_data(project))
    assert response.status_code == 403
    assert not ProjectUpdate.objects.exists()


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_project_owner_and_manager_can_record_a_project_update(client, project, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("programmes:project_update", args=[project.ref]),
        project_update_data(project, rag=RAG.AMBER),
        follow=True,
    )
    assert "Went live to all staff on 14 June." in response.content.decode()
    project.refresh_from_db()
    assert (project.rag, project.version) == (RAG.AMBER, 2)
    update = project.updates.get()
    assert (update.rag_before, update.rag, update.period_end) == (RAG.GREEN, RAG.AMBER, datetime.date(2010, 7, 20))


def test_project_update_period_must_be_in_order(client, officer, project):
    client.force_login(officer)
    response = client.post(
        reverse("programmes:project_update", args=[project.ref]),
        project_update_data(project, period_start="2010-08-01"),
    )
    assert "The period cannot start after it ends." in response.content.decode()
    assert not ProjectUpdate.objects.exists()


def test_second_project_editor_gets_a_conflict(client, officer, manager, project):
    opened = project.version
    client.force_login(manager)
    client.post(reverse("programmes:project_update", args=[project.ref]), project_update_data(project, rag=RAG.RED))
    client.force_login(officer)
    response = client.post(
        reverse("programmes:project_update", args=[project.ref]),
        project_update_data(project, version=opened, key_progress="Officer's own words"),
    )
    assert "saved this while you were editing it" in response.content.decode()
    assert "Officer&#x27;s own words" in response.content.decode()
    assert ProjectUpdate.objects.count() == 1


# --- Managers create and edit in the browser -----------------------------------------


def programme_data(**overrides):
    data = {"name": "Customer Access Programme", "ref": "cap", "stage": "definition", "rag": RAG.NOT_RATED}
    return {**data, **overrides}


def test_manager_creates_programme_and_becomes_its_manager(client, manager):
    client.force_login(manager)
    response = client.post(reverse("programmes:create"), programme_data(), follow=True)
    assert "Programme “Customer Access Programme” created." in response.content.decode()
    assert Programme.objects.get(ref="cap").managers.filter(pk=manager.pk).exists()


@pytest.mark.parametrize("who", ["officer", "clerk", "outsider"])
def test_only_managers_create_programmes(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("programmes:create"), programme_data()).status_code == 403
    assert not Programme.objects.filter(ref="cap").exists()


def test_programme_end_date_cannot_precede_start(client, manager, programme):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:edit", args=[programme.ref]),
        programme_data(name=programme.name, ref=programme.ref, start_date="2010-10-01", due_date="2010-01-01")
        | {"version": programme.version},
    )
    assert "The proposed end date cannot be before the start date." in response.content.decode()
    programme.refresh_from_db()
    assert programme.due_date is None


def test_unknown_owner_is_refused(client, manager, programme):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:edit", args=[programme.ref]),
        programme_data(name=programme.name, ref=programme.ref, owner=999999) | {"version": programme.version},
    )
    assert "that one is not known" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "who", "expected"),
    [
        ("programmes:edit", "manager", 302),
        ("programmes:edit", "officer", 403),
        ("programmes:edit", "clerk", 403),
        ("programmes:workstream_create", "manager", 302),
        ("programmes:workstream_create", "colleague", 403),
    ],
)
def test_programme_and_workstream_writes_need_the_programmes_manager(
    client, programme, url_name, who, expected, request
):
    client.force_login(request.getfixturevalue(who))
    if url_name == "programmes:edit":
        data = programme_data(name="Renamed programme", ref=programme.ref) | {"version": programme.version}
    else:
        data = {"name": "Office Accommodation", "ref": "office", "rag": RAG.AMBER, "position": 1}
    response = client.post(reverse(url_name, args=[programme.ref]), data)
    assert response.status_code == expected
    programme.refresh_from_db()
    if url_name == "programmes:edit":
        assert (programme.name == "Renamed programme") == (expected == 302)
    else:
        assert Workstream.objects.filter(ref="office").exists() == (expected == 302)


def test_duplicate_workstream_name_is_a_form_error(client, manager, workstream):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:workstream_create", args=[workstream.programme.ref]),
        {"name": workstream.name, "ref": "another", "rag": RAG.AMBER, "position": 2},
    )
    assert "already has a workstream with that name" in response.content.decode()


@pytest.mark.parametrize(("who", "expected"), [("manager", 302), ("officer", 403), ("clerk", 403)])
def test_project_create_and_edit_need_the_programmes_manager(client, workstream, project, who, expected, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("programmes:project_create", args=[workstream.ref]),
        {"workstream": workstream.pk, "name": "Website upgrade", "ref": "web", "rag": RAG.AMBER, "position": 2},
    )
    assert response.status_code == expected
    assert Project.objects.filter(ref="web").exists() == (expected == 302)
    response = client.post(
        reverse("programmes:project_edit", args=[project.ref]),
        {"workstream": workstream.pk, "name": "VR", "ref": project.ref, "position": 1, "version": project.version},
    )
    assert response.status_code == expected
    project.refresh_from_db()
    assert (project.name == "VR") == (expected == 302)


@pytest.mark.parametrize(("who", "expected"), [("manager", 302), ("officer", 403), ("clerk", 403)])
def test_action_create_and_edit_need_the_programmes_manager(client, plan_section, action, who, expected, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("actions:create"), {"title": "New action", "section": plan_section.pk, "rag": RAG.NOT_RATED}
    )
    assert response.status_code == (302 if expected == 302 else 403)
    assert ActionItem.objects.filter(title="New action").exists() == (expected == 302)
    response = client.post(
        reverse("actions:edit", args=[action.ref]),
        {"title": "Renamed", "section": plan_section.pk, "version": action.version},
    )
    assert response.status_code == expected
    action.refresh_from_db()
    assert (action.title == "Renamed") == (expected == 302)


def test_manager_cannot_add_actions_to_another_programme(client, manager):
    other_section = factories.make_section(area=factories.make_area())
    client.force_login(manager)
    response = client.post(
        reverse("actions:create"), {"title": "Sneaky", "section": other_section.pk, "rag": RAG.NOT_RATED}
    )
    assert "a programme you manage" in response.content.decode()
    assert not ActionItem.objects.filter(title="Sneaky").exists()


@pytest.mark.parametrize(("who", "expected"), [("manager", 302), ("officer", 403), ("clerk", 403)])
def test_recommendation_create_and_edit_need_the_programmes_manager(client, plan_section, who, expected, request):
    client.force_login(request.getfixturevalue(who))
    area = plan_section.area
    data = {"area": area.pk, "number": 7, "text": "Consider libraries", "kind": "recommendation", "rag": RAG.AMBER}
    response = client.post(reverse("actions:recommendation_create", args=[area.ref]), data)
    assert response.status_code == expected
    assert area.recommendations.filter(number=7).exists() == (expected == 302)
    rec = factories.make_recommendation(area, text="Old text")
    response = client.post(
        reverse("actions:recommendation_edit", args=[rec.ref]), {**data, "number": 8, "version": rec.version}
    )
    assert response.status_code == expected
    rec.refresh_from_db()
    assert (rec.text == "Consider libraries") == (expected == 302)


def test_edit_form_conflict_keeps_the_second_editors_text(client, manager, administrator, action, plan_section):
    opened = action.version
    client.force_login(administrator)
    client.post(
        reverse("actions:edit", args=[action.ref]),
        {"title": "Admin's title", "section": plan_section.pk, "version": opened},
    )
    client.force_login(manager)
    response = client.post(
        reverse("actions:edit", args=[action.ref]),
        {"title": "Manager's title", "section": plan_section.pk, "version": opened},
    )
    html = response.content.decode()
    assert "saved this while you were editing it" in html
    assert "Title: Write up the e-forms investment proposal → Admin&#x27;s title" in html
    assert 'value="Manager&#x27;s title"' in html
    action.refresh_from_db()
    assert action.title == "Admin's title"


# --- History -------------------------------------------------------------------------


def test_manager_sees_who_changed_rag_on_the_action_page(client, officer, manager, action):
    client.force_login(officer)
    client.post(reverse("actions:update", args=[action.ref]), update_data(action, rag=RAG.RED))
    client.force_login(manager)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Change history" in html
    assert "RAG status: Green → Red" in html
    assert "Alice Officer" in html


def test_officer_does_not_see_the_change_history(client, officer, action):
    client.force_login(officer)
    assert "Change history" not in client.get(action.get_absolute_url()).content.decode()


# --- Lists ---------------------------------------------------------------------------


def test_action_list_filters_by_rag_overdue_and_update_text(client, officer, action, officer_team):
    factories.make_action(title="Future thing", due_date=TODAY() + datetime.timedelta(days=30), rag=RAG.AMBER)
    factories.make_action_update(action, note="Awaiting the Lewisham tender")
    client.force_login(officer)
    url = reverse("actions:list")
    assert "Write up the e-forms" in client.get(url, {"q": "lewisham"}).content.decode()
    response = client.get(url, {"rag": "amber"})
    assert "Future thing" in response.content.decode()
    assert "Write up the e-forms" not in response.content.decode()
    response = client.get(url, {"overdue": "on"})
    assert "Write up the e-forms" in response.content.decode()
    assert "Future thing" not in response.content.decode()
    response = client.get(url, {"owner": officer_team.pk, "area": action.section.area_id})
    assert "1 action found." in response.content.decode()


def test_action_list_empty_result_offers_to_clear_filters(client, officer, action):
    client.force_login(officer)
    response = client.get(reverse("actions:list"), {"q": "no such words anywhere"})
    assert "No actions match these filters." in response.content.decode()
    assert "Clear the filters" in response.content.decode()


def test_action_list_sorts_and_paginates_keeping_filters(client, officer):
    for i in range(30):
        factories.make_action(title=f"Action {i:02}", rag=RAG.AMBER)
    client.force_login(officer)
    response = client.get(reverse("actions:list"), {"rag": "amber", "o": "-title"})
    html = response.content.decode()
    assert html.index("Action 29") < html.index("Action 28")
    assert "Page 1 of 2" in html
    assert "?rag=amber&amp;o=-title&amp;page=2" in html
    assert 'aria-sort="descending"' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_action_list_runs_constant_queries(client, officer, plan_section, rows, django_assert_num_queries):
    for _ in range(rows):
        factories.make_action([factories.make_recommendation(plan_section.area)], section=plan_section)
    client.force_login(officer)
    with django_assert_num_queries(14):  # 13, and the data stamp of the cached part
        response = client.get(reverse("actions:list"))
    assert response.content.count(b'data-action="') == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_project_list_runs_constant_queries(client, officer, workstream, rows, django_assert_num_queries):
    for _ in range(rows):
        factories.make_project(workstream)
    client.force_login(officer)
    with django_assert_num_queries(9):  # the Partner filter's choices among them
        response = client.get(reverse("programmes:projects"), {"rag": "green"})
    assert response.content.count(b'data-project="') == min(rows, 25)


def test_project_list_search_finds_update_text(client, officer, project):
    factories.make_project_update(project, risks_issues="Grammar loaded into VR software")
    client.force_login(officer)
    response = client.get(reverse("programmes:projects"), {"q": "grammar"})
    assert "Voice Recognition" in response.content.decode()


@pytest.mark.parametrize("updates", [1, 8])
def test_update_form_runs_constant_queries(client, officer, action, updates, django_assert_num_queries):
    for _ in range(updates):
        factories.make_action_update(action)
    client.force_login(officer)
    with django_assert_num_queries(11):
        response = client.get(reverse("actions:update", args=[action.ref]))
    assert response.status_code == 200


def test_manager_sees_recommendation_history_after_an_edit(client, manager, plan_section):
    rec = factories.make_recommendation(plan_section.area, text="Old text", number=1)
    client.force_login(manager)
    client.post(
        reverse("actions:recommendation_edit", args=[rec.ref]),
        {"area": rec.area_id, "number": 1, "text": "New text", "kind": "recommendation", "rag": RAG.RED, "version": 1},
    )
    html = client.get(rec.get_absolute_url()).content.decode()
    assert "RAG status: Not yet rated → Red" in html
    assert "Pat Manager" in html


def test_review_page_offers_add_recommendation_only_to_its_managers(client, manager, officer, plan_section):
    url = plan_section.area.review.get_absolute_url()
    add_url = reverse("actions:recommendation_create", args=[plan_section.area.ref])
    client.force_login(manager)
    assert add_url in client.get(url).content.decode()
    client.force_login(officer)
    assert add_url not in client.get(url).content.decode()
