"""Server-rendered SVG charts for the compliance page: a commitment's monthly figure against what
was agreed, and the response-time distribution. Numbers and month names in the reader's
language; text at least 11 px; every chart has a title and a description for screen readers."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from slaportal.l10n import format_number, format_percent
from slaportal.l10n.dates import format_short_month

VERDICT_COLOURS = {
    "met": "#198754",
    "on_course": "#198754",
    "missed": "#b02a37",
    "at_risk": "#997404",
}
BAR = "#0b5ed7"


def _percent(value) -> str:
    """Points (95.2) as the language writes a percentage: "95,2 %", "%95,2", "95.2%"."""
    return format_percent(value / 100, 1)


def trend_svg(report, *, title: str) -> str:
    """The figure per month as a line with a dot per month (coloured by verdict), and the
    agreed figure as a dashed line."""
    width, height, left, right, top, bottom = 360, 150, 40, 10, 14, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    months = report.months
    step = plot_w / max(len(months) - 1, 1)

    def y(value) -> float:
        return top + plot_h * (1 - min(max(float(value), 0), 100) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="compliance-chart" aria-labelledby="t{report.commitment.index}">',
        f'<title id="t{report.commitment.index}">{escape(title)}</title>',
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#495057">{escape(format_number(tick))}</text>'
        )
    required = y(report.required)
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{required:.1f}" y2="{required:.1f}" '
        'stroke="#6c757d" stroke-dasharray="4 3"/>'
    )
    points = [
        (left + i * step, y(m.figure), m) for i, m in enumerate(months) if m.figure is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{py:.1f}" for x, py, _m in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for x, py, month in points:
        colour = VERDICT_COLOURS.get(month.verdict, BAR)
        label = f"{format_short_month(month.month)}: {_percent(month.figure)}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{py:.1f}" r="4" fill="{colour}"><title>{escape(label)}'
            "</title></circle>"
        )
    every = max(1, -(-len(months) // 6))  # at most six month labels
    for i, month in enumerate(months):
        if i % every == 0:
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - 8}" text-anchor="middle" '
                f'font-size="11" fill="#495057">{escape(format_short_month(month.month))}'
                "</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def distribution_svg(distribution, labels: list[str]) -> str:
    """Horizontal bars: how many leads got their first contact within each band of hours."""
    row, label_w, width = 26, 150, 420
    height = row * len(distribution) + 8
    largest = max((item["count"] for item in distribution), default=0) or 1
    bar_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'class="compliance-chart" aria-labelledby="distribution-title">',
        f'<title id="distribution-title">{escape(_("Response times"))}</title>',
    ]
    for i, (item, label) in enumerate(zip(distribution, labels, strict=True)):
        top = 4 + i * row
        length = bar_w * item["count"] / largest
        parts.append(
            f'<text x="{label_w - 6}" y="{top + 16}" text-anchor="end" font-size="12" '
            f'fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{top + 4}" width="{length:.1f}" height="16" fill="{BAR}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{top + 16}" font-size="12" '
            f'fill="#212529">{escape(format_number(item["count"]))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
