"""The exception report's and the slippage page's view of anything with a due
date: where it stands against its dates (on target, behind, rescheduled or
suspended), its original and revised due dates, and how far it slipped.

An exception report covers a programme (its projects, milestones and the
actions it delivers) or an action plan (its actions), so the items come in
several kinds. Each kind is read once into ScheduleItems by a builder
(projects and milestones here; actions in actions.exceptions, which sits
above this app), in a fixed number of queries whatever the size; everything
after that is plain Python over the items, so the counts, the rows and the
slippage figures are tested without a database.

Due-date revisions: actions record each one, with its reason, as a
DueDateRevision; milestones and projects keep theirs in their audit history
(simple_history), read here as every change of `due_date` between two
consecutive history records.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.models import RAG
from programmes.models import MilestoneStatus, ProjectStatus, ProjectUpdate

# Up to this many days past its due date an item is "up to one month behind";
# from the day after, "more than one month behind".
MONTH_DAYS = 31


class Position:
    """Where an item stands against its dates: the exception report's four
    headline categories, every item in exactly one (see ScheduleItem.position)."""

    ON_TARGET = "on_target"
    UP_TO_A_MONTH = "up_to_a_month"
    OVER_A_MONTH = "over_a_month"
    RESCHEDULED = "rescheduled"

    LABELS = {
        ON_TARGET: "On target",
        UP_TO_A_MONTH: "Up to one month behind",
        OVER_A_MONTH: "More than one month behind",
        RESCHEDULED: "Rescheduled or suspended with approval",
    }
    # What each means, printed under the table as a council's key is.
    DEFINITIONS = {
        ON_TARGET: "complete, or not past its due date and never rescheduled (an item with no due date "
        "cannot be behind, so it is counted here)",
        UP_TO_A_MONTH: f"not complete and 1 to {MONTH_DAYS} days past its current due date",
        OVER_A_MONTH: f"not complete and more than {MONTH_DAYS} days past its current due date",
        RESCHEDULED: "not past its current due date, which was revised since it was first set; or suspended: "
        "an action superseded, a milestone dropped, a project (and its milestones) on hold or closed "
        "before the milestone was met",
    }
    ORDER = (ON_TARGET, UP_TO_A_MONTH, OVER_A_MONTH, RESCHEDULED)


@dataclass(frozen=True)
class Revision:
    """One change of an item's due date."""

    changed_at: datetime.datetime
    old_date: datetime.date | None
    new_date: datetime.date | None
    old_wording: str = ""
    reason: str = ""


