"""Punctuation and quotation marks by language, for the sentences the contract, its certificate
and the audit trail put together from translated pieces.

Chinese takes full-width commas, colons, semicolons, full stops and parentheses, the enumeration
comma between list items, and no space around them; German quotes „…“, Italian «…», Turkish and
Chinese “…”. Each helper follows the active language unless given one, so a contract rendered
under its agreement's language gets that language's marks.
"""

import re

from django.utils.translation import get_language, gettext

QUOTES = {"de": ("„", "“"), "it": ("«", "»"), "tr": ("“", "”"), "zh": ("“", "”")}
ENGLISH_QUOTES = ("“", "”")

# A mark as it joins two pieces of a sentence, its spacing included.
LATIN_MARKS = {",": ", ", ";": "; ", ":": ": ", ".": ".", "(": " (", ")": ")", "list": ", "}
FULL_WIDTH_MARKS = {
    ",": "\N{FULLWIDTH COMMA}",
    ";": "\N{FULLWIDTH SEMICOLON}",
    ":": "\N{FULLWIDTH COLON}",
    ".": "\N{IDEOGRAPHIC FULL STOP}",
    "(": "\N{FULLWIDTH LEFT PARENTHESIS}",
    ")": "\N{FULLWIDTH RIGHT PARENTHESIS}",
    "list": "\N{IDEOGRAPHIC COMMA}",
}

# Full-width punctuation takes no space before or after it in Chinese, whatever tags lie
# between; curly quotes (shared with Latin text) none next to a Chinese character.
_FULL_WIDTH = (
    "".join(FULL_WIDTH_MARKS.values())
    + "\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
    + "\N{LEFT DOUBLE ANGLE BRACKET}\N{RIGHT DOUBLE ANGLE BRACKET}"
    + "\N{LEFT CORNER BRACKET}\N{RIGHT CORNER BRACKET}"
)
_QUOTES = "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
_QUOTES += "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
_HAN = "\u2e80-\u9fff\uf900-\ufaff"
_TAGS = r"((?:<[^<>]*>)*)"
_SPACE = r"[ \t\r\n]+"
_TIGHTEN = (
    (re.compile(rf"([{_FULL_WIDTH}]){_TAGS}{_SPACE}"), r"\1\2"),
    (re.compile(rf"{_SPACE}{_TAGS}([{_FULL_WIDTH}])"), r"\1\2"),
    (re.compile(rf"([{_QUOTES}]){_TAGS}{_SPACE}(?={_TAGS}[{_HAN}])"), r"\1\2"),
    (re.compile(rf"([{_HAN}]){_TAGS}{_SPACE}{_TAGS}([{_QUOTES}])"), r"\1\2\3\4"),
)
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def _base(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0].lower()


def is_chinese(language: str | None = None) -> bool:
    return _base(language) == "zh"


def mark(symbol: str, language: str | None = None) -> str:
    """`symbol` ("," ";" ":" "." "(" ")" or "list") as the language joins two pieces with it:
    ", " or a full-width comma, " (" or a full-width parenthesis, and for "list" ", " or the
    Chinese enumeration comma."""
    marks = FULL_WIDTH_MARKS if is_chinese(language) else LATIN_MARKS
    return marks[symbol]


def quoted(text, language: str | None = None) -> str:
    opening, closing = QUOTES.get(_base(language), ENGLISH_QUOTES)
    return f"{opening}{text}{closing}"


def parenthetical(text, language: str | None = None) -> str:
    """ " (text)" after a word, or the text in full-width parentheses in Chinese."""
    return f"{mark('(', language)}{text}{mark(')', language)}"


def join_list(items, language: str | None = None) -> str:
    """ "Monday, Tuesday", or in Chinese the days joined by the enumeration comma."""
    return mark("list", language).join(str(item) for item in items)


def tighten(html: str, language: str | None = None) -> str:
    """Chinese HTML without the spaces that joining pieces left around full-width punctuation
    (a full-width colon, a space and `<strong>` become the colon and `<strong>`); other
    languages unchanged."""
    if not is_chinese(language):
        return html
    for pattern, replacement in _TIGHTEN:
        html = pattern.sub(replacement, html)
    return html


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"{}"'.format(escaped.replace("\n", "\\a "))


def page_counter_css() -> str:
    """The footer's "Page 3 of 9" as a CSS `content` value in the active language:
    `"Seite " counter(page) " von " counter(pages)`."""
    pattern = gettext("Page %(page)s of %(pages)s")
    parts = []
    for index, piece in enumerate(_PLACEHOLDER.split(pattern)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)
