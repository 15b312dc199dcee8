"""Who may open the import pages, with what each page shows loaded."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import imports
from core.permissions import managed_programme_ids
from exchange.models import ImportRun

PERM = "exchange.add_importrun"


def can_import(user):
    """Administrators, and managers whose role may import (into their programmes)."""
    ids = managed_programme_ids(user, PERM)
    return ids is None or (bool(ids) and user.has_perm(PERM))


def require_importer(request):
    if not can_import(request.user):
        raise PermissionDenied("Only programme managers and administrators can import spreadsheets.")


def get_kind(slug):
    kind = imports.get_kind(slug)
    if kind is None:
        raise Http404("No such kind of sheet.")
    return kind


def get_run_for_user(request, pk):
    require_importer(request)
    runs = ImportRun.objects.visible_to(request.user).select_related("user", "programme", "review")
    run = get_object_or_404(runs, pk=pk)
    return run, get_kind(run.kind)
