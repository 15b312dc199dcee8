import datetime

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import money
from core.models import RAG

register = template.Library()

# rag_badge and due are written in Python rather than as included templates:
# list pages, the review page and the committee pack show hundreds of them,
# and an included template costs about ten times as much (bench/list_pages.py).


_MONTHS_3 = {}  # per language: the month abbreviations |date:"M" prints


@register.filter
def short_date(value):
    """A date as |date:"j M Y" prints it (31 Jul 2010), in a fifth of the
    time: Django's date filter parses its format and looks up translations
    for every date, about 30 µs each, and the review page shows 1,600."""
    if type(value) is not datetime.date:
        return format_date(value, "j M Y")  # a datetime (shown in local time), None or ""
    language = get_language()
    months = _MONTHS_3.get(language)
    if months is None:
        months = _MONTHS_3[language] = [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]
    return f"{value.day} {months[value.month]} {value.year}"


@register.simple_tag
def rag_badge(value):
    """RAG as a coloured badge that always carries the word."""
    value = value or RAG.NOT_RATED
    try:
        label = RAG(value).label
    except ValueError:
        label = value
    return format_html('<span class="rag rag-{}">{}</span>', value, label)


@register.simple_tag
def due(item):
    """A due date with the source's own wording and an Overdue marker."""
    if item.due_date:
        date = format_html('<time datetime="{}">{}</time>', item.due_date.isoformat(), short_date(item.due_date))
    else:
        date = mark_safe('<span class="text-body-secondary">No date</span>')
    wording = ""
    if item.due_wording:
        if getattr(item, "due_wording_superseded", False):
            wording = format_html(
                '<div class="due-wording due-wording-superseded small text-body-secondary">(revised; was “{}”)</div>',
                item.due_wording,
            )
        else:
            wording = format_html('<div class="due-wording small text-body-secondary">“{}”</div>', item.due_wording)
    overdue = mark_safe('<span class="overdue-flag">Overdue</span>') if item.overdue else ""
    return format_html("{}\n{}\n{}", date, wording, overdue)


@register.inclusion_tag("_sort_header.html", takes_context=True)
def sort_header(context, key, label):
    """A sortable column header that keeps the filters and says its sort order."""
    params = context["request"].GET.copy()
    current = params.get("o", "")
    direction = {key: "ascending", f"-{key}": "descending"}.get(current)
    params["o"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return {"url": f"?{params.urlencode()}", "label": label, "direction": direction}


@register.filter
def lockout_minutes(delta):
    """A lockout period in words: “30 minutes”, “1 hour”, “2 hours 30 minutes”."""
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@register.filter(name="pounds")
def pounds_filter(value):
    """{{ amount|pounds }} → £350,000 (core.money)."""
    return money.pounds(value)


@register.filter(name="pounds_short")
def pounds_short_filter(value):
    """{{ amount|pounds_short }} → £328k (core.money)."""
    return money.pounds_short(value)
