"""How the editor's form fields present themselves: a character count instead of the browser's
silent cut, room in the row forms' grid, Bootstrap's classes for row fields (they render without
crispy-forms, see _row_fields.html) and the currency beside an amount's label."""

from django import forms

from ..typography import parenthetical
from .row_table import MONEY_FIELDS


def count_characters_instead_of_cutting(form) -> None:
    """Fields with a maximum length lose the maxlength attribute and carry data-maxlength.

    A browser enforces maxlength by cutting a paste short without a word, so a long text was
    saved truncated while the page said "saved". Without it the whole text reaches the server,
    which refuses it next to the field and gives it back to fix; editor.js shows a character
    counter from data-maxlength that turns red as soon as the text is too long."""
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if limit and not field.widget.is_hidden:
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs["data-maxlength"] = limit


# How much room a row field takes in the editor's form grid (see _row_fields.html): long texts
# a whole line, names and short sentences two columns where there is room, the rest one.
LONG_TEXT = 200
NAME_LENGTH = 100


def grid_span(field) -> str:
    length = getattr(field, "max_length", None) or 0
    if isinstance(field.widget, forms.Textarea) or length >= LONG_TEXT:
        return "all"
    return "wide" if length >= NAME_LENGTH else ""


def present_row_fields(form, currency: str) -> None:
    """Everything a row form's fields need to render in the editor's grid."""
    count_characters_instead_of_cutting(form)
    unit = parenthetical(currency) if currency else ""
    for name, field in form.fields.items():
        field.grid_span = grid_span(field)
        if not field.widget.is_hidden:
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")
        if name in MONEY_FIELDS:  # "Average deal size (EUR)"
            field.label = f"{field.label}{unit}"


def mark_invalid_fields(form) -> None:
    """Bootstrap's is-invalid on each field with an error (after validation)."""
    for name in form.errors:
        widget = form.fields[name].widget if name in form.fields else None
        if widget is not None and not widget.is_hidden:
            classes = widget.attrs.get("class", "").split()
            widget.attrs["class"] = " ".join(dict.fromkeys([*classes, "is-invalid"]))
