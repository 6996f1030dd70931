"""Dates and times shown to people, and month names read from imports, from CLDR via babel."""

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime, format_skeleton
from django.utils import timezone

from .locales import babel_locale


def format_day(value: date | datetime | None, *, language: str | None = None) -> str:
    """A calendar day in words: "1. Januar 2027", "1º gennaio 2027", "2027年1月1日"."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    locale = babel_locale(language)
    text = format_date(value, "long", locale=locale)
    if locale.language == "it" and value.day == 1:
        text = "1º" + text[1:]  # Italian writes the first of the month as an ordinal
    return text


def format_month(value: date | None, *, language: str | None = None) -> str:
    """A month and year: "January 2027", "Ocak 2027", "2027年1月"."""
    if not value:
        return ""
    return format_skeleton("yMMMM", value, locale=babel_locale(language))


def format_short_month(value: date | None, *, language: str | None = None) -> str:
    """A month in a chart's few characters: "Jan 2027", "Oca 2027", "2027年1月"."""
    if not value:
        return ""
    return format_skeleton("yMMM", value, locale=babel_locale(language))


def format_moment(value: datetime | None, *, language: str | None = None, zone=None) -> str:
    """A point in time to the second, in `zone` or else the current time zone:
    "01.01.2027, 13:45:00"."""
    if not value:
        return ""
    if zone is not None and timezone.is_aware(value):
        value = value.astimezone(zone)
    elif timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, "medium", tzinfo=value.tzinfo, locale=babel_locale(language))


@lru_cache(maxsize=16)
def month_names(language: str) -> dict[str, int]:
    """Every way ``language`` names a month (wide and abbreviated, format and stand-alone),
    lower case, mapped to the month's number."""
    locale = babel_locale(language)
    names = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                names[name.casefold().rstrip(".")] = number
    return names
