"""Field values as people read them, compared: numbers with their percent change, words."""

import re
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format

from ...authoring import rates
from .results import (
    CHOICE,
    DATE,
    EMPTY,
    NUMBER,
    PERSON,
    TEXT,
    VALUE,
    FieldChange,
    Segment,
    _decimal,
    _number_display,
)


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field the snapshot has and the model no longer has
        return None


def _kind_of(field) -> str:
    if field is None:
        return VALUE
    if field.is_relation:
        return PERSON if field.related_model is get_user_model() else VALUE
    if field.choices:
        return CHOICE
    if isinstance(field, models.DecimalField | models.IntegerField):
        return NUMBER
    if isinstance(field, models.DateField):
        return DATE
    if isinstance(field, models.CharField | models.TextField):
        return TEXT
    return VALUE


def _is_rate(field) -> bool:
    return isinstance(field, models.DecimalField) and field.decimal_places == 8


def _display(field, kind: str, value) -> str:
    if value is None or value == "":
        return EMPTY
    if kind == PERSON:
        if isinstance(value, dict):
            return value.get("name") or value.get("email") or EMPTY
        return str(value)
    if kind == CHOICE:
        return str(dict(field.flatchoices).get(value, value))
    if kind == NUMBER:
        if _is_rate(field) and _decimal(value) is not None:
            return rates.shown(_decimal(value))
        return _number_display(value)
    if kind == DATE:
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    return str(value)


def _comparable(kind: str, value):
    if kind == PERSON:
        email = value.get("email") if isinstance(value, dict) else value
        return (email or "").casefold() or None
    if kind == NUMBER:
        number = _decimal(value)
        return number if number is not None else value or None
    return None if value == "" else value


def percent_change(old, new) -> Decimal | None:
    """(new - old) / |old| in percent, one decimal; None when old is 0 or either is missing."""
    old, new = _decimal(old), _decimal(new)
    if old is None or new is None or old == 0:
        return None
    return ((new - old) / abs(old) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_TOKENS = re.compile(r"\S+|\s+")


def word_segments(old: str, new: str) -> tuple[Segment, ...]:
    """A word-level diff: joining the equal and delete segments gives `old`, the equal and
    insert segments give `new`. Words replaced in a run ("a b" -> "c d") stay one change."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    blocks = []  # ["equal", text] or ["change", deleted, inserted]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            blocks.append(["equal", old_text])
        elif (
            len(blocks) >= 2
            and blocks[-1][0] == "equal"
            and not blocks[-1][1].strip()
            and blocks[-2][0] == "change"
            and all((blocks[-2][1], blocks[-2][2], old_text, new_text))
        ):  # two replacements split only by a space: one replacement
            space = blocks.pop()[1]
            blocks[-1][1] += space + old_text
            blocks[-1][2] += space + new_text
        else:
            blocks.append(["change", old_text, new_text])
    segments = []
    for block in blocks:
        if block[0] == "equal":
            segments.append(("equal", block[1]))
            continue
        if block[1]:
            segments.append(("delete", block[1]))
        if block[2]:
            segments.append(("insert", block[2]))
    return tuple(segments)


def _field_change(model, name: str, old, new) -> FieldChange | None:
    field = _model_field(model, name)
    kind = _kind_of(field)
    if _comparable(kind, old) == _comparable(kind, new):
        return None
    label = str(field.verbose_name) if field is not None else name.replace("_", " ")
    change = FieldChange(
        name=name,
        label=label,
        kind=kind,
        old=_display(field, kind, old),
        new=_display(field, kind, new),
    )
    if kind == TEXT:
        return replace(change, segments=word_segments(old or "", new or ""))
    if kind == NUMBER:
        return replace(change, percent=percent_change(old, new))
    if kind == PERSON and change.old == change.new:  # two people of the same name
        old_email, new_email = ((v or {}).get("email", "") for v in (old, new))
        return replace(change, old=f"{change.old} <{old_email}>", new=f"{change.new} <{new_email}>")
    return change


def _field_order(model, names) -> list[str]:
    order = {f.name: i for i, f in enumerate(model._meta.fields)}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def _field_changes(model, names, old: dict, new: dict) -> tuple[FieldChange, ...]:
    changes = (_field_change(model, name, old.get(name), new.get(name)) for name in names)
    return tuple(change for change in changes if change is not None)


# --- rows -------------------------------------------------------------------------------------
