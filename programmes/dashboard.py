"""A programme's dashboard: its RAG now, its RAG over the published reporting
periods, direction of travel, milestones overdue and achieved by month, the
milestones due in the next three months, and savings target against realised
by financial year. Every figure is a chart spec (core.charts), so a highlight
report can print one as an appendix figure and freeze its numbers when it is
published (HighlightReport.appendix_figures).

Each figure costs one or two queries whatever the programme's size: counts
are grouped in the database, and the month-by-month series are worked out in
Python from one list of dates.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.charts import plain_number, rag_series
from core.scope import check_scope
from programmes.models import (
    Benefit,
    HighlightReport,
    HighlightReportRow,
    Milestone,
    MilestoneStatus,
    Project,
)

MONTHS_SHOWN = 12
PERIODS_SHOWN = 12
DUE_SOON_MONTHS = 3

# The charts a highlight report may print as appendix figures, in the order they print.
FIGURE_KINDS = {
    "rag_now": "RAG status now: projects and milestones",
    "rag_by_period": "RAG of projects in each published highlight report",
    "direction": "Direction of travel in the latest published report",
    "milestones_by_month": "Milestones overdue and achieved, month by month",
    "savings_by_year": "Savings: target against realised by financial year",
}


def month_end(year, month):
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(last_day, count=MONTHS_SHOWN):
    """The `count` month ends up to `last_day`'s month, oldest first; the last
    is `last_day` itself, since the month may not be over."""
    ends = [month_end(last_day.year, last_day.month - back) for back in range(count - 1, 0, -1)]
    return [*ends, last_day]


def window_end(today, events):
    """The last day the month-by-month charts show: today, unless the last
    dated event came before the twelve months to today; then the end of its
    month, since nothing changes after it (a programme of 2010 shows 2010,
    not twelve flat months up to today)."""
    past = [day for day in events if day and day <= today]
    if not past:
        return today
    last = max(past) + datetime.timedelta(days=1)  # overdue from the day after its due date
    if last >= month_ends(today)[0].replace(day=1):
        return today
    return month_end(last.year, last.month)


def add_months(day, months):
    end = month_end(day.year, day.month + months)
    return end.replace(day=min(day.day, end.day))


def _month_label(day):
    return f"{day:%b %Y}"


def _counts(queryset, field="rag"):
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def rag_now(programme):
    """Projects being run (not closed or on hold) and the milestones not dropped, by RAG."""
    projects = _counts(Project.objects.in_programme(programme).active())
    milestones = _counts(Milestone.objects.for_programme(programme).exclude(status=MilestoneStatus.DROPPED))
    categories = ["Projects", "Milestones"]
    counts = dict(zip(categories, (projects, milestones), strict=True))
    return {
        "kind": "stacked",
        "title": FIGURE_KINDS["rag_now"],
        "summary": "Stacked bars counting the programme's projects being run and its milestones by RAG status.",
        "unit": "number of projects or milestones",
        "category_label": "Items",
        "categories": categories,
        "series": rag_series(counts, categories),
    }


def _reported_rows(programme, report=None):
    """The rows of the programme's published reports (current versions, not
    superseded ones); with `report` (a draft, or one being published), its
    rows stand for its period instead of any published version's, so that a
    report's own figures include it."""
    published = Q(report__status=HighlightReport.Status.PUBLISHED)
    if report is not None:
        same_period = Q(report__period_start=report.period_start, report__period_end=report.period_end)
        published = (published & ~same_period) | Q(report=report)
    return HighlightReportRow.objects.filter(published, report__programme=programme)


def _published_periods(programme, report=None):
    """[(period_start, period_end, {rag: rows})] for the programme's published
    reports (see _reported_rows), the last PERIODS_SHOWN, in one query."""
    counts = (
        _reported_rows(programme, report)
        .order_by()
        .values_list("report__period_start", "report__period_end", "rag")
        .annotate(n=Count("pk"))
    )
    periods = {}
    for start, end, rag, number in counts:
        periods.setdefault((end, start), {})[rag] = number
    return [(start, end, rags) for (end, start), rags in sorted(periods.items())][-PERIODS_SHOWN:]


