"""Importing rows from a spreadsheet: a preview that writes nothing, then an
all-or-nothing commit.

Each kind of sheet a council keeps (action-plan items, recommendations,
projects, risks ...) is an `ImportKind` in the app that owns the model,
registered here from its AppConfig.ready() as services are. A kind declares
its columns, under the headings council staff use ("Deadline", "Owner",
"RAG"), how a row finds the item it updates (by ref, else a natural key) and
which service saves it. This module does the rest, the same for every kind:

- `plan()` reads every row, parses every cell, matches the row to its item,
  diffs the item against the row, and checks the model's rules and the user's
  scope. It returns what would be created, updated (old → new per column) and
  left unchanged, and every problem by sheet, row and column. Nothing is
  written.
- `commit()` plans again inside one transaction and refuses if anything
  differs from the preview it is given (a target row someone has saved since,
  a row that now finds another item), then saves every changed row through
  the kind's services, so the forms' rules, permissions and version checks
  hold and the history names the user and the import. Any failure rolls the
  whole import back.
"""

import contextlib
import datetime
import decimal
import difflib
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format

from core.models import EditConflict
from core.services import save_with_services
from core.spreadsheets import Formula

# --- Cells -------------------------------------------------------------------


class CellProblem(ValueError):
    """A cell that cannot be read as its column needs; the message is for the user."""


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def text(value, context=None):
    """Text as the cell has it (a blank cell, or only spaces, is empty), so an
    exported note comes back exactly as it went out."""
    if isinstance(value, datetime.datetime | datetime.date):
        return display_date(value)
    if value is None or not str(value).strip():
        return ""
    return _plain(value) if isinstance(value, int | float) else str(value)


def single_line(value, context=None):
    return "" if value is None else _plain(value)


DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d %B %y")
ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)


def parse_date(value):
    """A date from an Excel date cell or the common UK written forms
    (31/05/2010, 31 May 2010, 31st May 2010, 2010-05-31); None if blank;
    CellProblem otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = ORDINAL.sub("", _plain(value)).replace(",", "")
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    raise CellProblem(f"“{_plain(value)}” is not a date. Write it as 31/05/2010 or 31 May 2010.")


def date(value, context=None):
    return parse_date(value)


def display_date(value):
    return date_format(value, "j F Y") if value else ""


def integer(value, context=None):
    if value is None or value == "":
        return None
    try:
        number = decimal.Decimal(_plain(value).replace(",", ""))
    except decimal.InvalidOperation:
        raise CellProblem(f"“{_plain(value)}” is not a whole number.") from None
    if number != number.to_integral_value():
        raise CellProblem(f"“{_plain(value)}” is not a whole number.")
    return int(number)


def money(value, context=None):
    """Pounds, as the council writes them: 1,250,000 or £1.25m is not
    guessed at; £ signs and thousands commas are fine."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | decimal.Decimal):
        return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))
    written = _plain(value).replace("£", "").replace(",", "").strip()
    try:
        return decimal.Decimal(written).quantize(decimal.Decimal("0.01"))
    except decimal.InvalidOperation:
        raise CellProblem(f"“{_plain(value)}” is not an amount in pounds, e.g. 250000 or £250,000.") from None


def choice(choices):
    """A parser accepting a TextChoices value or label, in any case."""
    by_word = {}
    for value, label in choices.choices:
        by_word[str(value).casefold()] = value
        by_word[str(label).casefold()] = value

    def parse(value, context=None):
        if value is None or _plain(value) == "":
            return None
        found = by_word.get(_plain(value).casefold())
        if found is None:
            allowed = ", ".join(str(label) for label in choices.labels)
            raise CellProblem(f"“{_plain(value)}” is not one of: {allowed}.")
        return found

    labels = dict(choices.choices)
    parse.allowed = list(choices.labels)
    parse.show = lambda value: str(labels.get(value, value or ""))
    return parse


def yes_no(value, context=None):
    if value is None or _plain(value) == "":
        return False
    if isinstance(value, bool):
        return value
    word = _plain(value).casefold()
    if word in {"yes", "y", "true", "1"}:
        return True
    if word in {"no", "n", "false", "0"}:
        return False
    raise CellProblem(f"“{_plain(value)}” should be Yes or No.")


yes_no.allowed = ["Yes", "No"]


def _key(name):
    return _plain(name).casefold()


