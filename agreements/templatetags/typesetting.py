"""Punctuation and quotation marks in the active language, where the contract's templates join
translated pieces: `{% punct "," %}`, `{{ name|quoted }}`, `{% typeset %}...{% endtypeset %}`."""

from django import template
from django.utils.safestring import mark_safe

from agreements import typography

register = template.Library()


@register.simple_tag
def punct(symbol):
    """ ", " ": " " (" "." or their full-width Chinese forms (see typography.mark)."""
    return typography.mark(symbol)


@register.filter
def quoted(text):
    """„text“, «text», “text”: the language's quotation marks (the text is still escaped)."""
    return typography.quoted(text)


@register.filter
def parenthetical(text):
    return typography.parenthetical(text)


@register.tag
def typeset(parser, token):
    """Chinese without the spaces joined pieces leave around full-width punctuation."""
    nodelist = parser.parse(("endtypeset",))
    parser.delete_first_token()
    return TypesetNode(nodelist)


class TypesetNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # The content is already rendered, escaped HTML: only whitespace is taken out of it.
        return mark_safe(typography.tighten(self.nodelist.render(context)))
