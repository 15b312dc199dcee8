"""A project's risk and issue register: managers add and change its lines;
the responsible officer or the project's owner updates where one stands."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.forms import add_conflict_error, add_model_errors, save_from_request
from core.history import history_entries
from core.models import EditConflict
from programmes.access import get_project_for_user, get_risk_for_user
from programmes.forms import RiskForm, RiskProgressForm
from programmes.models import Risk
from programmes.services import record_risk_progress


def risk_create(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = RiskForm(request.POST or None, instance=Risk(project=project), user=request.user)
    if saved := save_from_request(request, form, "“{obj}” added to the register."):
        return redirect(saved)
    context = {
        "form": form,
        "title": f"New risk or issue for {project}",
        "cancel_url": f"{project.get_absolute_url()}#risks",
    }
    return render(request, "programmes/plan_item_form.html", context)


def risk_edit(request, ref):
    """Managers change the line itself; its change history is shown below the form."""
    risk = get_risk_for_user(request, ref, for_edit=True)
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    if saved := save_from_request(request, form, "“{obj}” saved."):
        return redirect(saved)
    context = {
        "form": form,
        "title": f"Edit {risk.get_kind_display().lower()} {risk.number}",
        "subtitle": risk.project.name,
        "item": risk,
        "cancel_url": risk.get_absolute_url(),
        "history": history_entries(risk),
    }
    return render(request, "programmes/plan_item_form.html", context)


def risk_update(request, ref):
    risk = get_risk_for_user(request, ref, for_progress=True)
    form = RiskProgressForm(request.POST or None, risk=risk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record_risk_progress(risk=risk, user=request.user, expected_version=data.pop("version"), **data)
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            risk = get_risk_for_user(request, ref, for_progress=True)
        except ValidationError as error:
            add_model_errors(form, error)
            risk = get_risk_for_user(request, ref, for_progress=True)  # as saved, not as refused
        else:
            messages.success(request, f"{risk.get_kind_display()} {risk.number} updated.")
            return redirect(risk)
    context = {
        "form": form,
        "title": f"Update {risk.get_kind_display().lower()} {risk.number}",
        "subtitle": risk.project.name,
        "item": risk,
        "cancel_url": risk.get_absolute_url(),
    }
    return render(request, "programmes/plan_item_form.html", context)
