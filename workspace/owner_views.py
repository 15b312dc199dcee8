"""People and teams (owners) in the browser: programme managers add and
correct them without Django admin; every council login reads them, as it
reads programme data (who is accountable is not secret inside the council)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.models import Owner
from core.tracking import tracked_kinds
from core.views import edit_page
from workspace.forms import OwnerForm
from workspace.work import WorkItem


def get_owner_for_user(request, pk, *, for_edit=False):
    """The owner with its login and member logins joined (the page and the form
    show them). Every login may read it; for_edit needs core.change_owner
    (programme managers): owners are shared by every programme, so there is
    no per-programme rule."""
    members = Prefetch("members", queryset=get_user_model().objects.order_by("first_name", "last_name", "username"))
    owner = get_object_or_404(Owner.objects.select_related("user").prefetch_related(members), pk=pk)
    if for_edit and not owner.can_be_edited_by(request.user):
        raise PermissionDenied("Only programme managers can change people and teams.")
    return owner


def accountable_for(owner):
    """Everything `owner` is accountable for, kind by kind (projects, actions,
    milestones, … every tracked kind), done or not: one query per kind plus
    what the kind prefetches for My work, however much they own."""
    sections = []
    for kind in tracked_kinds():
        items = kind.my_work_queryset(kind.model.objects.filter(owner=owner))
        rows = [
            WorkItem(item=item, kind=kind.label, title=kind.title(item), parents=kind.parents(item), update_url=None)
            for item in items
        ]
        sections.append((kind.label, rows))
    return sections


def owner_list(request):
    owners = Owner.objects.select_related("user").prefetch_related("members")
    return render(
        request,
        "workspace/owner_list.html",
        {"owners": owners, "can_add": request.user.has_perm("core.add_owner")},
    )


def owner_detail(request, pk):
    owner = get_owner_for_user(request, pk)
    return render(
        request,
        "workspace/owner_detail.html",
        {"owner": owner, "sections": accountable_for(owner), "can_edit": owner.can_be_edited_by(request.user)},
    )


def owner_create(request):
    if not request.user.has_perm("core.add_owner"):
        raise PermissionDenied("Only programme managers can add people and teams.")
    form = OwnerForm(request.POST or None, user=request.user)
    return edit_page(
        request, form, title="Add a person or team", message="“{obj}” added.", cancel_url=reverse("owners")
    )


def owner_edit(request, pk):
    owner = get_owner_for_user(request, pk, for_edit=True)
    form = OwnerForm(request.POST or None, instance=owner, user=request.user)
    return edit_page(
        request, form, title=f"Edit {owner}", message="“{obj}” saved.", cancel_url=owner.get_absolute_url()
    )
