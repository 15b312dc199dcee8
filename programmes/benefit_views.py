"""Benefits and savings: what a project is to deliver (PID 1.8, 2.6), the
amounts realised over time, and the programme's savings target against realised."""

from django.db.models import Prefetch

from core.views import edit_page
from programmes.access import get_benefit_for_user, get_project_for_user, get_realisation_for_user
from programmes.forms import BenefitForm, RealisationForm
from programmes.funding_views import remove_page
from programmes.models import Benefit, BenefitRealisation


def project_benefits_context(project):
    """The project page's benefits section: each benefit with its amounts
    realised, and the totals, in four queries."""
    benefits = Benefit.objects.filter(project=project)
    realisations = BenefitRealisation.objects.select_related("recorded_by")
    return {
        "benefits": list(benefits.with_realised().prefetch_related(Prefetch("realisations", queryset=realisations))),
        "benefit_totals": benefits.totals(),
    }


def programme_savings_context(programme):
    """The programme page's savings rollup: target against realised in
    total, by financial year and per workstream, in eight queries whatever
    the programme's size (the workstreams come prefetched with the programme)."""
    benefits = Benefit.objects.for_programme(programme)
    by_workstream = benefits.by_workstream(programme)
    empty = {"target": None, "realised": None}
    return {
        "savings_totals": benefits.totals(),
        "savings_by_year": benefits.by_financial_year(),
        "savings_by_workstream": [(ws, by_workstream.get(ws.pk, empty)) for ws in programme.workstreams.all()],
    }


def benefit_create(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = BenefitForm(request.POST or None, instance=Benefit(project=project), user=request.user)
    return edit_page(
        request,
        form,
        title=f"Add a benefit to {project}",
        message="Benefit added.",
        cancel_url=f"{project.get_absolute_url()}#benefits",
    )


def benefit_edit(request, pk):
    benefit = get_benefit_for_user(request, pk, for_edit=True)
    form = BenefitForm(request.POST or None, instance=benefit, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit benefit: {benefit}",
        message="Benefit saved.",
        cancel_url=benefit.get_absolute_url(),
    )


def benefit_delete(request, pk):
    benefit = get_benefit_for_user(request, pk, for_edit=True)
    return remove_page(
        request,
        benefit,
        title=f"Remove this benefit from {benefit.project}?",
        message="Benefit removed, with its amounts realised.",
        next_url=f"{benefit.project.get_absolute_url()}#benefits",
    )


def realisation_create(request, pk):
    """Record an amount realised: the project's owner (or their team) or a manager."""
    benefit = get_benefit_for_user(request, pk, for_progress=True)
    realisation = BenefitRealisation(benefit=benefit, financial_year=benefit.financial_year)
    form = RealisationForm(request.POST or None, instance=realisation, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Record an amount realised: {benefit}",
        message="Amount realised recorded.",
        cancel_url=benefit.get_absolute_url(),
    )


def realisation_edit(request, pk):
    realisation = get_realisation_for_user(request, pk, for_progress=True)
    form = RealisationForm(request.POST or None, instance=realisation, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Correct an amount realised: {realisation.benefit}",
        message="Amount realised saved.",
        cancel_url=realisation.get_absolute_url(),
    )


def realisation_delete(request, pk):
    """Removing an amount realised is for managers (services.delete_part checks the role)."""
    realisation = get_realisation_for_user(request, pk, for_progress=True)
    return remove_page(
        request,
        realisation,
        title=f"Remove this amount realised from {realisation.benefit}?",
        message="Amount realised removed.",
        next_url=realisation.get_absolute_url(),
    )
