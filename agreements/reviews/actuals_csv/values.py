"""Reading one cell: numbers as people and spreadsheets write them, and dates as months."""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

# Languages that write 1.087,5 and 31.01.2027; the others (en, zh-hans) write 1,087.5 and
# put the month first in 01/31/2027 (en-US).
_DECIMAL_COMMA = {"de", "it", "tr"}
_DAY_FIRST = {"de", "it", "tr"}

# Spaces and apostrophes (1 087, 1'087, 1\u2019087) separate groups of three in any convention.
_GROUP_SPACES = " \u00a0\u2007\u2009\u202f'\u2019"
_MINUS = "-\u2212"
_DIGITS = re.compile(r"[0-9]+")
_FIRST_GROUP = re.compile(r"[1-9][0-9]{0,2}")
_GROUP = re.compile(r"[0-9]{3}")

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

_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",  # noqa: RUF001
}
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
    for names in _MONTH_NAMES.values():
        for number, name in enumerate(names.split(), start=1):
            months[fold(name)] = months[fold(name[:3])] = number  # "Januar", "Jan", "Oca"
    return months


MONTHS = _build_months()


def language(locale: str) -> str:
    """ "de", "de-ch" and "de_CH" are all German here."""
    return locale.lower().replace("_", "-").split("-")[0]


def parse_number(text: str, locale: str = "en") -> tuple[Decimal, bool]:
    """ "1,087.5" -> (Decimal("1087.5"), False); "23,5 %" -> (Decimal("23.5"), True); "(5)" -> -5.

    A number that reads both ways takes the locale's convention ("1,087" is 1087 in English,
    1.087 in German); the other convention is accepted when only it fits ("1.087,5" in English).
    """
    shown = text.strip()
    if not shown:
        raise CellError(_("No value."))
    body, negative, is_percent = _sign_and_percent(shown)
    decimal_mark = "," if language(locale) in _DECIMAL_COMMA else "."
    value = _read(body, decimal_mark)
    if value is None:
        value = _read(body, "." if decimal_mark == "," else ",")
    if value is None:
        raise CellError(_("“%(value)s” is not a number.") % {"value": shown})
    if negative and value:
        value = value.copy_negate()
    return value, is_percent


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


def _read(body: str, decimal_mark: str) -> Decimal | None:
    whole, mark, fraction = body.partition(decimal_mark)
    if mark and not _DIGITS.fullmatch(fraction):
        return None
    if not _DIGITS.fullmatch(whole):
        if not whole and mark:  # ".5"
            whole = "0"
        else:
            whole = _ungroup(whole, _GROUP_SPACES + ("," if decimal_mark == "." else "."))
            if whole is None:
                return None
    return Decimal(f"{whole}.{fraction}" if mark else whole)


def _ungroup(whole: str, separators: str) -> str | None:
    """ "1,087,000" -> "1087000" when every group after the first has three digits."""
    used = {c for c in whole if c not in "0123456789"}
    if len(used) != 1 or not used <= set(separators):
        return None
    first, *groups = whole.split(used.pop())
    if _FIRST_GROUP.fullmatch(first) and all(_GROUP.fullmatch(group) for group in groups):
        return first + "".join(groups)
    return None


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
    month = _numeric_month(plain, day_first=language(locale) in _DAY_FIRST) or _named_month(plain)
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