def _period_label(start, end):
    if start.year == end.year and start.month == end.month:
        return _month_label(end)
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def rag_by_period(periods):
    categories = [_period_label(start, end) for start, end, _ in periods]
    counts = {label: rags for label, (_, _, rags) in zip(categories, periods, strict=True)}
    return {
        "kind": "stacked",
        "title": FIGURE_KINDS["rag_by_period"],
        "summary": f"Stacked bars, one for each of the last {len(categories)} published highlight reports, "
        "counting its project rows by RAG status.",
        "unit": "number of projects",
        "category_label": "Reporting period",
        "over_time": True,
        "categories": categories,
        "series": rag_series(counts, categories),
    }


DIRECTIONS = [
    (HighlightReportRow.Direction.IMPROVED, "Improved"),
    (HighlightReportRow.Direction.SAME, "Same"),
    (HighlightReportRow.Direction.WORSE, "Worse"),
    (HighlightReportRow.Direction.NEW, "New or not rated before"),
]


def direction_spec(label, directions, *, summary):
    """Bars counting improved, same, worse and new, for one `label` (a period)."""
    counts = {key: 0 for key, _ in DIRECTIONS}
    for direction in directions:
        counts[direction] += 1
    return {
        "kind": "bars",
        "title": FIGURE_KINDS["direction"],
        "summary": summary,
        "unit": "number of projects",
        "category_label": "Compared with the report before",
        "categories": [label] if label else [],
        "series": [
            {"key": str(key), "label": f"{HighlightReportRow.ARROWS[key]} {words}", "values": [counts[key]]}
            for key, words in DIRECTIONS
        ],
    }


def direction(programme, periods, report=None):
    """Direction of travel of the rows of the latest published report."""
    if not periods:
        return direction_spec("", [], summary="No highlight report has been published yet.")
    start, end, _ = periods[-1]
    rows = (
        _reported_rows(programme, report)
        .filter(report__period_start=start, report__period_end=end)
        .values_list("rag", "previous_rag")
    )
    directions = [HighlightReportRow(rag=rag, previous_rag=previous).direction for rag, previous in rows]
    summary = "Bars counting the project rows of the latest published report whose RAG improved, stayed the same "
    summary += "or got worse since the report before, and those new to it."
    return direction_spec(_period_label(start, end), directions, summary=summary)


def over_time(dates, today, *, done_label, unit, summary, title):
    """Lines of the items overdue at each month end and those done in each
    month, from [(due_date, done_on, counted)] (counted: not dropped or
    superseded): judged on today's due dates, which revisions may have moved."""
    last = window_end(today, [day for due, done, _ in dates for day in (due, done)])
    ends = month_ends(last)
    overdue, done = [], []
    for end in ends:
        start = end.replace(day=1)
        overdue.append(
            sum(
                1
                for due, done_on, counted in dates
                if counted and due and due < end and (done_on is None or done_on > end)
            )
        )
        done.append(sum(1 for _, done_on, _ in dates if done_on and start <= done_on <= end))
    return {
        "kind": "lines",
        "title": title,
        "summary": summary,
        "unit": unit,
        "category_label": "Month",
        "over_time": True,
        "categories": [_month_label(end) for end in ends],
        "series": [
            {"key": "overdue", "label": "Overdue at the month's end", "values": overdue},
            {"key": "completed", "label": done_label, "values": done},
        ],
    }


def milestones_by_month(programme, today):
    dates = [
        (due, achieved, status != MilestoneStatus.DROPPED)
        for due, achieved, status in Milestone.objects.for_programme(programme)
        .order_by()
        .values_list("due_date", "achieved_on", "status")
    ]
    return over_time(
        dates,
        today,
        done_label="Achieved in the month",
        unit="number of milestones",
        title=FIGURE_KINDS["milestones_by_month"],
        summary="Two lines over twelve months: the programme's milestones past their due date and not achieved "
        "at each month's end, and those achieved during each month.",
    )


