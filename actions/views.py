from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actions import review_imports
from actions.access import (
    ACTION_PARENTS,
    get_action_for_user,
    get_recommendation_for_user,
    get_review_for_user,
    get_review_page_for_user,
)
from actions.filters import ActionFilter
from actions.forms import ActionForm, ActionUpdateForm, RecommendationForm
from actions.imports import ACTIONS
from actions.models import ActionItem, Progress, Recommendation, Review, ReviewArea
from actions.services import record_action_update
from core.forms import add_conflict_error, add_model_errors
from core.history import history_entries
from core.imports import export_sheet
from core.models import EditConflict
from core.page_cache import render_with_cached_part
from core.permissions import manages
from core.spreadsheets import DOWNLOAD_FORMATS, download
from core.views import edit_page

PAGE_SIZE = 25


def review_list(request):
    return render(request, "actions/review_list.html", {"reviews": Review.objects.all()})


def review_detail(request, ref):
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        return review_imports.review_download(get_review_for_user(request, ref), fmt)

    def page_context():
        page = get_review_page_for_user(request, ref, area=request.GET.get("area"))
        programme_ids = [plan.programme_id for plan in page.review.action_plans.all()]
        can_add = Recommendation(area=ReviewArea(review=page.review)).can_be_edited_by(request.user, programme_ids)
        return {"review": page.review, "page": page, "can_add": can_add}

    review = get_review_for_user(request, ref, heading_only=True)
    return render_with_cached_part(
        request, "actions/review_detail.html", "actions:review", {"review": review}, page_context
    )


def review_progress(request, ref):
    """The committee's "LEC action plan progress" table."""
    review = get_review_for_user(request, ref)
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        return review_imports.progress_download(review, fmt)
    return render(request, "actions/review_progress.html", {"review": review, "categories": Progress.choices})


def recommendation_detail(request, ref):
    recommendation = get_recommendation_for_user(request, ref)
    can_edit = recommendation.can_be_edited_by(request.user)
    context = {
        "recommendation": recommendation,
        "can_edit": can_edit,
        "history": history_entries(recommendation) if can_edit else None,
    }
    return render(request, "actions/recommendation_detail.html", context)


def action_list(request):
    actions = ActionItem.objects.select_related(*ACTION_PARENTS, "arising").with_last_update()
    filterset = ActionFilter(request.GET, queryset=actions)
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        rows = ACTIONS.export_rows(filterset.qs)
        return download(fmt, export_sheet(ACTIONS, rows), "actions")
    # The recommendations each row answers, fetched once for the whole page
    # (lazily: a cached page runs none of it).
    rows = filterset.qs.prefetch_related(Prefetch("recommendations", Recommendation.objects.select_related("area")))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actions/action_list.html", {"filter": filterset, "page": page})


def action_detail(request, ref):
    action = get_action_for_user(request, ref)
    user = request.user
    context = {
        "action": action,
        "can_update": action.can_be_updated_by(user),
        "can_edit": action.can_be_edited_by(user),
        "history": history_entries(action) if manages(user, action.programme_id, "actions.view_actionitem") else None,
    }
    return render(request, "actions/action_detail.html", context)


def action_update(request, ref):
    action = get_action_for_user(request, ref, for_progress=True)
    form = ActionUpdateForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_action_update(
                action=action,
                user=request.user,
                expected_version=data["version"],
                note=data["note"],
                update_date=data["update_date"],
                rag=data["rag"],
                status=data["status"],
                completed_on=data.get("completed_on"),
                due_date=data.get("due_date"),
                due_change_reason=data.get("due_change_reason", ""),
                author_name=data.get("author_name", ""),
            )
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            action = get_action_for_user(request, ref, for_progress=True)
        except ValidationError as error:
            add_model_errors(form, error)
            action = get_action_for_user(request, ref, for_progress=True)  # as saved, not as refused
        else:
            messages.success(request, f"Update saved for “{action.title}”.")
            return redirect(action)
    return render(request, "actions/action_update.html", {"action": action, "form": form})


def action_create(request):
    if not request.user.has_perm("actions.add_actionitem"):
        raise PermissionDenied("Only programme managers can add actions.")
    # The new action's programme comes from the workstream, project or plan
    # section chosen: the form offers only this user's, and
    # ActionItem.validate_scope refuses any other on save.
    form = ActionForm(request.POST or None, user=request.user)
    return edit_page(
        request, form, title="New action", message="Action “{obj.title}” created.", cancel_url=reverse("actions:list")
    )


def action_edit(request, ref):
    action = get_action_for_user(request, ref, for_edit=True)
    form = ActionForm(request.POST or None, instance=action, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit action: {action.title}",
        message="Action “{obj.title}” saved.",
        cancel_url=action.get_absolute_url(),
    )


def recommendation_create(request, area_ref):
    area = get_object_or_404(
        ReviewArea.objects.select_related("review").prefetch_related("review__action_plans"), ref=area_ref
    )
    recommendation = Recommendation(area=area)
    programme_ids = [plan.programme_id for plan in area.review.action_plans.all()]
    if not recommendation.can_be_edited_by(request.user, programme_ids):
        raise PermissionDenied("Only the managers of the programme delivering this review can add to it.")
    form = RecommendationForm(request.POST or None, instance=recommendation, initial={"area": area}, user=request.user)
    return edit_page(
        request,
        form,
        title=f"New recommendation in {area}",
        message="Recommendation added.",
        cancel_url=area.get_absolute_url(),
    )


def recommendation_edit(request, ref):
    recommendation = get_recommendation_for_user(request, ref, for_edit=True)
    form = RecommendationForm(request.POST or None, instance=recommendation, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit recommendation {recommendation.area.number}.{recommendation.number}",
        message="Recommendation saved.",
        cancel_url=recommendation.get_absolute_url(),
    )
