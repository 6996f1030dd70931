from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from funnel.charts import funnel_svg_stacked

register = template.Library()


@register.simple_tag
def funnel_chart(stage_rows):
    """The funnel as inline SVG, from ``results_context(...)["stage_rows"]``: the stacked
    variant, whose text stays legible on a phone."""
    bars = [(str(row["label"]), row["count"]) for row in stage_rows]
    # funnel_svg_stacked escapes every label and number it writes.
    return mark_safe(funnel_svg_stacked(bars, title=_("The funnel")))
