"""Django language codes ("zh-hans", "de-ch") as babel locales."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol
from django.conf import settings
from django.utils import translation

# Django writes scripts in lower case; babel needs the script and a territory for CJK data.
_BABEL_NAMES = {"zh-hans": "zh_Hans_CN", "zh-hant": "zh_Hant_TW", "zh": "zh_Hans_CN"}


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    name = _BABEL_NAMES.get(language, language.replace("-", "_"))
    try:
        return Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        base = language.split("-")[0]
        return Locale.parse(base) if base != language else Locale.parse("en")


def babel_locale(language: str | None = None) -> Locale:
    """The babel locale of ``language``, or of the language active now."""
    return _locale((language or translation.get_language() or settings.LANGUAGE_CODE).lower())


def convention_language(language: str | None = None) -> str:
    """The other common way to write numbers: German's for point-decimal languages, and
    English's for comma-decimal ones. Used to name the second reading of an ambiguous input."""
    locale = babel_locale(language)
    return "de" if get_decimal_symbol(locale) == "." else "en"
