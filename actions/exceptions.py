"""Exception reports for a programme or an action plan, as councils table
them: the headline (of N items, so many per cent on target, up to a month
behind, more than a month behind, rescheduled or suspended with approval),
then only the exceptions: the items rated Red or Amber, and those whose due
date was revised since the last report, with owners, reasons and revised dates.

A programme's report covers its projects, their milestones and the actions
it delivers (through its projects, its workstreams and the action plans it
delivers); an action plan's, the review's actions. Items are read with
programmes.exceptions' builders and action_items below, in a fixed number of
queries; the rest is programmes.exceptions' plain Python.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from actions.models import ActionItem, Recommendation, Status
from core.models import RAG
from programmes.exceptions import (
    REVISION_FLAG_FROM,
    Revision,
    ScheduleItem,
    is_exception,
    milestone_items,
    position_summary,
    project_items,
)
from programmes.models import HighlightReport, Milestone, Programme, Project

KINDS = ("Project", "Milestone", "Action")


def _area_group(action):
    """The review area an action answers: its plan section's, else that of
    the first recommendation it answers; else its plan section; else none."""
    section = action.section
    area = section.area if section is not None and section.area_id else None
    if area is None:
        recommendations = sorted(action.recommendations.all(), key=lambda r: (r.area.number, r.number))
        area = recommendations[0].area if recommendations else None
    if area is not None:
        return f"{area.number}. {area.title}", (0, area.number)
    if section is not None:
        return f"{section.number}. {section.title}", (1, section.number)
    return "Other actions", (2,)


def _programme_group(action, programme):
    """Where an action sits in a programme: its project's or its workstream's workstream, else its action plan."""
    workstream = action.project.workstream if action.project_id else action.workstream
    if workstream is not None:
        label = f"Workstream: {workstream.name}"
        if workstream.programme_id != programme.pk:
            label += f" ({workstream.programme.name})"
        return label, (workstream.programme_id != programme.pk, workstream.position, workstream.name)
    if action.section_id:
        return f"Action plan: {action.section.plan.title}", (2, action.section.plan.title)
    return "Other actions", (3,)


def action_items(actions, programme=None):
    """ScheduleItems for `actions` (a queryset), grouped by workstream within
    `programme`, else by review area: three queries. Complete is done on its
    completion date, superseded is suspended; the reason is the latest
    update's note; revisions are its DueDateRevisions."""
    rows = (
        actions.select_related(
            "owner", "section__area", "section__plan", "project__workstream__programme", "workstream__programme"
        )
        .with_latest_note()
        .prefetch_related("due_date_revisions")
    )
    if programme is None:
        rows = rows.prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("area"))
        )
    items = []
    for action in rows:
        group, order = _programme_group(action, programme) if programme is not None else _area_group(action)
        revisions = [
            Revision(r.changed_at, r.old_date, r.new_date, r.old_wording, r.reason)
            for r in action.due_date_revisions.all()
        ]
        done = action.is_done
        items.append(
            ScheduleItem(
                kind="Action",
                ref=action.ref,
                number=f"{action.section.number}.{action.position}" if action.section_id else "",
                title=action.title,
                url=action.get_absolute_url(),
                group=group,
                group_order=order,
                owner=action.owner.name if action.owner else "",
                rag=action.rag,
                status=action.get_status_display(),
                due_date=action.due_date,
                due_wording=action.current_due_wording,
                done=done,
                delivered_on=action.completed_on,
                suspended=action.status == Status.SUPERSEDED and not done,
                revisions=revisions,
                first_wording=revisions[0].old_wording if revisions else action.due_wording,
                reason=(action.latest_note or "").strip(),
            )
        )
    return items


def _number_key(number):
    return tuple(int(part) for part in re.findall(r"\d+", number))


def in_order(items):
    """By group (area or workstream), then projects, milestones, actions, then by number and title."""
    return sorted(items, key=lambda i: (i.group_order, KINDS.index(i.kind), _number_key(i.number), i.title))


def programme_actions(programme):
    """The actions a programme delivers: through its projects (shared ones included), its workstreams and the
    action plans it delivers."""
    projects = Project.objects.in_programme(programme).values("pk")
    return ActionItem.objects.filter(
        Q(project__in=projects) | Q(workstream__programme=programme) | Q(section__plan__programme=programme)
    ).distinct()


def review_actions(review):
    """The actions of a review's action plans, and any other action answering its recommendations."""
    return ActionItem.objects.filter(
        Q(section__plan__review=review) | Q(recommendations__area__review=review)
    ).distinct()


def programme_items(programme):
    """Every project, milestone and action of the programme, in order: eight queries."""
    projects = Project.objects.in_programme(programme)
    milestones = Milestone.objects.for_programme(programme)
    return in_order(
        project_items(projects, programme)
        + milestone_items(milestones, programme)
        + action_items(programme_actions(programme), programme)
    )


def review_items(review):
    """Every action of the review's plan, by area: three queries."""
    return in_order(action_items(review_actions(review)))


def months_before(day, months):
    """The same day `months` earlier (the month's last day if it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


DEFAULT_MONTHS = 3


def programme_since(programme, today=None):
    """(day, why) a programme's report counts revisions after: the end of its
    last published highlight report's period, else three months ago."""
    today = today or timezone.localdate()
    report = HighlightReport.objects.last_published(programme)
    if report is not None and report.period_end <= today:
        return report.period_end, f"the end of the last published highlight report's period ({report.period_label})"
    return months_before(today, DEFAULT_MONTHS), f"{DEFAULT_MONTHS} months ago (no highlight report published yet)"


