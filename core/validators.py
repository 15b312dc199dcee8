"""Bounds on what people may type: dates, free text and refs.

They sit on the model fields, so the browser's forms, Django admin, the seed
loader and the services all refuse the same values with the same message.
README.md ("Limits on dates and text") lists them.
"""

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxLengthValidator
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.deconstruct import deconstructible
from django.utils.text import normalize_newlines

# Every date the tracker holds is a deadline, a meeting or a reporting period
# of a council programme: the 2010 papers are the oldest, and nothing is
# planned past this century. A bound this wide refuses only typing slips
# (0201 for 2021, 9999 as "never"), which otherwise overflow the day-after
# arithmetic of reports and "changes since" (datetime.date.max + 1 day).
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# Character limits on free text, by what the text is. Each is several times
# the longest of its kind in the council's 2010 papers (fixtures/), so only
# pasted documents reach them; highlight report narratives have their own,
# tighter, limits in programmes.models because they are printed.
REASON_LIMIT = 2_000  # a reason, a recommendation, a finding: a paragraph or two (longest real: 391)
NOTE_LIMIT = 4_000  # an action in full, a progress note, a management summary (longest real: 486)
DESCRIPTION_LIMIT = 10_000  # descriptions and a review's summary, read on screen (longest real: 3,354)


def _day(value):
    return f"{value.day} {value:%b %Y}"


def validate_sensible_date(value):
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="date_out_of_range",
            params={"earliest": _day(EARLIEST_DATE), "latest": _day(LATEST_DATE)},
        )


def is_sensible_date(value):
    return EARLIEST_DATE <= value <= LATEST_DATE


def printed_length(value):
    """Characters as the person typing sees them: a line break is one.

    Browsers submit a textarea's line breaks as CR LF but count them as one
    towards its maxlength, so counting the raw value would refuse text the
    browser had just allowed.
    """
    return len(normalize_newlines(value))


@deconstructible
class MaxTextLengthValidator(MaxLengthValidator):
    """MaxLengthValidator with the figures written the council's way (4,000)."""

    message = "Keep this to %(limit)s characters or fewer: it has %(length)s."

    def __call__(self, value):
        length = printed_length(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit": f"{self.limit_value:,}", "length": f"{length:,}", "value": value},
            )


@deconstructible
class MaxLinesValidator(BaseValidator):
    """At most `limit_value` lines, for text printed in a narrow table column.

    Characters alone do not bound how tall it prints: 1,500 characters of
    one-letter lines fill 20 pages of a highlight report.
    """

    message = "Keep this to %(limit)s lines or fewer: it has %(lines)s."
    code = "max_lines"

    def __call__(self, value):
        lines = len(normalize_newlines(value).split("\n")) if value else 0
        if lines > self.limit_value:
            raise ValidationError(self.message, code=self.code, params={"limit": self.limit_value, "lines": lines})


def validate_ref(value):
    """Refuse a ref that a page address uses for something else (see reserved_refs)."""
    if value in reserved_refs():
        raise ValidationError(
            "“%(ref)s” is used by a page address; choose another ref.", code="reserved_ref", params={"ref": value}
        )


def reserved_refs():
    """The words a ref may not be: every fixed part of a page address that
    stands where a ref could. /programmes/new/ is the new-programme form, so
    a programme with the ref `new` could never be opened at /programmes/<ref>/.

    Read from the URLconf rather than listed, so a page added later reserves
    its word at once (tests/test_refs.py checks that every other word opens).
    """
    return _reserved_in(get_resolver())


_PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


@functools.cache
def _reserved_in(resolver):
    routes = list(_routes(resolver.url_patterns))
    reserved = set()
    for route in routes:
        for i, (segment, converter) in enumerate(route):
            if converter is None or not segment.endswith("ref"):
                continue
            for other in routes:
                fixed = len(other) > i and other[i][1] is None and _shape(other[:i]) == _shape(route[:i])
                if fixed and re.fullmatch(converter.regex, other[i][0]):
                    reserved.add(other[i][0])
    return frozenset(reserved)


def _routes(patterns, prefix=()):
    """Every path() route, as (segment, converter) pairs: (`projects`, None)
    for a fixed segment, (`ref`, SlugConverter) for a parameter."""
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # re_path(): only the admin's, which name no refs
        route = prefix + tuple(
            (match["name"], entry.pattern.converters[match["name"]])
            if (match := _PARAMETER.fullmatch(segment))
            else (segment, None)
            for segment in str(entry.pattern).split("/")
            if segment
        )
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route


def _shape(segments):
    """Segments as the resolver compares them: fixed ones by spelling, parameters by type."""
    return [segment if converter is None else type(converter) for segment, converter in segments]
