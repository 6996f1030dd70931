"""Plans typed in a person's language, turned into the engine's notation before it reads them.

The engine reads one notation ("500000", "0.23", "23%", "1/3"). People type "500.000", "0,23",
"23 %" or "%23" in German, Italian and Turkish; the calculator page and the API's text values
(read in the request's language, from ``Accept-Language``) pass through :func:`delocalize_plan`
first. JSON numbers are exact already and pass untouched.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from slaportal.l10n import NumberInputError, format_number, format_percent, parse_number

from .calculator import MAX_NUMBER_LENGTH, FunnelInputError, FunnelResult, calculate
from .engine.stages import RATE_FIELDS

AMOUNT_FIELDS = ("revenue_target", "average_deal_size", "cost_per_lead")
WHOLE_FIELDS = ("term_months", "sales_cycle_days")
SHARE_AND_RATE_FIELDS = ("share", *RATE_FIELDS)
ROW_GROUPS = ("streams", "sources")

# Digits with separators, signs, spaces, a percent sign or a ratio: anything else is not a
# number in any language, and is left to the engine.
_NUMBER_LIKE = re.compile(
    r"[\s%+\-\u2212]*\d[\d\s.,'\u2019\u00a0\u202f%/]*(?:\s(?:in|von|su|içinde)\s[\d\s.,]+)?\s*%?\s*"
)
_PERCENT = re.compile(r"^\s*%\s*(?P<lead>.+?)\s*$|^\s*(?P<trail>.+?)\s*%\s*$")
_RATIO = re.compile(r"^\s*(.+?)\s*(/|\s(?:in|von|su|içinde|中的)\s)\s*(.+?)\s*$", re.IGNORECASE)


def _number(text: str, language: str | None) -> str:
    return format(parse_number(text, language), "f")


def rate_notation(text: str, language: str | None = None) -> str:
    """ "23 %", "%23", "0,23", "1/3", "1 in 3" -> "23%", "23%", "0.23", "1/3", "1/3"."""
    if percent := _PERCENT.match(text):
        return _number(percent["lead"] or percent["trail"], language) + "%"
    if ratio := _RATIO.match(text):
        return f"{_number(ratio[1], language)}/{_number(ratio[3], language)}"
    return _number(text, language)


def _rate_examples() -> str:
    return _("%(percent)s, %(fraction)s or 1/3") % {
        "percent": format_percent(Decimal("0.23")),
        "fraction": format_number(Decimal("0.23")),
    }


#: "23%, 0.23 or 1/3" written the way the active language writes them (a lazy string).
rate_examples = lazy(_rate_examples, str)()


#: How each text field is turned into the engine's notation.
READERS = {
    **dict.fromkeys(AMOUNT_FIELDS + WHOLE_FIELDS, _number),
    **dict.fromkeys(SHARE_AND_RATE_FIELDS, rate_notation),
}


def _delocalize(fields: Mapping[str, Any], prefix: str, language, errors) -> dict[str, Any]:
    plain = dict(fields)
    for name, reader in READERS.items():
        value = plain.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        if len(value) > MAX_NUMBER_LENGTH or not _NUMBER_LIKE.fullmatch(value):
            continue  # too long, words, exponents, NaN: the engine's own message fits best
        try:
            plain[name] = reader(value, language)
        except NumberInputError as error:
            errors[prefix + name] = [error.message]
            plain[name] = ""  # reported here; the engine must not report it again
    return plain


def delocalize_plan(
    data: Mapping[str, Any], language: str | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The plan in the engine's notation, and the messages for text that is not one number in
    ``language`` (keyed by the engine's field paths, e.g. ``streams[1].share``)."""
    errors: dict[str, list[str]] = {}
    plain = _delocalize(data, "", language, errors)
    for group in ROW_GROUPS:
        rows = plain.get(group)
        if isinstance(rows, list):
            plain[group] = [
                _delocalize(row, f"{group}[{index}].", language, errors)
                if isinstance(row, Mapping)
                else row
                for index, row in enumerate(rows)
            ]
    return plain, errors


def merge_errors(
    local: dict[str, list[str]], engine: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """The engine's messages, with ours in place of any it gave for a field we blanked."""
    return {**{path: list(messages) for path, messages in engine.items()}, **local}


def calculate_localized(data: Mapping[str, Any], language: str | None = None) -> FunnelResult:
    """:func:`calculate` for a plan typed in ``language`` (default: the active language)."""
    plain, errors = delocalize_plan(data, language)
    try:
        result = calculate(plain)
    except FunnelInputError as error:
        raise FunnelInputError(merge_errors(errors, error.errors)) from None
    if errors:
        raise FunnelInputError(errors)
    return result
