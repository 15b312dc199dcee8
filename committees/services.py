"""Writes that clerks make to a meeting's papers:

- a report's commentary and appendices: ordered rows whose positions are
  renumbered when one is inserted, removed or moved, so each runs in one
  transaction, checks the clerk's scope and validates each row;
- minutes (versioned: create_minute and update_minute, registered for the
  minute form in CommitteesConfig.ready) and the actions recorded under a
  minute (record_minuted_action), which become the next meeting's matters arising."""

from django.core.exceptions import ValidationError
from django.db import transaction

from actions.models import ActionItem
from committees.models import AgendaItem, MinutedAction, ReportAppendix, ReportParagraph
from core.scope import check_scope
from core.services import save_accountable

# Positions are unique per report: renumbering first parks the rows out of the
# way (above this offset) so no two collide half-way through.
_PARKED = 10000


def _renumber(rows):
    """Give `rows` (in their new order) positions 1, 2, 3 …"""
    model = type(rows[0]) if rows else None
    for offset, row in enumerate(rows, start=1):
        row.position = _PARKED + offset
    if model is not None:
        model.objects.bulk_update(rows, ["position"])
        for row in rows:
            row.position -= _PARKED
        model.objects.bulk_update(rows, ["position"])


def _ordered(model, item):
    return list(model.objects.select_for_update().filter(agenda_item=item).order_by("position"))


def _insert(model, *, item, user, row, position):
    check_scope(user, item)
    check_scope(user, row)
    with transaction.atomic():
        AgendaItem.objects.select_for_update().filter(pk=item.pk).first()  # one writer per report at a time
        rows = _ordered(model, item)
        index = len(rows) if position is None else max(0, min(position - 1, len(rows)))
        row.agenda_item = item
        row.position = _PARKED * 2  # placed properly by the renumbering below
        row.full_clean()
        row.save()
        rows.insert(index, row)
        _renumber(rows)
    return row


def _remove(model, *, row, user):
    check_scope(user, row)
    with transaction.atomic():
        item = row.agenda_item
        row.delete()
        _renumber(_ordered(model, item))


def _move(model, *, row, user, up):
    check_scope(user, row)
    with transaction.atomic():
        rows = _ordered(model, row.agenda_item)
        index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
            _renumber(rows)


def add_paragraph(*, item, user, kind, text, position=None):
    """A heading or paragraph at `position` (1-based; None: at the end). Those
    after it move down, so the printed 3.x numbers shift."""
    return _insert(ReportParagraph, item=item, user=user, row=ReportParagraph(kind=kind, text=text), position=position)


def edit_paragraph(*, paragraph, user, kind, text):
    check_scope(user, paragraph)
    with transaction.atomic():
        paragraph.kind, paragraph.text = kind, text
        paragraph.full_clean()
        paragraph.save(update_fields=["kind", "text"])
    return paragraph


def remove_paragraph(*, paragraph, user):
    _remove(ReportParagraph, row=paragraph, user=user)


def move_paragraph(*, paragraph, user, up):
    _move(ReportParagraph, row=paragraph, user=user, up=up)


def add_appendix(*, item, user, appendix, position=None):
    """`appendix` is an unsaved ReportAppendix (kind, paper, filters)."""
    return _insert(ReportAppendix, item=item, user=user, row=appendix, position=position)


def remove_appendix(*, appendix, user):
    """An uploaded paper's file goes with it, once the removal is committed
    (issued packs keep their own copy of its pages)."""
    file = appendix.file
    _remove(ReportAppendix, row=appendix, user=user)
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))


def move_appendix(*, appendix, user, up):
    _move(ReportAppendix, row=appendix, user=user, up=up)


# --- Minutes and the actions recorded under them (issue 11) ---


def record_minuted_action(*, minute, user, title, owner, due_date, due_wording="", description=""):
    """An action recorded under `minute`: a new ActionItem and the MinutedAction
    that makes it a matter arising at the committee's later meetings.

    Such an action belongs to no programme's plan, so the clerk, who may not
    add actions to programmes, could not create it through
    actions.services.create_action's programme scope. The clerk's right to
    minute this meeting is checked here instead and the action is saved as a
    trusted write, with the clerk recorded in its history. All or nothing."""
    check_scope(user, MinutedAction(meeting=minute.meeting, minute=minute))
    errors = {}
    if owner is None:
        errors["owner"] = "Say who the action is by."
    if due_date is None:
        errors["due_date"] = "Give the completion date (the deadline in words may go beside it)."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = ActionItem(
            title=title,
            description=description or minute.resolved or minute.title,
            owner=owner,
            due_date=due_date,
            due_wording=due_wording,
        )
        arising = MinutedAction(action=action, meeting=minute.meeting, minute=minute)
        action.full_clean()
        action._history_user = user
        action.save()
        arising.action = action
        arising.full_clean()
        arising.save()
    return arising


def remove_minute(*, minute, user):
    """Remove a minute recorded by mistake. One with actions under it is kept:
    those actions are followed up as matters arising."""
    check_scope(user, minute)
    if minute.actions.exists():
        raise ValidationError(
            f"Minute {minute.number} has actions recorded under it, which are followed up as matters arising: "
            "it cannot be removed."
        )
    minute.delete()


def create_minute(*, user, minute, **m2m):
    """A new minute (its meeting on the unsaved `minute`), by a clerk."""
    return save_accountable(minute, user=user)


def update_minute(*, minute, user, expected_version, **m2m):
    """Change a minute, refused if another clerk saved it since it was opened."""
    return save_accountable(minute, user=user, expected_version=expected_version)
