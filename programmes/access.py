"""One access helper per object type: each fetches the object with everything
its page needs and checks the user may see (or, with write=True, change) it.

Every logged-in council user may read programme data; write rules arrive with
the editing screens.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from programmes.models import Programme, Project, ProjectUpdate


def get_programme_for_user(request, ref):
    """The programme with its workstreams and projects prefetched (three
    queries whatever its size), so the overview never queries per row."""
    return get_object_or_404(Programme.objects.with_structure(), ref=ref)


def get_project_for_user(request, ref):
    """The project with its parents joined and its updates prefetched newest first."""
    queryset = Project.objects.select_related("owner", "workstream__programme", "workstream__owner").prefetch_related(
        Prefetch("updates", queryset=ProjectUpdate.objects.select_related("author"))
    )
    return get_object_or_404(queryset, ref=ref)
