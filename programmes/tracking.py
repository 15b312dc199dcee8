"""Projects and milestones as tracked kinds (see core.tracking)."""

from core.tracking import Link, TrackedKind, rag_became_complete
from programmes.models import Milestone, MilestoneStatus, Project


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


def _milestone_parents(milestone):
    project = milestone.project
    programme = project.workstream.programme
    return [
        Link(f"Project: {project.name}", project.get_absolute_url()),
        Link(programme.name, programme.get_absolute_url()),
    ]


def _milestone_became_complete(before, after):
    """A milestone is met when it is marked achieved (or, as any item, rated Complete)."""
    achieved = after.status == MilestoneStatus.ACHIEVED and before.status != MilestoneStatus.ACHIEVED
    return achieved or rag_became_complete(before, after)


MILESTONE = TrackedKind(
    label="Milestone",
    model=Milestone,
    title_attr="name",
    update_url_name="programmes:milestone_update",
    order=25,
    my_work_queryset=lambda milestones: milestones.select_related("owner", "project__workstream__programme"),
    parents=_milestone_parents,
    became_complete=_milestone_became_complete,
)
