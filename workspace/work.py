"""My work: the open items a login answers for (actions, projects and every
other tracked kind), grouped by when they are due."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.tracking import Link, tracked_kinds

SOON_DAYS = 14


@dataclass(frozen=True)
class WorkItem:
    """One row of My work, with what the row shows worked out beforehand so
    the template runs no queries."""

    item: object
    kind: str
    title: str
    parents: list[Link]
    update_url: str | None

    @property
    def last_update_on(self):
        return getattr(self.item, "last_update_on", None)


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
    """The open tracked items `user` owns, directly or through a team, in
    Overdue / Due in the next 14 days / Later / No due date.

    Runs one query per tracked kind, plus what each kind's
    `my_work_queryset` prefetches (an action's recommendations), however
    many items there are: three today.
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

    items = list(_rows(user))
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


def _rows(user):
    for kind in tracked_kinds():
        if not kind.in_my_work:
            continue
        for item in kind.my_work_queryset(kind.model.objects.owned_by(user).open()):
            yield WorkItem(
                item=item,
                kind=kind.label,
                title=kind.title(item),
                parents=kind.parents(item),
                update_url=kind.update_url(item),
            )
