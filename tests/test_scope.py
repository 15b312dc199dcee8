"""Scope is checked on what is saved, not only on what is opened (issue 8).

A manager may open the edit page of their own action; that must not let
them post another programme's workstream, section, project, recommendation
or review area with it. The rule lives below the forms (each model's
`validate_scope`, called through core.scope.check_scope), so the app's pages,
the admin and the services all refuse the same saves. The last part walks
every write URL with a parent the user does not manage.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from actions.models import ActionItem, ActionUpdate, DueDateRevision, Recommendation, ReviewArea
from actions.services import record_action_update
from committees.models import (
    AgendaItem,
    Committee,
    IssuedPack,
    Meeting,
    Minute,
    MinutedAction,
    ReportAppendix,
    ReportParagraph,
)
from core import roles
from core.models import RAG, Owner
from core.scope import check_scope
from exchange.models import ImportRun
from programmes.models import (
    Benefit,
    BenefitRealisation,
    Funder,
    HighlightReport,
    HighlightReportBenefit,
    HighlightReportMilestone,
    HighlightReportRow,
    Milestone,
    NarrativeSection,
    NarrativeUpdate,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectUpdate,
    Risk,
    SpendProfileEntry,
    Workstream,
)
from programmes.services import (
    correct_highlight_report,
    draft_highlight_report,
    draft_narrative_update,
    publish_highlight_report,
    record_project_update,
)
from tests import factories
from tests.test_access import all_routes
from tests.test_admin import form_data
from tests.test_highlight_reports import edit_data
from tests.test_narrative_updates import edit_data as narrative_edit_data

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
MESSAGES = ActionItem.SCOPE_MESSAGES
AREA_MESSAGE = Recommendation.SCOPE_AREA
WORKSTREAM_MESSAGE = Project.SCOPE_WORKSTREAM


def build_programme(programme, *, label):
    """A programme with a workstream, a project, the review its action plan
    answers (an area, a recommendation, a plan section), an action, and a
    published and a draft highlight report."""
    workstream = factories.make_workstream(programme, name=f"{label} workstream")
    project = factories.make_project(workstream, name=f"{label} project")
    factories.make_project_update(project)
    review = factories.make_review(title=f"{label} review")
    area = factories.make_area(review, title=f"{label} area")
    section = factories.make_section(area=area, title=f"{label} section")
    section.plan.programme = programme
    section.plan.save()
    recommendation = factories.make_recommendation(area, text=f"{label} recommendation")
    action = factories.make_action(
        [recommendation], title=f"{label} action", section=section, workstream=workstream, project=project
    )
    published = publish_highlight_report(
        report=draft_highlight_report(programme=programme, period_start=START, period_end=END, user=None), user=None
    )
    draft = draft_highlight_report(
        programme=programme,
        period_start=END + datetime.timedelta(days=1),
        period_end=datetime.date(2010, 7, 20),
        user=None,
    )
    return SimpleNamespace(
        programme=programme,
        workstream=workstream,
        project=project,
        review=review,
        area=area,
        section=section,
        recommendation=recommendation,
        action=action,
        published=published,
        draft=draft,
    )


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


@pytest.fixture
def meetings(db):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    june = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    july = Meeting.objects.create(committee=committee, date=datetime.date(2010, 7, 27))
    item = AgendaItem.objects.create(meeting=june, number=1, title="Organisational Improvement Programme")
    other = AgendaItem.objects.create(meeting=july, number=2, title="Customer access")
    # A report's commentary and appendix, for the report write URLs (issue 11).
    paragraph = ReportParagraph.objects.create(agenda_item=item, position=1, text="Background")
    appendix = ReportAppendix.objects.create(agenda_item=item, position=1, kind="matters_arising")
    july_paragraph = ReportParagraph.objects.create(agenda_item=other, position=1, text="Theirs")
    minute = Minute.objects.create(meeting=june, number=42, title="London Efficiency Challenge feedback")
    return SimpleNamespace(
        committee=committee,
        june=june,
        july=july,
        paragraph=paragraph,
        appendix=appendix,
        july_paragraph=july_paragraph,
        minute=minute,
    )


def snapshot():
    """Every row a write URL could change, to prove a refusal changed nothing."""
    models = [
        ImportRun,
        Programme,
        Workstream,
        Project,
        ProjectUpdate,
        ReviewArea,
        Recommendation,
        ActionItem,
        ActionItem.recommendations.through,
        ActionUpdate,
        DueDateRevision,
        Meeting,
        Meeting.reports.through,
        AgendaItem,
        HighlightReport,
        HighlightReportRow,
        HighlightReportBenefit,
        HighlightReportMilestone,
        Owner,
        Owner.members.through,
        Project.shared_with.through,
        Funder,
        SpendProfileEntry,
        Benefit,
        BenefitRealisation,
        Partner,
        Partnership,
        Milestone,
        Risk,
        NarrativeUpdate,
        NarrativeSection,
        ReportParagraph,
        ReportAppendix,
        Minute,
        MinutedAction,
        IssuedPack,
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def action_data(action, **overrides):
    data = {
        "title": action.title,
        "section": action.section_id or "",
        "workstream": action.workstream_id or "",
        "project": action.project_id or "",
        "recommendations": list(action.recommendations.values_list("pk", flat=True)),
        "version": action.version,
    }
    return {**data, **overrides}


def recommendation_data(recommendation, **overrides):
    data = {
        "area": recommendation.area_id,
        "number": recommendation.number,
        "text": recommendation.text,
        "kind": recommendation.kind,
        "rag": recommendation.rag,
        "version": recommendation.version,
    }
    return {**data, **overrides}


def project_data(project, **overrides):
    data = {
        "workstream": project.workstream_id,
        "name": project.name,
        "ref": project.ref,
        "position": project.position,
        "version": project.version,
    }
    return {**data, **overrides}


# --- The holes the tester found ------------------------------------------------------


@pytest.mark.parametrize("parent", ["section", "workstream", "project"])
def test_manager_cannot_move_action_into_another_programme(client, manager, ours, theirs, parent):
    action = ours.action
    before = snapshot()
    client.force_login(manager)
    response = client.post(
        reverse("actions:edit", args=[action.ref]), action_data(action, **{parent: getattr(theirs, parent).pk})
    )
    assert response.status_code == 200
    assert "There is a problem with what you entered" in response.content.decode()
    assert MESSAGES[parent] in response.content.decode()
    action.refresh_from_db()
    assert (action.section, action.workstream, action.project, action.version) == (
        ours.section,
        ours.workstream,
        ours.project,
        1,
    )
    assert snapshot() == before


def test_manager_can_still_edit_their_own_action(client, manager, ours, theirs):
    """The control for the test above: the same post, kept in Pat's programme, saves."""
    client.force_login(manager)
    response = client.post(reverse("actions:edit", args=[ours.action.ref]), action_data(ours.action, title="Renamed"))
    assert response.status_code == 302
    ours.action.refresh_from_db()
    assert ours.action.title == "Renamed"