@dataclass
class ScheduleItem:
    """An action, milestone or project as the exception report and slippage read it."""

    kind: str  # "Action", "Milestone", "Project"
    ref: str  # its slug, as downloads carry it
    number: str  # as the plan numbers it ("1.3"), or ""
    title: str
    url: str
    group: str  # its review area, or its workstream in a programme
    group_order: tuple
    owner: str
    rag: str
    status: str  # in words
    due_date: datetime.date | None
    due_wording: str  # the deadline as written now ("" if a revision superseded it)
    done: bool  # complete, achieved or closed
    delivered_on: datetime.date | None  # the day it was completed or achieved
    suspended: bool  # superseded, dropped, on hold
    revisions: list = field(default_factory=list)  # Revisions, oldest first
    first_wording: str = ""  # the deadline as first written
    reason: str = ""  # the latest update's note, or the risks and issues it raised
    measured: bool = True  # in slippage (actions and milestones, not projects)

    @property
    def rag_label(self):
        try:
            return RAG(self.rag).label
        except ValueError:
            return self.rag

    @property
    def original_due_date(self):
        """The first due date it was given: the date the first revision moved
        (or set, where it had none), else the date it has now."""
        for revision in self.revisions:
            if revision.old_date is not None:
                return revision.old_date
            if revision.new_date is not None:
                return revision.new_date
        return self.due_date

    @property
    def original_wording(self):
        return self.first_wording if self.revisions else self.due_wording

    @property
    def times_revised(self):
        return len(self.revisions)

    @property
    def revised_due_date(self):
        """Its due date now, where a revision moved it."""
        return self.due_date if self.revisions else None

    @property
    def latest_revision(self):
        return self.revisions[-1] if self.revisions else None

    def revised_since(self, since):
        """Whether its due date was revised after the day `since` (None: ever)."""
        return any(since is None or timezone.localtime(r.changed_at).date() > since for r in self.revisions)

    def days_behind(self, today):
        """Days past its current due date, if it is still to be done (0 if not behind)."""
        if self.done or self.suspended or self.due_date is None or self.due_date >= today:
            return 0
        return (today - self.due_date).days

    def position(self, today):
        """One of Position's four categories: complete counts as on target,
        suspended as rescheduled; otherwise days behind its current due date
        decide, and an item not behind whose date was revised is rescheduled."""
        if self.done:
            return Position.ON_TARGET
        if self.suspended:
            return Position.RESCHEDULED
        behind = self.days_behind(today)
        if behind > MONTH_DAYS:
            return Position.OVER_A_MONTH
        if behind > 0:
            return Position.UP_TO_A_MONTH
        return Position.RESCHEDULED if self.revisions else Position.ON_TARGET

    def position_label(self, today):
        behind = self.days_behind(today)
        label = Position.LABELS[self.position(today)]
        return f"{label} ({behind} day{'s' if behind != 1 else ''})" if behind else label

    def days_slipped(self, today):
        """Days past its ORIGINAL due date: for a delivered item, the day it
        was delivered less that date (0 if on time or early); for one still
        open, today less that date (0 if not yet due). None when it cannot be
        judged: no original due date, suspended, or done with no date."""
        original = self.original_due_date
        if original is None or self.suspended:
            return None
        if self.done:
            return None if self.delivered_on is None else max(0, (self.delivered_on - original).days)
        return max(0, (today - original).days)

    def due_yet(self, today):
        """Whether it is judged for slippage: delivered (with a date), or its original due date has passed."""
        slipped = self.days_slipped(today)
        if slipped is None:
            return False
        return self.done or self.original_due_date < today


def one_decimal_percentages(counts):
    """Each count as a percentage of their total, to one decimal place,
    adding up to exactly 100.0 (the largest remainder method: each share is
    rounded down to a tenth, and the tenths left over go to the shares that
    lost most in rounding down, ties to the earlier). All zero if the total is."""
    total = sum(counts)
    if not total:
        return [Decimal("0.0")] * len(counts)
    exact = [Decimal(count) * 1000 / total for count in counts]  # in tenths of a percent
    floors = [int(value) for value in exact]
    left_over = 1000 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:left_over]:
        floors[index] += 1
    return [(Decimal(tenths) / 10).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for tenths in floors]


@dataclass(frozen=True)
class PositionCount:
    key: str
    label: str
    definition: str
    count: int
    percent: Decimal


def position_summary(items, today):
    """The headline: how many of `items` are in each Position, with percentages that add up to 100.0."""
    counts = dict.fromkeys(Position.ORDER, 0)
    for item in items:
        counts[item.position(today)] += 1
    percents = one_decimal_percentages(list(counts.values()))
    return [
        PositionCount(key, Position.LABELS[key], Position.DEFINITIONS[key], counts[key], percent)
        for key, percent in zip(Position.ORDER, percents, strict=True)
    ]


def is_exception(item, since):
    """On the exception report: rated Red or Amber, or its due date revised after `since`."""
    return item.rag in (RAG.RED, RAG.AMBER) or item.revised_since(since)


REVISION_FLAG_FROM = 2  # items revised this many times or more are flagged


# --- Reading revisions from the audit history -------------------------------------