def review_since(review, today=None):
    """(day, why) an action plan's report counts revisions after: the last
    meeting, on or before today, of a committee that the programme delivering
    the plan reports to (committees list the programmes they hear, so this
    follows that link back by name), else three months ago."""
    today = today or timezone.localdate()
    last = (
        Programme.objects.filter(action_plans__review=review, committees__meetings__date__lte=today)
        .order_by("-committees__meetings__date")
        .values_list("committees__meetings__date", "committees__name")
        .first()
    )
    if last is not None:
        day, committee = last
        return day, f"the last meeting of the {committee} ({day.day} {day:%B %Y})"
    return months_before(today, DEFAULT_MONTHS), f"{DEFAULT_MONTHS} months ago (no committee meeting yet)"


@dataclass
class ExceptionReport:
    """A programme's or an action plan's exception report on `today`."""

    title: str  # the programme's name or the review's title
    items: list
    since: datetime.date
    since_reason: str  # why that day, in words ("chosen" when the reader picked it)
    today: datetime.date
    by_kind: bool = False  # a programme's report also counts projects, milestones and actions apart
    noun: str = "item"  # what the headline counts: "items" of a programme, "actions" of a plan

    @property
    def total(self):
        return len(self.items)

    @property
    def summary(self):
        return position_summary(self.items, self.today)

    @property
    def kind_summaries(self):
        """[(kind plural, count, summary)] for each kind present, for a programme's report."""
        if not self.by_kind:
            return []
        found = []
        for kind in KINDS:
            of_kind = [item for item in self.items if item.kind == kind]
            if of_kind:
                found.append((f"{kind}s", len(of_kind), position_summary(of_kind, self.today)))
        return found

    @property
    def rows(self):
        """The exceptions: Red and Amber items, and those revised after `since`, each with its position today."""
        return [
            ExceptionRow(item, item.position_label(self.today), item.revised_since(self.since), self.since)
            for item in self.items
            if is_exception(item, self.since)
        ]

    @property
    def headline(self):
        """“Of 147 actions: 82.3% on target, 11.6% up to one month behind, …”."""
        parts = [f"{line.percent}% {line.label[:1].lower()}{line.label[1:]}" for line in self.summary]
        noun = self.noun if self.total == 1 else f"{self.noun}s"
        return f"Of {self.total} {noun}: {', '.join(parts)}."


@dataclass(frozen=True)
class ExceptionRow:
    item: ScheduleItem
    position: str  # in words, with days behind
    rescheduled_since: bool  # its due date was revised after the report's `since`
    since: datetime.date

    @property
    def flagged(self):
        """Revised twice or more: “Revised 3 times”, or ""."""
        times = self.item.times_revised
        return f"Revised {times} times" if times >= REVISION_FLAG_FROM else ""

    @property
    def why_shown(self):
        reasons = []
        if self.item.rag in (RAG.RED, RAG.AMBER):
            reasons.append(f"Rated {self.item.rag_label}")
        if self.rescheduled_since:
            reasons.append(f"Due date revised after {self.since.day} {self.since:%B %Y}")
        return "; ".join(reasons)


def programme_report(programme, since=None, today=None):
    today = today or timezone.localdate()
    default, why = programme_since(programme, today)
    return ExceptionReport(
        title=programme.name,
        items=programme_items(programme),
        since=since or default,
        since_reason="the date chosen" if since else why,
        today=today,
        by_kind=True,
    )


def review_report(review, since=None, today=None):
    today = today or timezone.localdate()
    default, why = review_since(review, today)
    return ExceptionReport(
        title=review.title,
        items=review_items(review),
        since=since or default,
        since_reason="the date chosen" if since else why,
        today=today,
        noun="action",
    )


EXCEPTION_COLUMNS = (
    ("Kind", 10),
    ("Ref", 16),
    ("No.", 6),
    ("Item", 50),
    ("Area or workstream", 30),
    ("Owner", 20),
    ("RAG", 12),
    ("Position", 30),
    ("Why shown", 30),
    ("Reason", 60),
    ("Original due date", 14),
    ("Deadline as first written", 30),
    ("Revised due date", 14),
    ("Times revised", 8),
    ("Latest revision's reason", 50),
    ("Revised twice or more", 16),
)


def exception_sheet(report):
    """(title, headings, rows, widths) of the exceptions, for core.spreadsheets.download."""

    def rows():
        for row in report.rows:
            item = row.item
            latest = item.latest_revision
            yield [
                item.kind,
                item.ref,
                item.number,
                item.title,
                item.group,
                item.owner,
                item.rag_label,
                row.position,
                row.why_shown,
                item.reason,
                item.original_due_date,
                item.original_wording,
                item.revised_due_date,
                item.times_revised,
                latest.reason if latest else "",
                row.flagged,
            ]

    headings = [name for name, _ in EXCEPTION_COLUMNS]
    return ("Exceptions", headings, rows(), [width for _, width in EXCEPTION_COLUMNS])


def summary_sheet(report):
    """(title, headings, rows, widths) of the headline counts, the whole report's then each kind's."""
    lines = [("All items", report.total, report.summary), *report.kind_summaries]
    rows = [
        [scope, line.label, line.count, float(line.percent), line.definition]
        for scope, _, summary in lines
        for line in summary
    ]
    return ("Summary", ["Items", "Position", "Number", "Per cent", "Meaning"], iter(rows), [14, 36, 10, 10, 80])
