"""Reading one cell: numbers as people and spreadsheets write them, and dates as months.

Numbers and month names come from the locale layer (CLDR via babel). A column's number format is
decided from all of its cells (:func:`column_language`), so "1.180" in a column that also holds
"1.234,5" is 1180, and a column that mixes "1,234.5" with "1.234,5" is refused cell by cell.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from slaportal.l10n import babel_locale, convention_language, format_number, month_names
from slaportal.l10n import read_number as read_in

_MINUS = "-\u2212"

_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?")  # 2027-01-31, 2027/1
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")  # 01/2027, 1.2027
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")  # 31.01.2027, 1/31/27
_TIME = re.compile(
    r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_NAMED_DATE = re.compile(r"[\w\s\-/.,']+")
_WORDS = re.compile(r"\d+|[^\W\d_]+")
_ORDINALS = {"st", "nd", "rd", "th"}

# Month names are read in every language of the app, whatever the reader's: exports travel.
MONTH_LANGUAGES = ("en", "de", "it", "tr")
_EXTRA_ABBREVIATIONS = {"sept": 9, "mrz": 3, "jänner": 1}


class CellError(ValueError):
    """A cell that cannot be read; `message` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """Lower case without accents or extra spaces, for comparing names: "EKİM" -> "ekim"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u0131", "i"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _build_months() -> dict[str, int]:
    months = {fold(name): number for name, number in _EXTRA_ABBREVIATIONS.items()}
    for language in MONTH_LANGUAGES:
        for name, number in month_names(language).items():
            months[fold(name)] = number
            months.setdefault(fold(name[:3]), number)  # "Januar", "Jan", "Oca"
    return months


MONTHS = _build_months()


def _day_first(language: str) -> bool:
    """31.01.2027 or 01/31/2027: the order of the language's short date (CLDR)."""
    return babel_locale(language).date_formats["short"].pattern.lstrip().startswith("d")


def parse_number(text: str, locale: str = "en") -> tuple[Decimal, bool]:
    """ "1,087.5" -> (Decimal("1087.5"), False); "23,5 %" -> (Decimal("23.5"), True); "(5)" -> -5.

    ``locale`` is the language whose convention the cell is written in; pass the column's
    (:func:`column_language`) so that every cell of a column is read the same way.
    """
    shown = text.strip()
    if not shown:
        raise CellError(_("No value."))
    body, negative, is_percent = _sign_and_percent(shown)
    value = None if body[:1] in "+-" + _MINUS else read_in(body, locale)  # one sign only
    if value is None:
        raise CellError(
            _("“%(value)s” is not a number written like %(example)s.")
            % {"value": shown, "example": format_number(Decimal("1234.5"), language=locale)}
        )
    if negative and value:
        value = value.copy_negate()
    return value, is_percent


def column_language(cells: Iterable[str], locale: str = "en") -> str:
    """The convention a column of numbers is written in: the reader's (``locale``) when every
    cell reads that way, else the other common one when every cell reads that way ("1.234,5"
    and "1.180" in an English reader's file are German-style), else the reader's, and the cells
    written the other way are then refused one by one."""
    bodies = [_sign_and_percent(cell.strip())[0] for cell in cells if cell.strip()]
    other = convention_language(locale)
    for language in (locale, other):
        if all(read_in(body, language) is not None for body in bodies):
            return language
    return locale


def mixed_format_message(text: str, language: str) -> str | None:
    """Why a cell is refused when it is a number, but written the other way from its column."""
    body = _sign_and_percent(text.strip())[0]
    if read_in(body, convention_language(language)) is None:
        return None
    return _(
        "“%(value)s” is written differently from the rest of its column (like %(example)s). "
        "Export the column in one format."
    ) % {"value": text.strip(), "example": format_number(Decimal("1234.5"), language=language)}


def _sign_and_percent(text: str) -> tuple[str, bool, bool]:
    negative = is_percent = False
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        negative, text = True, text[1:-1].strip()
    if text.endswith("%"):
        is_percent, text = True, text[:-1].rstrip()
    elif text.startswith("%"):  # Turkish writes %23
        is_percent, text = True, text[1:].lstrip()
    if text and text[0] in _MINUS and not negative:
        negative, text = True, text[1:]
    return text, negative, is_percent


def parse_month(text: str, locale: str = "en") -> date:
    """The month a date or month is in, as date(year, month, 1).

    ISO (2027-01-31, 2027-01), the locale's numeric dates (01/31/2027 in English, 31.01.2027 in
    German and Turkish, 31/01/2027 in Italian, 2027/1/31 and 2027年1月31日 in Chinese), and month
    names in English, German, Italian and Turkish (Jan 2027, Jan-27, Januar 2027, gennaio 2027,
    Ocak 2027). A day and month that read both ways take the locale's order.
    """
    shown = text.strip()
    if not shown:
        raise CellError(_("No date."))
    plain = _TIME.sub("", shown, count=1) if ":" in shown else shown
    month = _numeric_month(plain, day_first=_day_first(locale)) or _named_month(plain)
    if month is None:
        raise CellError(
            _("“%(value)s” is not a date we can read. Write it as 2027-01 or 2027-01-31.")
            % {"value": shown}
        )
    return month


def _numeric_month(text: str, *, day_first: bool) -> date | None:
    if match := _YEAR_FIRST.fullmatch(text):
        return _month(int(match[1]), int(match[3]), match[4])
    if match := _CHINESE.fullmatch(text):
        return _month(int(match[1]), int(match[2]), match[3])
    if match := _MONTH_YEAR.fullmatch(text):
        return _month(int(match[2]), int(match[1]), None)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        first, second, year = int(match[1]), int(match[3]), _year(match[4])
        orders = [(second, first), (first, second)]  # (month, day), the locale's order first
        for month, day in orders if day_first else reversed(orders):
            if found := _month(year, month, day):
                return found
    return None


def _named_month(text: str) -> date | None:
    """ "Jan 2027", "January 31, 2027", "31. Januar 2027", "31-Jan-27", "Ocak 2027"."""
    if not _NAMED_DATE.fullmatch(text):
        return None
    numbers, months = [], []
    for word in _WORDS.findall(text):
        if word.isdigit():
            numbers.append(word)
        elif fold(word) in MONTHS:
            months.append(MONTHS[fold(word)])
        elif fold(word) not in _ORDINALS:
            return None
    if len(months) != 1 or not 1 <= len(numbers) <= 2:
        return None
    if len(numbers) == 1:
        day, year = None, numbers[0]
    elif len(numbers[0]) == 4:
        year, day = numbers
    else:
        day, year = numbers
    if len(year) not in (2, 4) or (day is not None and len(day) > 2):
        return None
    return _month(_year(year), months[0], day)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(year: int, month: int, day: str | int | None) -> date | None:
    try:
        date(year, month, 1 if day is None else int(day))  # the day must exist in that month
    except ValueError:
        return None
    return date(year, month, 1)
