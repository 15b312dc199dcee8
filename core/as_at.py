"""Rows as they stood at a past moment, read from their audit history.

A committee's papers speak as at their cut-off (the front sheet's date): an
action's status, RAG, dates and wording are then those of its latest
django-simple-history record at or before that moment, not today's. The
values are read in the same query as the rows (one correlated subquery per
field, so prefetching many rows still costs one query), and laid over the
fields of each instance as it is loaded, so templates, `is_overdue()` and
the rest read them as they read live values.

A row loaded from the seed fixtures gets its first history record when it
is loaded (core.seed), years after the papers it comes from. So a row with
no record by the cut-off is read from its earliest one, and it counts as
existing then unless that first record is its creation in this app: what
was loaded is how it stood from the start. Models with a creation
timestamp of their own (an action's `created_at`, which the seeds give)
say when they began by that instead.
"""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone

from core.seed import SEED_CHANGE_REASON

PREFIX = "historic_"
MARKER = f"{PREFIX}history_id"  # None: the row has no history, and is read as it is now


def end_of_day(date):
    """The last moment of `date` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.max))


def cut_off(date):
    """The moment papers dated `date` speak as at: the end of that day, or
    now if that is still to come (the papers of a meeting yet to be held
    show the programme as it stands today)."""
    return min(end_of_day(date), timezone.now())


def historic(**lookups):
    """A filter on the values rows_as_at() read from the history, e.g.
    `historic(status="open")`: the field names as on the model."""
    return Q(**{f"{PREFIX}{name}": value for name, value in lookups.items()})


def _records(model, when):
    """Each row's history records, the one to read it from first: its latest
    at or before `when`; failing that (a seeded row) its earliest."""
    by_then = Q(history_date__lte=when)
    return model.history.filter(**{model._meta.pk.attname: OuterRef("pk")}).order_by(
        Case(When(by_then, then=F("history_date"))).desc(nulls_last=True),
        Case(When(by_then, then=F("history_id"))).desc(nulls_last=True),
        "history_date",
        "history_id",
    )


def existed_by(model, when):
    """Rows with a record at or before `when`, or whose creation this app
    never recorded (loaded from the seed fixtures, or made before history
    was kept)."""
    records = model.history.filter(**{model._meta.pk.attname: OuterRef("pk")})
    created_here = records.filter(history_type="+").exclude(history_change_reason=SEED_CHANGE_REASON)
    return Q(Exists(records.filter(history_date__lte=when))) | ~Q(Exists(created_here))


def rows_as_at(queryset, when, fields, *, created_field=None):
    """`queryset`'s rows as they stood at `when` (an aware datetime): only
    those that existed then (by `created_field` if the model has one, else
    by their history), each with `fields` as at `when` and with `as_at`
    (the moment) and `as_at_date` (the day, in the site's time zone) set,
    which the model's overdue rules read. Filter on the historic values
    with historic(). Constant queries: the history is read in the rows' own
    query."""
    model = queryset.model
    if created_field:
        queryset = queryset.filter(**{f"{created_field}__lte": when})
    else:
        queryset = queryset.filter(existed_by(model, when))
    records = _records(model, when)
    annotations = {MARKER: Subquery(records.values("history_id")[:1])}
    for name in fields:
        field = model._meta.get_field(name)
        value = Subquery(records.values(field.attname)[:1])
        # A field that is never empty is read as it is now where there is no history.
        annotations[f"{PREFIX}{name}"] = value if field.null else Coalesce(value, F(field.attname))
    queryset = queryset.annotate(**annotations)
    queryset._iterable_class = _iterable(when, [model._meta.get_field(name) for name in fields])
    return queryset


def _iterable(when, fields):
    day = timezone.localtime(when).date()

    class AsAtIterable(ModelIterable):
        """Lays the historic values over each row's fields as it is loaded."""

        def __iter__(self):
            for obj in super().__iter__():
                if getattr(obj, MARKER, None) is not None:
                    for field in fields:
                        setattr(obj, field.attname, getattr(obj, f"{PREFIX}{field.name}"))
                obj.as_at, obj.as_at_date = when, day
                yield obj

    return AsAtIterable