def history_revisions(model, queryset):
    """{pk: (wording as first recorded, [Revision])} for the rows of
    `queryset`, read from `model`'s audit history in one query: a Revision for
    every change of `due_date` between two consecutive history records, with
    the history's change reason where one was given."""
    records = (
        model.history.filter(id__in=queryset.values("pk"))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "due_date", "due_wording", "history_date", "history_change_reason")
    )
    found = {}
    previous = {}
    for pk, due_date, wording, when, reason in records:
        if pk not in previous:
            found[pk] = (wording, [])
        elif previous[pk][0] != due_date:
            found[pk][1].append(Revision(when, previous[pk][0], due_date, previous[pk][1], reason or ""))
        previous[pk] = (due_date, wording)
    return found


def _workstream_group(workstream, programme):
    """A workstream as a group label; one from another programme (a shared project's) says whose."""
    label = f"Workstream: {workstream.name}"
    if programme is not None and workstream.programme_id != programme.pk:
        label += f" ({workstream.programme.name})"
    return label, (workstream.programme_id != getattr(programme, "pk", None), workstream.position, workstream.name)


def project_items(projects, programme=None):
    """ScheduleItems for `projects` (a queryset): three queries. A closed
    project counts as done on its closing date, one on hold as suspended;
    the reason is the risks and issues of its latest update."""
    latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-period_end", "-recorded_at")
    rows = projects.select_related("owner", "workstream__programme").annotate(
        latest_risks=Subquery(latest.values("risks_issues")[:1]),
        latest_progress=Subquery(latest.values("key_progress")[:1]),
    )
    revisions = history_revisions(projects.model, projects)
    items = []
    for project in rows:
        group, order = _workstream_group(project.workstream, programme)
        first_wording, changes = revisions.get(project.pk, (project.due_wording, []))
        done = project.status == ProjectStatus.CLOSED or project.rag == RAG.COMPLETE
        items.append(
            ScheduleItem(
                kind="Project",
                ref=project.ref,
                number="",
                title=project.name,
                url=project.get_absolute_url(),
                group=group,
                group_order=order,
                owner=project.owner.name if project.owner else "",
                rag=project.rag,
                status=project.stage_and_status,
                due_date=project.due_date,
                due_wording=project.due_wording,
                done=done,
                delivered_on=project.closed_on,
                suspended=project.on_hold and not done,
                revisions=changes,
                first_wording=first_wording,
                reason=(project.latest_risks or "").strip(),
                measured=False,
            )
        )
    return items


def milestone_items(milestones, programme=None):
    """ScheduleItems for `milestones` (a queryset): two queries. Achieved is
    done on the day achieved; dropped, or on a project not being run (on
    hold, or closed before it was met), is suspended."""
    rows = milestones.select_related("owner", "project__workstream__programme")
    revisions = history_revisions(milestones.model, milestones)
    items = []
    for milestone in rows:
        project = milestone.project
        group, order = _workstream_group(project.workstream, programme)
        first_wording, changes = revisions.get(milestone.pk, (milestone.due_wording, []))
        done = milestone.status == MilestoneStatus.ACHIEVED
        items.append(
            ScheduleItem(
                kind="Milestone",
                ref=milestone.ref,
                number=milestone.number,
                title=f"{milestone.name} ({project.name})",
                url=milestone.get_absolute_url(),
                group=group,
                group_order=order,
                owner=milestone.owner.name if milestone.owner else "",
                rag=milestone.rag,
                status=milestone.get_status_display(),
                due_date=milestone.due_date,
                due_wording=milestone.due_wording,
                done=done,
                delivered_on=milestone.achieved_on,
                suspended=not done
                and (milestone.status == MilestoneStatus.DROPPED or project.status != ProjectStatus.ACTIVE),
                revisions=changes,
                first_wording=first_wording,
            )
        )
    return items


def group_items(items, key):
    """[(label, [items])] grouped by `key` ("group" or "owner"), groups in their order."""
    grouped = defaultdict(list)
    orders = {}
    for item in items:
        label = getattr(item, key) or ("No owner" if key == "owner" else "Other")
        grouped[label].append(item)
        orders.setdefault(label, item.group_order if key == "group" else (label.casefold(),))
    return [(label, grouped[label]) for label in sorted(grouped, key=lambda label: orders[label])]