@pytest.mark.parametrize("parent", ["section", "workstream", "project"])
def test_manager_cannot_add_an_action_under_another_programmes_parent(client, manager, ours, theirs, parent):
    data = {"title": "Sneaky", "rag": RAG.NOT_RATED, parent: getattr(theirs, parent).pk}
    client.force_login(manager)
    response = client.post(reverse("actions:create"), data)
    assert MESSAGES[parent] in response.content.decode()
    assert not ActionItem.objects.filter(title="Sneaky").exists()


def test_manager_cannot_mix_their_project_with_another_programmes_section(client, manager, ours, theirs):
    """The action's programme would still be Pat's (through the project), but
    it would be filed under another programme's action plan."""
    data = {"title": "Mixed", "rag": RAG.NOT_RATED, "project": ours.project.pk, "section": theirs.section.pk}
    client.force_login(manager)
    response = client.post(reverse("actions:create"), data)
    assert MESSAGES["section"] in response.content.decode()
    assert not ActionItem.objects.filter(title="Mixed").exists()


def test_manager_cannot_link_a_recommendation_of_another_review(client, manager, ours, theirs):
    client.force_login(manager)
    response = client.post(
        reverse("actions:edit", args=[ours.action.ref]),
        action_data(ours.action, recommendations=[ours.recommendation.pk, theirs.recommendation.pk]),
    )
    assert MESSAGES["recommendations"] in response.content.decode()
    assert list(ours.action.recommendations.all()) == [ours.recommendation]


def test_manager_cannot_move_recommendation_into_another_review(client, manager, ours, theirs):
    recommendation = ours.recommendation
    before = snapshot()
    client.force_login(manager)
    response = client.post(
        reverse("actions:recommendation_edit", args=[recommendation.ref]),
        recommendation_data(recommendation, area=theirs.area.pk, text="Moved"),
    )
    assert response.status_code == 200
    assert AREA_MESSAGE in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.area, recommendation.text) == (ours.area, "Our recommendation")
    assert snapshot() == before


def test_recommendation_create_saves_only_in_an_area_the_manager_may_choose(client, manager, ours, theirs):
    """The URL names Pat's area; the posted area is what would be saved."""
    client.force_login(manager)
    response = client.post(
        reverse("actions:recommendation_create", args=[ours.area.ref]),
        {"area": theirs.area.pk, "number": 9, "text": "Planted", "kind": "recommendation", "rag": RAG.AMBER},
    )
    assert AREA_MESSAGE in response.content.decode()
    assert not Recommendation.objects.filter(text="Planted").exists()


def test_manager_cannot_move_project_into_another_programme(client, manager, ours, theirs):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[ours.project.ref]),
        project_data(ours.project, workstream=theirs.workstream.pk, name="Moved"),
    )
    assert WORKSTREAM_MESSAGE in response.content.decode()
    ours.project.refresh_from_db()
    assert (ours.project.workstream, ours.project.name) == (ours.workstream, "Our project")


def test_manager_of_two_programmes_can_move_a_project_between_them(client, manager, ours, theirs):
    theirs.programme.managers.add(manager)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:project_edit", args=[ours.project.ref]),
        project_data(ours.project, workstream=theirs.workstream.pk),
    )
    assert response.status_code == 302
    ours.project.refresh_from_db()
    assert ours.project.workstream == theirs.workstream


def test_an_edit_keeps_a_parent_someone_else_chose(client, manager, ours, theirs):
    """Parents left as they were are not re-judged: an administrator filed
    Pat's action under another programme's plan section, and Pat can still
    rename it (its project keeps it in Pat's programme)."""
    ours.action.section = theirs.section
    ours.action.save()
    ours.action.recommendations.add(theirs.recommendation)
    client.force_login(manager)
    response = client.post(reverse("actions:edit", args=[ours.action.ref]), action_data(ours.action, title="Renamed"))
    assert response.status_code == 302
    ours.action.refresh_from_db()
    assert (ours.action.title, ours.action.section) == ("Renamed", theirs.section)
    assert set(ours.action.recommendations.all()) == {ours.recommendation, theirs.recommendation}


def test_manager_cannot_move_an_action_out_of_all_programmes(client, manager, ours):
    """Clearing every parent would leave an action only administrators can change."""
    client.force_login(manager)
    response = client.post(
        reverse("actions:edit", args=[ours.action.ref]),
        action_data(ours.action, section="", workstream="", project=""),
    )
    assert "An action must belong to a programme you manage" in response.content.decode()
    ours.action.refresh_from_db()
    assert ours.action.project == ours.project


def test_report_edit_cannot_reach_another_reports_rows(client, manager, ours, theirs):
    """The rows formset only binds the report's own rows: a posted row id of
    another report is refused and that row is untouched."""
    their_row = theirs.draft.rows.get()
    data = edit_data(ours.draft, management_summary="Edited")
    data["rows-0-id"] = their_row.pk
    data["rows-0-key_progress"] = "Rewritten by the wrong manager"
    client.force_login(manager)
    response = client.post(reverse("programmes:report_edit", args=[ours.draft.pk]), data)
    assert response.status_code == 200
    assert "Only this report&#x27;s own rows can be changed here" in response.content.decode()
    their_row.refresh_from_db()
    ours.draft.refresh_from_db()
    assert their_row.key_progress == ""
    assert ours.draft.management_summary == ""


# --- Choice fields offer only what the user may choose ------------------------------


def test_action_form_offers_only_parents_in_the_managers_programmes(client, manager, ours, theirs):
    client.force_login(manager)
    html = client.get(reverse("actions:create")).content.decode()
    for name in ["Our section", "Our workstream", "Our project", "Our recommendation"]:
        assert name in html
    for name in ["Their section", "Their workstream", "Their project", "Their recommendation"]:
        assert name not in html


def test_administrator_is_offered_every_parent(client, administrator, ours, theirs):
    client.force_login(administrator)
    html = client.get(reverse("actions:create")).content.decode()
    assert "Our section" in html
    assert "Their section" in html
    assert "Their recommendation" in html


