"""Writes to a report's commentary and appendices: ordered rows whose
positions are renumbered when one is inserted, removed or moved, so each
runs in one transaction, checks the clerk's scope and validates each row."""

from django.db import transaction

from committees.models import AgendaItem, ReportAppendix, ReportParagraph
from core.scope import check_scope

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
    _remove(ReportAppendix, row=appendix, user=user)


def move_appendix(*, appendix, user, up):
    _move(ReportAppendix, row=appendix, user=user, up=up)
