"""Money as the council writes it.

Amounts are stored as exact Decimals in pounds. Tables print them in full
(“£350,000”, “£83,333”, pence only where there are any); summaries and
headlines round them the way the papers do (“£328k”, “£1.5m”).
"""

from decimal import ROUND_HALF_UP, Decimal


def _sign_and_size(value):
    """("-" or "", the amount without its sign) of a number or numeric string."""
    value = Decimal(value)
    return ("-" if value < 0 else ""), abs(value)


def pounds(value):
    """£350,000; £83,333.50; an empty string for no amount."""
    if value is None or value == "":
        return ""
    sign, value = _sign_and_size(value)
    if value == value.to_integral_value():
        return f"{sign}£{value:,.0f}"
    return f"{sign}£{value:,.2f}"


def _trim(number):
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pounds_short(value):
    """£328k, £1m, £1.5m, £500; what a cover sheet or a summary prints."""
    if value is None or value == "":
        return ""
    sign, value = _sign_and_size(value)
    step = Decimal("1") if value >= 10_000 else Decimal("0.1")
    thousands = (value / 1_000).quantize(step, ROUND_HALF_UP)
    # Rounded up to a thousand thousands (£999,999) it is a million: “£1m”, never “£1,000k”.
    if thousands >= 1_000:
        return f"{sign}£{_trim((value / 1_000_000).quantize(Decimal('0.1'), ROUND_HALF_UP))}m"
    if value >= 1_000:
        return f"{sign}£{_trim(thousands)}k"
    return f"{sign}{pounds(value)}"


def percent(value):
    """20% or 12.5%: no trailing zeros."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return f"{text}%"


def percent_range(low, high=None):
    """15–20%, or 20% alone."""
    if low is None:
        return ""
    if high is None or high == low:
        return percent(low)
    return f"{percent(low)[:-1]}–{percent(high)}"
