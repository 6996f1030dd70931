"""Exact parsing and formatting of amounts, rates and whole numbers.

No binary floating point is used for arithmetic: strings are read with regular expressions and
turned into :class:`~fractions.Fraction`; a ``float`` handed in by Python code is first written out
with ``str()`` so that ``0.23`` means exactly 23/100 and not the nearest binary number.
"""

import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from . import messages

#: Longer inputs are refused before any parsing (keeps absurd inputs cheap to reject).
MAX_NUMBER_LENGTH = 40

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
_RATIO = re.compile(
    r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))\s*(?:/|\s+in\s+)\s*(\d+(?:\.\d+)?|\.\d+)", re.IGNORECASE
)
_WHOLE = re.compile(r"[+-]?\d+")


class InvalidNumber(ValueError):
    """A value that cannot be read as the number a field needs; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    """True for ``None`` and for strings that are empty or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


MAX_DECIMAL_EXPONENT = 40  # far beyond any amount or rate a plan can hold


def exact(value: object) -> Fraction:
    """Turn a Python number (int, Fraction, Decimal, float) into an exact Fraction."""
    if isinstance(value, bool):
        raise InvalidNumber(messages.NOT_A_NUMBER)
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidNumber(messages.NOT_A_NUMBER)
        # 1e999999999 would become a billion-digit integer: refuse it before Fraction() does.
        if abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
            raise InvalidNumber(messages.NUMBER_TOO_LONG)
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidNumber(messages.NOT_A_NUMBER)
        # str() gives the shortest decimal that round-trips: 0.23 -> "0.23" -> 23/100 exactly.
        return Fraction(str(value))
    raise InvalidNumber(messages.NOT_A_NUMBER)


def _decimal(text: str, shift: int = 0) -> Fraction:
    """Exact value of a string already matched by ``_DECIMAL``, divided by ``10**shift``."""
    whole, _, decimals = text.partition(".")
    negative = whole.startswith("-")
    digits = int(whole.lstrip("+-") + decimals or "0")
    return Fraction(-digits if negative else digits, 10 ** (len(decimals) + shift))


def _clean(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_NUMBER_LENGTH:
        raise InvalidNumber(messages.NUMBER_TOO_LONG)
    return text


def parse_amount(value: object) -> Fraction:
    """Read a money amount: ``500000``, ``"500000"``, ``"500000.50"``, Decimal. Text as people
    write it ("500.000" in German) is turned into this notation first (funnel.localized)."""
    if not isinstance(value, str):
        return exact(value)
    text = _clean(value)
    if _DECIMAL.fullmatch(text):
        return _decimal(text)
    raise InvalidNumber(messages.NOT_A_NUMBER)


def _not_a_rate() -> str:
    return messages.NOT_A_RATE.format(
        percent=messages.show_percent(23), fraction=messages.show_number(Decimal("0.23"))
    )


def parse_rate(value: object) -> Fraction:
    """Read a rate or share: a fraction (``0.23``), a percentage (``"23%"``) or a ratio (``"1/3"``,
    ``"1 in 3"``). The range is checked by the caller, so ``"0"`` parses to 0 here."""
    if not isinstance(value, str):
        return exact(value)
    text = _clean(value)
    if text.endswith("%"):
        number = text[:-1].strip()
        if _DECIMAL.fullmatch(number):
            return _decimal(number, shift=2)
        raise InvalidNumber(_not_a_rate())
    ratio = _RATIO.fullmatch(text)
    if ratio:
        numerator, denominator = _decimal(ratio[1]), _decimal(ratio[2])
        if denominator == 0:
            raise InvalidNumber(messages.RATIO_DIVIDES_BY_ZERO)
        return numerator / denominator
    if _DECIMAL.fullmatch(text):
        return _decimal(text)
    raise InvalidNumber(_not_a_rate())


def is_bare_number(value: object) -> bool:
    """True when a rate was typed as a plain number (``23``), not as ``23%`` or ``1/3``."""
    if isinstance(value, str):
        return _DECIMAL.fullmatch(value.strip()) is not None
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def parse_whole(value: object) -> int:
    """Read a whole number (months, days): ``12``, ``"12"``, ``"12.0"``; ``"1.5"`` is refused."""
    if isinstance(value, str):
        text = _clean(value)
        if _WHOLE.fullmatch(text):
            return int(text)
        if not _DECIMAL.fullmatch(text):
            raise InvalidNumber(messages.NOT_A_WHOLE_NUMBER)
        number = _decimal(text)
    else:
        try:
            number = exact(value)
        except InvalidNumber:
            raise InvalidNumber(messages.NOT_A_WHOLE_NUMBER) from None
    if number.denominator != 1:
        raise InvalidNumber(messages.NOT_A_WHOLE_NUMBER)
    return number.numerator


def ceil_div(numerator: int, denominator: int) -> int:
    """Exact ceiling of ``numerator / denominator`` for integers (denominator > 0)."""
    return -(-numerator // denominator)


def _fixed(value: Fraction, places: int, rounding: str) -> str:
    return _fixed_ratio(value.numerator, value.denominator, places, rounding)


def _fixed_ratio(numerator: int, denominator: int, places: int, rounding: str) -> str:
    if numerator < 0:
        flipped = {"up": "down", "down": "up"}.get(rounding, rounding)
        return "-" + _fixed_ratio(-numerator, denominator, places, flipped)
    scale = 10**places
    numerator *= scale
    if rounding == "up":
        scaled = -(-numerator // denominator)
    elif rounding == "down":
        scaled = numerator // denominator
    else:  # half up
        scaled = (2 * numerator + denominator) // (2 * denominator)
    whole, fraction = divmod(scaled, scale)
    return f"{whole}.{fraction:0{places}d}" if places else str(whole)


def format_money(value: Fraction, rounding: str = "half_up") -> str:
    """Money as a string with exactly two decimals (``"125.69"``), rounded half up by default."""
    return _fixed(value, 2, rounding)


def format_money_per(amount: Fraction, count: int) -> str:
    """``format_money(amount / count)`` without building the intermediate Fraction."""
    return _fixed_ratio(amount.numerator, amount.denominator * count, 2, "half_up")


def format_rate(value: Fraction) -> str:
    """A rate or share as a fraction with exactly four decimals (``"0.2300"``), half up."""
    return _format_rate(value.numerator, value.denominator)


@lru_cache(maxsize=1024)
def _format_rate(numerator: int, denominator: int) -> str:
    # Plans reuse a handful of rates many times; cached on the (cheap to hash) int pair.
    return _fixed(Fraction(numerator, denominator), 4, "half_up")


def format_percent(value: Fraction) -> str:
    """A fraction as a percentage for messages: "90%", "99.5%", "about 66.6667%"."""
    percent = value * 100
    text = messages.show_percent(_short_decimal(percent))
    return text if (percent * 10**4).denominator == 1 else messages.ABOUT.format(value=text)


def format_plain(value: Fraction) -> str:
    """A number as typed by a person, for hints: ``23``, ``1.5``."""
    return messages.show_number(_short_decimal(value))


def _short_decimal(value: Fraction) -> Decimal:
    """At most four decimals, without trailing zeros (never in exponent form)."""
    return Decimal(_fixed(value, 4, "half_up").rstrip("0").rstrip("."))
