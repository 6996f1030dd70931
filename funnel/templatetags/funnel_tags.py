from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from funnel.charts import funnel_svg

register = template.Library()


def _localized_count(count: int) -> str:
    return number_format(count, force_grouping=True)


@register.simple_tag
def funnel_chart(stage_rows):
    """The funnel as inline SVG, from ``results_context(...)["stage_rows"]``."""
    bars = [(str(row["label"]), row["count"]) for row in stage_rows]
    # funnel_svg escapes every label and number it writes.
    return mark_safe(funnel_svg(bars, title=_("The funnel"), format_count=_localized_count))


@register.filter
def percent(value):
    """A share or rate as the engine writes it ("0.3333") shown as a percentage: "33.33%"."""
    try:
        number = Decimal(value) * 100
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{floatformat(number, '-2g')}%"
