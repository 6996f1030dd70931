"""Matching the rows of two snapshots by natural key, and what changed in each."""

from collections import Counter

from django.utils.translation import gettext as _

from ...authoring.sections import ROW_KINDS
from .results import ADDED, CHANGED, CHOICE, EMPTY, REMOVED, RowChange, RowKindDiff
from .values import _display, _field_changes, _field_order, _kind_of, _model_field


def _text_key(value) -> str:
    return " ".join(str(value or "").split()).casefold()


def _email(person) -> str:
    return _text_key((person or {}).get("email"))


ROW_KEYS = {
    "signatories": lambda row: _email(row.get("user")),
    "definitions": lambda row: (
        ("key", row["key"]) if row.get("key") else ("term", _text_key(row.get("term")))
    ),
    "stages": lambda row: _text_key(row.get("name")),
    "criteria": lambda row: (row.get("axis"), _text_key(row.get("criterion"))),
    "triggers": lambda row: _text_key(row.get("trigger")),
    "reasons": lambda row: (row.get("kind"), _text_key(row.get("code"))),
    "tracks": lambda row: _text_key(row.get("name")),
    "steps": lambda row: (row.get("day"), row.get("channel")),
    "kpis": lambda row: (
        ("stage", row["funnel_stage"])
        if row.get("funnel_stage")
        else ("name", _text_key(row.get("name")))
    ),
    "commitments": lambda row: (row.get("team"), _text_key(row.get("commitment"))),
    "meetings": lambda row: _text_key(row.get("name")),
    "streams": lambda row: _text_key(row.get("name")),
    "sources": lambda row: _text_key(row.get("name")),
}


def _keys(kind_key: str, rows: list[dict]) -> list:
    """Each row's natural key with its occurrence number, so duplicate keys pair up in order."""
    key_of = ROW_KEYS.get(kind_key)
    seen = Counter()
    keys = []
    for position, row in enumerate(rows):
        key = key_of(row) if key_of else ("position", position)
        keys.append((key, seen[key]))
        seen[key] += 1
    return keys


def match_rows(kind_key: str, old: list[dict], new: list[dict]) -> list[tuple]:
    """(old position, new position) pairs; None on one side for a removed or added row."""
    new_by_key = {key: j for j, key in enumerate(_keys(kind_key, new))}
    pairs, unmatched_old = [], []
    for i, key in enumerate(_keys(kind_key, old)):
        j = new_by_key.pop(key, None)
        if j is None:
            unmatched_old.append(i)
        else:
            pairs.append((i, j))
    unmatched_new = set(new_by_key.values())
    for i in unmatched_old:
        if i in unmatched_new:  # same place, key changed in place
            unmatched_new.remove(i)
            pairs.append((i, i))
        else:
            pairs.append((i, None))
    pairs += [(None, j) for j in sorted(unmatched_new)]
    return pairs


# The field that names a row; the kind's first column when not listed.
LABEL_FIELDS = {"criteria": "criterion", "reasons": "code", "commitments": "commitment"}


def _row_label(kind_key: str, row: dict) -> str:
    kind = ROW_KINDS[kind_key]
    if kind_key == "steps":
        channel = _display(_model_field(kind.model, "channel"), CHOICE, row.get("channel"))
        return _("Day %(day)s: %(channel)s") % {"day": row.get("day"), "channel": channel}
    name = LABEL_FIELDS.get(kind_key, kind.columns[0])
    field = _model_field(kind.model, name)
    return _display(field, _kind_of(field), row.get(name))


def _row_values(model, row: dict) -> tuple[tuple[str, str], ...]:
    values = []
    for name in _field_order(model, row):
        field = _model_field(model, name)
        if field is None or not field.editable:
            continue
        shown = _display(field, _kind_of(field), row[name])
        if shown != EMPTY:
            values.append((str(field.verbose_name), shown))
    return tuple(values)


def _diff_rows(kind_key: str, old: list[dict], new: list[dict]) -> RowKindDiff:
    kind = ROW_KINDS[kind_key]
    changes = []
    for i, j in match_rows(kind_key, old, new):
        if j is None:
            label, values = _row_label(kind_key, old[i]), _row_values(kind.model, old[i])
            change = RowChange(REMOVED, label, label, i, None, values=values)
        elif i is None:
            label, values = _row_label(kind_key, new[j]), _row_values(kind.model, new[j])
            change = RowChange(ADDED, label, label, None, j, values=values)
        else:
            names = _field_order(kind.model, set(old[i]) | set(new[j]))
            fields = _field_changes(kind.model, names, old[i], new[j])
            if not fields:
                continue
            change = RowChange(
                CHANGED,
                _row_label(kind_key, new[j]),
                _row_label(kind_key, old[i]),
                i,
                j,
                fields=fields,
            )
        changes.append(change)
    # Rows as they stand now; a removed row where it was, before whatever now holds its place.
    changes.sort(
        key=lambda c: (c.new_position, 1) if c.new_position is not None else (c.old_position, 0)
    )
    return RowKindDiff(kind_key, str(kind.title), tuple(changes))


# --- funnel -----------------------------------------------------------------------------------