def same_text(a, b):
    """Text compared as a person reads it: any case, any spacing."""
    return _key(a or "") == _key(b or "")


def optional_yes_no(value, context=None):
    """Yes or No, or None for a blank cell (see keep_when_blank)."""
    if value is None or _plain(value) == "":
        return None
    return yes_no(value)


optional_yes_no.allowed = ["Yes", "No"]


class Directory:
    """Named things a cell refers to (owners, workstreams, projects ...),
    matched ignoring case and spacing, with a suggestion for a near miss."""

    def __init__(self, items, *, names, noun, hint=""):
        self.noun = noun
        self.hint = hint
        self.by_key = {}
        for item in items:
            for name in names(item):
                if name:
                    self.by_key.setdefault(_key(name), item)
        self.display = {_key(n): n for item in items for n in names(item) if n}

    def __call__(self, value, context=None):
        return self.find(value)

    def find(self, value):
        if value is None or _plain(value) == "":
            return None
        key = _key(value)
        if key in self.by_key:
            return self.by_key[key]
        near = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.75)
        message = f"no {self.noun} called “{_plain(value)}”"
        if near:
            message += f" — did you mean “{self.display[near[0]]}”?"
        else:
            message += f". {self.hint}" if self.hint else "."
        raise CellProblem(message[:1].upper() + message[1:])

    def find_many(self, value, *, separators=r"[,;\n]"):
        if value is None or _plain(value) == "":
            return []
        found, problems = [], []
        for part in re.split(separators, str(value)):
            if part.strip():
                try:
                    found.append(self.find(part))
                except CellProblem as problem:
                    problems.append(str(problem))
        if problems:
            raise CellProblem(" ".join(problems))
        return found


def owner_directory():
    """Every owner (person or team), by name or full name."""
    from core.models import Owner

    return Directory(
        Owner.objects.all(),
        names=lambda o: [o.name, o.full_name],
        noun="owner",
        hint="Check the spelling, or add them under People first.",
    )


def deadline_from_wording(values, wording="Deadline", due="Due date"):
    """A deadline written as a date gives the due date when the due-date
    column is blank or missing; wording such as “post-elections” stays
    wording only. For a kind's derive()."""
    if values.get(due) is None and values.get(wording):
        with contextlib.suppress(CellProblem):
            values[due] = parse_date(values[wording])


def keep_when_blank(values, *headings):
    """A blank cell in a column whose field always has a value (a stage, a
    status, a RAG, a Yes/No with a default) leaves it as it is: the default
    for a new row, what it was for an existing one. For a kind's derive()."""
    for heading in headings:
        if heading in values and values[heading] in (None, ""):
            del values[heading]


def claim_new(lookups, claim, what):
    """Refuse a second row that would add the same new item as an earlier row."""
    claimed = lookups.setdefault("new_rows", set())
    if claim in claimed:
        raise CellProblem(f"An earlier row in this file already adds this {what}: give each one row.")
    claimed.add(claim)


# --- Columns and kinds -------------------------------------------------------


