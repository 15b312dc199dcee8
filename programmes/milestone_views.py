"""A project's milestones: managers add, change and remove them; the
responsible officer, the project's owner or a manager records progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import add_conflict_error, add_model_errors, save_from_request
from core.history import history_entries
from core.models import EditConflict
from programmes.access import delivery_rollup, get_milestone_for_user, get_project_for_user
from programmes.forms import MilestoneForm, MilestoneProgressForm, RemoveForm
from programmes.models import Milestone
from programmes.services import delete_part, record_milestone_progress


def milestone_detail(request, ref):
    """A milestone's own address is its row on its project's page."""
    return redirect(get_milestone_for_user(request, ref).project_anchor_url)


def milestone_create(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = MilestoneForm(request.POST or None, instance=Milestone(project=project), user=request.user)
    if saved := save_from_request(request, form, "Milestone “{obj}” added."):
        return redirect(saved.project_anchor_url)
    context = {
        "form": form,
        "title": f"New milestone for {project}",
        "cancel_url": f"{project.get_absolute_url()}#milestones",
    }
    return render(request, "programmes/plan_item_form.html", context)


def milestone_edit(request, ref):
    milestone = get_milestone_for_user(request, ref, for_edit=True)
    form = MilestoneForm(request.POST or None, instance=milestone, user=request.user)
    if saved := save_from_request(request, form, "Milestone “{obj}” saved."):
        return redirect(saved.project_anchor_url)
    context = {
        "form": form,
        "title": f"Edit milestone: {milestone}",
        "subtitle": milestone.project.name,
        "cancel_url": milestone.project_anchor_url,
        "history": history_entries(milestone),
        "remove_url": reverse("programmes:milestone_delete", args=[milestone.ref]),
    }
    return render(request, "programmes/plan_item_form.html", context)


def milestone_delete(request, ref):
    """Confirm, then remove (POST). Removing one the user has not seen the
    latest of is refused, as a stale save is."""
    milestone = get_milestone_for_user(request, ref, for_edit=True)
    form = RemoveForm(request.POST or None, initial={"version": milestone.version})
    if request.method == "POST" and form.is_valid():
        try:
            delete_part(part=milestone, user=request.user, expected_version=form.cleaned_data["version"])
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            milestone = get_milestone_for_user(request, ref, for_edit=True)
        else:
            messages.success(request, f"Milestone “{milestone}” removed.")
            return redirect(f"{milestone.project.get_absolute_url()}#milestones")
    context = {"form": form, "item": milestone, "noun": "milestone", "cancel_url": milestone.project_anchor_url}
    return render(request, "programmes/plan_item_remove.html", context)


def milestone_update(request, ref):
    milestone = get_milestone_for_user(request, ref, for_progress=True)
    form = MilestoneProgressForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record_milestone_progress(
                milestone=milestone,
                user=request.user,
                expected_version=data.pop("version"),
                status=data.pop("status"),
                rag=data.pop("rag") or None,
                **data,
            )
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            milestone = get_milestone_for_user(request, ref, for_progress=True)
        except ValidationError as error:
            add_model_errors(form, error)
            milestone = get_milestone_for_user(request, ref, for_progress=True)  # as saved, not as refused
        else:
            messages.success(request, f"Progress saved for milestone “{milestone}”.")
            return redirect(milestone.project_anchor_url)
    context = {
        "form": form,
        "title": f"Record progress: {milestone}",
        "subtitle": milestone.project.name,
        "item": milestone,
        "cancel_url": milestone.project_anchor_url,
    }
    return render(request, "programmes/plan_item_form.html", context)


def programme_delivery_context(programme):
    """The programme page's milestones due and overdue, and open risks by grade."""
    return {"delivery": delivery_rollup(programme)}
