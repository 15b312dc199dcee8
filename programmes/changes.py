"""What changed between two meetings of a committee, read from the audit
history rather than typed by anyone.

One query per history table covers every item touched in the window (with
each item's last record before it, so the first change has something to be
compared with); nothing is queried per item.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from actions.models import ActionItem, DueDateRevision, Recommendation, Status
from core.models import RAG
from programmes.models import Project


@dataclass
class Change:
    item: object  # the historical record as it was after the change
    kind: str  # "Action", "Project" or "Recommendation"
    when: datetime.datetime
    who: object
    before: str = ""
    after: str = ""
    note: str = ""

    @property
    def label(self):
        item = self.item
        return getattr(item, "title", None) or getattr(item, "name", None) or item.text[:100]

    @property
    def url(self):
        instance = getattr(self.item, "instance", self.item)
        return instance.get_absolute_url()


@dataclass
class ChangesSinceLastMeeting:
    start: datetime.datetime | None
    end: datetime.datetime
    improved: list = field(default_factory=list)
    worse: list = field(default_factory=list)
    completed: list = field(default_factory=list)
    newly_overdue: list = field(default_factory=list)
    due_dates_revised: list = field(default_factory=list)
    new_actions: list = field(default_factory=list)

    @property
    def sections(self):
        return [
            ("improved", "RAG improved", self.improved),
            ("worse", "RAG deteriorated", self.worse),
            ("completed", "Completed", self.completed),
            ("newly_overdue", "Newly overdue", self.newly_overdue),
            ("due_dates_revised", "Due dates revised", self.due_dates_revised),
            ("new_actions", "New actions", self.new_actions),
        ]

    @property
    def total(self):
        return sum(len(items) for _, _, items in self.sections)


def window_for(meeting, previous_meeting, now=None):
    """From the day after the previous meeting to the end of this meeting's
    day, or to now for a meeting still to come."""
    tz = timezone.get_current_timezone()
    now = now or timezone.now()
    end = datetime.datetime.combine(meeting.date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    start = None
    if previous_meeting is not None:
        start = datetime.datetime.combine(
            previous_meeting.date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
    return start, min(end, now)


def _records_in_window(model, start, end):
    """Every history record of items changed in the window, plus each such
    item's last record before the window, ordered by item then time."""
    history = model.history.model
    in_window = Q(history_date__lt=end) & (Q(history_date__gte=start) if start else Q())
    touched = history.objects.filter(in_window).values("id")
    if start is None:
        return list(history.objects.filter(in_window).select_related("history_user").order_by("id", "history_date"))
    before = (
        history.objects.filter(id__in=touched, history_date__lt=start)
        .values("id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    records = history.objects.filter(Q(id__in=touched) & (in_window | Q(history_date__in=before)))
    return list(records.select_related("history_user").order_by("id", "history_date"))


def changes_between(start, end, today=None):
    today = today or timezone.localdate()
    result = ChangesSinceLastMeeting(start=start, end=end)
    for model, kind in ((ActionItem, "Action"), (Project, "Project"), (Recommendation, "Recommendation")):
        previous = None
        for record in _records_in_window(model, start, end):
            if previous is None or previous.id != record.id:
                previous = None
            in_window = start is None or record.history_date >= start
            if in_window and record.history_type == "+" and kind == "Action":
                result.new_actions.append(Change(record, kind, record.history_date, record.history_user))
            if in_window and previous is not None and record.history_type == "~":
                _compare(result, kind, previous, record)
            previous = record
    window = Q(changed_at__lt=end) & (Q(changed_at__gte=start) if start else Q())
    for revision in DueDateRevision.objects.filter(window).select_related("action", "changed_by"):
        result.due_dates_revised.append(
            Change(
                revision.action,
                "Action",
                revision.changed_at,
                revision.changed_by,
                before=_date(revision.old_date),
                after=_date(revision.new_date),
                note=revision.reason,
            )
        )
    due_in_window = Q(due_date__lt=end.date()) & (Q(due_date__gte=start.date()) if start else Q())
    for model, kind in ((ActionItem, "Action"), (Project, "Project")):
        for item in model.objects.open().filter(due_in_window, due_date__lt=today).select_related("owner"):
            result.newly_overdue.append(Change(item, kind, item.due_date, None, after=_date(item.due_date)))
    return result


def _compare(result, kind, before, after):
    rag_then, rag_now = before.rag, after.rag
    became_complete = (rag_now == RAG.COMPLETE and rag_then != RAG.COMPLETE) or (
        getattr(after, "status", None) == Status.COMPLETE and getattr(before, "status", None) != Status.COMPLETE
    )
    if became_complete:
        result.completed.append(Change(after, kind, after.history_date, after.history_user, before=RAG(rag_then).label))
        return
    then, now = RAG.severity(rag_then), RAG.severity(rag_now)
    if then is None or now is None or then == now:
        return
    change = Change(
        after, kind, after.history_date, after.history_user, before=RAG(rag_then).label, after=RAG(rag_now).label
    )
    (result.improved if now > then else result.worse).append(change)


def _date(value):
    return value.strftime("%d %b %Y") if value else "none"
