"""Load the 2010 seed fixtures (fixtures/*.json) all-or-nothing.

Django's `loaddata` reports a failing natural-key object as `pk=None`, which
says nothing about which of ~140 objects is wrong. This loader reads each
fixture itself and deserializes and saves one object at a time inside a single
transaction, so a failure can name the file, the model and the object's
natural key, and roll back everything loaded before it.

Objects are matched to existing rows by natural key, so loading twice updates
rather than duplicates. When a row already exists only the fields the fixture
gives are written: links the fixtures leave out (an Owner's login and team
members, say) and the optimistic-locking version survive a reload. Project and
action updates are append-only, so existing ones are left untouched. Rows the
loader creates get a "created" history record (raw saves skip
django-simple-history).

Each object is full_clean()ed before it is saved, so the model rules every
other writer's services apply (core.services: a completed action is rated
Complete, nothing is completed or updated in the future, ...) hold for the
seeds too. The loader saves rows itself rather than through those services
because it writes only the fields a fixture gives and keeps the version; it
is a trusted writer with no login, so there is no scope to check.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, router, transaction
from simple_history.utils import get_history_manager_for_model

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
# The reason on the "created" history record of a row the loader creates:
# core.as_at reads such a row as standing so from the start.
SEED_CHANGE_REASON = "Loaded from the 2010 seed fixtures"


def is_written_once(model):
    """Rows a reload must never rewrite once they exist: progress updates
    (append-only), and published highlight reports (a snapshot the committee
    saw, which may since have been superseded by a correction). Each such
    model says so with `seed_written_once = True`, so this loader, under every
    app, names none of them."""
    return getattr(model, "seed_written_once", False)


class SeedError(Exception):
    """A fixture could not be loaded; the message names the file and the object."""


@dataclass(frozen=True)
class SeedResult:
    objects: int
    fixtures: int

    def __str__(self):
        return f"Loaded {self.objects} objects from {self.fixtures} fixture{'s' if self.fixtures != 1 else ''}."


def default_fixture_paths():
    """Every fixtures/*.json, in file-name order (01_owners.json first)."""
    return sorted(FIXTURE_DIR.glob("*.json"))


def load_seed_data(paths=None, using=DEFAULT_DB_ALIAS):
    """Load the given fixture files (default: all of fixtures/*.json) in one transaction.

    Returns a SeedResult; raises SeedError, having rolled everything back, on the first bad object.
    """
    paths = [Path(p) for p in paths] if paths else default_fixture_paths()
    if not paths:
        raise SeedError(f"No fixtures found in {_display(FIXTURE_DIR)}.")
    count = 0
    with transaction.atomic(using=using):
        for path in paths:
            for data in _read_fixture(path):
                count += _load_object(path, data, using)
    return SeedResult(objects=count, fixtures=len(paths))


def _read_fixture(path):
    try:
        objects = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"{_display(path)}: cannot read fixture: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise SeedError(f"{_display(path)}: not valid JSON: {exc}") from exc
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise SeedError(f"{_display(path)}: a fixture must be a JSON list of objects.")
    return objects


def _load_object(path, data, using):
    """Deserialize, validate and save one fixture object; return 1 if saved, 0 if routed elsewhere."""
    label = _label(data)
    try:
        model = apps.get_model(data.get("model", ""))
    except (LookupError, ValueError) as exc:
        raise SeedError(f"{_display(path)}: {label}: unknown model") from exc
    if not router.allow_migrate_model(using, model):
        return 0
    try:
        (deserialized,) = serializers.deserialize("python", [data], using=using, handle_forward_references=False)
        instance = deserialized.object
        exists = instance.pk is not None and model._base_manager.using(using).filter(pk=instance.pk).exists()
        if exists and is_written_once(model):
            return 1  # already recorded; never rewritten
        instance._state.adding = not exists  # so uniqueness checks skip the row being updated
        instance.full_clean()
        update_fields = _update_fields(model, data) if exists else None
        # A savepoint, so a database error on PostgreSQL leaves the transaction usable for the message.
        with transaction.atomic(using=using):
            deserialized.save(using=using, update_fields=update_fields)
            if not exists:
                _record_history(model, instance, using)
    except (
        DeserializationError,
        FieldDoesNotExist,
        ObjectDoesNotExist,
        ValidationError,
        DatabaseError,
        TypeError,
        ValueError,
    ) as exc:
        raise SeedError(f"{_display(path)}: {label}: {_explain(model, data, exc, using)}") from exc
    return 1


def _record_history(model, instance, using):
    """Raw saves skip django-simple-history, so give a newly created row its "created" history record."""
    if getattr(model._meta, "simple_history_manager_attribute", None) is None:
        return
    manager = get_history_manager_for_model(model).db_manager(using)
    manager.bulk_history_create([instance], default_change_reason=SEED_CHANGE_REASON)


def _update_fields(model, data):
    """The concrete, non-M2M fields the fixture gives (M2M values are set separately)."""
    names = []
    for name in data.get("fields", {}):
        field = model._meta.get_field(name)
        if field.concrete and not field.many_to_many and not field.primary_key:
            names.append(field.name)
    return names or None


def _label(data):
    """`app.model "natural key"`, from the raw fixture data (works even when deserializing fails)."""
    model = str(data.get("model", "?")).lower()
    fields = data.get("fields") or {}
    if "ref" in fields:
        key = fields["ref"]
    elif "name" in fields and model == "core.owner":
        key = fields["name"]
    elif "agenda_item" in fields and "position" in fields:
        key = [*_as_list(fields["agenda_item"]), fields["position"]]
    elif "meeting" in fields and "number" in fields:
        key = [*_as_list(fields["meeting"]), fields["number"]]
    elif "committee" in fields and "date" in fields:
        key = [*_as_list(fields["committee"]), fields["date"]]
    elif "pk" in data:
        key = f"pk={data['pk']}"
    else:
        key = fields.get("name") or fields.get("title") or "(no natural key)"
    if isinstance(key, list):
        return f"{model} {json.dumps(key, ensure_ascii=False)}"
    return f'{model} "{key}"'


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _explain(model, data, exc, using):
    """Turn Django's error into a sentence that names the field and value at fault."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    missing = _missing_reference(model, data, using)
    if missing:
        return missing
    invalid = _invalid_value(model, data)
    if invalid:
        return invalid
    return str(exc)


def _missing_reference(model, data, using):
    """`Owner matching "Nobody" does not exist` for the first natural-key reference that resolves to nothing."""
    for name, value in (data.get("fields") or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return f'{model._meta.label} has no field "{name}"'
        if not field.is_relation or value is None:
            continue
        related = field.related_model
        keys = value if field.many_to_many else [value]
        for key in keys:
            if not isinstance(key, list):
                continue
            try:
                related._default_manager.db_manager(using).get_by_natural_key(*key)
            except ObjectDoesNotExist:
                shown = json.dumps(key[0] if len(key) == 1 else key, ensure_ascii=False)
                return f'{related.__name__} matching {shown} does not exist (field "{name}")'
            except (TypeError, ValueError, ValidationError):
                continue  # a malformed key: Django's own message says more
    return None


def _invalid_value(model, data):
    """`field "due_date": "2010-13-45" value has an invalid date format ...` for the first bad scalar value."""
    for name, value in (data.get("fields") or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation or value is None:
            continue
        try:
            field.to_python(value)
        except ValidationError as exc:
            return f'field "{name}": {" ".join(exc.messages)}'
    return None


def _display(path):
    """A path relative to the project (fixtures/04_lec_action_plan.json) where possible."""
    path = Path(path)
    for base in (Path.cwd(), Path(settings.BASE_DIR)):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)