def _display(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return display_date(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(_display(v) for v in value))
    ref = getattr(value, "ref", None)
    if ref:
        return str(ref)
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    `attr` is the model attribute it fills ("" when the kind handles it, e.g.
    the Ref that finds the row); `parse(value, context)` turns the cell into
    that attribute's value or raises CellProblem; `export(item)` is what an
    export writes (by default the attribute, with choices as their labels);
    `allowed` lists values for the template's Allowed values sheet.
    """

    heading: str
    attr: str = ""
    parse: Callable = text
    required: bool = False
    export: Callable | None = None
    many: bool = False
    help: str = ""
    width: int = 18
    show: Callable | None = None  # a value as the preview's old → new shows it

    def shown(self, value):
        show = self.show or getattr(self.parse, "show", None) or _display
        return show(value)

    @property
    def allowed(self):
        return getattr(self.parse, "allowed", None)


@dataclass
class Problem:
    """Something wrong with the file, a row or a cell; nothing is written while there is one."""

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str = ""

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Change:
    heading: str
    old: str
    new: str


@dataclass
class RowPlan:
    number: int
    outcome: str  # "create", "update" or "unchanged"
    item: object
    label: str
    changes: list = field(default_factory=list)
    m2m: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    fingerprint: object = None


@dataclass
class Plan:
    kind: object
    sheet: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored_headings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self):
        return {o: self.count(o) for o in ("create", "update", "unchanged")}

    def baseline(self):
        """What the commit must find unchanged: each row's outcome, item and its fingerprint."""
        return {str(row.number): [row.outcome, row.item.pk, row.fingerprint] for row in self.rows}


class ImportRefused(Exception):
    """The import was not applied; `problems` say why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class ImportKind:
    """The sheet for one kind of item. Subclasses set the class attributes and
    implement `targets`, `lookups`, `find`, `new` and `save`."""

    slug = ""
    position = 100  # where the import page lists it
    title = ""
    noun = "row"
    sheet_name = ""
    description = ""
    target_noun = "programme"
    columns: list = []
    examples: list = []  # example rows for the template: {heading: value}
    matching = "Rows are matched by Ref."

    # -- what a kind implements

    def targets(self, user):
        """The programmes (or reviews) `user` may import this kind into."""
        raise NotImplementedError

    def lookups(self, target):
        """Everything the rows refer to, loaded once: existing items, owners, parents."""
        raise NotImplementedError

    def find(self, values, lookups, target):
        """The existing item a row's values identify, or None for a new one."""
        raise NotImplementedError

    def new(self, values, lookups, target):
        """An unsaved item for a row that finds none."""
        raise NotImplementedError

    def save(self, item, m2m, *, user, expected_version):
        """Save through the model's create or update service (core.services)."""
        return save_with_services(item, user=user, expected_version=expected_version, m2m=m2m)

    def save_rows(self, rows, *, user, reason):
        """Save the changed rows of a commit (in file order), raising RowFailed
        for the first refused. A kind may save new rows in bulk instead."""
        for row in rows:
            try:
                self.save(row.item, row.m2m, user=user, expected_version=row.fingerprint)
            except REFUSALS as error:
                raise RowFailed(row, error) from error

    def export_queryset(self, target=None):
        raise NotImplementedError

    # -- shared behaviour

    def label(self, item):
        return getattr(item, "ref", None) or str(item)

    def column(self, heading):
        return next(c for c in self.columns if c.heading == heading)

    def current(self, item, column):
        """The item's value for a column, comparable with what `parse` returns."""
        if column.many:
            return set(getattr(item, column.attr).all()) if item.pk else set()
        return getattr(item, column.attr)

    def cell(self, item, column):
        """What an export writes for `column`."""
        return self._exporter(type(item), column)(item)

    def export_row(self, item):
        exporters = self._exporters(type(item))
        return [export(item) for export in exporters]

    def _exporters(self, model):
        """One function per column, worked out once per model: an export
        calls them for every cell of every row."""
        cache = self.__dict__.setdefault("_exporter_cache", {})
        if model not in cache:
            cache[model] = [self._exporter(model, column) for column in self.columns]
        return cache[model]

    def _exporter(self, model, column):
        if column.export is not None:
            return column.export
        if not column.attr:
            return lambda item: ""
        attr = column.attr
        if column.many:
            return lambda item: ", ".join(sorted(_display(v) for v in getattr(item, attr).all()))
        field = model._meta.get_field(attr)
        if field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}
            return lambda item: labels.get(getattr(item, attr), getattr(item, attr))
        if field.is_relation:
            return lambda item: _display(getattr(item, attr))
        return operator.attrgetter(attr)

    def fingerprint(self, item):
        """Changes when anyone saves the item: its version, else its values."""
        if item.pk is None:
            return None
        version = getattr(item, "version", None)
        if version is not None:
            return version
        return [_display(self.current(item, c)) for c in self.columns if c.attr]

    def derive(self, values):
        """Fill values one column gives another, e.g. a due date from deadline
        wording written as a date; before the row is matched and diffed."""


def _headings(kind, table):
    """Map each sheet column index to a Column; problems for missing required ones."""
    by_key = {_key(c.heading): c for c in kind.columns}
    positions, ignored, problems = {}, [], []
    for index, heading in enumerate(table.headings):
        column = by_key.get(_key(heading))
        if column is None:
            ignored.append(heading)
        elif column.heading in positions.values():
            problems.append(Problem(f"The heading “{heading}” appears twice.", sheet=table.sheet))
        else:
            positions[index] = column
    present = set(positions.values())
    for column in kind.columns:
        if column.required and column not in present:
            problems.append(
                Problem(f"The sheet has no “{column.heading}” column, which is required.", sheet=table.sheet)
            )
    return positions, ignored, problems


