"""Money as the council writes it (core.money), stored as exact pounds."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.money import percent, percent_range, pounds, pounds_short
from programmes.models import SpendProfileEntry
from tests import factories


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (350_000, "£350,000"),
        (Decimal("83333"), "£83,333"),
        (Decimal("83333.50"), "£83,333.50"),
        (Decimal("0.05"), "£0.05"),
        (0, "£0"),
        (-250_000, "-£250,000"),
        ("1500", "£1,500"),
        (None, ""),
        ("", ""),
    ],
)
def test_pounds_prints_in_full_with_pence_only_where_there_are_any(value, shown):
    assert pounds(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (328_000, "£328k"),
        (327_600, "£328k"),
        (250_000, "£250k"),
        (1_050, "£1.1k"),
        (9_950, "£10k"),
        (999_499, "£999k"),
        (999_500, "£1m"),
        (999_999, "£1m"),
        (1_000_000, "£1m"),
        (1_500_000, "£1.5m"),
        (1_950_000, "£2m"),
        (500, "£500"),
        (Decimal("999.50"), "£999.50"),
        (-328_000, "-£328k"),
        (-1_500_000, "-£1.5m"),
        (-500, "-£500"),
        (None, ""),
    ],
)
def test_pounds_short_rounds_as_a_summary_does(value, shown):
    assert pounds_short(value) == shown


def test_pounds_short_never_prints_a_thousand_thousands():
    assert "1,000k" not in pounds_short(999_999)


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (15, 20, "15–20%"),
        (20, None, "20%"),
        (20, 20, "20%"),
        (Decimal("12.50"), None, "12.5%"),
        (Decimal("7.5"), Decimal("10.00"), "7.5–10%"),
        (None, None, ""),
    ],
)
def test_percent_range_writes_ranges_with_an_en_dash(low, high, shown):
    assert percent_range(low, high) == shown


def test_percent_of_nothing_is_empty():
    assert percent(None) == ""


def test_template_filters_print_the_same():
    html = Template("{% load core_tags %}{{ a|pounds }} {{ a|pounds_short }}").render(Context({"a": 328_000}))
    assert html == "£328,000 £328k"


def test_money_is_stored_exactly_so_thirds_of_a_quarter_million_add_up(db):
    """PID 3.2 spends £83,333 a quarter: three quarters are exactly £249,999,
    not a float's 249998.99999999997."""
    project = factories.make_project(total_cost=Decimal("83333.33"))
    for quarter in (1, 2, 3):
        SpendProfileEntry.objects.create(project=project, kind="capital", year=1, quarter=quarter, amount=83_333)
    table = SpendProfileEntry.objects.filter(project=project).table("capital")
    assert table["total"] == Decimal("249999")
    assert pounds(table["total"]) == "£249,999"
    project.refresh_from_db()
    assert project.total_cost * 3 == Decimal("249999.99")
    assert isinstance(project.total_cost, Decimal)