def test_recommendation_form_offers_only_areas_of_reviews_the_managers_programmes_deliver(
    client, manager, ours, theirs
):
    client.force_login(manager)
    html = client.get(reverse("actions:recommendation_edit", args=[ours.recommendation.ref])).content.decode()
    assert "Our area" in html
    assert "Their area" not in html


def test_project_form_offers_workstreams_of_the_managers_programmes(client, manager, ours, theirs):
    client.force_login(manager)
    html = client.get(reverse("programmes:project_edit", args=[ours.project.ref])).content.decode()
    assert "Our workstream" in html
    assert "Their workstream" not in html


@pytest.mark.parametrize("size", [1, 6])
def test_action_form_pages_run_constant_queries(client, manager, ours, size, django_assert_num_queries):
    for _ in range(size):
        other = factories.make_programme()
        factories.make_project(factories.make_workstream(other))
        factories.make_section(area=factories.make_area())
        factories.make_project(ours.workstream)
        factories.make_recommendation(ours.area)
    client.force_login(manager)
    with django_assert_num_queries(12):
        assert client.get(reverse("actions:create")).status_code == 200
    with django_assert_num_queries(16):
        assert client.get(reverse("actions:edit", args=[ours.action.ref])).status_code == 200
    with django_assert_num_queries(13):
        assert client.get(reverse("actions:recommendation_edit", args=[ours.recommendation.ref])).status_code == 200


# --- The same rule without a form ----------------------------------------------------


@pytest.mark.parametrize("parent", ["section", "workstream", "project"])
def test_action_scope_check_refuses_another_programmes_parent_without_a_form(manager, ours, theirs, parent):
    action = ActionItem.objects.get(pk=ours.action.pk)
    setattr(action, parent, getattr(theirs, parent))
    with pytest.raises(ValidationError) as refused:
        check_scope(manager, action)
    assert refused.value.message_dict == {parent: [MESSAGES[parent]]}


def test_action_scope_check_refuses_linking_another_reviews_recommendation(manager, ours, theirs):
    with pytest.raises(ValidationError) as refused:
        check_scope(manager, ours.action, recommendations=[ours.recommendation, theirs.recommendation])
    assert refused.value.message_dict == {"recommendations": [MESSAGES["recommendations"]]}
    check_scope(manager, ours.action, recommendations=[ours.recommendation])  # its own review: allowed


def test_scope_check_refuses_changing_what_the_user_cannot_reach(manager, theirs):
    """As it was in the database: another programme's action, project,
    workstream, recommendation and programme."""
    for instance in [theirs.action, theirs.project, theirs.workstream, theirs.recommendation, theirs.programme]:
        with pytest.raises(PermissionDenied):
            check_scope(manager, instance)


def test_scope_check_refuses_moving_recommendation_project_and_workstream(manager, ours, theirs):
    recommendation = Recommendation.objects.get(pk=ours.recommendation.pk)
    recommendation.area = theirs.area
    project = Project.objects.get(pk=ours.project.pk)
    project.workstream = theirs.workstream
    workstream = Workstream(programme=theirs.programme, name="Planted", ref="planted")
    for instance, field in [(recommendation, "area"), (project, "workstream"), (workstream, "programme")]:
        with pytest.raises(ValidationError) as refused:
            check_scope(manager, instance)
        assert list(refused.value.message_dict) == [field]


def test_officer_cannot_edit_an_action_they_own_but_only_update_it(officer, officer_team, ours):
    """Owners record progress; changing the action itself is for managers."""
    ours.action.owner = officer_team
    ours.action.save()
    action = ActionItem.objects.get(pk=ours.action.pk)
    with pytest.raises(PermissionDenied):
        check_scope(officer, action)
    check_scope(officer, ActionUpdate(action=action))


def test_administrator_passes_every_scope_check(administrator, ours, theirs):
    action = ActionItem.objects.get(pk=ours.action.pk)
    action.section, action.workstream, action.project = theirs.section, theirs.workstream, theirs.project
    check_scope(administrator, action, recommendations=[theirs.recommendation])
    check_scope(administrator, theirs.recommendation)
    check_scope(administrator, theirs.draft)


def test_services_refuse_another_programmes_reports(manager, ours, theirs):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        draft_highlight_report(
            programme=theirs.programme,
            period_start=datetime.date(2010, 8, 1),
            period_end=END.replace(month=9),
            user=manager,
        )
    with pytest.raises(PermissionDenied):
        publish_highlight_report(report=theirs.draft, user=manager)
    with pytest.raises(PermissionDenied):
        correct_highlight_report(report=theirs.published, user=manager, reason="A row was out of date.")
    assert snapshot() == before


def test_services_refuse_progress_updates_from_someone_who_may_not_make_them(manager, ours, theirs):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        record_action_update(
            action=theirs.action,
            user=manager,
            expected_version=theirs.action.version,
            note="Not mine",
            update_date=END,
            rag=RAG.RED,
            status="in_progress",
            due_date=theirs.action.due_date,
        )
    with pytest.raises(PermissionDenied):
        record_project_update(
            project=theirs.project,
            user=manager,
            expected_version=theirs.project.version,
            rag=RAG.RED,
            period_end=END,
            key_progress="Not mine",
        )
    assert snapshot() == before


def test_only_clerks_save_meetings_and_agenda_items(manager, clerk, meetings):
    item = meetings.june.agenda_items.get()
    for instance in [meetings.june, item, Meeting(committee=meetings.committee, date=datetime.date(2010, 9, 1))]:
        with pytest.raises(PermissionDenied):
            check_scope(manager, instance)
        check_scope(clerk, instance)


def test_pack_takes_only_published_reports_and_its_own_agenda_items(clerk, ours, meetings):
    with pytest.raises(ValidationError) as refused:
        check_scope(clerk, meetings.june, reports=[ours.published, ours.draft])
    assert list(refused.value.message_dict) == ["reports"]
    check_scope(clerk, meetings.june, reports=[ours.published])

    meetings.june.pack_item = meetings.july.agenda_items.get()
    with pytest.raises(ValidationError) as refused:
        meetings.june.full_clean()
    assert list(refused.value.message_dict) == ["pack_item"]


def test_a_report_attached_before_it_was_superseded_may_stay_in_the_pack(clerk, manager, ours, meetings):
    meetings.june.reports.add(ours.published)
    correction = publish_highlight_report(
        report=correct_highlight_report(report=ours.published, user=manager, reason="A row was out of date."),
        user=manager,
    )
    ours.published.refresh_from_db()
    assert ours.published.status == HighlightReport.Status.SUPERSEDED
    check_scope(clerk, meetings.june, reports=[ours.published, correction])


