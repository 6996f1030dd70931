"""The funnel chart: an SVG string the page and, later, the PDF embed as it is."""

import re
from xml.etree import ElementTree

from funnel.charts import MIN_BAR_WIDTH, funnel_svg

SVG = "{http://www.w3.org/2000/svg}"
SEED_BARS = [
    ("Leads", 15912),
    ("MQLs", 3978),
    ("SQLs", 1326),
    ("Opportunities", 1087),
    ("Deals", 250),
]


def bar_widths(svg: str) -> list[int]:
    return [int(rect.get("width")) for rect in ElementTree.fromstring(svg).iter(f"{SVG}rect")]


def test_the_chart_is_well_formed_svg_with_one_bar_per_stage_in_order():
    root = ElementTree.fromstring(funnel_svg(SEED_BARS, title="The funnel"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "The funnel"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts[::2] == ["Leads", "MQLs", "SQLs", "Opportunities", "Deals"]
    assert texts[1::2] == ["15,912", "3,978", "1,326", "1,087", "250"]


def test_bar_widths_are_proportional_to_the_counts():
    widths = bar_widths(funnel_svg([("Leads", 400), ("MQLs", 100), ("Deals", 50)]))

    assert widths[0] == 4 * widths[1] == 8 * widths[2]


def test_a_tiny_stage_still_gets_a_visible_bar():
    widths = bar_widths(funnel_svg([("Leads", 10**9), ("Deals", 1)]))

    assert widths[1] == MIN_BAR_WIDTH


def test_bars_are_centred_like_a_funnel():
    root = ElementTree.fromstring(funnel_svg(SEED_BARS))
    centres = {float(r.get("x")) + int(r.get("width")) / 2 for r in root.iter(f"{SVG}rect")}

    assert len(centres) == 1


def test_labels_and_title_are_escaped():
    svg = funnel_svg([("<script>alert(1)</script> & co", 5)], title='"quoted" <title>')

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)  # still well-formed


def test_the_counts_are_written_by_the_formatter_given():
    svg = funnel_svg([("Leads", 15912)], format_count=lambda count: f"{count:_}")

    assert re.search(r">15_912</text>", svg)


def test_an_empty_funnel_is_an_empty_picture():
    assert bar_widths(funnel_svg([])) == []
