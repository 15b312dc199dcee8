"""Writes that clerks make to a meeting's papers:

- a report's commentary and appendices: ordered rows whose positions are
  renumbered when one is inserted, removed or moved, so each runs in one
  transaction, checks the clerk's scope and validates each row;
- minutes (versioned: create_minute and update_minute, registered for the
  minute form in CommitteesConfig.ready) and the actions recorded under a
  minute (record_minuted_action), which become the next meeting's matters arising."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actions.models import ActionItem
from committees.models import AgendaItem, IssuedPack, Meeting, MinutedAction, ReportAppendix, ReportParagraph
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


# --- Deleting a meeting or an agenda item set up by mistake (issue 13) ---
#
# Until a pack is issued, a meeting and its agenda are the clerk's working
# papers: a wrong date or a duplicated item may simply go. Once a pack is
# issued it is the record of what members and the public were sent, and once
# minutes are recorded the meeting is the record of what was decided, so
# those refuse. What goes with a meeting: its agenda items and their reports
# (commentary, appendices, uploaded files), its links to the highlight
# reports presented (the reports themselves stay) and failed attempts to
# issue its pack. Meetings and agenda items keep their history, so the
# deletion is on record with who made it.

DELETED_BY_CLERK = "Deleted by the clerk before any pack was issued."


@dataclass(frozen=True)
class Deletion:
    """What deleting a meeting or agenda item would remove with it, and why it
    may not be deleted, both in words for the confirmation page."""

    refusals: list
    removes: list

    @property
    def allowed(self):
        return not self.refusals


def pack_refusals(meeting, what="its agenda"):
    """Why `meeting` (or `what` of it) may not be deleted because of its
    packs: one is issued, or requested and not finished. Failed ones do not count."""
    packs = list(meeting.issued_packs.exclude(status=IssuedPack.Status.FAILED).order_by("part", "version"))
    issued = sorted({pack.get_part_display() for pack in packs if pack.is_issued})
    if issued:
        return [
            f"The papers for this meeting have been issued ({', '.join(issued)} pack): an issued pack is the "
            f"record of what members and the public received, so {what} cannot be deleted."
        ]
    if packs:
        pack = packs[0]
        return [
            f"Version {pack.version} of the {pack.get_part_display()} pack has been requested and is not "
            f"finished ({pack.status_label.lower()}): wait until it is issued or has failed, or retry it from "
            "the issued packs page."
        ]
    return []


def _report_parts(items):
    """'3 paragraphs of commentary and 2 appendices', for the reports under `items`."""
    paragraphs = ReportParagraph.objects.filter(agenda_item__in=items).count()
    appendices = ReportAppendix.objects.filter(agenda_item__in=items).count()
    parts = []
    if paragraphs:
        parts.append(f"{paragraphs} paragraph{'s' if paragraphs != 1 else ''} of report commentary")
    if appendices:
        parts.append(f"{appendices} report appendi{'ces' if appendices != 1 else 'x'} (uploaded files included)")
    return parts


def meeting_deletion(meeting):
    """Whether `meeting` may be deleted and what would go with it."""
    refusals = pack_refusals(meeting, "the meeting")
    minutes = list(meeting.minutes.order_by("number").values_list("number", flat=True))
    if minutes:
        numbers = ", ".join(str(number) for number in minutes)
        refusals.append(
            f"Minutes are recorded for this meeting (minute{'s' if len(minutes) != 1 else ''} {numbers}): "
            "they are the record of what was decided. Remove them first if they were recorded by mistake."
        )
    elif arising := meeting.minuted_actions.count():
        refusals.append(
            f"{arising} action{'s were' if arising != 1 else ' was'} minuted at this meeting and "
            f"{'are' if arising != 1 else 'is'} followed up as matters arising."
        )
    for item in meeting.minuted_at_items.select_related("meeting__committee").order_by("meeting__date", "number"):
        refusals.append(
            f"Item {item.number} of the meeting of {item.meeting} takes the minutes of this meeting: "
            "change that item first."
        )
    items = list(meeting.agenda_items.order_by("number"))
    removes = []
    if items:
        removes.append(f"{len(items)} agenda item{'s' if len(items) != 1 else ''}: " + "; ".join(map(str, items)))
    removes += _report_parts(items)
    if reports := meeting.reports.count():
        removes.append(
            f"Its link to the {reports} highlight report{'s' if reports != 1 else ''} presented "
            "(the reports themselves are kept)"
        )
    if failed := meeting.issued_packs.filter(status=IssuedPack.Status.FAILED).count():
        removes.append(f"{failed} failed attempt{'s' if failed != 1 else ''} to issue its pack")
    return Deletion(refusals=refusals, removes=removes)


def agenda_item_deletion(item):
    """Whether agenda `item` may be deleted and what would go with it."""
    refusals = pack_refusals(item.meeting, "its agenda")
    for minute in item.minutes.order_by("number"):
        refusals.append(f"Minute {minute} is recorded under this item: change or remove that minute first.")
    removes = _report_parts([item])
    if item.meeting.pack_item_id == item.pk:
        removes.append("Its cover sheet opens the committee pack: the pack will have none until you choose another")
    return Deletion(refusals=refusals, removes=removes)


def _lock_meeting(meeting):
    # The same lock committees.issuing.request_issue takes: a pack cannot be
    # requested between the check below and the delete.
    Meeting.objects.select_for_update().values_list("pk", flat=True).get(pk=meeting.pk)


def _uploaded_files(items):
    return [appendix.file for appendix in ReportAppendix.objects.filter(agenda_item__in=items).exclude(file="")]


def _delete_with_history(obj, user):
    obj._history_user = user
    obj._change_reason = DELETED_BY_CLERK
    obj.delete()


def _delete_files_on_commit(files):
    for file in files:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


def delete_meeting(*, meeting, user):
    """Delete a meeting set up by mistake, with its agenda and what hangs off
    it (meeting_deletion), recorded in the meetings' and agenda items'
    history. Refused (ValidationError, nothing changed) once a pack is issued
    or requested, minutes are recorded or another agenda takes its minutes."""
    if not Meeting.can_be_deleted_by(user):
        raise PermissionDenied("Only committee clerks can delete meetings.")
    with transaction.atomic():
        _lock_meeting(meeting)
        deletion = meeting_deletion(meeting)
        if not deletion.allowed:
            raise ValidationError(deletion.refusals)
        items = list(meeting.agenda_items.all())
        files = _uploaded_files(items)
        meeting.issued_packs.filter(status=IssuedPack.Status.FAILED).delete()  # failed packs keep no file
        for item in items:
            _delete_with_history(item, user)
        _delete_with_history(meeting, user)
        _delete_files_on_commit(files)


def delete_agenda_item(*, item, user):
    """Delete an agenda item and its report (agenda_item_deletion), recorded
    in the agenda items' history. The other items keep their numbers.
    Refused (ValidationError, nothing changed) once the meeting's pack is
    issued or requested, or a minute is recorded under the item."""
    if not AgendaItem.can_be_deleted_by(user):
        raise PermissionDenied("Only committee clerks can delete agenda items.")
    with transaction.atomic():
        _lock_meeting(item.meeting)
        deletion = agenda_item_deletion(item)
        if not deletion.allowed:
            raise ValidationError(deletion.refusals)
        files = _uploaded_files([item])
        _delete_with_history(item, user)
        _delete_files_on_commit(files)
