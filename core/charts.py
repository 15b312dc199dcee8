"""Charts drawn on the server as SVG: no chart library, no script, no request
to anyone else's server (council networks block them, and the CSP forbids them).

A chart starts as a *spec*, a plain dict that JSON can hold, so that a
highlight report can freeze the numbers of a figure when it is published:

    {"kind": "stacked" | "bars" | "lines",
     "title": "…", "summary": "…",          # the summary opens the text alternative
     "unit": "projects", "money": False,      # what the numbers count; money prints as £
     "over_time": True,                       # the categories are periods, oldest first
     "categories": ["Jun 2010", …],           # the x axis
     "series": [{"key": "red", "label": "Red", "values": [3, …]}, …]}

`geometry(spec)` turns it into what templates/charts/*.svg.html draw (every
coordinate computed here, so the templates only place them), and
`table(spec)` into the same numbers as rows of a table. Each series' `key`
picks its colour and the letter or marker that tells it apart without
colour: RAG segments carry their initial, line series a different marker
shape, and every chart has a legend in words and a table beside it.
"""

import math
from decimal import Decimal

from core.models import RAG
from core.money import pounds, pounds_short

KINDS = ("stacked", "bars", "lines")

# Fill, ink for text on it, and the letter printed in a segment. The RAG
# colours are those of the badges (static/css/oip.css .rag-*).
PALETTE = {
    RAG.RED: ("#b02a37", "#ffffff", "R"),
    RAG.AMBER: ("#ffc107", "#000000", "A"),
    RAG.GREEN: ("#146c43", "#ffffff", "G"),
    RAG.COMPLETE: ("#084298", "#ffffff", "C"),
    RAG.NOT_RATED: ("#e9ecef", "#000000", "N"),
    "improved": ("#146c43", "#ffffff", "↑"),
    "same": ("#6c757d", "#ffffff", "→"),
    "worse": ("#b02a37", "#ffffff", "↓"),
    "new": ("#e9ecef", "#000000", "●"),
    "target": ("#6c757d", "#ffffff", "T"),
    "realised": ("#084298", "#ffffff", "R"),
    "overdue": ("#b02a37", "#ffffff", "O"),
    "completed": ("#084298", "#ffffff", "C"),
}
FALLBACK = ("#495057", "#ffffff", "")
MARKERS = ("circle", "square", "diamond", "triangle")

WIDTH = 640
PLOT_TOP = 40  # below the legend
PLOT_HEIGHT = 200
LEFT = 56  # room for the axis labels (£1.5m)
RIGHT = 12
LABEL_ROOM = 28  # under the plot, for the category labels
SLANTED_ROOM = 56  # when they are slanted to fit
SEGMENT_LABEL_MIN = 14  # px: a segment shorter than this carries no text


def rag_series(counts_by_category, categories, keys=None):
    """Series for a stacked RAG chart from {category: {rag: count}}: one per
    RAG value in the scale's order, worst at the bottom, those never counted
    left out (keys: the values to keep even so)."""
    order = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.COMPLETE, RAG.NOT_RATED]
    series = []
    for rag in order:
        values = [counts_by_category.get(category, {}).get(rag, 0) for category in categories]
        if any(values) or (keys and rag in keys):
            series.append({"key": str(rag), "label": RAG(rag).label, "values": values})
    return series


def plain_number(value):
    """A number JSON can keep: whole pounds and counts as int, else float to the penny."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 2))
    return value


def _nice_step(top, ticks=4):
    """A round step (1, 2 or 5 times a power of ten, and never under 1: the
    charts count things and pounds) that reaches `top` in about `ticks` steps."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= raw)
    return max(1, int(step))


def _format(spec, value, short=False):
    if value is None:
        return "—"
    if spec.get("money"):
        amount = Decimal(str(value))
        return pounds_short(amount) if short else pounds(amount)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _style(key):
    return PALETTE.get(key, FALLBACK)


def _axis(spec, top):
    step = _nice_step(top)
    ceiling = step * max(1, math.ceil(top / step)) if top > 0 else step * 4
    ticks = []
    value = 0
    while value <= ceiling + step / 1000:
        y = PLOT_TOP + PLOT_HEIGHT - value / ceiling * PLOT_HEIGHT
        shown = int(value) if float(value).is_integer() else value
        ticks.append({"y": round(y, 1), "label": _format(spec, shown, short=True)})
        value += step
    return ceiling, ticks


def _legend(spec, line=False):
    items, x = [], LEFT
    for index, series in enumerate(spec["series"]):
        fill, ink, letter = _style(series["key"])
        items.append(
            {
                "x": x,
                "fill": fill,
                "ink": ink,
                "letter": letter,
                "label": series["label"],
                "marker": MARKERS[index % len(MARKERS)] if line else "",
            }
        )
        x += 28 + 7 * len(series["label"]) + 16
    return items


def _category_labels(categories, slot, centres):
    slanted = any(7 * len(label) > slot for label in categories)
    baseline = PLOT_TOP + PLOT_HEIGHT + 16
    labels = [{"x": round(x, 1), "y": baseline, "text": text} for x, text in zip(centres, categories, strict=True)]
    return slanted, labels


