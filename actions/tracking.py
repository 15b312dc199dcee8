"""Actions and recommendations as tracked kinds (see core.tracking)."""

from django.db.models import Prefetch, Q
from django.utils.text import Truncator

from actions.models import ActionItem, DueDateRevision, Recommendation, Status
from core.tracking import DueDateChange, Link, TrackedKind, rag_became_complete


def _my_work_actions(actions):
    recommendations = Recommendation.objects.select_related("area").order_by("area__number", "number")
    return (
        actions.with_last_update()
        .select_related("section", "arising__meeting__committee")
        .prefetch_related(Prefetch("recommendations", queryset=recommendations))
    )


def _action_parents(action):
    """The recommendations an action answers; failing those, where it came from."""
    recommendations = action.recommendations.all()
    if recommendations:
        return [
            Link(f"{rec.area.number}.{rec.number} {Truncator(rec.text).chars(60)}", rec.get_absolute_url())
            for rec in recommendations
        ]
    if action.section:
        return [Link(f"Action plan section {action.section}")]
    if minute := action.minute:
        return [Link(f"{minute.minute_label}, {minute.meeting}", minute.meeting.get_absolute_url())]
    return []


def _action_became_complete(before, after):
    """An action is completed by its RAG or by its status, whichever comes first."""
    return rag_became_complete(before, after) or (after.status == Status.COMPLETE and before.status != Status.COMPLETE)


def _due_date_revisions(start, end):
    window = Q(changed_at__lt=end) & (Q(changed_at__gte=start) if start else Q())
    return [
        DueDateChange(
            item=revision.action,
            when=revision.changed_at,
            who=revision.changed_by,
            old_date=revision.old_date,
            new_date=revision.new_date,
            reason=revision.reason,
        )
        for revision in DueDateRevision.objects.filter(window).select_related("action", "changed_by")
    ]


ACTION = TrackedKind(
    label="Action",
    model=ActionItem,
    title_attr="title",
    update_url_name="actions:update",
    order=10,
    reports_new=True,
    my_work_queryset=_my_work_actions,
    parents=_action_parents,
    became_complete=_action_became_complete,
    due_date_revisions=_due_date_revisions,
)

# Recommendations are answered through their actions, so only committees
# follow them directly: they are in changes since the last meeting, not in
# anyone's My work or reminders, and are never "newly overdue".
RECOMMENDATION = TrackedKind(
    label="Recommendation",
    model=Recommendation,
    title_attr="text",
    title_chars=100,
    order=30,
    in_my_work=False,
    in_reminders=False,
    reports_overdue=False,
)