def _validation_problems(error, kind, number, sheet):
    by_attr = {c.attr: c.heading for c in kind.columns if c.attr}
    problems = []
    for name, messages in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        heading = by_attr.get(name) if name not in (None, NON_FIELD_ERRORS) else None
        for message in messages:
            if name and name != NON_FIELD_ERRORS and heading is None:
                message = f"{name.replace('_', ' ').capitalize()}: {message}"
            problems.append(Problem(message, row=number, column=heading, sheet=sheet))
    return problems


def plan(kind, table, *, user, target, validate=True):
    """What importing `table` into `target` would do, and every problem; writes nothing."""
    result = Plan(kind=kind, sheet=table.sheet)
    positions, result.ignored_headings, result.problems = _headings(kind, table)
    if result.problems:
        return result
    lookups = kind.lookups(target)
    seen = {}
    for number, cells in table.rows:
        values, problems = {}, []
        for index, column in positions.items():
            raw = cells[index]
            if isinstance(raw, Formula):
                problems.append(
                    Problem(
                        f"this cell holds a formula ({raw}) where a value is expected. "
                        "Copy the column and paste it back as values (Paste Special → Values).",
                        row=number,
                        column=column.heading,
                        sheet=table.sheet,
                    )
                )
                continue
            try:
                values[column.heading] = column.parse(raw, lookups)
            except CellProblem as problem:
                problems.append(Problem(str(problem), row=number, column=column.heading, sheet=table.sheet))
                continue
            if column.required and values[column.heading] in (None, "", []):
                problems.append(
                    Problem("this must be filled in.", row=number, column=column.heading, sheet=table.sheet)
                )
        if problems:
            result.problems.extend(problems)
            continue
        kind.derive(values)
        try:
            item = kind.find(values, lookups, target)
        except CellProblem as problem:
            result.problems.append(Problem(str(problem), row=number, sheet=table.sheet))
            continue
        if item is not None:
            if item.pk in seen:
                result.problems.append(
                    Problem(
                        f"this row is for the same {kind.noun} as row {seen[item.pk]} ({kind.label(item)}).",
                        row=number,
                        sheet=table.sheet,
                    )
                )
                continue
            seen[item.pk] = number
        row = _apply(kind, item, values, lookups, target, number)
        if validate and row.outcome != "unchanged":
            problems = _validate(kind, row, table.sheet)
            if problems:
                result.problems.extend(problems)
                continue
        result.rows.append(row)
    if validate:
        result.problems.extend(_refs_taken_elsewhere(kind, result.rows, table.sheet))
    return result


def _apply(kind, item, values, lookups, target, number):
    creating = item is None
    if creating:
        item = kind.new(values, lookups, target)
        if values.get("Ref") and hasattr(item, "ref"):
            item.ref = values["Ref"]  # a new row keeps the ref the sheet gives it
    fingerprint = kind.fingerprint(item)
    changes, m2m = [], {}
    for column in kind.columns:
        if not column.attr or column.heading not in values:
            continue
        new = values[column.heading]
        if column.many:
            new = set(new)
            old = kind.current(item, column)
            if creating or old != new:
                m2m[column.attr] = sorted(new, key=lambda v: v.pk)
                if not creating:
                    changes.append(Change(column.heading, column.shown(old), column.shown(new)))
            continue
        old = kind.current(item, column)
        if new is None and isinstance(old, str):
            new = ""
        if old != new:
            if not creating:
                changes.append(Change(column.heading, column.shown(old), column.shown(new)))
            setattr(item, column.attr, new)
    outcome = "create" if creating else ("update" if changes else "unchanged")
    return RowPlan(number, outcome, item, kind.label(item), changes, m2m, values, fingerprint)


def _validate(kind, row, sheet):
    """The model's own rules for one row, without a query: its parents come
    from the target's lookups, so they exist and are in the user's scope; the
    commit's services check both again, with uniqueness, as they save."""
    item = row.item
    exclude = [f.name for f in item._meta.concrete_fields if f.is_relation] + ["ref"]
    try:
        item.clean_fields(exclude=exclude)
        item.clean()
    except ValidationError as error:
        return _validation_problems(error, kind, row.number, sheet)
    return []


