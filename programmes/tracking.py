"""Projects as a tracked kind (see core.tracking)."""

from core.tracking import Link, TrackedKind
from programmes.models import Project


def _project_parents(project):
    workstream = project.workstream
    return [
        Link(f"Workstream: {workstream.name}", workstream.get_absolute_url()),
        Link(workstream.programme.name, workstream.programme.get_absolute_url()),
    ]


PROJECT = TrackedKind(
    label="Project",
    model=Project,
    title_attr="name",
    update_url_name="programmes:project_update",
    order=20,
    my_work_queryset=lambda projects: projects.with_last_update().select_related("workstream__programme"),
    parents=_project_parents,
)
