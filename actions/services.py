"""Writes that touch several rows at once."""

from django.db import transaction

from actions.models import ActionUpdate, DueDateRevision, Status
from core.scope import check_scope


@transaction.atomic
def record_action_update(
    *,
    action,
    user,
    expected_version,
    note,
    update_date,
    rag,
    status,
    completed_on=None,
    due_date=None,
    due_change_reason="",
):
    """Append a progress note and apply its RAG/status/due-date changes.

    All or nothing: the action, its new update and any due-date revision are
    saved together, and only if nobody saved the action since `expected_version`
    (EditConflict otherwise), and only by someone who may update it.
    """
    check_scope(user, ActionUpdate(action=action))
    rag_before, status_before, due_before = action.rag, action.status, action.due_date
    action.rag = rag
    action.status = status
    action.completed_on = completed_on if status == Status.COMPLETE else None
    action.due_date = due_date
    action._history_user = user
    action.full_clean()
    action.save_if_unchanged(expected_version)
    if due_date != due_before:
        revision = DueDateRevision(
            action=action, old_date=due_before, new_date=due_date, reason=due_change_reason, changed_by=user
        )
        revision.full_clean()
        revision.save()
    update = ActionUpdate(
        action=action,
        update_date=update_date,
        note=note,
        rag_before=rag_before,
        rag_after=rag,
        status_before=status_before,
        status_after=status,
        author=user,
    )
    update.full_clean()
    update.save()
    return update