# --- The admin goes through the same door --------------------------------------------


@pytest.fixture
def staff_manager(manager):
    """Managers are not staff in the demo set-up; if someone makes one staff,
    the admin must not let them past the rules the app applies."""
    manager.is_staff = True
    manager.save()
    return manager


def admin_change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_staff_manager_cannot_move_action_into_another_programme_in_the_admin(client, staff_manager, ours, theirs):
    client.force_login(staff_manager)
    url = admin_change_url(ours.action)
    data = form_data(client.get(url))
    # With its project too: a project outside the chosen workstream is refused by
    # ActionItem.clean before the scope check (tests/test_services.py).
    data["workstream"], data["project"] = theirs.workstream.pk, theirs.project.pk
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert MESSAGES["workstream"] in response.content.decode()
    assert snapshot() == before


def test_staff_manager_can_edit_their_own_action_in_the_admin(client, staff_manager, ours):
    client.force_login(staff_manager)
    url = admin_change_url(ours.action)
    data = form_data(client.get(url))
    data["title"] = "Renamed in the admin"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    ours.action.refresh_from_db()
    assert ours.action.title == "Renamed in the admin"


def test_staff_manager_cannot_move_recommendation_into_another_review_in_the_admin(client, staff_manager, ours, theirs):
    client.force_login(staff_manager)
    url = admin_change_url(ours.recommendation)
    data = form_data(client.get(url))
    data["area"] = theirs.area.pk
    response = client.post(url, data)
    assert AREA_MESSAGE in response.content.decode()
    ours.recommendation.refresh_from_db()
    assert ours.recommendation.area == ours.area


def test_staff_manager_cannot_change_another_programmes_rows_in_the_admin(client, staff_manager, theirs):
    client.force_login(staff_manager)
    before = snapshot()
    for obj in [theirs.action, theirs.project, theirs.recommendation, theirs.draft]:
        url = admin_change_url(obj)
        data = form_data(client.get(url))
        assert client.post(url, data).status_code == 403, obj
    assert snapshot() == before


