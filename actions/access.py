"""One access helper per object type: fetch with everything the page needs,
check the user may see it, and with a flag what they may do to it (the same
flags as programmes.access):

- for_edit=True: the user may change the object itself, as its model's
  can_be_edited_by decides (the managers of its programme);
- for_progress=True: the user may record a progress update on it, as its
  model's can_be_updated_by decides (its owner, their team or a manager).

Every council login may read; refusals are 403 (the POST itself, not just a
hidden button).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404

from actions.models import ActionItem, ActionPlanSection, ActionUpdate, Recommendation, Review, ReviewArea

# What deciding an action's programme (and so its managers) needs joined.
ACTION_PARENTS = ["owner", "project__workstream", "workstream", "section__plan"]


def _actions(as_at=None, *, rows_only=False):
    """Actions with their last update date; and, unless rows_only (what an
    action's row on the review page shows), the parents that decide their
    programme and their updates."""
    if rows_only:
        return ActionItem.objects.select_related("owner").with_last_update()
    actions = ActionItem.objects.select_related(*ACTION_PARENTS).with_last_update()
    updates = ActionUpdate.objects.select_related("author")
    if as_at is not None:
        actions, updates = actions.as_at(as_at), updates.recorded_by(as_at)
    return actions.prefetch_related(Prefetch("updates", queryset=updates))


def reviews_with_actions(as_at=None):
    """Reviews with areas → findings, recommendations → actions (with their
    updates), and the action-plan actions that answer no single
    recommendation, all prefetched: a fixed number of queries however many
    rows a review has. Used by the review, progress and committee pack pages.
    as_at (an aware datetime, a committee paper's cut-off): the actions as
    they stood then and the updates recorded by then (ActionItem.objects.as_at)."""
    recommendations = Recommendation.objects.select_related("owner").prefetch_related(
        Prefetch("actions", queryset=_actions(as_at))
    )
    unlinked = _actions(as_at).filter(recommendations__isnull=True)
    return Review.objects.prefetch_related(
        Prefetch(
            "areas",
            queryset=ReviewArea.objects.prefetch_related(
                "findings",
                Prefetch("recommendations", queryset=recommendations),
                Prefetch(
                    "plan_sections",
                    queryset=ActionPlanSection.objects.prefetch_related(
                        Prefetch("actions", queryset=unlinked, to_attr="unlinked_actions")
                    ),
                ),
            ),
        ),
        Prefetch(
            "action_plans__sections",
            queryset=ActionPlanSection.objects.filter(area__isnull=True).prefetch_related(
                Prefetch("actions", queryset=_actions(as_at), to_attr="all_actions")
            ),
            to_attr="sections_without_area",
        ),
    )


def get_review_for_user(request, ref, *, heading_only=False):
    """The review with every area, finding, recommendation and action its
    progress table and downloads show (reviews_with_actions). Reviews are
    never changed in the browser, so there is no for_edit flag. heading_only:
    the review alone, for a page whose body may come from the page cache."""
    return get_object_or_404(Review.objects.all() if heading_only else reviews_with_actions(), ref=ref)


# More action rows than this (an action answering two recommendations is a
# row under each) and the review page shows one area's actions at a time.
REVIEW_PAGE_ROWS = 200


@dataclass
class ReviewPage:
    review: Review
    areas: list  # every area; those in `shown` (actions_shown) have their actions prefetched
    shown: list
    rows: int  # action rows in the whole review
    collapsed: bool  # only some areas' actions are on the page


def get_review_page_for_user(request, ref, *, area=None):
    """The review page: every area with its findings and recommendations,
    each recommendation with the number of actions answering it, and the
    actions (rows only) of the areas shown. That is every area, unless the
    review has more than REVIEW_PAGE_ROWS action rows: then one area, the
    `area` numbered (the first if none or no such area), or every area if
    `area` is "all" (the printable page). A 600-action review took about
    0.4 s a request to show whole (bench/list_pages.py); one area of it takes
    a fifth of that. A fixed number of queries either way."""
    review = get_object_or_404(
        Review.objects.prefetch_related(
            Prefetch(
                "areas",
                queryset=ReviewArea.objects.prefetch_related(
                    "findings",
                    Prefetch(
                        "recommendations",
                        queryset=Recommendation.objects.select_related("owner").annotate(action_count=Count("actions")),
                    ),
                    Prefetch(
                        "plan_sections",
                        queryset=ActionPlanSection.objects.annotate(
                            unlinked_count=Count("actions", filter=Q(actions__recommendations__isnull=True))
                        ),
                    ),
                ),
            ),
            Prefetch(
                "action_plans__sections",
                queryset=ActionPlanSection.objects.filter(area__isnull=True).prefetch_related(
                    Prefetch("actions", queryset=_actions(rows_only=True), to_attr="all_actions")
                ),
                to_attr="sections_without_area",
            ),
        ),
        ref=ref,
    )
    areas = list(review.areas.all())
    for each in areas:
        each.action_rows = sum(r.action_count for r in each.recommendations.all()) + sum(
            s.unlinked_count for s in each.plan_sections.all()
        )
    rows = sum(each.action_rows for each in areas)
    collapsed = rows > REVIEW_PAGE_ROWS and area != "all"
    shown = areas
    if collapsed:
        shown = [next((each for each in areas if str(each.number) == area), areas[0])] if areas else []
    for each in areas:
        each.actions_shown = each in shown
    prefetch_related_objects(
        shown,
        Prefetch("recommendations__actions", queryset=_actions(rows_only=True)),
        Prefetch(
            "plan_sections__actions",
            queryset=_actions(rows_only=True).filter(recommendations__isnull=True),
            to_attr="unlinked_actions",
        ),
    )
    return ReviewPage(review=review, areas=areas, shown=shown, rows=rows, collapsed=collapsed)


def get_recommendation_for_user(request, ref, *, for_edit=False):
    """The recommendation with its owner and review joined (its heading), the
    actions answering it with their last updates (its page lists them), and
    its review's action plans, whose programmes' managers decide for_edit."""
    queryset = Recommendation.objects.select_related("owner", "area__review").prefetch_related(
        Prefetch("actions", queryset=_actions()), "area__review__action_plans"
    )
    recommendation = get_object_or_404(queryset, ref=ref)
    if for_edit and not recommendation.can_be_edited_by(request.user):
        raise PermissionDenied("Only the managers of the programme delivering this review can change it.")
    return recommendation


def get_action_for_user(request, ref, *, for_edit=False, for_progress=False):
    """The action with its owner, its parents (project, workstream, plan
    section: they decide its programme, so whose managers may edit it) and
    the minute it arose from joined, and its timeline, due-date revisions and
    recommendations prefetched: the page shows all of them, in a fixed number
    of queries whatever the action's history."""
    queryset = ActionItem.objects.select_related(
        *ACTION_PARENTS, "project", "workstream__programme", "section__plan", "arising__meeting__committee"
    ).prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("area")),
        "due_date_revisions__changed_by",
    )
    action = get_object_or_404(queryset, ref=ref)
    if for_progress and not action.can_be_updated_by(request.user):
        raise PermissionDenied("Only the action's owner, their team or its programme's managers can update it.")
    if for_edit and not action.can_be_edited_by(request.user):
        raise PermissionDenied("Only the managers of this action's programme can change it.")
    return action


def get_review_summary_for_user(request, ref):
    """The review with its areas and action plans only: for pages that count
    its actions themselves in a few grouped queries (the dashboard, the
    exception report and slippage), which have no use for every row
    reviews_with_actions prefetches."""
    return get_object_or_404(Review.objects.prefetch_related("areas", "action_plans"), ref=ref)
