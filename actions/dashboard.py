"""A review's (action plan's) dashboard: its actions' RAG now, overall and by
area; their RAG at each month end; direction of travel since the end of last
month; actions overdue and completed month by month; and the actions due in
the next three months. Chart specs as core.charts draws them.

Action plans have no published reports of their own, so the RAG at a month
end is read from the actions' progress updates, which record the RAG before
and after each change (ActionUpdate.rag_before / rag_after): the last change
dated by then, else the RAG before the first change after it, else the
action's RAG today. Cheap (one query for every update of the review) and it
needs no history table. Overdue is judged on today's due dates.

Every figure costs a fixed number of queries whatever the review's size.
"""

from django.db.models import Q
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, Status
from core.charts import rag_series
from core.models import RAG
from programmes.dashboard import DUE_SOON_MONTHS, add_months, direction_spec, month_ends, over_time, window_end
from programmes.models import HighlightReportRow

FIGURE_TITLES = {
    "rag_now": "RAG status of the actions now, overall and by area",
    "rag_by_month": "RAG status of the actions at each month's end",
    "direction": "Direction of travel over the latest month",
    "actions_by_month": "Actions overdue and completed, month by month",
}
ALL_ACTIONS = "All actions"
NO_AREA = "No area"


def review_actions(review):
    """The review's actions: those answering its recommendations and those in its action plans' sections."""
    return ActionItem.objects.filter(Q(recommendations__area__review=review) | Q(section__plan__review=review))


class Tally:
    """Each action of the review once, with its areas and its updates (three queries in all)."""

    def __init__(self, review):
        self.areas = list(review.areas.all())
        self.actions, self.area_ids = {}, {}
        rows = review_actions(review).values_list(
            "pk", "rag", "status", "due_date", "completed_on", "recommendations__area", "section__area"
        )
        area_ids = {area.pk for area in self.areas}
        for pk, rag, status, due, completed, rec_area, section_area in rows:
            self.actions[pk] = (rag, status, due, completed)
            found = self.area_ids.setdefault(pk, set())
            found.update(area for area in (rec_area, section_area) if area in area_ids)
        self.updates = {}
        changes = (
            ActionUpdate.objects.filter(action__in=review_actions(review).values("pk"))
            .order_by("action", "update_date", "recorded_at")
            .values_list("action", "update_date", "rag_before", "rag_after")
        )
        for action, day, before, after in changes:
            self.updates.setdefault(action, []).append((day, before, after))

    def rag_on(self, pk, day):
        """The action's RAG as at the end of `day` (see the module docstring)."""
        rag, _status, _due, completed = self.actions[pk]
        updates = self.updates.get(pk, [])
        found = None
        for update_day, before, after in updates:
            if update_day <= day:
                found = after or found
            elif found is None and before:
                found = before  # what the first later change changed from
                break
            elif found is not None:
                break
        found = found or rag
        if completed and completed <= day:
            return RAG.COMPLETE
        if found == RAG.COMPLETE:  # complete later: its rating before then is not known
            return RAG.NOT_RATED
        return found

    def events(self):
        days = [day for rag, status, due, completed in self.actions.values() for day in (due, completed)]
        days += [day for updates in self.updates.values() for day, _, _ in updates]
        return days


def rag_now(tally):
    counts = {ALL_ACTIONS: {}}
    labels = {area.pk: f"Area {area.number}" for area in tally.areas}
    categories = [ALL_ACTIONS, *labels.values()]
    for pk, (rag, *_rest) in tally.actions.items():
        homes = [labels[area] for area in tally.area_ids[pk]] or [NO_AREA]
        for home in [ALL_ACTIONS, *homes]:
            counts.setdefault(home, {})
            counts[home][rag] = counts[home].get(rag, 0) + 1
    if NO_AREA in counts:
        categories.append(NO_AREA)
    return {
        "kind": "stacked",
        "title": FIGURE_TITLES["rag_now"],
        "summary": "Stacked bars counting the review's actions by RAG status: all of them, then each area's "
        "(an action answering recommendations in two areas counts in both).",
        "unit": "number of actions",
        "category_label": "Actions",
        "categories": categories,
        "series": rag_series(counts, categories),
    }


def rag_by_month(tally, ends):
    categories = [f"{end:%b %Y}" for end in ends]
    counts = {}
    for label, end in zip(categories, ends, strict=True):
        month = counts.setdefault(label, {})
        for pk in tally.actions:
            rag = tally.rag_on(pk, end)
            month[rag] = month.get(rag, 0) + 1
    return {
        "kind": "stacked",
        "title": FIGURE_TITLES["rag_by_month"],
        "summary": f"Stacked bars, one for each of the last {len(ends)} month ends, counting the review's "
        "actions by their RAG status then, as their progress updates recorded it.",
        "unit": "number of actions",
        "category_label": "Month end",
        "over_time": True,
        "categories": categories,
        "series": rag_series(counts, categories),
    }


def direction(tally, ends):
    now, before = ends[-1], ends[-2]
    directions = [
        HighlightReportRow(rag=tally.rag_on(pk, now), previous_rag=tally.rag_on(pk, before)).direction
        for pk in tally.actions
    ]
    summary = f"Bars counting the actions whose RAG improved, stayed the same or got worse between {before:%-d %B %Y} "
    summary += f"and {now:%-d %B %Y}, and those not rated on one of those days."
    spec = direction_spec(f"{before:%-d %b %Y} to {now:%-d %b %Y}", directions, summary=summary)
    spec["title"] = FIGURE_TITLES["direction"]
    spec["unit"] = "number of actions"
    spec["category_label"] = "Between"
    spec["series"][-1]["label"] = "● Not rated on one of the days"
    return spec


def actions_by_month(tally, today):
    dates = [(due, completed, status != Status.SUPERSEDED) for rag, status, due, completed in tally.actions.values()]
    return over_time(
        dates,
        today,
        done_label="Completed in the month",
        unit="number of actions",
        title=FIGURE_TITLES["actions_by_month"],
        summary="Two lines over twelve months: the review's actions past their due date and not complete at "
        "each month's end, and those completed during each month.",
    )


def figures(review, today=None):
    """{kind: chart spec} for the review as at today."""
    today = today or timezone.localdate()
    tally = Tally(review)
    ends = month_ends(window_end(today, tally.events()))
    return {
        "rag_now": rag_now(tally),
        "rag_by_month": rag_by_month(tally, ends),
        "direction": direction(tally, ends),
        "actions_by_month": actions_by_month(tally, today),
    }


def actions_due_soon(review, today=None):
    """Open actions due from today to three months ahead, soonest first, with their owners."""
    today = today or timezone.localdate()
    until = add_months(today, DUE_SOON_MONTHS)
    actions = (
        ActionItem.objects.filter(pk__in=review_actions(review).values("pk"))
        .open()
        .filter(due_date__gte=today, due_date__lte=until)
        .select_related("owner")
        .order_by("due_date", "title")
    )
    return until, list(actions)
