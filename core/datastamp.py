"""A token that changes whenever committed data changes, for caching pages.

The list pages cache their rendered content (``{% cached_part %}``, see
``core.page_cache``). A cached part is only
right while nothing it shows has changed, and "what it shows" spans many
tables (an action row shows its owner, its recommendations, its latest
update…). So the key carries one token for the whole database instead:
``core_datastamp``'s single row, which every write changes.

Every write is caught where it cannot be missed: an execute wrapper on each
database connection sees every statement the app sends (ORM saves,
``QuerySet.update()``, ``bulk_create``, deletes, raw SQL, fixtures), so no
signal or service has to remember to bump anything. Each gunicorn worker,
the task worker and a second server read the same row, so they agree.

When the token changes:
- inside a transaction, *before* its first write, as a statement of that
  transaction. Other connections see the new token exactly when they see
  the data (at commit), and a rolled-back transaction leaves the old token.
  It is taken before the transaction's first write or row lock, so every
  writing transaction locks the stamp row first and no lock-order deadlock
  can come from it (on PostgreSQL, writing transactions therefore queue on
  that row for their few milliseconds, as SQLite's writers always do). It changes again before a later write of the same
  transaction if this connection read the token in between (a request that
  writes, shows a page, writes again);
- outside a transaction (autocommit), *after* each write, so no reader can
  see the new token with the old data.

The token is a fresh random number, never a counter: a rolled-back test or
transaction, or a flushed table, must never give a value that a cached
page was stored under again. Statements on the tables in IGNORED_TABLES
and IGNORED_PREFIXES are left out, nothing is changed while ``migrate``
runs or before the stamp's table exists, and ``post_migrate`` changes it
once.
"""

import contextlib
import re
import secrets

from django.db import transaction

TABLE = "core_datastamp"
# Tables no cached page shows, written all the time: the stamp, sessions,
# the task queue (the worker locks it to poll every second) and login attempts.
IGNORED_TABLES = {TABLE, "django_session"}
IGNORED_PREFIXES = ("django_tasks_db_", "axes_")


def _ignored(table):
    table = table.lower()
    return table in IGNORED_TABLES or table.startswith(IGNORED_PREFIXES)


_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""",
    re.IGNORECASE,
)
# Emptying tables changes data; creating or altering them does not by itself
# (migrations change the stamp once when they finish, and CREATE DATABASE
# runs on a connection that has no stamp table).
_EMPTIES = re.compile(r"^\s*TRUNCATE\b", re.IGNORECASE)
_SCHEMA = re.compile(r"^\s*(?:CREATE|ALTER|DROP)\b", re.IGNORECASE)
_LOCKING_SELECT = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b", re.IGNORECASE)
_FROM = re.compile(r"""\bFROM\s+["`]?(\w+)""", re.IGNORECASE)
_BUMP = f"INSERT INTO {TABLE} (id, token) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET token = excluded.token"
_READ = f"SELECT token FROM {TABLE} WHERE id = 1"

_migrating = False


def changes_data(sql):
    """Whether a statement writes (or locks rows of) a table pages show."""
    if not isinstance(sql, str):
        return True
    if match := _WRITE.match(sql):
        return not _ignored(match.group(1))
    if _EMPTIES.match(sql):
        return True
    if sql.lstrip()[:6].upper() == "SELECT" and _LOCKING_SELECT.search(sql):
        match = _FROM.search(sql)
        return not (match and _ignored(match.group(1)))
    return False


def _new_token():
    return secrets.randbits(62)


def _bump(connection):
    # A cursor of its own: the statement's cursor may still hold rows
    # (INSERT … RETURNING) that its caller has yet to fetch.
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [_new_token()])


class _Pending:
    """The on-commit marker of a transaction that has changed the token."""

    def __call__(self):
        pass


_table_known = {}  # (alias, database name) -> whether it has the stamp's table


def _has_table(connection):
    """Whether the connection's database has the stamp's table yet: looked up
    once per process and database, and again after any schema change (a
    migration run without ``migrate``, as django-test-migrations does)."""
    where = (connection.alias, connection.settings_dict["NAME"])
    known = _table_known.get(where)
    if known is None:
        with connection.cursor() as cursor:
            known = _table_known[where] = TABLE in connection.introspection.table_names(cursor)
    return known


def stamp_writes(execute, sql, params, many, context):
    """The execute wrapper installed on every connection."""
    connection = context["connection"]
    if isinstance(sql, str) and _SCHEMA.match(sql):
        _table_known.clear()
    if _migrating or not changes_data(sql) or not _has_table(connection):
        return execute(sql, params, many, context)
    if not connection.in_atomic_block:
        result = execute(sql, params, many, context)
        _bump(connection)
        return result
    marker = getattr(connection, "_oip_stamp_pending", None)
    pending = marker is not None and any(entry[1] is marker for entry in connection.run_on_commit)
    if not pending or getattr(connection, "_oip_stamp_read", False):
        _bump(connection)
        marker = _Pending()
        connection._oip_stamp_pending = marker
        connection._oip_stamp_read = False
        transaction.on_commit(marker, using=connection.alias)
    return execute(sql, params, many, context)


def install(sender, connection, **kwargs):
    """``connection_created`` receiver: wrap the new connection's statements."""
    if stamp_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(stamp_writes)


def current(using="default"):
    """The token as this connection sees it now (one query)."""
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    connection._oip_stamp_read = True
    # No row yet (a new or flushed database): a token nothing was cached under.
    return row[0] if row else f"unstamped-{_new_token()}"


def migration_started(**kwargs):
    global _migrating
    _migrating = True


def migration_finished(using="default", **kwargs):
    """``post_migrate``: the schema and data may have changed; change the token once."""
    global _migrating
    if not _migrating:
        return
    _migrating = False
    from django.db import DatabaseError, connections

    with contextlib.suppress(DatabaseError):  # migrated back to before the stamp's table existed
        _bump(connections[using])
