"""The 2010 seed data for tests, loaded for real once and then restored cheaply.

`core.seed.load_seed_data` deserializes, full_clean()s and saves its ~540
objects one at a time, which costs about two seconds. Most tests that use the
seeds want the data, not the loader, so `restore_seed_data()` runs the real
loader the first time it meets a given database state, records the rows the
loader added (table by table, every column, history records and many-to-many
rows included) and the fields it changed on rows that were already there,
and from then on writes the same rows back with one INSERT per table.

A restore is only used when the database is in the state the rows were
recorded in (every table holds as many rows as it did then); otherwise, or if
the restore fails, the real loader runs. So a test that creates rows before
asking for the seeds still gets what `load_seed_data` would give it, only
slower. The loader itself keeps its own tests (tests/test_fixtures*.py load
and reload for real).
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction

_recorded = {}  # (alias, vendor, table counts) -> _SeedRows or None (could not be recorded)


class _SeedRows:
    def __init__(self, inserts, updates):
        self.inserts = inserts  # [(model, [instances])]
        self.updates = updates  # [(model, pk, {attname: value})]


def _models(using):
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and router.allow_migrate_model(using, model)
    ]


def _counts(using):
    """How many rows each table holds, in one query."""
    models = _models(using)
    quote = connections[using].ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return tuple(zip((model._meta.label for model in models), counts, strict=True))


def _rows(using):
    """Every row of every table, as {model: {pk: instance}}."""
    return {model: {obj.pk: obj for obj in model._base_manager.using(using).all()} for model in _models(using)}


def _values(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _record(using):
    """Run the real loader and return the rows it added and changed (None if it deleted any)."""
    before = _rows(using)
    call_command("load_seed_data", verbosity=0, database=using)
    after = _rows(using)
    inserts, updates = [], []
    for model, rows in after.items():
        old_rows = before[model]
        if set(old_rows) - set(rows):
            return None  # the loader never deletes; if it ever does, always load for real
        added = [obj for pk, obj in rows.items() if pk not in old_rows]
        if added:
            inserts.append((model, added))
        for pk, obj in rows.items():
            if pk in old_rows:
                old, new = _values(old_rows[pk]), _values(obj)
                changed = {name: value for name, value in new.items() if old[name] != value}
                if changed:
                    updates.append((model, pk, changed))
    return _SeedRows(inserts, updates)


def _restore(rows, using):
    connection = connections[using]
    for model, objs in rows.inserts:
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), batch):
            # raw=True: the values as recorded (no auto_now, no defaults), as a raw save writes them.
            model._base_manager.using(using)._insert(objs[start : start + batch], fields=fields, using=using, raw=True)
    for model, pk, changed in rows.updates:
        if model._base_manager.using(using).filter(pk=pk).update(**changed) != 1:
            raise DatabaseError(f"{model._meta.label} pk={pk} is not there to update")
    sequences = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows.inserts])
    if sequences:
        with connection.cursor() as cursor:
            for sql in sequences:
                cursor.execute(sql)


def restore_seed_data(using=DEFAULT_DB_ALIAS):
    """Give the database what `manage.py load_seed_data` would, as cheaply as possible."""
    connection = connections[using]
    key = (using, connection.vendor, _counts(using))
    with transaction.atomic(using=using):
        if key not in _recorded:
            _recorded[key] = _record(using)
            return
        rows = _recorded[key]
        if rows is not None:
            try:
                with transaction.atomic(using=using):
                    _restore(rows, using)
                return
            except DatabaseError:
                _recorded[key] = None  # rolled back; this state loads for real from now on
        call_command("load_seed_data", verbosity=0, database=using)
