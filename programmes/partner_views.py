"""Partner organisations (other councils, public bodies, funders) and their
roles on programmes and projects."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from core.views import edit_page
from programmes.access import (
    get_partner_for_user,
    get_partnership_for_user,
    get_programme_for_user,
    get_project_for_user,
)
from programmes.funding_views import remove_page
from programmes.models import Partner, Partnership
from programmes.partner_forms import PartnerForm, PartnershipForm


def project_partners_context(project):
    """The project page's partners section: the partners with a role on the
    project itself, in one query (the programme's partners are on its page)."""
    return {"project_partnerships": list(project.partnerships.select_related("partner"))}


def programme_partners_context(programme):
    """The programme page's partners: those with a role on the programme, and
    those with a role on one of its projects, in two queries."""
    on_projects = Partnership.objects.filter(project__workstream__programme=programme)
    return {
        "programme_partnerships": list(programme.partnerships.select_related("partner")),
        "programme_project_partnerships": list(
            on_projects.select_related("partner", "project").order_by("partner__name", "project__name")
        ),
    }


def partner_list(request):
    partners = Partner.objects.annotate(
        roles=Count("partnerships", distinct=True), funded=Count("funding", distinct=True)
    )
    return render(request, "programmes/partner_list.html", {"partners": partners})


def partner_detail(request, ref):
    """Exactly where the partner has a role, and what it funds: the records,
    not every text that mentions its name."""
    partner = get_partner_for_user(request, ref)
    partnerships = list(partner.partnerships.select_related("programme", "project__workstream__programme"))
    context = {
        "partner": partner,
        "programme_roles": [p for p in partnerships if p.programme_id],
        "project_roles": [p for p in partnerships if p.project_id],
        "funding": list(partner.funding.select_related("project__workstream__programme")),
        "can_edit": partner.can_be_edited_by(request.user),
    }
    return render(request, "programmes/partner_detail.html", context)


def partner_create(request):
    if not request.user.has_perm("programmes.add_partner"):
        raise PermissionDenied("Only programme managers can record partner organisations.")
    form = PartnerForm(request.POST or None, user=request.user)
    return edit_page(
        request,
        form,
        title="New partner organisation",
        message="Partner “{obj}” added.",
        cancel_url=reverse("programmes:partners"),
    )


def partner_edit(request, ref):
    partner = get_partner_for_user(request, ref, for_edit=True)
    form = PartnerForm(request.POST or None, instance=partner, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit partner: {partner}",
        message="Partner “{obj}” saved.",
        cancel_url=partner.get_absolute_url(),
    )


def project_partnership_create(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = PartnershipForm(request.POST or None, instance=Partnership(project=project), user=request.user)
    return edit_page(
        request,
        form,
        title=f"Add a partner to {project}",
        message="Partner “{obj.partner.label}” added.",
        cancel_url=f"{project.get_absolute_url()}#partners",
    )


def programme_partnership_create(request, ref):
    programme = get_programme_for_user(request, ref, for_edit=True)
    form = PartnershipForm(request.POST or None, instance=Partnership(programme=programme), user=request.user)
    return edit_page(
        request,
        form,
        title=f"Add a partner to {programme}",
        message="Partner “{obj.partner.label}” added.",
        cancel_url=f"{programme.get_absolute_url()}#partners",
    )


def partnership_edit(request, pk):
    partnership = get_partnership_for_user(request, pk, for_edit=True)
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit partner's role: {partnership}",
        message="Partner “{obj.partner.label}” saved.",
        cancel_url=partnership.get_absolute_url(),
    )


def partnership_delete(request, pk):
    partnership = get_partnership_for_user(request, pk, for_edit=True)
    return remove_page(
        request,
        partnership,
        title=f"Remove {partnership.partner.label} from {partnership.project or partnership.programme}?",
        message=f"Partner “{partnership.partner.label}” removed.",
        next_url=partnership.get_absolute_url(),
    )
