"""A project's funding (PID 1.7, 3.1–3.3): its totals, its match funders and
its spend profile by year and quarter; and removing a project's parts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.forms import add_model_errors
from core.models import EditConflict
from core.views import edit_page
from programmes.access import get_funder_for_user, get_project_for_user
from programmes.forms import FunderForm, ProjectFundingForm, RemoveForm, SpendProfileForm
from programmes.models import Funder, FundingKind, SpendProfileEntry
from programmes.services import SPEND_PROFILE_CHANGED, delete_part, save_spend_profile


def project_funding_context(project):
    """What the project page's funding section shows, in two queries."""
    spend = SpendProfileEntry.objects.filter(project=project)  # one query, the tables share its rows
    return {
        "funders": list(project.funders.select_related("partner")),
        "spend_tables": [(label, spend.table(kind)) for kind, label in FundingKind.choices],
    }


def project_funding_edit(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = ProjectFundingForm(request.POST or None, instance=project, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Funding: {project}",
        message="Funding of “{obj}” saved.",
        cancel_url=f"{project.get_absolute_url()}#funding",
    )


def funder_create(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = FunderForm(request.POST or None, instance=Funder(project=project), user=request.user)
    return edit_page(
        request,
        form,
        title=f"Add a funder to {project}",
        message="Funder “{obj.partner}” added.",
        cancel_url=f"{project.get_absolute_url()}#funding",
    )


def funder_edit(request, pk):
    funder = get_funder_for_user(request, pk, for_edit=True)
    form = FunderForm(request.POST or None, instance=funder, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit funder: {funder}",
        message="Funder “{obj.partner}” saved.",
        cancel_url=funder.get_absolute_url(),
    )


def funder_delete(request, pk):
    funder = get_funder_for_user(request, pk, for_edit=True)
    return remove_page(
        request,
        funder,
        title=f"Remove funder {funder.partner} from {funder.project}?",
        message=f"Funder “{funder.partner}” removed.",
        next_url=funder.get_absolute_url(),
    )


def spend_profile_edit(request, ref):
    """The spend profile as one grid; a bad amount anywhere saves nothing."""
    project = get_project_for_user(request, ref, for_edit=True)
    entries = SpendProfileEntry.objects.filter(project=project)
    form = SpendProfileForm(request.POST or None, project=project, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            save_spend_profile(
                project=project,
                user=request.user,
                amounts=form.amounts(),
                expected_fingerprint=form.cleaned_data["fingerprint"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
            if getattr(error, "code", None) == SPEND_PROFILE_CHANGED:
                # Re-armed at the profile as it is now, so a second save (after checking) goes through.
                form.data = form.data.copy()
                form.data["fingerprint"] = SpendProfileEntry.objects.filter(project=project).fingerprint()
        else:
            messages.success(request, f"Spend profile of “{project}” saved.")
            return redirect(f"{project.get_absolute_url()}#funding")
    context = {
        "project": project,
        "form": form,
        "title": f"Spend profile: {project}",
        "spend_tables": [(label, entries.table(kind)) for kind, label in FundingKind.choices],
        "cancel_url": f"{project.get_absolute_url()}#funding",
    }
    return render(request, "programmes/spend_profile_edit.html", context)


def remove_page(request, part, *, title, message, next_url):
    """Confirm and remove a project's part (a funder, a benefit, an amount
    realised, a partner's role) through programmes.services.delete_part,
    which refuses users who may not remove it and a removal of a row changed
    since the page was opened."""
    form = RemoveForm(request.POST or None, initial={"version": part.version})
    if request.method == "POST" and form.is_valid():
        try:
            delete_part(part=part, user=request.user, expected_version=form.cleaned_data["version"])
        except EditConflict as conflict:
            form.add_error(
                None,
                f"{conflict.changed_by_name} changed this while you were looking at it, so it has not been "
                "removed. Check it as it is now and remove it again if you still mean to.",
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
        else:
            messages.success(request, message)
            return redirect(next_url)
    context = {"form": form, "title": title, "part": part, "cancel_url": next_url}
    return render(request, "programmes/confirm_remove.html", context)
