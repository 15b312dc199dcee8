"""Audit history as people read it: who changed what, when, old → new.

Built from django-simple-history records fetched in one query; foreign-key
values are resolved with one query per related model, not one per change.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

HIDDEN_FIELDS = {"version", "id"}


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str  # Created / Changed / Deleted
    changes: list = field(default_factory=list)  # (label, old, new)
    reason: str = ""  # why, where the writer gave a reason (simple_history's change reason): a project's move


def history_entries(instance, limit=50):
    records = list(instance.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    model = type(instance)
    raw = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            if len(records) <= limit:
                raw.append((newer, "Created", []))
            continue
        delta = newer.diff_against(older, excluded_fields=list(HIDDEN_FIELDS))
        if delta.changes:
            raw.append((newer, "Changed", [(c.field, c.old, c.new) for c in delta.changes]))
    labels = _Resolver(model, [c for _, _, changes in raw for c in changes])
    return [
        HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=kind,
            changes=labels.describe(changes),
            reason=record.history_change_reason or "",
        )
        for record, kind, changes in raw
    ]


def describe_changes(model, changes):
    """(label, old, new) in words for raw (field name, old, new) triples."""
    return _Resolver(model, changes).describe(changes)


class _Resolver:
    def __init__(self, model, changes):
        self.model = model
        self.objects = {}
        wanted = {}
        for name, old, new in changes:
            f = model._meta.get_field(name)
            if f.is_relation:
                wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v is not None)
        for related, pks in wanted.items():
            self.objects[related] = related._default_manager.in_bulk(pks)

    def describe(self, changes):
        return [(self.field_label(name), self(name, old), self(name, new)) for name, old, new in changes]

    def field_label(self, name):
        return capfirst(self.model._meta.get_field(name).verbose_name)

    def __call__(self, name, value):
        f = self.model._meta.get_field(name)
        if value in (None, ""):
            return "—"
        if f.is_relation:
            return str(self.objects.get(f.related_model, {}).get(value, value))
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return date_format(value, "j M Y, H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "j M Y")  # as the pages show dates, not 2010-07-31
        return str(value)
