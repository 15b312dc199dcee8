from django import template

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