def _refs_taken_elsewhere(kind, rows, sheet):
    """New rows given a ref another item (outside the target) already has."""
    model = type(rows[0].item) if rows else None
    wanted = {r.item.ref: r for r in rows if r.outcome == "create" and getattr(r.item, "ref", "")}
    if not wanted or not hasattr(model, "ref"):
        return []
    taken = model._default_manager.filter(ref__in=list(wanted)).values_list("ref", flat=True)
    return [
        Problem(
            f"“{ref}” is the ref of another {kind.noun}, not one in this {kind.target_noun}.",
            row=wanted[ref].number,
            column="Ref",
            sheet=sheet,
        )
        for ref in sorted(taken)
    ]


@transaction.atomic
def commit(kind, table, *, user, target, baseline, reason):
    """Apply the import previewed as `baseline` (Plan.baseline()), or raise
    ImportRefused and write nothing. `reason` is recorded in each item's
    history beside the user."""
    result = plan(kind, table, user=user, target=target, validate=False)
    if not result.ok:
        raise ImportRefused(result.problems)
    problems = []
    for row in result.rows:
        then = baseline.get(str(row.number))
        now = [row.outcome, row.item.pk, row.fingerprint]
        if then != now:
            problems.append(
                Problem(
                    f"{row.label} has changed since your preview (someone else saved it). "
                    "Upload the file again to see the import as things are now.",
                    row=row.number,
                    sheet=table.sheet,
                )
            )
    if len(baseline) != len(result.rows):
        problems.append(Problem("The rows to import are not those you previewed. Upload the file again."))
    if problems:
        raise ImportRefused(problems)
    saved = [row for row in result.rows if row.outcome != "unchanged"]
    for row in saved:
        row.item._change_reason = reason
    try:
        kind.save_rows(saved, user=user, reason=reason)
    except RowFailed as failed:
        raise ImportRefused(_refusal(kind, failed.row, failed.error, table.sheet)) from failed.error
    return result, saved


class RowFailed(Exception):
    """Saving `row` was refused with `error` (a ValidationError, PermissionDenied or EditConflict)."""

    def __init__(self, row, error):
        self.row, self.error = row, error
        super().__init__(str(error))


REFUSALS = (ValidationError, PermissionDenied, EditConflict)


def _refusal(kind, row, error, sheet):
    if isinstance(error, ValidationError):
        return _validation_problems(error, kind, row.number, sheet)
    if isinstance(error, EditConflict):
        message = (
            f"{row.label} was changed by {error.changed_by_name} since your preview. "
            "Upload the file again to see the import as things are now."
        )
        return [Problem(message, row=row.number, sheet=sheet)]
    return [Problem(str(error) or "You may not change this.", row=row.number, sheet=sheet)]


# --- The registry ------------------------------------------------------------

_kinds: dict[str, ImportKind] = {}


def register_kind(kind):
    _kinds[kind.slug] = kind
    return kind


def kinds():
    return sorted(_kinds.values(), key=lambda kind: kind.position)


def get_kind(slug):
    return _kinds.get(slug)


# --- Templates and exports ---------------------------------------------------


def template_sheets(kind):
    """The downloadable template: the sheet with its headings and example rows,
    the allowed values of each column that has a fixed list, and notes on
    every column."""
    headings = [c.heading for c in kind.columns]
    widths = [c.width for c in kind.columns]
    examples = [[example.get(h, "") for h in headings] for example in kind.examples]
    listed = [c for c in kind.columns if c.allowed]
    longest = max((len(c.allowed) for c in listed), default=0)
    allowed = [[(c.allowed[i] if i < len(c.allowed) else "") for c in listed] for i in range(longest)]
    notes = [[kind.description, ""], [kind.matching, ""], ["", ""]]
    notes += [[c.heading, ("Required. " if c.required else "") + c.help] for c in kind.columns]
    return [
        (kind.sheet_name, headings, examples, widths),
        ("Allowed values", [c.heading for c in listed], allowed, [22] * len(listed)),
        ("Notes", ["Column", "What to put in it"], notes, [28, 100]),
    ]


def export_sheet(kind, items, *, title=None):
    """One sheet of `items` under the kind's headings: a file that imports back."""
    return (
        title or kind.sheet_name,
        [c.heading for c in kind.columns],
        (kind.export_row(item) for item in items),
        [c.width for c in kind.columns],
    )
