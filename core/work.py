"""My work: the open actions and projects a login answers for, grouped by when
they are due.

It spans both `actions` and `programmes`, so it lives here beside `Owner`
rather than in either app.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from actions.models import ActionItem, Recommendation
from programmes.models import Project

SOON_DAYS = 14


@dataclass(frozen=True)
class Link:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class WorkItem:
    """One row of My work: an action or a project, with what the row shows
    worked out beforehand so the template runs no queries."""

    item: ActionItem | Project
    kind: str
    parents: list[Link]
    update_url: str | None

    @property
    def title(self):
        return self.item.title if self.kind == "Action" else self.item.name

    @property
    def last_update_on(self):
        return self.item.last_update_on


@dataclass
class WorkGroup:
    key: str
    heading: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)


@dataclass
class MyWork:
    groups: list[WorkGroup]

    @property
    def total(self):
        return sum(group.count for group in self.groups)

    @property
    def counts(self):
        return {group.key: group.count for group in self.groups}

    def __bool__(self):
        return self.total > 0


def my_work(user, today=None):
    """The open action items and projects `user` owns, directly or through a
    team, in Overdue / Due in the next 14 days / Later / No due date.

    Runs three queries however many items there are: actions (with their plan
    section and committee meeting joined), their recommendations with areas,
    and projects with workstream and programme joined.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    groups = [
        WorkGroup("overdue", "Overdue"),
        WorkGroup("soon", f"Due in the next {SOON_DAYS} days"),
        WorkGroup("later", "Later"),
        WorkGroup("undated", "No due date"),
    ]
    by_key = {group.key: group for group in groups}

    items = [_action_row(action) for action in _actions(user)] + [_project_row(project) for project in _projects(user)]
    items.sort(key=lambda row: (row.item.due_date or datetime.date.max, row.title.lower()))
    for row in items:
        due_date = row.item.due_date
        if due_date is None:
            key = "undated"
        elif due_date < today:
            key = "overdue"
        elif due_date <= soon:
            key = "soon"
        else:
            key = "later"
        by_key[key].items.append(row)
    return MyWork(groups)


def _actions(user):
    recommendations = Recommendation.objects.select_related("area").order_by("area__number", "number")
    return (
        ActionItem.objects.owned_by(user)
        .open()
        .with_last_update()
        .select_related("section", "arising_from__committee")
        .prefetch_related(Prefetch("recommendations", queryset=recommendations))
    )


def _projects(user):
    return Project.objects.owned_by(user).open().with_last_update().select_related("workstream__programme")


def _action_row(action):
    return WorkItem(
        item=action,
        kind="Action",
        parents=_action_parents(action),
        update_url=reverse("actions:update", args=[action.ref]),
    )


def _action_parents(action):
    """The recommendations an action answers; failing those, where it came from."""
    recommendations = action.recommendations.all()
    if recommendations:
        return [
            Link(f"{rec.area.number}.{rec.number} {Truncator(rec.text).chars(60)}", rec.get_absolute_url())
            for rec in recommendations
        ]
    if action.section:
        return [Link(f"Action plan section {action.section}")]
    if action.arising_from:
        minute = " ".join(part for part in ["Minute", action.minute_number, action.minute_title] if part)
        return [Link(f"{minute}, {action.arising_from}", action.arising_from.get_absolute_url())]
    return []


def _project_row(project):
    workstream = project.workstream
    return WorkItem(
        item=project,
        kind="Project",
        parents=[
            Link(f"Workstream: {workstream.name}", workstream.get_absolute_url()),
            Link(workstream.programme.name, workstream.programme.get_absolute_url()),
        ],
        update_url=reverse("programmes:project_update", args=[project.ref]),
    )
