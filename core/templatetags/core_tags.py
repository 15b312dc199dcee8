from django import template

from core import money
from core.models import RAG

register = template.Library()


@register.inclusion_tag("_rag_badge.html")
def rag_badge(value):
    """RAG as a coloured badge that always carries the word."""
    value = value or RAG.NOT_RATED
    try:
        label = RAG(value).label
    except ValueError:
        label = value
    return {"value": value, "label": label}


@register.inclusion_tag("_due.html")
def due(item):
    """A due date with the source's own wording and an Overdue marker."""
    return {"item": item}


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
