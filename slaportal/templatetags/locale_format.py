"""Template filters of the locale layer, built into every template (see TEMPLATES in settings).

``{{ amount|number:2 }}``, ``{{ count|number }}``, ``{{ amount|money:agreement.currency }}``,
``{{ rate|percent }}``, ``{{ day|day }}``, ``{{ month|month }}``, ``{{ when|moment }}``.
"""

from decimal import Decimal, InvalidOperation

from django import template

from slaportal.l10n import format_day, format_moment, format_money, format_month, format_number
from slaportal.l10n import format_percent as _format_percent

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def number(value, places=None):
    """Grouped, with the language's decimal mark. ``places`` fixes the decimals; a negative
    ``places`` rounds to that many and drops trailing zeros (like floatformat's "-2")."""
    decimal = _decimal(value)
    if decimal is None:
        return value if value is not None else ""
    if places in (None, ""):
        return format_number(decimal)
    places = int(places)
    if places < 0:
        rounded = decimal.quantize(Decimal(1).scaleb(places))
        return format_number(rounded.normalize() if rounded else Decimal(0))
    return format_number(decimal, places)


@register.filter
def money(value, currency):
    """An amount with its currency: "1.200.000 €", "€1,200,000.50"."""
    decimal = _decimal(value)
    return "" if decimal is None else format_money(decimal, str(currency or ""))


@register.filter
def percent(value):
    """A fraction as the engine writes it ("0.3333") as a percentage: "33,33 %", "%33,33"."""
    decimal = _decimal(value)
    return "" if decimal is None else _format_percent(decimal.quantize(Decimal("0.0001")))


@register.filter
def day(value):
    return format_day(value)


@register.filter
def month(value):
    return format_month(value)


@register.filter
def moment(value):
    return format_moment(value)


@register.filter
def points_percent(value):
    """A percentage given in points (23 for 23%) the language's way: "23 %", "%23"."""
    decimal = _decimal(value)
    return "" if decimal is None else _format_percent(decimal / 100)