def test_staff_manager_cannot_add_a_workstream_to_another_programme_in_the_admin(client, staff_manager, theirs):
    client.force_login(staff_manager)
    response = client.post(
        reverse("admin:programmes_workstream_add"),
        {
            "programme": theirs.programme.pk,
            "name": "Planted",
            "ref": "planted",
            "position": 1,
            "rag": RAG.NOT_RATED,
            "projects-TOTAL_FORMS": 0,
            "projects-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "You can only add workstreams to a programme you manage." in response.content.decode()
    assert not Workstream.objects.filter(ref="planted").exists()


def test_staff_manager_sees_recommendation_links_read_only_in_the_admin(client, staff_manager, ours):
    client.force_login(staff_manager)
    response = client.get(admin_change_url(ours.recommendation))
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission


def test_staff_officer_cannot_change_an_action_in_the_admin(client, officer, officer_team, ours):
    """Officers' role grants change_actionitem for progress; the admin must not
    turn that into editing the action."""
    officer.is_staff = True
    officer.save()
    ours.action.owner = officer_team
    ours.action.save()
    client.force_login(officer)
    url = admin_change_url(ours.action)
    data = form_data(client.get(url))
    data["title"] = "Renamed by the owner"
    assert client.post(url, data).status_code == 403
    ours.action.refresh_from_db()
    assert ours.action.title == "Our action"


# --- Every write URL, tried with a parent the user does not manage ------------------


def money_parts(project):
    """A funder, a spend, a benefit with an amount realised and a partner's role on `project`."""
    partner, _ = Partner.objects.get_or_create(name="London Borough of Bexley", defaults={"ref": "lb-bexley"})
    funder, _ = Funder.objects.get_or_create(project=project, partner=partner, kind="capital", defaults={"amount": 1})
    SpendProfileEntry.objects.get_or_create(project=project, kind="capital", year=1, quarter=1, defaults={"amount": 1})
    benefit, _ = Benefit.objects.get_or_create(project=project, type="cash_savings", description="Savings")
    realisation, _ = BenefitRealisation.objects.get_or_create(benefit=benefit, financial_year=2012, amount=1)
    partnership, _ = Partnership.objects.get_or_create(project=project, partner=partner)
    return SimpleNamespace(
        partner=partner, funder=funder, benefit=benefit, realisation=realisation, partnership=partnership
    )


def plan_parts(project):
    """A milestone and a risk on `project`."""
    milestone, _ = Milestone.objects.get_or_create(project=project, name="Their milestone")
    risk, _ = Risk.objects.get_or_create(
        project=project, number=1, defaults={"description": "Theirs", "probability": 2, "impact": 2}
    )
    return SimpleNamespace(milestone=milestone, risk=risk)


def write_attempts(ours, theirs, meetings):
    """name -> (who, URL, data, what the refusal shows: 403 or a message)."""
    june, july = meetings.june, meetings.july
    walked_owner, _ = Owner.objects.get_or_create(name="Walked owner")
    failed_pack, _ = IssuedPack.objects.get_or_create(
        meeting=june, part=IssuedPack.Part.PUBLIC, version=1, defaults={"status": IssuedPack.Status.FAILED}
    )
    # July's papers are issued: its meeting and agenda may no longer be deleted.
    IssuedPack.objects.get_or_create(
        meeting=july,
        part=IssuedPack.Part.PUBLIC,
        version=1,
        defaults={"status": IssuedPack.Status.ISSUED, "pdf": "packs/2010/july.pdf"},
    )
    money = money_parts(theirs.project)
    plan = plan_parts(theirs.project)
    new_milestone = {"name": "Planted", "status": "planned", "rag": RAG.NOT_RATED, "position": 0}
    new_risk = {"number": 9, "kind": "risk", "description": "Planted", "probability": 1, "impact": 1, "status": "open"}
    benefit_data = {"type": "cash_savings", "description": "Planted", "target_amount": "1", "position": 0, "version": 1}
    realised_data = {"financial_year": "2012/13", "amount": "9", "recorded_on": "2012-01-18", "version": 1}
    role_data = {"partner": money.partner.pk, "role": "partner", "version": 1}
    their_row = theirs.draft.rows.get()
    their_import, _ = ImportRun.objects.get_or_create(
        kind="actions",
        programme=theirs.programme,
        user=theirs.programme.managers.get(),
        defaults={"filename": "actions.csv", "size_bytes": 1, "sha256": "0" * 64, "file": "imports/actions.csv"},
    )
    report_rows = edit_data(ours.draft, management_summary="Edited")
    report_rows.update({"rows-0-id": their_row.pk, "rows-0-key_progress": "Rewritten"})
    new_project = {"name": "Planted", "ref": "planted", "rag": RAG.AMBER, "position": 9}
    new_action = {"title": "Planted", "rag": RAG.NOT_RATED}
    new_rec = {"number": 9, "text": "Planted", "kind": "recommendation", "rag": RAG.AMBER}
    their_narrative = draft_narrative_update(programme=theirs.programme, period_start=START, period_end=END, user=None)
    our_narrative = draft_narrative_update(programme=ours.programme, period_start=START, period_end=END, user=None)
    posting_their_section = narrative_edit_data(
        our_narrative, forms={1: {"id": their_narrative.sections.last().pk, "text": "Rewritten"}}
    )
    return {
        "programme edit": (
            "manager",
            reverse("programmes:edit", args=[theirs.programme.ref]),
            {"name": "Renamed", "ref": theirs.programme.ref, "stage": "definition", "rag": RAG.RED, "version": 1},
            403,
        ),
        "workstream create": (
            "manager",
            reverse("programmes:workstream_create", args=[theirs.programme.ref]),
            {"name": "Planted", "ref": "planted", "rag": RAG.AMBER, "position": 9},
            403,
        ),
        "workstream edit": (
            "manager",
            reverse("programmes:workstream_edit", args=[theirs.workstream.ref]),
            {"name": "Renamed", "ref": theirs.workstream.ref, "rag": RAG.RED, "position": 1, "version": 1},
            403,
        ),
        "project create in their workstream": (
            "manager",
            reverse("programmes:project_create", args=[theirs.workstream.ref]),
            {**new_project, "workstream": theirs.workstream.pk},
            403,
        ),
        "project create posting their workstream": (
            "manager",
            reverse("programmes:project_create", args=[ours.workstream.ref]),
            {**new_project, "workstream": theirs.workstream.pk},
            WORKSTREAM_MESSAGE,
        ),
        "project edit of theirs": (
            "manager",
            reverse("programmes:project_edit", args=[theirs.project.ref]),
            project_data(theirs.project, name="Renamed"),
            403,
        ),
        "project edit posting their workstream": (
            "manager",
            reverse("programmes:project_edit", args=[ours.project.ref]),
            project_data(ours.project, workstream=theirs.workstream.pk),
            WORKSTREAM_MESSAGE,
        ),
        "action create in their section": (
            "manager",
            reverse("actions:create"),
            {**new_action, "section": theirs.section.pk},
            MESSAGES["section"],
        ),
        "action create in their workstream": (
            "manager",
            reverse("actions:create"),
            {**new_action, "workstream": theirs.workstream.pk},
            MESSAGES["workstream"],
        ),
        "action create in their project": (
            "manager",
            reverse("actions:create"),
            {**new_action, "project": theirs.project.pk},
            MESSAGES["project"],
        ),
        "action create answering their recommendation": (
            "manager",
            reverse("actions:create"),
            {**new_action, "section": ours.section.pk, "recommendations": [theirs.recommendation.pk]},
            MESSAGES["recommendations"],
        ),
        "action edit of theirs": (
            "manager",
            reverse("actions:edit", args=[theirs.action.ref]),
            action_data(theirs.action, title="Renamed"),
            403,
        ),
        "action edit posting their section": (
            "manager",
            reverse("actions:edit", args=[ours.action.ref]),
            action_data(ours.action, section=theirs.section.pk),
            MESSAGES["section"],
        ),
        "action edit posting their workstream": (
            "manager",
            reverse("actions:edit", args=[ours.action.ref]),
            action_data(ours.action, workstream=theirs.workstream.pk),
            MESSAGES["workstream"],
        ),
        "action edit posting their project": (
            "manager",
            reverse("actions:edit", args=[ours.action.ref]),
            action_data(ours.action, project=theirs.project.pk),
            MESSAGES["project"],
        ),
        "action edit posting their recommendation": (
            "manager",
            reverse("actions:edit", args=[ours.action.ref]),
            action_data(ours.action, recommendations=[theirs.recommendation.pk]),
            MESSAGES["recommendations"],
        ),
        "recommendation create in their area": (
            "manager",
            reverse("actions:recommendation_create", args=[theirs.area.ref]),
            {**new_rec, "area": theirs.area.pk},
            403,
        ),
        "recommendation create posting their area": (
            "manager",
            reverse("actions:recommendation_create", args=[ours.area.ref]),
            {**new_rec, "area": theirs.area.pk},
            AREA_MESSAGE,
        ),
        "recommendation edit of theirs": (
            "manager",
            reverse("actions:recommendation_edit", args=[theirs.recommendation.ref]),
            recommendation_data(theirs.recommendation, text="Renamed"),
            403,
        ),
        "recommendation edit posting their area": (
            "manager",
            reverse("actions:recommendation_edit", args=[ours.recommendation.ref]),
            recommendation_data(ours.recommendation, area=theirs.area.pk),
            AREA_MESSAGE,
        ),
        "action update of theirs": (
            "manager",
            reverse("actions:update", args=[theirs.action.ref]),
            {"version": 1, "update_date": END.isoformat(), "note": "Not mine", "rag": RAG.RED, "status": "in_progress"},
            403,
        ),
        "project update of theirs": (
            "manager",
            reverse("programmes:project_update", args=[theirs.project.ref]),
            {"version": 1, "period_end": END.isoformat(), "key_progress": "Not mine", "rag": RAG.RED},
            403,
        ),
        "report start for their programme": (
            "manager",
            reverse("programmes:report_create", args=[theirs.programme.ref]),
            {"period_start": "2010-08-01", "period_end": "2010-08-31"},
            403,
        ),
        "report edit of theirs": (
            "manager",
            reverse("programmes:report_edit", args=[theirs.draft.pk]),
            edit_data(theirs.draft, management_summary="Edited"),
            403,
        ),
        "report edit posting their row": (
            "manager",
            reverse("programmes:report_edit", args=[ours.draft.pk]),
            report_rows,
            "Only this report&#x27;s own rows can be changed here",
        ),
        "report publish of theirs": ("manager", reverse("programmes:report_publish", args=[theirs.draft.pk]), {}, 403),
        "report correct of theirs": (
            "manager",
            reverse("programmes:report_correct", args=[theirs.published.pk]),
            {},
            403,
        ),
        "project initiation document of theirs": (
            "manager",
            reverse("programmes:project_initiation", args=[theirs.project.ref]),
            {"version": theirs.project.version, "objectives": "Not mine"},
            403,
        ),
        "funding totals edit of theirs": (
            "manager",
            reverse("programmes:project_funding_edit", args=[theirs.project.ref]),
            {"total_cost": "1", "version": theirs.project.version},
            403,
        ),
        "funder create on their project": (
            "manager",
            reverse("programmes:funder_create", args=[theirs.project.ref]),
            {"partner": money.partner.pk, "amount": "9", "kind": "revenue"},
            403,
        ),
        "funder edit of theirs": (
            "manager",
            reverse("programmes:funder_edit", args=[money.funder.pk]),
            {"partner": money.partner.pk, "amount": "9", "kind": "capital", "version": 1},
            403,
        ),
        "funder delete of theirs": (
            "manager",
            reverse("programmes:funder_delete", args=[money.funder.pk]),
            {"version": 1},
            403,
        ),
        "spend profile edit of theirs": (
            "manager",
            reverse("programmes:spend_profile_edit", args=[theirs.project.ref]),
            {"capital-1-q1": "9"},
            403,
        ),
        "benefit create on their project": (
            "manager",
            reverse("programmes:benefit_create", args=[theirs.project.ref]),
            benefit_data,
            403,
        ),
        "benefit edit of theirs": (
            "manager",
            reverse("programmes:benefit_edit", args=[money.benefit.pk]),
            benefit_data,
            403,
        ),
        "benefit delete of theirs": (
            "manager",
            reverse("programmes:benefit_delete", args=[money.benefit.pk]),
            {"version": 1},
            403,
        ),
        "realised amount create on their benefit": (
            "manager",
            reverse("programmes:realisation_create", args=[money.benefit.pk]),
            realised_data,
            403,
        ),
        "realised amount edit of theirs": (
            "manager",
            reverse("programmes:realisation_edit", args=[money.realisation.pk]),
            realised_data,
            403,
        ),
        "realised amount delete of theirs": (
            "manager",
            reverse("programmes:realisation_delete", args=[money.realisation.pk]),
            {"version": 1},
            403,
        ),
        "partner create by an officer": (
            "officer",
            reverse("programmes:partner_create"),
            {"name": "Planted", "kind": "council"},
            403,
        ),
        "partner edit by an officer": (
            "officer",
            reverse("programmes:partner_edit", args=[money.partner.ref]),
            {"name": "Renamed", "ref": money.partner.ref, "kind": "council", "version": 1},
            403,
        ),
        "partner's role create on their project": (
            "manager",
            reverse("programmes:project_partnership_create", args=[theirs.project.ref]),
            role_data,
            403,
        ),
        "partner's role create on their programme": (
            "manager",
            reverse("programmes:programme_partnership_create", args=[theirs.programme.ref]),
            role_data,
            403,
        ),
        "partner's role edit of theirs": (
            "manager",
            reverse("programmes:partnership_edit", args=[money.partnership.pk]),
            {**role_data, "role": "lead"},
            403,
        ),
        "partner's role delete of theirs": (
            "manager",
            reverse("programmes:partnership_delete", args=[money.partnership.pk]),
            {"version": 1},
            403,
        ),
        # People and teams, moving and sharing projects, putting a report row back.
        "owner create by a clerk": (
            "clerk",
            reverse("owner_create"),
            {"name": "Planted", "kind": "person"},
            403,
        ),
        "owner edit by a clerk": (
            "clerk",
            reverse("owner_edit", args=[walked_owner.pk]),
            {"name": "Renamed", "kind": "team", "version": walked_owner.version},
            403,
        ),
        "project move of theirs": (
            "manager",
            reverse("programmes:project_move", args=[theirs.project.ref]),
            {"version": theirs.project.version, "workstream": ours.workstream.pk, "reason": "Taken over"},
            403,
        ),
        "project move posting their workstream": (
            "manager",
            reverse("programmes:project_move", args=[ours.project.ref]),
            {"version": ours.project.version, "workstream": theirs.workstream.pk, "reason": "Taken over"},
            WORKSTREAM_MESSAGE,
        ),
        "project edit sharing into their workstream": (
            "manager",
            reverse("programmes:project_edit", args=[ours.project.ref]),
            project_data(ours.project, shared_with=[theirs.workstream.pk]),
            Project.SCOPE_SHARED,
        ),
        "report row restore of theirs": (
            "manager",
            reverse("programmes:report_row_restore", args=[theirs.draft.pk, theirs.project.pk]),
            {},
            403,
        ),
        "milestone create on their project": (
            "manager",
            reverse("programmes:milestone_create", args=[theirs.project.ref]),
            new_milestone,
            403,
        ),
        "milestone edit of theirs": (
            "manager",
            reverse("programmes:milestone_edit", args=[plan.milestone.ref]),
            {**new_milestone, "version": 1},
            403,
        ),
        "milestone update of theirs": (
            "manager",
            reverse("programmes:milestone_update", args=[plan.milestone.ref]),
            {"version": 1, "status": "achieved", "achieved_on": "2010-06-01"},
            403,
        ),
        "milestone update by an officer not responsible for it": (
            "officer",
            reverse("programmes:milestone_update", args=[plan.milestone.ref]),
            {"version": 1, "status": "achieved", "achieved_on": "2010-06-01"},
            403,
        ),
        "milestone delete of theirs": (
            "manager",
            reverse("programmes:milestone_delete", args=[plan.milestone.ref]),
            {"version": 1},
            403,
        ),
        "risk create on their project": (
            "manager",
            reverse("programmes:risk_create", args=[theirs.project.ref]),
            new_risk,
            403,
        ),
        "risk edit of theirs": (
            "manager",
            reverse("programmes:risk_edit", args=[plan.risk.ref]),
            {**new_risk, "number": 1, "version": 1},
            403,
        ),
        "risk update of theirs": (
            "manager",
            reverse("programmes:risk_update", args=[plan.risk.ref]),
            {"version": 1, "status": "closed", "mitigation": "Not mine"},
            403,
        ),
        "report cover edit by a manager": (
            "manager",
            reverse("committees:report_edit", args=[june.pk, 1]),
            {"title": "Planted", "fingerprint": ""},
            403,
        ),
        "report paragraph create by a manager": (
            "manager",
            reverse("committees:paragraph_add", args=[june.pk, 1]),
            {"kind": "paragraph", "text": "Planted"},
            403,
        ),
        "report paragraph edit by a manager": (
            "manager",
            reverse("committees:paragraph_edit", args=[june.pk, 1, meetings.paragraph.pk]),
            {"kind": "paragraph", "text": "Planted"},
            403,
        ),
        "report paragraph edit of another meeting's report": (
            "clerk",
            reverse("committees:paragraph_edit", args=[june.pk, 1, meetings.july_paragraph.pk]),
            {"kind": "paragraph", "text": "Planted"},
            404,
        ),
        "report paragraph move by a manager": (
            "manager",
            reverse("committees:paragraph_move", args=[june.pk, 1, meetings.paragraph.pk]),
            {"direction": "down"},
            403,
        ),
        "report paragraph remove by a manager": (
            "manager",
            reverse("committees:paragraph_remove", args=[june.pk, 1, meetings.paragraph.pk]),
            {},
            403,
        ),
        "report appendix create by a manager": (
            "manager",
            reverse("committees:appendix_add", args=[june.pk, 1]),
            {"kind": "matters_arising"},
            403,
        ),
        "report appendix create with a draft highlight report": (
            "clerk",
            reverse("committees:appendix_add", args=[june.pk, 1]),
            {"kind": "highlight_report", "highlight_report": ours.draft.pk},
            302,
        ),
        "report appendix move by a manager": (
            "manager",
            reverse("committees:appendix_move", args=[june.pk, 1, meetings.appendix.pk]),
            {"direction": "down"},
            403,
        ),
        "report appendix remove by a manager": (
            "manager",
            reverse("committees:appendix_remove", args=[june.pk, 1, meetings.appendix.pk]),
            {},
            403,
        ),
        # Narrative programme updates.
        "narrative draft for their programme": (
            "manager",
            reverse("programmes:narrative_create", args=[theirs.programme.ref]),
            {"period_start": START.isoformat(), "period_end": END.isoformat()},
            403,
        ),
        "narrative edit of theirs": (
            "manager",
            reverse("programmes:narrative_edit", args=[their_narrative.pk]),
            narrative_edit_data(their_narrative, title="Renamed"),
            403,
        ),
        "narrative edit posting their section": (
            "manager",
            reverse("programmes:narrative_edit", args=[our_narrative.pk]),
            posting_their_section,
            "own sections",
        ),
        "narrative set back to draft of theirs": (
            "manager",
            reverse("programmes:narrative_reopen", args=[their_narrative.pk]),
            {"version": their_narrative.version},
            403,
        ),
        # Minutes and the actions recorded under them.
        "minute create by a manager": (
            "manager",
            reverse("committees:minute_create", args=[june.pk]),
            {"number": 43, "title": "Planted"},
            403,
        ),
        "minute edit by a manager": (
            "manager",
            reverse("committees:minute_edit", args=[june.pk, 42]),
            {"number": 42, "title": "Renamed"},
            403,
        ),
        "minute remove by a manager": ("manager", reverse("committees:minute_remove", args=[june.pk, 42]), {}, 403),
        "minute action create by a manager": (
            "manager",
            reverse("committees:minute_action_create", args=[june.pk, 42]),
            {"title": "Planted", "owner": walked_owner.pk, "due_date": "2010-06-30"},
            403,
        ),
        "minute create reusing the committee's number": (
            "clerk",
            reverse("committees:minute_create", args=[july.pk]),
            {"number": 42, "title": "Planted"},
            "This committee already has a minute 42",
        ),
        "minute create under another meeting's agenda item": (
            "clerk",
            reverse("committees:minute_create", args=[june.pk]),
            {"number": 43, "title": "Planted", "agenda_item": july.agenda_items.get().pk},
            "Select a valid choice",
        ),
        "minute action create under another meeting's minute": (
            "clerk",
            reverse("committees:minute_action_create", args=[july.pk, 42]),
            {"title": "Planted", "owner": walked_owner.pk, "due_date": "2010-06-30"},
            404,
        ),
        "pack issue by a manager": (
            "manager",
            reverse("committees:pack_issue", args=[june.pk]),
            {"part": IssuedPack.Part.PUBLIC},
            403,
        ),
        "issued pack retry by a manager": (
            "manager",
            reverse("committees:issued_retry", args=[failed_pack.pk]),
            {},
            403,
        ),
        "report appendix upload by a manager": (
            "manager",
            reverse("committees:appendix_add", args=[june.pk, 1]),
            {"kind": "uploaded", "file": SimpleUploadedFile("paper.pdf", b"%PDF-1.4\n")},
            403,
        ),
        "report appendix upload of a file that is not a PDF": (
            "clerk",
            reverse("committees:appendix_add", args=[june.pk, 1]),
            {"kind": "uploaded", "file": SimpleUploadedFile("paper.pdf", b"Not a PDF")},
            302,
        ),
        "spreadsheet import into another manager's programme": (
            "manager",
            reverse("exchange:import_new", args=["actions"]),
            {"target": theirs.programme.pk, "file": SimpleUploadedFile("actions.csv", b"Ref,Action\n,Planted\n")},
            "Select a valid choice",
        ),
        "spreadsheet import by an officer": (
            "officer",
            reverse("exchange:import_new", args=["actions"]),
            {"target": ours.programme.pk, "file": SimpleUploadedFile("actions.csv", b"Ref,Action\n,Planted\n")},
            403,
        ),
        "applying another manager's import": (
            "manager",
            reverse("exchange:import_apply", args=[their_import.pk]),
            {"sha256": their_import.sha256},
            404,
        ),
        "report appendix figures of theirs": (
            "manager",
            reverse("programmes:report_figures", args=[theirs.draft.pk]),
            {"kinds": ["rag_now"]},
            403,
        ),
        "report appendix figures by an officer": (
            "officer",
            reverse("programmes:report_figures", args=[ours.draft.pk]),
            {"kinds": ["rag_now"]},
            403,
        ),
        "meeting delete by a manager": ("manager", reverse("committees:meeting_delete", args=[june.pk]), {}, 403),
        "meeting delete by an officer": ("officer", reverse("committees:meeting_delete", args=[june.pk]), {}, 403),
        "meeting delete with minutes recorded": (
            "clerk",
            reverse("committees:meeting_delete", args=[june.pk]),
            {},
            "Minutes are recorded for this meeting",
        ),
        "meeting delete after its pack is issued": (
            "clerk",
            reverse("committees:meeting_delete", args=[july.pk]),
            {},
            "The papers for this meeting have been issued",
        ),
        "agenda item delete by a manager": (
            "manager",
            reverse("committees:agenda_item_delete", args=[june.pk, 1]),
            {},
            403,
        ),
        "agenda item delete by an outsider": (
            "outsider",
            reverse("committees:agenda_item_delete", args=[june.pk, 1]),
            {},
            403,
        ),
        "agenda item delete after the pack is issued": (
            "clerk",
            reverse("committees:agenda_item_delete", args=[july.pk, 2]),
            {},
            "so its agenda cannot be deleted",
        ),
        "agenda item delete of another meeting's item": (
            "clerk",
            reverse("committees:agenda_item_delete", args=[june.pk, 2]),
            {},
            404,
        ),
        "meeting create by a manager": (
            "manager",
            reverse("committees:meeting_create", args=[meetings.committee.ref]),
            {"date": "2010-09-01"},
            403,
        ),
        "meeting edit by a manager": (
            "manager",
            reverse("committees:meeting_edit", args=[june.pk]),
            {"date": "2010-06-02"},
            403,
        ),
        "agenda item create by a manager": (
            "manager",
            reverse("committees:agenda_item_create", args=[june.pk]),
            {"number": 2, "title": "Planted"},
            403,
        ),
        "agenda item edit by a manager": (
            "manager",
            reverse("committees:agenda_item_edit", args=[june.pk, 1]),
            {"number": 1, "title": "Renamed"},
            403,
        ),
        "agenda item edit of another meeting's item": (
            "clerk",
            reverse("committees:agenda_item_edit", args=[june.pk, 2]),
            {"number": 2, "title": "Renamed"},
            404,
        ),
        "pack contents by a manager": (
            "manager",
            reverse("committees:pack_contents", args=[june.pk]),
            {"reports": [ours.published.pk]},
            403,
        ),
        "pack cover from another meeting": (
            "clerk",
            reverse("committees:pack_contents", args=[june.pk]),
            {"pack_item": july.agenda_items.get().pk},
            "Select a valid choice",
        ),
        "pack with a draft report": (
            "clerk",
            reverse("committees:pack_contents", args=[june.pk]),
            {"reports": [ours.draft.pk]},
            "Select a valid choice",
        ),
    }


WRITE_ATTEMPTS = [
    "programme edit",
    "workstream create",
    "workstream edit",
    "project create in their workstream",
    "project create posting their workstream",
    "project edit of theirs",
    "project edit posting their workstream",
    "action create in their section",
    "action create in their workstream",
    "action create in their project",
    "action create answering their recommendation",
    "action edit of theirs",
    "action edit posting their section",
    "action edit posting their workstream",
    "action edit posting their project",
    "action edit posting their recommendation",
    "recommendation create in their area",
    "recommendation create posting their area",
    "recommendation edit of theirs",
    "recommendation edit posting their area",
    "action update of theirs",
    "project update of theirs",
    "report start for their programme",
    "report edit of theirs",
    "report edit posting their row",
    "report publish of theirs",
    "report correct of theirs",
    "funding totals edit of theirs",
    "funder create on their project",
    "funder edit of theirs",
    "funder delete of theirs",
    "spend profile edit of theirs",
    "benefit create on their project",
    "benefit edit of theirs",
    "benefit delete of theirs",
    "realised amount create on their benefit",
    "realised amount edit of theirs",
    "realised amount delete of theirs",
    "partner create by an officer",
    "partner edit by an officer",
    "partner's role create on their project",
    "partner's role create on their programme",
    "partner's role edit of theirs",
    "partner's role delete of theirs",
    "owner create by a clerk",
    "owner edit by a clerk",
    "project move of theirs",
    "project move posting their workstream",
    "project edit sharing into their workstream",
    "report row restore of theirs",
    "milestone create on their project",
    "milestone edit of theirs",
    "milestone update of theirs",
    "milestone update by an officer not responsible for it",
    "milestone delete of theirs",
    "risk create on their project",
    "risk edit of theirs",
    "risk update of theirs",
    "report cover edit by a manager",
    "report paragraph create by a manager",
    "report paragraph edit by a manager",
    "report paragraph edit of another meeting's report",
    "report paragraph move by a manager",
    "report paragraph remove by a manager",
    "report appendix create by a manager",
    "report appendix create with a draft highlight report",
    "report appendix move by a manager",
    "report appendix remove by a manager",
    "narrative draft for their programme",
    "narrative edit of theirs",
    "narrative edit posting their section",
    "narrative set back to draft of theirs",
    "minute create by a manager",
    "minute edit by a manager",
    "minute remove by a manager",
    "minute action create by a manager",
    "minute create reusing the committee's number",
    "minute create under another meeting's agenda item",
    "minute action create under another meeting's minute",
    "report appendix upload by a manager",
    "report appendix upload of a file that is not a PDF",
    "spreadsheet import into another manager's programme",
    "spreadsheet import by an officer",
    "applying another manager's import",
    "report appendix figures of theirs",
    "report appendix figures by an officer",
    "meeting delete by a manager",
    "meeting delete by an officer",
    "meeting delete with minutes recorded",
    "meeting delete after its pack is issued",
    "agenda item delete by a manager",
    "agenda item delete by an outsider",
    "agenda item delete after the pack is issued",
    "agenda item delete of another meeting's item",
    "meeting create by a manager",
    "meeting edit by a manager",
    "agenda item create by a manager",
    "agenda item edit by a manager",
    "agenda item edit of another meeting's item",
    "pack contents by a manager",
    "pack cover from another meeting",
    "pack with a draft report",
    "pack issue by a manager",
    "issued pack retry by a manager",
]


@pytest.mark.parametrize("name", WRITE_ATTEMPTS)
def test_every_write_url_refuses_a_parent_the_user_does_not_manage(request, client, ours, theirs, meetings, name):
    who, url, data, refusal = write_attempts(ours, theirs, meetings)[name]
    user = request.getfixturevalue(who)  # first: an officer's fixture makes their team (an Owner)
    before = snapshot()
    client.force_login(user)
    response = client.post(url, data)
    if isinstance(refusal, int):
        assert response.status_code == refusal
    else:
        assert response.status_code == 200
        assert refusal in response.content.decode()
    assert snapshot() == before


def test_the_walk_covers_every_write_url(ours, theirs, meetings):
    """A new write URL must join the walk above. Creating a programme is the
    one write with no parent to be outside of (only managers may, tested in
    test_officer_workflow)."""
    tried = {resolve(url).view_name for _, url, _, _ in write_attempts(ours, theirs, meetings).values()}
    writes = {
        name
        for _, name in all_routes()
        if not name.startswith("admin:")
        and name.rsplit(":", 1)[-1].endswith(
            ("create", "edit", "update", "publish", "correct", "contents", "issue", "retry", "_new", "apply", "delete")
        )
    }
    assert writes - {"programmes:create"} <= tried
