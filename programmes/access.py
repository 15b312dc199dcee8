"""One access helper per object type: each fetches the object with everything
its page needs and checks the user may see it, and with a flag what they may
do to it. The flags mean the same for every helper here and in the other apps:

- for_edit=True: the user may change the object itself (and add to it), as
  its model's can_be_edited_by decides: its programme's managers;
- for_progress=True: the user may record a progress update on it, as its
  model's can_be_updated_by decides: its owner, their team or a manager.

Every council login may read programme data (clerks and colleagues included).
Refusals are 403 rather than 404 because the object's existence is not secret
inside the council.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from programmes.models import HighlightReport, Programme, Project, ProjectUpdate, Workstream


def get_programme_for_user(request, ref, *, for_edit=False):
    """The programme with its owner, its committee, and its workstreams and
    projects (with their owners and last update dates) prefetched: the
    overview lists them all, so this costs a fixed number of queries whatever
    the programme's size."""
    programme = get_object_or_404(Programme.objects.with_structure(), ref=ref)
    if for_edit and not programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change it.")
    return programme


def get_workstream_for_user(request, ref, *, for_edit=False):
    """The workstream with its programme joined (whose managers decide
    for_edit, and whose page it links back to) and its owner (the forms show it)."""
    workstream = get_object_or_404(Workstream.objects.select_related("programme", "owner"), ref=ref)
    if for_edit and not workstream.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its workstreams.")
    return workstream


def get_project_for_user(request, ref, *, for_edit=False, for_progress=False):
    """The project with its owner, workstream and programme joined (the page's
    heading, and who may update or edit it), and its updates with their
    authors prefetched newest first (the page's timeline), so the page's
    queries do not grow with its history."""
    queryset = Project.objects.select_related("owner", "workstream__programme", "workstream__owner").prefetch_related(
        Prefetch("updates", queryset=ProjectUpdate.objects.select_related("author"))
    )
    project = get_object_or_404(queryset, ref=ref)
    if for_progress and not project.can_be_updated_by(request.user):
        raise PermissionDenied("Only the project's owner or its programme's managers can update it.")
    if for_edit and not project.can_be_edited_by(request.user):
        raise PermissionDenied("Only the programme's managers can change this project.")
    return project


def get_report_for_user(request, pk, *, for_edit=False):
    """The highlight report with its programme, people, rows and corrections
    joined or prefetched (HighlightReportQuerySet.for_display): every page of
    a report prints all of them, in a fixed number of queries whatever its
    size. for_edit: draft, edit, publish or correct it (the programme's managers)."""
    report = get_object_or_404(HighlightReport.objects.for_display(), pk=pk)
    if for_edit and not report.programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its highlight reports.")
    return report
