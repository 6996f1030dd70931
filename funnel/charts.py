"""The funnel as an inline SVG: one horizontal bar per stage, its count beside it.

Plain Python producing a self-contained SVG string (attributes only, no CSS classes or scripts),
so the same picture works on a web page and in a PDF.
"""

from collections.abc import Callable, Sequence
from html import escape

from django.utils.translation import get_language

from slaportal.l10n import format_number

WIDTH = 640
LABEL_WIDTH = 130
COUNT_WIDTH = 110
BAR_HEIGHT = 30
GAP = 8
#: A stage far smaller than the largest still gets a visible sliver.
MIN_BAR_WIDTH = 4
COLOR = "#0d6efd"  # Bootstrap's primary blue


# WeasyPrint sets SVG text in the first family only (fontconfig fills in missing glyphs, and for
# Chinese it picks the Japanese face), so a Chinese chart names the Simplified Chinese face first.
LATIN_FONTS = "&quot;DejaVu Sans&quot;, &quot;Noto Sans CJK SC&quot;, sans-serif"
CHINESE_FONTS = "&quot;Noto Sans CJK SC&quot;, &quot;DejaVu Sans&quot;, sans-serif"


def _font_stack() -> str:
    return CHINESE_FONTS if (get_language() or "").startswith("zh") else LATIN_FONTS


def funnel_svg(
    bars: Sequence[tuple[str, int]],
    *,
    title: str = "",
    format_count: Callable[[int], str] = format_number,
) -> str:
    """An SVG of ``(label, count)`` bars, top to bottom, centred so they narrow like a funnel.

    Bar widths are proportional to the counts (the largest fills the bar area); labels and the
    title are escaped; ``format_count`` writes the numbers (default: the active language's way).
    """
    area = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    largest = max((count for _, count in bars), default=0)
    height = len(bars) * (BAR_HEIGHT + GAP) - GAP if bars else 0
    aria_label = f' aria-label="{escape(title)}"' if title else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" font-family="{_font_stack()}" '
        f'font-size="14"{aria_label}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (label, count) in enumerate(bars):
        top = index * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT / 2
        width = max(MIN_BAR_WIDTH, round(area * count / largest)) if largest else MIN_BAR_WIDTH
        left = LABEL_WIDTH + (area - width) / 2
        # Upper stages lighter, the last (deals) full strength.
        opacity = 0.45 + 0.55 * (index + 1) / len(bars)
        parts.append(
            f'<g><text x="0" y="{middle:g}" dominant-baseline="middle" fill="#212529">'
            f"{escape(str(label))}</text>"
            f'<rect x="{left:g}" y="{top}" width="{width}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{COLOR}" fill-opacity="{opacity:.2f}"/>'
            f'<text x="{WIDTH}" y="{middle:g}" dominant-baseline="middle" text-anchor="end" '
            f'font-weight="600" fill="#212529">{escape(format_count(count))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


#: The web page's variant (funnel_svg_stacked): narrower, each label and count on a line above
#: its bar, so long labels fit and the text stays legible when a phone scales the picture down.
STACKED_WIDTH = 360
STACKED_FONT_SIZE = 15
STACKED_LINE = 20
STACKED_BAR_HEIGHT = 14
STACKED_GAP = 10


def funnel_svg_stacked(
    bars: Sequence[tuple[str, int]],
    *,
    title: str = "",
    format_count: Callable[[int], str] = format_number,
) -> str:
    """The funnel as ``funnel_svg`` draws it, with each bar's label and count above the bar."""
    largest = max((count for _, count in bars), default=0)
    step = STACKED_LINE + STACKED_BAR_HEIGHT + STACKED_GAP
    height = len(bars) * step - STACKED_GAP if bars else 0
    aria_label = f' aria-label="{escape(title)}"' if title else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {STACKED_WIDTH} {height}" '
        f'width="100%" role="img" font-family="{_font_stack()}" '
        f'font-size="{STACKED_FONT_SIZE}"{aria_label}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (label, count) in enumerate(bars):
        top = index * step
        middle = top + STACKED_LINE / 2
        width = (
            max(MIN_BAR_WIDTH, round(STACKED_WIDTH * count / largest)) if largest else MIN_BAR_WIDTH
        )
        opacity = 0.45 + 0.55 * (index + 1) / len(bars)
        parts.append(
            f'<g><text x="0" y="{middle:g}" dominant-baseline="middle" fill="#212529">'
            f"{escape(str(label))}</text>"
            f'<text x="{STACKED_WIDTH}" y="{middle:g}" dominant-baseline="middle" '
            f'text-anchor="end" font-weight="600" fill="#212529">'
            f"{escape(format_count(count))}</text>"
            f'<rect x="{(STACKED_WIDTH - width) / 2:g}" y="{top + STACKED_LINE}" '
            f'width="{width}" height="{STACKED_BAR_HEIGHT}" rx="3" '
            f'fill="{COLOR}" fill-opacity="{opacity:.2f}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
