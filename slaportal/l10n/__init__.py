"""The locale layer: every number, percent, amount and date the app reads or writes, on babel.

Text typed or imported by a person is read in the active language's convention and refused,
naming both readings, when it could mean two numbers; output follows the same convention, so a
value echoed back shows how it was understood.
"""

from .dates import format_day, format_moment, format_month, month_names
from .locales import babel_locale, convention_language
from .numbers import (
    NumberInputError,
    format_money,
    format_number,
    format_percent,
    parse_number,
    read_number,
)

__all__ = [
    "NumberInputError",
    "babel_locale",
    "convention_language",
    "format_day",
    "format_moment",
    "format_money",
    "format_month",
    "format_number",
    "format_percent",
    "month_names",
    "parse_number",
    "read_number",
]
