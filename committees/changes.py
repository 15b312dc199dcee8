"""What changed between two meetings of a committee, read from the audit
history rather than typed by anyone, for every tracked kind (core.tracking)
with in_changes.

One query per history table covers every item touched in the window (with
each item's last record before it, so the first change has something to be
compared with); nothing is queried per item.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from core.models import RAG
from core.tracking import tracked_kinds


@dataclass
class Change:
    item: object  # the historical record as it was after the change
    kind: str  # the tracked kind's label: "Action", "Project", …
    label: str  # the item's title
    when: datetime.datetime
    who: object
    before: str = ""
    after: str = ""
    note: str = ""

    @classmethod
    def of(cls, kind, item, when, who, **details):
        return cls(item, kind.label, kind.title(item), when, who, **details)

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
    day, or to now for a meeting still to come.

    Only a past meeting's day has a day after it to compute: a meeting saved
    before dates were bounded may be on 31 Dec 9999, which has none. The
    previous meeting is earlier than this one, so its day after always exists.
    """
    tz = timezone.get_current_timezone()
    now = now or timezone.now()
    end = now
    if meeting.date < timezone.localdate(now):
        end = datetime.datetime.combine(meeting.date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    start = None
    if previous_meeting is not None:
        start = datetime.datetime.combine(
            previous_meeting.date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
    return start, end


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
    kinds = [kind for kind in tracked_kinds() if kind.in_changes]
    for kind in kinds:
        previous = None
        for record in _records_in_window(kind.model, start, end):
            if previous is None or previous.id != record.id:
                previous = None
            in_window = start is None or record.history_date >= start
            if in_window and record.history_type == "+" and kind.reports_new:
                result.new_actions.append(Change.of(kind, record, record.history_date, record.history_user))
            if in_window and previous is not None and record.history_type == "~":
                _compare(result, kind, previous, record)
            previous = record
    for kind in kinds:
        for revision in kind.due_date_revisions(start, end):
            result.due_dates_revised.append(
                Change.of(
                    kind,
                    revision.item,
                    revision.when,
                    revision.who,
                    before=_date(revision.old_date),
                    after=_date(revision.new_date),
                    note=revision.reason,
                )
            )
    due_in_window = Q(due_date__lt=end.date()) & (Q(due_date__gte=start.date()) if start else Q())
    for kind in kinds:
        if not kind.reports_overdue:
            continue
        for item in kind.model.objects.open().filter(due_in_window, due_date__lt=today).select_related("owner"):
            result.newly_overdue.append(Change.of(kind, item, item.due_date, None, after=_date(item.due_date)))
    return result


def _compare(result, kind, before, after):
    rag_then, rag_now = before.rag, after.rag
    if kind.became_complete(before, after):
        result.completed.append(
            Change.of(kind, after, after.history_date, after.history_user, before=RAG(rag_then).label)
        )
        return
    then, now = RAG.severity(rag_then), RAG.severity(rag_now)
    if then is None or now is None or then == now:
        return
    change = Change.of(
        kind, after, after.history_date, after.history_user, before=RAG(rag_then).label, after=RAG(rag_now).label
    )
    (result.improved if now > then else result.worse).append(change)


def _date(value):
    return value.strftime("%d %b %Y") if value else "none"
