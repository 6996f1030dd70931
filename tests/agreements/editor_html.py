"""Reading the editor's HTML in tests: the table of a row list, and whether an id is on a page."""

import re
from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Table(HTMLParser):
    """The first table inside the element with `element_id`: each row's id and cell texts."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0  # inside the element
        self.done = False
        self.part = None  # "thead" or "tbody"
        self.rows = {"thead": [], "tbody": []}
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if not self.depth:
            self.depth = int(attrs.get("id") == self.element_id)
            return
        self.depth += tag not in VOID_ELEMENTS
        if tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.part:
            self.rows[self.part].append({"id": attrs.get("id"), "cells": []})
        elif tag in ("th", "td") and self.part:
            self.cell = []

    def handle_endtag(self, tag):
        if not self.depth or self.done:
            return
        self.depth -= 1
        if tag in ("th", "td") and self.cell is not None:
            # Spaces as HTML collapses them; no-break spaces are kept, they are part of the text.
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self.cell)).strip()
            self.rows[self.part][-1]["cells"].append(text)
            self.cell = None
        self.done = self.depth == 0 or tag == "table"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def row_table(html: str, element_id: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header texts, and each body row's cells keyed by its first cell (the row's name)."""
    table = _Table(element_id)
    table.feed(html)
    assert table.rows["thead"], f"no table with a header inside #{element_id}"
    headers = table.rows["thead"][0]["cells"]
    return headers, {row["cells"][0]: row["cells"] for row in table.rows["tbody"]}


def has_id(html: str, element_id: str) -> bool:
    return re.search(rf'\sid="{re.escape(element_id)}"', html) is not None
