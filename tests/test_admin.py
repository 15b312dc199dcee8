"""The Django admin: every model is registered and its pages work, RAG is shown
in words, search works, history is kept, and updates are append-only."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import (
    ActionItem,
    ActionPlan,
    ActionPlanSection,
    ActionUpdate,
    DueDateRevision,
    Finding,
    Recommendation,
    Review,
    ReviewArea,
    Status,
)
from committees.models import AgendaItem, Committee, IssuedPack, Meeting, Minute, MinutedAction
from core.models import RAG, EditConflict, Owner
from programmes.models import (
    Benefit,
    BenefitRealisation,
    Funder,
    HighlightReport,
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
from programmes.services import draft_highlight_report, publish_highlight_report
from workspace.models import ReminderDigest

APPS = {"core", "programmes", "actions", "committees", "workspace"}
EXPECTED_MODELS = {
    Owner,
    Committee,
    Meeting,
    AgendaItem,
    MinutedAction,
    IssuedPack,
    Minute,
    Programme,
    Workstream,
    Project,
    ProjectUpdate,
    HighlightReport,
    HighlightReportRow,
    Review,
    ReviewArea,
    Finding,
    Recommendation,
    ActionPlan,
    ActionPlanSection,
    ActionItem,
    ActionUpdate,
    DueDateRevision,
    ReminderDigest,
    # Funding, benefits and savings, partner organisations.
    Funder,
    SpendProfileEntry,
    Benefit,
    BenefitRealisation,
    Partner,
    Partnership,
    # Milestones and the risk and issue register.
    Milestone,
    Risk,
    # Narrative programme updates (issue 11), read-only here.
    NarrativeUpdate,
}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def oip(db):
    """One of everything, wired together as the seeds would be."""
    owner = Owner.objects.create(name="Lorna Blackwood", full_name="Lorna Blackwood", kind=Owner.Kind.PERSON)
    committee = Committee.objects.create(
        name="Improvement and Efficiency Sub-Committee", short_name="I&E sub-committee", ref="ie-sub"
    )
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 15), venue="Bromley Civic Centre")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Organisational Improvement Programme update")
    IssuedPack.objects.create(meeting=meeting, version=1, status=IssuedPack.Status.FAILED, error="Planted")
    Minute.objects.create(
        meeting=meeting, number=38, title="Matters arising from previous meetings", resolved="the report be noted."
    )
    programme = Programme.objects.create(
        name="Organisational Improvement Programme",
        ref="oip",
        rag=RAG.AMBER,
        owner=owner,
        due_date=datetime.date(2011, 3, 31),
        due_wording="end of March 2011",
    )
    committee.programmes.add(programme)
    workstream = Workstream.objects.create(programme=programme, name="Customer access", ref="customer-access")
    project = Project.objects.create(
        workstream=workstream,
        name="Contact centre consolidation",
        ref="contact-centre",
        rag=RAG.GREEN,
        owner=owner,
        due_date=datetime.date(2010, 12, 31),
    )
    ProjectUpdate.objects.create(
        project=project, period_end=datetime.date(2010, 5, 31), key_progress="Business case agreed.", rag=RAG.GREEN
    )
    report = publish_highlight_report(
        report=draft_highlight_report(
            programme=programme,
            period_start=datetime.date(2010, 4, 22),
            period_end=datetime.date(2010, 6, 6),
            user=None,
        ),
        user=None,
    )
    review = Review.objects.create(
        ref="lec-2010",
        title="London Efficiency Challenge 2010",
        reviewing_body="Capital Ambition",
        review_date=datetime.date(2010, 1, 20),
    )
    area = ReviewArea.objects.create(review=review, number=1, title="Leadership", ref="lec-2010-1")
    Finding.objects.create(area=area, number=1, text="Strong political leadership.", ref="lec-2010-1-f1")
    recommendation = Recommendation.objects.create(
        area=area, number=1, text="Publish a single improvement plan.", ref="lec-2010-1-r1", owner=owner
    )
    plan = ActionPlan.objects.create(review=review, ref="lec-2010-plan", title="LEC action plan")
    section = ActionPlanSection.objects.create(plan=plan, number=1, title="Leadership", area=area, ref="lec-plan-1")
    action = ActionItem.objects.create(
        title="Draft the improvement plan",
        section=section,
        rag=RAG.AMBER,
        owner=owner,
        due_date=datetime.date(2010, 6, 30),
        due_wording="by end of June 2010",
        status=Status.IN_PROGRESS,
    )
    action.recommendations.add(recommendation)
    update = ActionUpdate.objects.create(action=action, note="First draft circulated.", rag_after=RAG.AMBER)
    DueDateRevision.objects.create(
        action=action, old_date=datetime.date(2010, 5, 31), new_date=action.due_date, reason="Waiting for COE"
    )
    ReminderDigest.objects.create(
        user=get_user_model().objects.first(), sent_on=datetime.date(2010, 6, 1), item_count=1
    )
    matter = ActionItem.objects.create(title="Report back on the LEC feedback", owner=owner)
    bexley = Partner.objects.create(name="London Borough of Bexley", short_name="LB Bexley", ref="lb-bexley")
    Funder.objects.create(project=project, partner=bexley, amount=250_000, kind="capital", decision_wording="July 2010")
    SpendProfileEntry.objects.create(project=project, kind="capital", year=1, quarter=3, amount=83_333)
    benefit = Benefit.objects.create(project=project, type="cash_savings", description="Savings", target_amount=1)
    BenefitRealisation.objects.create(benefit=benefit, financial_year=2011, amount=1)
    Partnership.objects.create(partner=bexley, project=project, role="lead")
    MinutedAction.objects.create(action=matter, meeting=meeting, minute_number="42", minute_title="LEC feedback")
    Milestone.objects.create(project=project, number="1.1", name="Partnership agreement signed", owner=owner)
    Risk.objects.create(project=project, number=1, description="Partners' priorities diverge", probability=2, impact=3)
    narrative = NarrativeUpdate.objects.create(
        programme=programme,
        title="Organisational Improvement Programme update",
        period_start=datetime.date(2010, 4, 22),
        period_end=datetime.date(2010, 6, 6),
    )
    NarrativeSection.objects.create(narrative=narrative, position=1, heading="Customer access", text="Agreed.")
    return {
        "owner": owner,
        "project": project,
        "action": action,
        "update": update,
        "recommendation": recommendation,
        "report": report,
    }


def form_data(response):
    """The POST data a browser would send back, unchanged, from an admin change form.

    Existing inline rows are posted as they are; extra (blank) inline forms are left out.
    """
    context = response.context
    data = {}
    forms = [context["adminform"].form]
    for inline_admin_formset in context["inline_admin_formsets"]:
        formset = inline_admin_formset.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[management.add_prefix("TOTAL_FORMS")] = formset.initial_form_count()
        forms.extend(formset.initial_forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = "on" if value is True else value
    return data


def test_every_model_is_registered():
    assert set(REGISTERED) == EXPECTED_MODELS


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_and_change_page(admin_client, oip, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1

    obj = model.objects.first()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200

    response = admin_client.get(admin_url(model, "add"))
    # Records written only by the application (revisions, reminder digests) cannot be added by hand.
    can_add = admin.site._registry[model].has_add_permission(response.wsgi_request)
    assert response.status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_search(admin_client, oip, model):
    """Every changelist is searchable, and an impossible term finds nothing."""
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    response = admin_client.get(admin_url(model, "changelist"), {"q": "zzqx-no-such-thing"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_action_changelist_shows_rag_word_owner_and_due_wording(admin_client, oip):
    response = admin_client.get(reverse("admin:actions_actionitem_changelist"))
    content = response.content.decode()
    assert "Amber" in content
    assert "Lorna Blackwood" in content
    assert "by end of June 2010" in content


def test_action_changelist_filters_by_rag_and_owner(admin_client, oip):
    url = reverse("admin:actions_actionitem_changelist")
    response = admin_client.get(url, {"rag__exact": RAG.AMBER, "owner__id__exact": oip["owner"].pk})
    assert list(response.context["cl"].result_list) == [oip["action"]]
    response = admin_client.get(url, {"rag__exact": RAG.RED})
    assert response.context["cl"].result_count == 0


def test_search_finds_by_title_word(admin_client, oip):
    response = admin_client.get(reverse("admin:actions_actionitem_changelist"), {"q": "improvement"})
    assert list(response.context["cl"].result_list) == [oip["action"]]

    response = admin_client.get(reverse("admin:programmes_project_changelist"), {"q": "consolidation"})
    assert list(response.context["cl"].result_list) == [oip["project"]]


def test_action_changelist_queries_do_not_grow_per_row(admin_client, oip, django_assert_max_num_queries):
    url = reverse("admin:actions_actionitem_changelist")
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    action = oip["action"]
    for n in range(5):
        other_owner = Owner.objects.create(name=f"Team {n}")
        ActionItem.objects.create(title=f"Another action {n}", section=action.section, owner=other_owner)
    with django_assert_max_num_queries(len(one_row)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 7  # the fixture's two actions and five more


def test_project_history_lists_admin_edit(admin_client, oip):
    project = oip["project"]
    change_url = reverse("admin:programmes_project_change", args=[project.pk])
    data = form_data(admin_client.get(change_url))
    data["rag"] = RAG.RED
    data["due_wording"] = "by Christmas"

    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.rag == RAG.RED

    history_url = reverse("admin:programmes_project_history", args=[project.pk])
    response = admin_client.get(history_url)
    assert response.status_code == 200
    assert project.history.count() == 2
    latest = project.history.first()
    assert latest.history_type == "~"
    assert latest.history_user.is_superuser
    content = response.content.decode()
    assert "Changed" in content
    assert "by Christmas" in content
    # The update inline was posted back untouched, so it was not duplicated or altered.
    assert project.updates.count() == 1


def test_existing_action_update_cannot_be_changed(admin_client, oip):
    update = oip["update"]
    change_url = reverse("admin:actions_actionupdate_change", args=[update.pk])

    response = admin_client.get(change_url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert 'name="note"' not in response.content.decode()

    response = admin_client.post(
        change_url,
        {"action": update.action_id, "update_date": "2010-06-01", "note": "Rewritten history.", "recorded_at_0": ""},
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.note == "First draft circulated."

    response = admin_client.post(reverse("admin:actions_actionupdate_delete", args=[update.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ActionUpdate.objects.filter(pk=update.pk).exists()


def test_existing_project_update_cannot_be_changed(admin_client, oip):
    update = oip["project"].updates.get()
    change_url = reverse("admin:programmes_projectupdate_change", args=[update.pk])
    response = admin_client.post(change_url, {"project": update.project_id, "key_progress": "Rewritten."})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.key_progress == "Business case agreed."


def test_action_update_can_be_added_and_is_credited_to_the_admin(admin_client, admin_user, oip):
    response = admin_client.post(
        reverse("admin:actions_actionupdate_add"),
        {
            "action": oip["action"].pk,
            "update_date": "2010-06-20",
            "note": "Plan approved by COE.",
            "rag_after": RAG.GREEN,
            "recorded_at_0": "2010-06-20",
            "recorded_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = ActionUpdate.objects.get(note="Plan approved by COE.")
    assert added.author == admin_user


def test_project_inline_shows_existing_updates_read_only_and_accepts_new(admin_client, admin_user, oip):
    project = oip["project"]
    change_url = reverse("admin:programmes_project_change", args=[project.pk])
    response = admin_client.get(change_url)
    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is ProjectUpdate
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    assert inline.has_add_permission

    data = form_data(response)
    data["updates-TOTAL_FORMS"] = 2
    data.update(
        {
            "updates-1-project": project.pk,
            "updates-1-period_end": "2010-06-30",
            "updates-1-key_progress": "Site chosen.",
            "updates-1-rag": RAG.GREEN,
            "updates-1-recorded_at_0": "2010-07-01",
            "updates-1-recorded_at_1": "09:00:00",
        }
    )
    response = admin_client.post(change_url, data)
    assert response.status_code == 302
    assert project.updates.count() == 2
    new = project.updates.get(key_progress="Site chosen.")
    assert new.author == admin_user
    assert project.updates.get(key_progress="Business case agreed.").rag == RAG.GREEN


def test_recommendation_page_lists_answering_actions(admin_client, oip):
    response = admin_client.get(reverse("admin:actions_recommendation_change", args=[oip["recommendation"].pk]))
    content = response.content.decode()
    assert "actions answering this recommendation" in content.lower()
    assert "Draft the improvement plan" in content
    assert "by end of June 2010" in content


def test_highlight_report_changelist_shows_period_status_and_overall_rag_word(admin_client, oip):
    response = admin_client.get(reverse("admin:programmes_highlightreport_changelist"))
    content = response.content.decode()
    assert "22 Apr 2010 to 6 Jun 2010" in content
    assert "Published" in content
    assert '<span class="rag rag-green">Green</span>' in content
    assert "delete_selected" not in content


def test_published_highlight_report_is_read_only_in_admin(admin_client, oip):
    report = oip["report"]
    change_url = reverse("admin:programmes_highlightreport_change", args=[report.pk])

    response = admin_client.get(change_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert 'name="management_summary"' not in content
    assert 'name="rows-0-key_progress"' not in content
    assert "Business case agreed." in content

    response = admin_client.post(change_url, {"management_summary": "Rewritten after the committee."})
    assert response.status_code == 403
    response = admin_client.post(reverse("admin:programmes_highlightreport_delete", args=[report.pk]), {"post": "yes"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.management_summary != "Rewritten after the committee."
    assert report.status == HighlightReport.Status.PUBLISHED


def test_draft_highlight_report_wording_can_be_corrected_in_admin_but_not_its_status(admin_client, oip):
    report = oip["report"]
    report.programme.managers.clear()
    draft = draft_highlight_report(
        programme=report.programme,
        period_start=datetime.date(2010, 6, 7),
        period_end=datetime.date(2010, 7, 20),
        user=None,
    )
    change_url = reverse("admin:programmes_highlightreport_change", args=[draft.pk])
    response = admin_client.get(change_url)
    assert 'name="status"' not in response.content.decode()
    data = form_data(response)
    data["management_summary"] = "Corrected in the admin."
    data["rows-0-next_tasks"] = "Agree the site."
    data["status"] = HighlightReport.Status.PUBLISHED

    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.management_summary, draft.status) == ("Corrected in the admin.", HighlightReport.Status.DRAFT)
    assert draft.rows.get().next_tasks == "Agree the site."


def test_highlight_report_row_is_read_only_in_admin(admin_client, oip):
    row = oip["report"].rows.get()
    change_url = reverse("admin:programmes_highlightreportrow_change", args=[row.pk])
    assert 'name="_save"' not in admin_client.get(change_url).content.decode()
    response = admin_client.post(change_url, {"key_progress": "Rewritten."})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.key_progress == "Business case agreed."


def test_admin_save_after_someone_elses_is_refused_with_what_they_changed(admin_client, oip, manager):
    """Two people editing the same project, one in the admin: the later save
    must not silently overwrite the earlier one."""
    project = oip["project"]
    change_url = reverse("admin:programmes_project_change", args=[project.pk])
    data = form_data(admin_client.get(change_url))
    assert data["version"] == project.version

    # Meanwhile someone else saves the project.
    project.refresh_from_db()
    project.rag = RAG.RED
    project._history_user = manager
    project.save()

    data["due_wording"] = "by Christmas"
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this while you were editing it" in page
    assert "RAG status: Green → Red" in page
    project.refresh_from_db()
    assert project.rag == RAG.RED
    assert project.due_wording != "by Christmas"

    # Having merged the other change, saving again (the form is now at the
    # current version) goes through.
    again = form_data(response)
    again["due_wording"] = "by Christmas"
    again["rag"] = RAG.RED
    assert admin_client.post(change_url, again).status_code == 302
    project.refresh_from_db()
    assert (project.rag, project.due_wording) == (RAG.RED, "by Christmas")


def test_admin_save_racing_another_is_refused_with_a_message_and_nothing_saved(admin_client, oip, monkeypatch):
    """Someone saves between the form's version check and the admin's save."""
    from core import admin as core_admin

    project = oip["project"]
    change_url = reverse("admin:programmes_project_change", args=[project.pk])
    data = form_data(admin_client.get(change_url))
    data["due_wording"] = "by Christmas"

    def someone_else_saved_first(obj, **kwargs):
        raise EditConflict(type(obj).objects.get(pk=obj.pk), kwargs["expected_version"])

    monkeypatch.setattr(core_admin, "save_with_services", someone_else_saved_first)
    response = admin_client.post(change_url, data, follow=True)
    assert response.redirect_chain[-1][0] == change_url
    assert "saved this at the same moment, so your changes have not been saved" in response.content.decode()
    project.refresh_from_db()
    assert project.due_wording != "by Christmas"