def savings_by_year(programme):
    years = Benefit.objects.for_programme(programme).by_financial_year()
    return {
        "kind": "bars",
        "money": True,
        "title": FIGURE_KINDS["savings_by_year"],
        "summary": "Pairs of bars, one pair for each financial year: the savings and benefits targeted in pounds "
        "and the amount realised so far.",
        "unit": "£",
        "category_label": "Financial year",
        "categories": [year for year, _, _ in years],
        "series": [
            {"key": "target", "label": "Target", "values": [plain_number(target) for _, target, _ in years]},
            {"key": "realised", "label": "Realised", "values": [plain_number(realised) for _, _, realised in years]},
        ],
    }


def figures(programme, today=None, kinds=None, report=None):
    """{kind: chart spec} for the programme as at today (or the `kinds` asked
    for); with `report`, as that report prints them (see _reported_rows)."""
    today = today or timezone.localdate()
    kinds = list(FIGURE_KINDS) if kinds is None else kinds
    built = {}
    periods = _published_periods(programme, report) if {"rag_by_period", "direction"} & set(kinds) else []
    for kind in kinds:
        if kind == "rag_now":
            built[kind] = rag_now(programme)
        elif kind == "rag_by_period":
            built[kind] = rag_by_period(periods)
        elif kind == "direction":
            built[kind] = direction(programme, periods, report)
        elif kind == "milestones_by_month":
            built[kind] = milestones_by_month(programme, today)
        elif kind == "savings_by_year":
            built[kind] = savings_by_year(programme)
    return built


def milestones_due_soon(programme, today=None):
    """Open milestones due from today to three months ahead, soonest first, with their projects and owners."""
    today = today or timezone.localdate()
    until = add_months(today, DUE_SOON_MONTHS)
    milestones = Milestone.objects.for_programme(programme).due_between(today, until).for_listing()
    return until, list(milestones.order_by("due_date", "project__name", "position"))


# --- Appendix figures on a highlight report ---------------------------------------


def snapshot(report, kinds, today=None):
    """The figures `report` prints, as JSON: each kind's chart spec (with the
    report's own rows standing for its period) and the day its numbers stand at."""
    today = today or timezone.localdate()
    built = figures(report.programme, today, kinds=kinds, report=report)
    return [{"kind": kind, "as_at": today.isoformat(), "spec": built[kind]} for kind in kinds if kind in built]


def frozen_figures(report, today=None):
    """What publishing stores: the report's chosen figures with their numbers
    taken afresh, so the published version prints the position the day it was
    published, and never changes afterwards (a published report refuses every save)."""
    kinds = [figure["kind"] for figure in report.appendix_figures or []]
    return snapshot(report, kinds, today) if kinds else []


@transaction.atomic
def choose_report_figures(*, report, user, kinds):
    """Set the dashboard charts a draft report prints as appendix figures, in
    FIGURE_KINDS order, with their numbers as at today (taken again when it
    is published). The programme's managers only, and drafts only."""
    unknown = [kind for kind in kinds if kind not in FIGURE_KINDS]
    if unknown:
        raise ValidationError({"appendix_figures": "Choose figures from the list."})
    check_scope(user, report)
    report.ensure_draft()
    chosen = [kind for kind in FIGURE_KINDS if kind in kinds]
    report.appendix_figures = snapshot(report, chosen)
    report.full_clean()
    # Only the figures: the rest of this copy of the report may be older than
    # another manager's edit of its header, which a full save would undo. The
    # version moves on, so an edit page opened before cannot undo the choice.
    report.save(update_fields=["appendix_figures"])
    HighlightReport.objects.mark_changed(report.pk)
    return report
