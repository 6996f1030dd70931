"""Numbers typed by people and numbers shown to them, in the active language's convention."""

import re
from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
    parse_pattern,
)
from django.utils.translation import gettext as _

from .locales import babel_locale, convention_language

#: Longer inputs are refused before any parsing.
MAX_INPUT_LENGTH = 40

# Spaces of every width group thousands in any convention ("1 234,5" in Turkish and French).
_SPACES = re.compile(r"[ \u00a0\u2007\u2009\u202f]")
_MINUSES = "\u2212\u2012\u2013"  # typographic minus signs people paste
_NUMBER_CHARACTERS = re.compile(r"[+-]?[0-9.,']+")


class NumberInputError(ValueError):
    """Text that is not one number in the active language; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _normalised(text: str, group: str) -> str:
    text = text.strip()
    for minus in _MINUSES:
        text = text.replace(minus, "-")
    # Spaces and apostrophes between digits group thousands in any convention.
    text = re.sub(r"(?<=\d)[ \u00a0\u2007\u2009\u202f'\u2019](?=\d)", group, text)
    return text


def read_number(text: str, language: str | None = None) -> Decimal | None:
    """The number ``text`` means in ``language``'s convention, or None when it is not one
    (wrong grouping, two decimal marks, letters, NaN)."""
    locale = babel_locale(language)
    text = _normalised(text, get_group_symbol(locale))
    if not text or len(text) > MAX_INPUT_LENGTH or not _NUMBER_CHARACTERS.fullmatch(text):
        return None
    try:
        return parse_decimal(text, locale=locale, strict=True)
    except NumberFormatError:
        return None


def _lenient_reading(text: str, language: str) -> Decimal | None:
    """The reading that ignores where group separators stand ("1,5" in English: 15)."""
    locale = babel_locale(language)
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    text = _normalised(text, group)
    if not _NUMBER_CHARACTERS.fullmatch(text) or text.count(decimal) > 1:
        return None
    try:
        return Decimal(text.replace(group, "").replace(decimal, "."))
    except ArithmeticError:
        return None


def parse_number(text: str, language: str | None = None) -> Decimal:
    """Read a number typed in ``language`` (default: the active one).

    "1.200.000" and "62,5" are 1200000 and 62.5 in German; "1,200,000" and "62.5" in English.
    Text that could mean two numbers ("1,5" in English: 15 or 1.5) is refused with both readings.
    """
    shown = text.strip()
    if len(shown) > MAX_INPUT_LENGTH:
        raise NumberInputError(
            _("Enter a number of at most %(count)d characters.") % {"count": MAX_INPUT_LENGTH}
        )
    value = read_number(shown, language)
    if value is not None:
        return value
    readings = []
    for reading in (
        _lenient_reading(shown, language or ""),
        read_number(shown, convention_language(language)),
    ):
        if reading is not None and reading not in readings:
            readings.append(reading)
    if len(readings) == 2:
        raise NumberInputError(
            _("“%(text)s” could be read as %(first)s or as %(second)s: type the one you mean.")
            % {
                "text": shown,
                "first": format_number(readings[0], language=language),
                "second": format_number(readings[1], language=language),
            }
        )
    if len(readings) == 1:
        raise NumberInputError(
            _("“%(text)s” is not written the way numbers are here: did you mean %(reading)s?")
            % {"text": shown, "reading": format_number(readings[0], language=language)}
        )
    raise NumberInputError(
        _("“%(text)s” is not a number. Write numbers like %(example)s.")
        % {"text": shown, "example": format_number(Decimal("1234.5"), language=language)}
    )


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(
    value, places: int | None = None, *, language: str | None = None, grouping: bool = True
) -> str:
    """``value`` with the language's separators: exactly ``places`` decimals, or as many as it
    has (without trailing zeros) when ``places`` is None."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not value.is_finite():
        return str(value)
    locale = babel_locale(language)
    pattern = parse_pattern(locale.decimal_formats[None].pattern)
    shown = _places(value) if places is None else places
    pattern.frac_prec = (shown, shown)
    if not grouping:
        pattern.grouping = (1000, 1000)  # groups wider than any number: none shown
    return pattern.apply(value, locale, decimal_quantization=True)


def format_money(value, currency: str, *, language: str | None = None) -> str:
    """An amount with its currency the language's way ("1.200.000 €", "€1,200,000"): cents only
    when there are any, and no-break spaces so the currency never parts from its amount."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    locale = babel_locale(language)
    pattern = parse_pattern(locale.currency_formats["standard"].pattern)
    places = 0 if value == value.to_integral_value() else 2
    pattern.frac_prec = (places, places)
    text = pattern.apply(value, locale, currency=currency, currency_digits=False)
    return _SPACES.sub("\u00a0", text)


def format_percent(fraction, places: int | None = None, *, language: str | None = None) -> str:
    """A fraction (0.355) as a percentage the language's way: "35,5 %", "%35,5", "35.5%"."""
    if fraction is None or fraction == "":
        return ""
    percent = Decimal(str(fraction)) * 100
    locale = babel_locale(language)
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    shown = min(_places(percent), 4) if places is None else places
    pattern.frac_prec = (shown, shown)
    return _SPACES.sub("\u00a0", pattern.apply(percent / 100, locale))
