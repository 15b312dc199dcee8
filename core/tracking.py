"""The kinds of item someone answers for by a date, registered once.

My work (`workspace.work`), the reminder digests (`workspace.reminders`) and
changes since the last meeting (`committees.changes`) list every kind
registered here, so none of them names ActionItem or Project, and core,
which sits under every domain app, imports none of them: each app registers
its own kinds from its AppConfig.ready().

To add a kind (say milestones), define it beside its model and register it:

    # programmes/tracking.py
    MILESTONE = TrackedKind(
        label="Milestone", model=Milestone, title_attr="name",
        update_url_name="programmes:milestone_update", order=25,
        my_work_queryset=lambda qs: qs.select_related("project"),
        parents=lambda milestone: [Link(milestone.project.name, milestone.project.get_absolute_url())],
    )
    # programmes/apps.py, in ready():  register(MILESTONE)

The model must be Accountable, have a `ref` (its update URL's argument) and,
unless in_changes=False, keep `history = HistoricalRecords()`. Each page
queries each kind once, so keep `my_work_queryset` to joins and prefetches.
A kind completed by more than its RAG gives `became_complete`; one that
records due-date revisions gives `due_date_revisions` (see actions.tracking).
Tests register a kind for a while with `with registered(kind):`.
"""

import datetime
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.models import RAG, Accountable


@dataclass(frozen=True)
class Link:
    """Where a My work row belongs: a label, and a page if it has one."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class DueDateChange:
    """One recorded revision of an item's due date, for changes since the last meeting."""

    item: Accountable
    when: datetime.datetime
    who: object
    old_date: datetime.date | None
    new_date: datetime.date | None
    reason: str


def rag_became_complete(before, after):
    """Whether a save (two history records) completed the item: its RAG became Complete."""
    return after.rag == RAG.COMPLETE and before.rag != RAG.COMPLETE


@dataclass(frozen=True)
class TrackedKind:
    label: str  # as people say it, singular: "Action"
    model: type[Accountable]
    title_attr: str  # the field lists show as the item's title
    update_url_name: str | None = None  # takes the item's ref; needed for My work and reminders
    order: int = 100  # kinds are listed, and rows with the same date and title ordered, by this
    in_my_work: bool = True
    in_reminders: bool = True
    in_changes: bool = True
    reports_new: bool = False  # "New actions" in changes since the last meeting
    reports_overdue: bool = True  # "Newly overdue" in changes since the last meeting
    title_chars: int | None = None  # cut long titles (a recommendation's text) to this length
    # Adds the joins My work's row needs to an owned, open queryset of the model.
    my_work_queryset: Callable = lambda queryset: queryset
    # The links a My work row shows under "Answers / belongs to".
    parents: Callable[[Accountable], list[Link]] = lambda item: []
    # Given two consecutive history records, whether the second completed the item.
    became_complete: Callable = rag_became_complete
    # (start, end) -> the DueDateChanges recorded in that window, for a kind that keeps them.
    due_date_revisions: Callable[[datetime.datetime | None, datetime.datetime], Iterable[DueDateChange]] = (
        lambda start, end: []
    )

    def title(self, item):
        title = getattr(item, self.title_attr)
        return title[: self.title_chars] if self.title_chars else title

    def update_url(self, item):
        return reverse(self.update_url_name, args=[item.ref])


_kinds: dict[str, TrackedKind] = {}


def register(kind):
    """Add `kind` to every page and job that lists tracked items."""
    if not issubclass(kind.model, Accountable):
        raise ImproperlyConfigured(f"{kind.model.__name__} is not Accountable, so it cannot be a tracked kind")
    if kind.in_changes and not hasattr(kind.model, "history"):
        raise ImproperlyConfigured(f"{kind.model.__name__} keeps no history, so it needs in_changes=False")
    if (kind.in_my_work or kind.in_reminders) and not kind.update_url_name:
        raise ImproperlyConfigured(f"{kind.label} needs an update_url_name for My work and reminders")
    if _kinds.get(kind.label, kind) != kind:
        raise ImproperlyConfigured(f"Another tracked kind is already called {kind.label!r}")
    _kinds[kind.label] = kind


def unregister(kind):
    _kinds.pop(kind.label, None)


@contextmanager
def registered(kind):
    """Register `kind` for the length of a `with` block (for tests)."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind)


def tracked_kinds():
    """Every registered kind, in order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.label))
