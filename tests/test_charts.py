"""Server-rendered SVG charts (core.charts): the geometry is proportional to
the numbers, every chart says its numbers in words and in a table, RAG is
told by letter as well as colour, and a spec survives a trip through JSON."""

import json

from django.template import Context, Template

from core import charts


def stacked(values_by_rag, categories=("Apr 2010", "May 2010")):
    return {
        "kind": "stacked",
        "title": "RAG by period",
        "summary": "Stacked bars.",
        "over_time": True,
        "categories": list(categories),
        "series": [{"key": rag, "label": rag.title(), "values": values} for rag, values in values_by_rag.items()],
    }


def test_stacked_segments_are_proportional_and_stack_from_the_axis():
    geometry = charts.geometry(stacked({"red": [1, 2], "green": [3, 2]}))
    red_april, green_april, red_may, green_may = geometry["segments"]
    assert red_april["y"] + red_april["height"] == geometry["bottom"]  # worst at the bottom
    assert green_april["y"] + green_april["height"] == red_april["y"]
    assert green_april["height"] == 3 * red_april["height"]
    assert red_may["height"] == green_may["height"]
    assert [total["text"] for total in geometry["totals"]] == ["4", "4"]


def test_segments_carry_their_rag_letter_and_count_and_a_tooltip_in_words():
    geometry = charts.geometry(stacked({"red": [1, 0], "amber": [4, 1]}))
    texts = [segment["text"] for segment in geometry["segments"]]
    assert "R 1" in texts
    assert "A 4" in texts
    assert geometry["segments"][0]["tip"] == "Apr 2010: Red 1 of 5 (20%)"
    assert [item["letter"] for item in geometry["legend"]] == ["R", "A"]
    assert [item["label"] for item in geometry["legend"]] == ["Red", "Amber"]


def test_a_zero_count_draws_no_segment():
    geometry = charts.geometry(stacked({"red": [0, 2], "green": [1, 0]}))
    assert len(geometry["segments"]) == 2


def test_the_axis_steps_are_whole_round_numbers():
    ticks = charts.geometry(stacked({"green": [2, 1]}))["ticks"]
    assert [tick["label"] for tick in ticks] == ["0", "1", "2"]
    ticks = charts.geometry(stacked({"green": [37, 1]}))["ticks"]
    assert [tick["label"] for tick in ticks] == ["0", "10", "20", "30", "40"]


def test_money_prints_in_pounds_short_on_the_axis_and_in_full_in_the_table():
    spec = {
        "kind": "bars",
        "money": True,
        "title": "Savings",
        "categories": ["2011/12"],
        "series": [
            {"key": "target", "label": "Target", "values": [350000]},
            {"key": "realised", "label": "Realised", "values": [None]},
        ],
    }
    geometry = charts.geometry(spec)
    assert geometry["ticks"][-1]["label"] == "£400k"
    assert [bar["text"] for bar in geometry["bars"]] == ["£350k", "none"]
    assert charts.table(spec) == {"columns": ["Target", "Realised"], "rows": [("2011/12", ["£350,000", "—"])]}


def test_lines_have_a_marker_per_point_and_differ_by_dash_and_shape():
    spec = {
        "kind": "lines",
        "title": "Overdue",
        "categories": ["Jan", "Feb", "Mar"],
        "series": [
            {"key": "overdue", "label": "Overdue", "values": [1, 2, 3]},
            {"key": "completed", "label": "Completed", "values": [0, 1, 0]},
        ],
    }
    geometry = charts.geometry(spec)
    first, second = geometry["lines"]
    assert len(first["markers"]) == 3
    assert (first["dashed"], second["dashed"]) == (False, True)
    assert "a4.5,4.5" in first["markers"][0]["path"]  # a circle
    assert "h9.0v9.0" in second["markers"][0]["path"]  # a square
    assert [item["marker"] for item in geometry["legend"]] == ["circle", "square"]


def test_the_table_gives_counts_with_shares_and_a_total():
    numbers = charts.table(stacked({"red": [1, 0], "green": [3, 0]}))
    assert numbers["columns"] == ["Red", "Green", "Total"]
    assert numbers["rows"] == [("Apr 2010", ["1 (25%)", "3 (75%)", "4"]), ("May 2010", ["0", "0", "0"])]


def test_the_text_alternative_says_the_latest_numbers_or_each_category():
    assert charts.describe(stacked({"red": [1, 2]})) == (
        "Stacked bars. Latest, May 2010: Red 2. The table with the chart gives every number."
    )
    spec = stacked({"red": [1, 2]}, categories=("Projects", "Milestones"))
    spec["over_time"] = False
    assert "Projects: Red 1. Milestones: Red 2." in charts.describe(spec)
    spec["categories"], spec["series"][0]["values"] = [], []
    assert "There is nothing to chart yet." in charts.describe(spec)


def test_an_empty_chart_says_so():
    geometry = charts.geometry(stacked({"red": [0, 0]}))
    assert geometry["empty"]


def test_long_category_labels_are_slanted_to_fit():
    many = [f"Reporting period {n}" for n in range(12)]
    geometry = charts.geometry(stacked({"red": [1] * 12}, categories=many))
    assert geometry["slanted"]
    assert geometry["height"] > charts.geometry(stacked({"red": [1, 1]}))["height"]


def test_a_figure_renders_an_svg_image_named_by_its_title_and_description_with_its_table():
    spec = json.loads(json.dumps(stacked({"red": [1, 2], "amber": [0, 1]})))  # as stored on a report
    html = Template('{% load chart_tags %}{% chart_figure spec "report" 7 "fig" 1 %}').render(Context({"spec": spec}))
    assert 'id="report-7-fig-1"' in html
    assert 'role="img" aria-labelledby="report-7-fig-1-title report-7-fig-1-desc"' in html
    assert '<title id="report-7-fig-1-title">RAG by period</title>' in html
    assert "Latest, May 2010: Red 2, Amber 1." in html
    assert "<caption>RAG by period: the numbers</caption>" in html
    assert '<td class="text-end">2 (67%)</td>' in html
    assert " style=" not in html


def test_an_unknown_kind_draws_nothing():
    spec = stacked({"red": [1, 1]})
    spec["kind"] = "pie"
    html = Template("{% load chart_tags %}{% chart_svg spec 'x' %}").render(Context({"spec": spec}))
    assert html == ""
