"""One access helper per object type: fetch with everything the page needs,
and check the user may see (or, with write=True, change) it."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from actions.models import ActionItem, ActionPlanSection, ActionUpdate, Recommendation, Review, ReviewArea


def _actions():
    return ActionItem.objects.select_related("owner").with_last_update()


def get_review_for_user(request, ref):
    """The review with areas → findings, recommendations → actions, and the
    action-plan actions that answer no single recommendation, all prefetched:
    a fixed number of queries however many rows the review has."""
    recommendations = Recommendation.objects.select_related("owner").prefetch_related(
        Prefetch("actions", queryset=_actions())
    )
    unlinked = _actions().filter(recommendations__isnull=True)
    queryset = Review.objects.prefetch_related(
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
                Prefetch("actions", queryset=_actions(), to_attr="all_actions")
            ),
            to_attr="sections_without_area",
        ),
    )
    return get_object_or_404(queryset, ref=ref)


def get_recommendation_for_user(request, ref):
    queryset = Recommendation.objects.select_related("owner", "area__review").prefetch_related(
        Prefetch("actions", queryset=_actions())
    )
    return get_object_or_404(queryset, ref=ref)


def get_action_for_user(request, ref):
    """The action with its owner, parents and sources joined, and its timeline
    and the recommendations it answers prefetched."""
    queryset = ActionItem.objects.select_related(
        "owner", "section__plan", "workstream__programme", "project", "arising_from__committee"
    ).prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("area")),
    )
    return get_object_or_404(queryset, ref=ref)
