"""Server-rendered SVG charts (core.charts): `{% chart_figure spec "fig-id" %}`
prints a figure with its chart, text alternative and table of numbers."""

from django import template
from django.template.loader import render_to_string

from core import charts

register = template.Library()


@register.inclusion_tag("charts/_figure.html")
def chart_figure(spec, *id_parts, number=None, as_at=None):
    """A chart as a figure. Its id, from `id_parts` joined with hyphens
    ("report", report.pk, "fig", 2), must be unique on the page: the SVG's
    title and description are named by it. `number` prints “Figure N”."""
    fig_id = "-".join(str(part) for part in id_parts)
    return {"spec": spec, "fig_id": fig_id, "number": number, "as_at": as_at}


@register.simple_tag
def chart_svg(spec, fig_id):
    if spec.get("kind") not in charts.KINDS:
        return ""
    context = {"spec": spec, "fig_id": fig_id, "g": charts.geometry(spec), "description": charts.describe(spec)}
    return render_to_string(f"charts/{spec['kind']}.svg.html", context)


@register.simple_tag
def chart_table(spec):
    return charts.table(spec)
