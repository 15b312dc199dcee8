"""One access helper per object type: each fetches the object with everything
its page needs and checks the user may see it, or with write=True change it.

Every council login may read programme data (clerks and colleagues included);
writes are decided by the model's can_be_*_by rules. Refusals are 403 rather
than 404 because the object's existence is not secret inside the council.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from programmes.models import Programme, Project, ProjectUpdate, Workstream


def get_programme_for_user(request, ref, write=False):
    """The programme with its workstreams and projects prefetched (three
    queries whatever its size), so the overview never queries per row."""
    programme = get_object_or_404(Programme.objects.with_structure(), ref=ref)
    if write and not programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change it.")
    return programme


def get_workstream_for_user(request, ref, write=False):
    workstream = get_object_or_404(Workstream.objects.select_related("programme", "owner"), ref=ref)
    if write and not workstream.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its workstreams.")
    return workstream


def get_project_for_user(request, ref, write=False, edit=False):
    """The project with its parents joined and its updates prefetched newest
    first. write=True: may record a progress update; edit=True: may change the
    project itself."""
    queryset = Project.objects.select_related("owner", "workstream__programme", "workstream__owner").prefetch_related(
        Prefetch("updates", queryset=ProjectUpdate.objects.select_related("author"))
    )
    project = get_object_or_404(queryset, ref=ref)
    if write and not project.can_be_updated_by(request.user):
        raise PermissionDenied("Only the project's owner or its programme's managers can update it.")
    if edit and not project.can_be_edited_by(request.user):
        raise PermissionDenied("Only the programme's managers can change this project.")
    return project
