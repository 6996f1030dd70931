"""Conversion rates as stored (eight decimals) and as people write them ("23%", "1/3").

A ratio such as 1/3 has no exact decimal form; it is stored rounded to eight places and read
back as the simplest fraction within that rounding (1/3 again), so the funnel stays exact for
every rate a person would type: whole or decimal percentages and "one in N" ratios.
"""

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from slaportal.l10n import format_percent

PLACES = Decimal("0.00000001")
_ROUNDING = Fraction(1, 2 * 10**8)


def to_stored(rate: Fraction) -> Decimal:
    exact = Decimal(rate.numerator) / Decimal(rate.denominator)
    return exact.quantize(PLACES, rounding=ROUND_HALF_EVEN)


def from_stored(value: Decimal) -> Fraction:
    stored = Fraction(value)
    simple = stored.limit_denominator(10_000)
    return simple if abs(simple - stored) <= _ROUNDING else stored


def display(value: Decimal | None) -> str:
    """ "23%", "12.5%" or, for a rate with no short percentage, "1/3"."""
    if value is None:
        return ""
    rate = from_stored(value)
    percent = rate * 100
    if (percent * 10000).denominator == 1:  # at most four decimals as a percentage
        text = f"{Decimal(percent.numerator) / Decimal(percent.denominator):f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return f"{text}%"
    return f"{rate.numerator}/{rate.denominator}"


def shown(value: Decimal | None) -> str:
    """:func:`display` for people, in the active language: "23 %" (de), "%23" (tr), "1/3"."""
    text = display(value)
    if not text.endswith("%"):
        return text
    return format_percent(Decimal(text[:-1]) / 100)