def geometry(spec):
    """Everything the SVG template draws for `spec`, in SVG user units."""
    categories, series = spec["categories"], spec["series"]
    count = max(1, len(categories))
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / count
    centres = [LEFT + slot * (index + 0.5) for index in range(len(categories))]
    if spec["kind"] == "stacked":
        top = max([sum(s["values"][i] or 0 for s in series) for i in range(len(categories))] or [0])
    else:
        top = max([v or 0 for s in series for v in s["values"]] or [0])
    ceiling, ticks = _axis(spec, top)
    scale = PLOT_HEIGHT / ceiling
    bottom = PLOT_TOP + PLOT_HEIGHT
    shapes = {"stacked": _stacked, "bars": _bars, "lines": _lines}[spec["kind"]]
    slanted, labels = _category_labels(categories, slot, centres)
    height = bottom + (SLANTED_ROOM if slanted else LABEL_ROOM)
    return {
        "width": WIDTH,
        "height": height,
        "middle": WIDTH // 2,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": PLOT_TOP,
        "bottom": bottom,
        "ticks": ticks,
        "labels": labels,
        "slanted": slanted,
        "legend": _legend(spec, line=spec["kind"] == "lines"),
        "empty": top == 0,
        **shapes(spec, centres, slot, scale, bottom),
    }


def _stacked(spec, centres, slot, scale, bottom):
    bar_width = min(56, slot * 0.6)
    segments, totals = [], []
    for index, centre in enumerate(centres):
        y = bottom
        total = sum(s["values"][index] or 0 for s in spec["series"])
        for series in spec["series"]:
            value = series["values"][index] or 0
            if not value:
                continue
            height = value * scale
            y -= height
            fill, ink, letter = _style(series["key"])
            share = round(100 * value / total) if total else 0
            text = f"{letter} {value}" if bar_width >= 30 else f"{letter}{value}"
            segments.append(
                {
                    "x": round(centre - bar_width / 2, 1),
                    "y": round(y, 1),
                    "width": round(bar_width, 1),
                    "height": round(height, 1),
                    "fill": fill,
                    "ink": ink,
                    "text": text if height >= SEGMENT_LABEL_MIN else "",
                    "text_x": round(centre, 1),
                    "text_y": round(y + height / 2 + 4, 1),
                    "tip": f"{spec['categories'][index]}: {series['label']} {value} of {total} ({share}%)",
                }
            )
        totals.append({"x": round(centre, 1), "y": round(y - 4, 1), "text": _format(spec, total) if total else "0"})
    return {"segments": segments, "totals": totals}


def _bars(spec, centres, slot, scale, bottom):
    groups = max(1, len(spec["series"]))
    bar_width = min(40, slot * 0.8 / groups)
    bars = []
    for index, centre in enumerate(centres):
        start = centre - bar_width * groups / 2
        for number, series in enumerate(spec["series"]):
            value = series["values"][index]
            fill = _style(series["key"])[0]
            height = (value or 0) * scale
            x = start + number * bar_width
            bars.append(
                {
                    "x": round(x + 1, 1),
                    "y": round(bottom - height, 1),
                    "width": round(bar_width - 2, 1),
                    "height": round(height, 1),
                    "fill": fill,
                    "text": _format(spec, value, short=True) if value is not None else "none",
                    "text_x": round(x + bar_width / 2, 1),
                    "text_y": round(bottom - height - 4, 1),
                    "tip": f"{spec['categories'][index]}: {series['label']} {_format(spec, value)}",
                }
            )
    return {"bars": bars, "small_text": bar_width < 34}


def _marker_path(shape, x, y, r=4.5):
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}l{r + 1:.1f},{r + 1:.1f}l{-r - 1:.1f},{r + 1:.1f}l{-r - 1:.1f},{-r - 1:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}l{r + 1:.1f},{2 * r:.1f}h{-2 * r - 2:.1f}z"
    return f"M{x - r:.1f},{y:.1f}a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0"


def _lines(spec, centres, slot, scale, bottom):
    lines = []
    for number, series in enumerate(spec["series"]):
        fill = _style(series["key"])[0]
        shape = MARKERS[number % len(MARKERS)]
        points = [
            (round(centre, 1), round(bottom - (value or 0) * scale, 1), value)
            for centre, value in zip(centres, series["values"], strict=True)
        ]
        lines.append(
            {
                "stroke": fill,
                "dashed": number % 2 == 1,  # told apart by dash as well as colour and marker
                "points": " ".join(f"{x},{y}" for x, y, _ in points),
                "markers": [
                    {
                        "path": _marker_path(shape, x, y),
                        "tip": f"{category}: {series['label']} {_format(spec, value)}",
                    }
                    for (x, y, value), category in zip(points, spec["categories"], strict=True)
                ],
            }
        )
    return {"lines": lines}


def table(spec):
    """The chart's numbers as a table: {"columns": […], "rows": [(category, [cells])]}.
    A stacked chart adds each row's total and each count's share of it."""
    series = spec["series"]
    columns = [s["label"] for s in series]
    rows = []
    for index, category in enumerate(spec["categories"]):
        values = [s["values"][index] for s in series]
        if spec["kind"] == "stacked":
            total = sum(v or 0 for v in values)
            cells = [f"{v} ({round(100 * v / total)}%)" if total else "0" for v in values]
            cells.append(str(total))
        else:
            cells = [_format(spec, v) for v in values]
        rows.append((category, cells))
    if spec["kind"] == "stacked":
        columns.append("Total")
    return {"columns": columns, "rows": rows}


def describe(spec):
    """The text alternative: the chart's summary, then its latest (or only) category in words."""
    parts = [spec.get("summary", "")]
    categories = spec["categories"]
    # Over time, the latest point is the news; otherwise every category is.
    shown = range(len(categories) - 1, len(categories)) if spec.get("over_time") else range(len(categories))
    for index in shown:
        values = ", ".join(f"{s['label']} {_format(spec, s['values'][index])}" for s in spec["series"])
        where = "Latest, " if spec.get("over_time") and len(categories) > 1 else ""
        parts.append(f"{where}{categories[index]}: {values or 'nothing to count'}.")
    if not categories:
        parts.append("There is nothing to chart yet.")
    parts.append("The table with the chart gives every number.")
    return " ".join(part for part in parts if part)
