"""Slippage: how far a programme's or an action plan's actions and
milestones moved from the dates first promised, read from the due-date
revisions and audit history already kept (programmes.exceptions).

Per group (review area or workstream, owner, kind) and overall:

- delivered: completed actions and achieved milestones;
- due so far: delivered with a date, or still open with the original due date passed;
- delivered by the original due date, as a share of those due so far;
- days slipped, for each item due so far: a delivered item's delivery date
  less its original due date (0 if on time or early); an open one's, today
  less its original due date; the mean over the items due so far, and the worst;
- revisions per item: due-date revisions over every item, the mean and the most.

Superseded actions, dropped milestones and those of projects on hold are
counted as items but not judged on dates; items with no due date, likewise.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from actions.exceptions import programme_items, review_items
from programmes.exceptions import REVISION_FLAG_FROM, group_items

TENTH = Decimal("0.1")


def _ratio(numerator, denominator, scale=1):
    if not denominator:
        return None
    return (Decimal(numerator) * scale / denominator).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SlippageLine:
    label: str
    items: int
    delivered: int
    due_so_far: int
    on_time: int  # delivered by the original due date
    percent_on_time: Decimal | None  # of those due so far
    mean_days: Decimal | None  # over those due so far
    worst_days: int | None
    revisions_per_item: Decimal | None
    most_revisions: int
    revised_twice: int  # items revised REVISION_FLAG_FROM times or more


def slippage_line(label, items, today):
    judged = [item.days_slipped(today) for item in items if item.due_yet(today)]
    revisions = [item.times_revised for item in items]
    return SlippageLine(
        label=label,
        items=len(items),
        delivered=sum(1 for item in items if item.done),
        due_so_far=len(judged),
        on_time=judged.count(0),
        percent_on_time=_ratio(judged.count(0), len(judged), 100),
        mean_days=_ratio(sum(judged), len(judged)),
        worst_days=max(judged) if judged else None,
        revisions_per_item=_ratio(sum(revisions), len(revisions)),
        most_revisions=max(revisions, default=0),
        revised_twice=sum(1 for times in revisions if times >= REVISION_FLAG_FROM),
    )


@dataclass
class Slippage:
    title: str
    group_heading: str  # "Review area" or "Workstream"
    today: datetime.date
    overall: SlippageLine
    by_group: list
    by_owner: list
    by_kind: list

    @property
    def summary_lines(self):
        """The overall line, then milestones and actions apart."""
        return [self.overall, *self.by_kind]

    @property
    def group_caption(self):
        return f"By {self.group_heading.lower()}"


def slippage(title, items, group_heading, today=None, overall_label="All actions and milestones"):
    """The slippage of the measured `items` (actions and milestones), overall
    and grouped (by kind only where there are both)."""
    today = today or timezone.localdate()
    measured = [item for item in items if item.measured]
    kinds = [(f"{kind}s", [i for i in measured if i.kind == kind]) for kind in ("Milestone", "Action")]
    kinds = [(label, group) for label, group in kinds if group]
    return Slippage(
        title=title,
        group_heading=group_heading,
        today=today,
        overall=slippage_line(overall_label, measured, today),
        by_group=[slippage_line(label, group, today) for label, group in group_items(measured, "group")],
        by_owner=[slippage_line(label, group, today) for label, group in group_items(measured, "owner")],
        by_kind=[slippage_line(label, group, today) for label, group in kinds] if len(kinds) > 1 else [],
    )


def programme_slippage(programme, today=None):
    return slippage(programme.name, programme_items(programme), "Workstream", today)


def review_slippage(review, today=None):
    return slippage(review.title, review_items(review), "Review area", today, overall_label="All actions")


SLIPPAGE_COLUMNS = (
    ("Grouped by", 14),
    ("Group", 40),
    ("Items", 8),
    ("Delivered", 10),
    ("Due so far", 10),
    ("Delivered by original due date", 14),
    ("Per cent delivered by original due date", 14),
    ("Mean days slipped", 12),
    ("Worst days slipped", 12),
    ("Revisions per item", 12),
    ("Most revisions", 10),
    ("Revised twice or more", 12),
)


def slippage_sheet(result):
    """(title, headings, rows, widths) for core.spreadsheets.download: the overall line, then each grouping."""
    sections = [
        ("Overall", [result.overall]),
        ("Kind", result.by_kind),
        (result.group_heading, result.by_group),
        ("Owner", result.by_owner),
    ]

    def number(value):
        return float(value) if isinstance(value, Decimal) else value

    rows = (
        [
            grouping,
            line.label,
            line.items,
            line.delivered,
            line.due_so_far,
            line.on_time,
            number(line.percent_on_time),
            number(line.mean_days),
            line.worst_days,
            number(line.revisions_per_item),
            line.most_revisions,
            line.revised_twice,
        ]
        for grouping, lines in sections
        for line in lines
    )
    return ("Slippage", [name for name, _ in SLIPPAGE_COLUMNS], rows, [width for _, width in SLIPPAGE_COLUMNS])
