"""Writes to recommendations and actions, and progress updates on actions.

Every create and update goes through these services (see core.services), so
the app's pages, the admin and scripts apply the same rules and record who
made the change.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import ActionItem, ActionUpdate, DueDateRevision, Recommendation, Status
from core.models import RAG
from core.scope import check_scope
from core.services import full_clean_together, save_accountable, set_fields


def create_recommendation(*, user, recommendation=None, **fields):
    """A new recommendation (its review `area` among the fields, or on the unsaved `recommendation`)."""
    return save_accountable(set_fields(recommendation or Recommendation(), fields), user=user)


def update_recommendation(*, recommendation, user, expected_version, **changes):
    return save_accountable(set_fields(recommendation, changes), user=user, expected_version=expected_version)


def create_action(*, user, action=None, recommendations=(), **fields):
    """A new action from `fields` (or the unsaved `action` a form built),
    answering `recommendations`. Its programme comes from the project,
    workstream or plan section given (see ActionItem.validate_scope)."""
    action = set_fields(action or ActionItem(), fields)
    return save_accountable(action, user=user, m2m={"recommendations": recommendations})


@transaction.atomic
def create_actions_in_bulk(*, actions, user, reason=""):
    """Many new actions at once, for a spreadsheet import: create_action's
    rules, with the queries paid once rather than per action.

    `actions` is a list of (unsaved action, recommendations it answers). Each
    action's fields and clean() are checked in turn; refs are checked unique
    in one query; the scope check runs once for each distinct set of parents
    (section, workstream, project, recommendations), since it depends on
    nothing else. Then the actions, their history rows (naming `user` and
    `reason`) and their links to recommendations are inserted in batches.
    A refusal (ValidationError, PermissionDenied) carries `.index`, the
    position of the action to blame, and nothing is saved.
    """
    actions = list(actions)
    relations = [f.name for f in ActionItem._meta.concrete_fields if f.is_relation] + ["ref"]
    for index, (action, _) in enumerate(actions):
        with _blaming(index):
            action.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    positions = {}
    for index, (action, _) in enumerate(actions):
        if action.ref in positions:
            with _blaming(index):
                raise ValidationError({"ref": f"Two new actions have the ref “{action.ref}”."})
        positions[action.ref] = index
    for ref in ActionItem.objects.filter(ref__in=list(positions)).values_list("ref", flat=True):
        with _blaming(positions[ref]):
            raise ValidationError({"ref": f"Another action already has the ref “{ref}”."})
    checked = set()
    for index, (action, recommendations) in enumerate(actions):
        parents = (action.section_id, action.workstream_id, action.project_id, frozenset(r.pk for r in recommendations))
        if parents not in checked:
            with _blaming(index):
                check_scope(user, action, recommendations=recommendations)
            checked.add(parents)
    saved = bulk_create_with_history(
        [action for action, _ in actions], ActionItem, batch_size=500, default_user=user, default_change_reason=reason
    )
    links = ActionItem.recommendations.through
    links.objects.bulk_create(
        [
            links(actionitem_id=action.pk, recommendation_id=recommendation.pk)
            for action, (_, recommendations) in zip(saved, actions, strict=True)
            for recommendation in recommendations
        ],
        batch_size=1000,
    )
    return saved


@contextmanager
def _blaming(index):
    try:
        yield
    except (ValidationError, PermissionDenied) as error:
        error.index = index
        raise


def update_action(*, action, user, expected_version, recommendations=None, **changes):
    """Change an action; `recommendations`, if given, replaces those it answers.
    Its RAG and status usually change through record_action_update instead,
    which keeps a note of why. New deadline wording is current again; a new
    date under the old wording supersedes it (as record_action_update does)."""
    m2m = {"recommendations": recommendations} if recommendations is not None else {}
    if "due_wording" in changes and changes["due_wording"] != action.due_wording:
        changes["due_wording_superseded"] = False
    elif "due_date" in changes and changes["due_date"] != action.due_date and action.due_wording:
        changes["due_wording_superseded"] = True
    return save_accountable(set_fields(action, changes), user=user, expected_version=expected_version, m2m=m2m)


DUE_DATE_NEEDS_REASON = "Give a reason for changing the due date."


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
    author_name="",
):
    """Append a progress note and apply its RAG/status/due-date changes.

    Setting the status to Complete rates the action Complete and, unless
    `completed_on` is given, completes it today. Changing the due date needs a
    reason, kept with the old date.

    All or nothing: the action, its new update and any due-date revision are
    validated together and saved together, only if nobody saved the action
    since `expected_version` (EditConflict otherwise), and only by someone who
    may update it.
    """
    check_scope(user, ActionUpdate(action=action))
    rag_before, status_before, due_before = action.rag, action.status, action.due_date
    if due_date != due_before and not due_change_reason.strip():
        raise ValidationError({"due_change_reason": DUE_DATE_NEEDS_REASON})
    if status == Status.COMPLETE:
        rag = RAG.COMPLETE
        completed_on = completed_on or timezone.localdate()
    else:
        completed_on = None
    action.rag = rag
    action.status = status
    action.completed_on = completed_on
    action.due_date = due_date
    update = ActionUpdate(
        action=action,
        update_date=update_date,
        note=note,
        rag_before=rag_before,
        rag_after=rag,
        status_before=status_before,
        status_after=status,
        author=user,
        author_name=author_name,
    )
    revisions = []
    if due_date != due_before:
        # The wording matched the old date: keep it on the revision, and show it
        # on the action as superseded rather than under a date it no longer fits.
        old_wording = "" if action.due_wording_superseded else action.due_wording
        action.due_wording_superseded = bool(action.due_wording)
        revisions.append(
            DueDateRevision(
                action=action,
                old_date=due_before,
                new_date=due_date,
                old_wording=old_wording,
                reason=due_change_reason,
                changed_by=user,
            )
        )
    full_clean_together(action, update, *revisions)
    action._history_user = user
    action.save_if_unchanged(expected_version)
    for revision in revisions:
        revision.save()
    update.save()
    return update
