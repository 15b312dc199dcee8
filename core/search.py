"""Free-text search that forgives case, accents and punctuation.

People type what they remember: "councillors surgeries" for "Councillors'
surgeries", "cafe" for "Café", "SHARED-SERVICES" for "shared services",
"surger" for "surgeries". `text_search()` is the one search every list page
uses, so they all forgive the same things.

A row matches when every word typed appears in its text (the fields given,
read as one), found either way:

- **Folded text**: both the text and each word are case-folded, stripped of
  accents and of punctuation and spaces, and the word must appear inside the
  text. This is the old `icontains` search made forgiving, so nothing found
  before is lost ("co-ordinate" and "coordinate" fold to the same letters).
- **PostgreSQL full-text search**, where the database is PostgreSQL, adds
  stemming: "surgery" finds "surgeries", "councillor's" finds "councillors".
  The "english" configuration is used because the council writes British
  English; its stop words ("the", "of") cannot find anything by full text,
  but the folded text still finds them. Each word is a prefix (`word:*`) so a
  half-typed word matches as it does in the folded text. The words are built
  into the tsquery here rather than with "websearch" syntax: a council user
  types words, not operators, and "SHARED-SERVICES" must not become a phrase
  or an exclusion.

Folding is SQL on both databases, so it is one query with no per-row Python
in the view: PostgreSQL uses the `unaccent` extension (core migration
0007), SQLite a function registered on each connection
(`register_sqlite_functions`, connected in CoreConfig.ready).

The match is a `pk IN (subquery)`, so searching text in a related table (an
action's update notes) neither repeats rows nor disturbs the caller's
annotations and ordering.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat

SEARCH_CONFIG = "english"

# What folding drops: ASCII spaces and punctuation, Latin-1 punctuation and
# symbols (no-break space, «, £), General Punctuation (curly quotes, dashes)
# and Supplemental Punctuation. Listed as ranges, not [[:punct:]], so that
# PostgreSQL folds the same way whatever locale its cluster was made with.
DROPPED = r"\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u2000-\u206f\u2e00-\u2e7f"
_DROPPED = re.compile(f"[{DROPPED}]+")
# The words of a query: runs of letters and digits, apostrophes kept inside
# a word ("councillor's" is one word; its apostrophe folds away).
APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[^\W_](?:[\w{APOSTROPHES}]*[^\W_])?")


def fold(text):
    """`text` case-folded, without accents, punctuation or spaces (as SQLite's
    `oip_fold` and PostgreSQL's `Fold` give it)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _DROPPED.sub("", bare)


def register_sqlite_functions(sender, connection, **kwargs):
    """Give each SQLite connection `oip_fold`, which Fold calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("oip_fold", 1, fold, deterministic=True)


class Fold(Func):
    """Text case-folded, stripped of accents, punctuation and spaces, in SQL."""

    function = "oip_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"regexp_replace(lower(unaccent(%(expressions)s)), '[{DROPPED}]+', '', 'g')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def search_words(value):
    """The words of a search, as typed (folding happens in the database)."""
    return _WORD.findall(value or "")


def text_search(queryset, fields, value):
    """The rows of `queryset` whose `fields` (names or lookups such as
    "updates__note") contain every word of `value`, forgiving case, accents
    and punctuation; all rows if `value` has no words."""
    words = search_words(value)
    if not words:
        return queryset
    texts = [Coalesce(F(field), Value(""), output_field=TextField()) for field in fields]
    # Folding drops spaces, so the fields need no separator.
    text = Concat(*texts, output_field=TextField()) if len(texts) > 1 else texts[0]
    # Aliases, not filter() expressions, so that both ways of matching read
    # the same joined row rather than joining the related table twice.
    searched = {"search_text": Fold(text)}
    matches = Q()
    for word in words:
        matches &= Q(search_text__contains=Fold(Value(word)))
    if connection.vendor == "postgresql":
        searched["search_vector"] = SearchVector(*(Func(t, function="unaccent") for t in texts), config=SEARCH_CONFIG)
        matches |= Q(search_vector=_prefix_query(words))
    candidates = queryset.model._default_manager.alias(**searched).filter(matches)
    return queryset.filter(pk__in=candidates.values("pk"))


def _prefix_query(words):
    """A tsquery needing every word, each as a prefix: 'surger':* & 'council':*."""
    bare = (word.translate(str.maketrans("", "", APOSTROPHES)) for word in words)
    quoted = " & ".join(f"'{word}':*" for word in bare)
    return SearchQuery(
        Func(Value(quoted), function="unaccent", output_field=TextField()), search_type="raw", config=SEARCH_CONFIG
    )
