"""What changed between two snapshots of an agreement, section by section.

A pure function over the JSON that `snapshot.build_snapshot` freezes: no database access, so it
serves the compare page (version against version, or a version against the live draft) and any
appendix that lists the changes. Labels and choices come from the models and the section
registry; values are shown as people read them (choice labels, names, "23%", "1,200,000").

Rows carry no ids in a snapshot, so rows are matched by a natural key per kind (`ROW_KEYS`):

1. Rows with the same natural key are the same row. Keys compare case- and
   whitespace-insensitively; when several rows share a key, the n-th occurrence in the old list
   matches the n-th in the new one.
2. A row left unmatched in both lists at the same position is the same row whose key changed
   in place (a renamed stage, say) and counts as changed.
3. Whatever is still unmatched was removed (old side) or added (new side).

Moving a row without changing it is not a change.
"""

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from difflib import SequenceMatcher

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from funnel.presentation import FUNNEL_ORDER, STAGE_LABELS

from . import rates
from .models import Agreement
from .sections import ROW_KINDS, SECTIONS

EMPTY = "—"
FUNNEL_SECTION = "kpis"  # the section whose rows drive the funnel targets
SHORT_TEXT = 40  # texts up to this length are quoted in full in summary lines

# What a FieldChange holds.
TEXT, NUMBER, PERSON, CHOICE, DATE, VALUE = "text", "number", "person", "choice", "date", "value"

Segment = tuple[str, str]  # (op, text) with op in "equal", "insert", "delete"


# --- results ----------------------------------------------------------------------------------


def _percent_display(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    sign = "-" if percent < 0 else "+"
    return f"{sign}{number_format(abs(percent), 1, force_grouping=True)}%"


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; `old` and `new` as displayed."""

    name: str
    label: str
    kind: str  # TEXT, NUMBER, PERSON, CHOICE, DATE or VALUE
    old: str
    new: str
    segments: tuple[Segment, ...] = ()  # TEXT only: the word-level diff
    percent: Decimal | None = None  # NUMBER only: the change, None when old is 0 or missing

    @property
    def old_segments(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s[0] != "insert")

    @property
    def new_segments(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s[0] != "delete")

    @property
    def percent_display(self) -> str:
        return _percent_display(self.percent)

    def summary(self) -> str:
        if self.kind == TEXT:
            short = all(len(v) <= SHORT_TEXT and "\n" not in v for v in (self.old, self.new))
            if not short:
                return _("%(label)s changed") % {"label": self.label}
            old, new = (f"“{v}”" if v != EMPTY else v for v in (self.old, self.new))
        else:
            old, new = self.old, self.new
        line = f"{self.label} {old} -> {new}"
        return f"{line} ({self.percent_display})" if self.percent is not None else line


ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class RowChange:
    status: str  # ADDED, REMOVED or CHANGED
    label: str  # the row as people name it (the new row's label unless removed)
    old_label: str
    old_position: int | None
    new_position: int | None
    fields: tuple[FieldChange, ...] = ()  # CHANGED: the fields that differ
    values: tuple[tuple[str, str], ...] = ()  # ADDED/REMOVED: (label, value) of its filled fields


def _count_phrase(counts: dict[str, int]) -> str:
    words = {ADDED: _("added"), REMOVED: _("removed"), CHANGED: _("changed")}
    return ", ".join(f"{n} {words[status]}" for status, n in counts.items() if n)


@dataclass(frozen=True)
class RowKindDiff:
    key: str
    title: str
    changes: tuple[RowChange, ...]  # in display order: by new position, removed rows in place

    def _with(self, status):
        return tuple(change for change in self.changes if change.status == status)

    @property
    def added(self) -> tuple[RowChange, ...]:
        return self._with(ADDED)

    @property
    def removed(self) -> tuple[RowChange, ...]:
        return self._with(REMOVED)

    @property
    def changed(self) -> tuple[RowChange, ...]:
        return self._with(CHANGED)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self._with(s)) for s in (ADDED, REMOVED, CHANGED)}

    def summary(self) -> str:
        return _count_phrase(self.counts)


@dataclass(frozen=True)
class StageChange:
    key: str  # "leads", "mqls", ...
    label: str
    old: int | None
    new: int | None
    percent: Decimal | None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def old_display(self) -> str:
        return _number_display(self.old)

    @property
    def new_display(self) -> str:
        return _number_display(self.new)

    @property
    def percent_display(self) -> str:
        return _percent_display(self.percent)


@dataclass(frozen=True)
class FunnelDiff:
    """The funnel targets (term totals per stage) before and after, top of the funnel first."""

    stages: tuple[StageChange, ...]
    old_months: int | None
    new_months: int | None
    old_computed: bool
    new_computed: bool

    @property
    def changed_stages(self) -> tuple[StageChange, ...]:
        return tuple(stage for stage in self.stages if stage.changed)

    @property
    def months_changed(self) -> bool:
        return self.old_months != self.new_months

    @property
    def change_count(self) -> int:
        computed = self.old_computed != self.new_computed
        return len(self.changed_stages) + (self.months_changed or computed)

    @property
    def is_empty(self) -> bool:
        return self.change_count == 0

    def summary(self) -> str:
        if self.old_computed != self.new_computed:
            return _("now computed") if self.new_computed else _("no longer computed")
        parts = [
            f"{stage.label} {stage.old_display} -> {stage.new_display}"
            + (f" ({stage.percent_display})" if stage.percent is not None else "")
            for stage in self.changed_stages
        ]
        if self.months_changed:
            parts.append(
                _("term %(old)s -> %(new)s months")
                % {"old": self.old_months or EMPTY, "new": self.new_months or EMPTY}
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class SectionDiff:
    number: int
    key: str
    title: str
    fields: tuple[FieldChange, ...]
    rows: tuple[RowKindDiff, ...]  # every row kind of the section, changed or not
    funnel: FunnelDiff | None = None  # on the funnel targets section only

    @property
    def changed_rows(self) -> tuple[RowKindDiff, ...]:
        return tuple(kind for kind in self.rows if not kind.is_empty)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"fields": len(self.fields), ADDED: 0, REMOVED: 0, CHANGED: 0}
        for kind in self.rows:
            for status, n in kind.counts.items():
                counts[status] += n
        counts["funnel"] = self.funnel.change_count if self.funnel else 0
        return counts

    @property
    def change_count(self) -> int:
        return sum(self.counts.values())

    @property
    def is_empty(self) -> bool:
        return self.change_count == 0

    def summary_lines(self) -> list[str]:
        lines = []
        if self.fields:
            changes = "; ".join(change.summary() for change in self.fields)
            lines.append(f"{self.number}. {self.title}: {changes}")
        lines += [f"{self.number}. {kind.title}: {kind.summary()}" for kind in self.changed_rows]
        if self.funnel and not self.funnel.is_empty:
            lines.append(f"{self.number}. {_('Funnel targets')}: {self.funnel.summary()}")
        return lines


@dataclass(frozen=True)
class SnapshotDiff:
    sections: tuple[SectionDiff, ...]  # all thirteen, in order
    funnel: FunnelDiff

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)

    @property
    def counts(self) -> dict[str, int]:
        """Number of changes per section key."""
        return {section.key: section.change_count for section in self.sections}

    @property
    def changed_sections(self) -> tuple[SectionDiff, ...]:
        return tuple(section for section in self.sections if not section.is_empty)

    @property
    def unchanged_sections(self) -> tuple[SectionDiff, ...]:
        return tuple(section for section in self.sections if section.is_empty)

    def summary_lines(self) -> list[str]:
        """Short plain-English lines, e.g. "9. KPIs: 1 added, 2 changed"."""
        return [line for section in self.sections for line in section.summary_lines()]


# --- values -----------------------------------------------------------------------------------


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


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _number_display(value) -> str:
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    places = 0 if number == number.to_integral_value() else None
    return number_format(number, places, force_grouping=True)


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
            return rates.display(_decimal(value))
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


def _term_months(funnel: dict | None) -> int | None:
    if not funnel:
        return None
    if funnel.get("term_months"):
        return int(funnel["term_months"])
    return sum(1 for month in funnel.get("months", []) if not month.get("lead_in")) or None


def diff_funnel(old: dict | None, new: dict | None) -> FunnelDiff:
    old_stages = (old or {}).get("stages") or {}
    new_stages = (new or {}).get("stages") or {}
    stages = tuple(
        StageChange(
            key=stage,
            label=str(STAGE_LABELS[stage]),
            old=old_stages.get(stage),
            new=new_stages.get(stage),
            percent=percent_change(old_stages.get(stage), new_stages.get(stage)),
        )
        for stage in FUNNEL_ORDER
    )
    return FunnelDiff(
        stages=stages,
        old_months=_term_months(old),
        new_months=_term_months(new),
        old_computed=bool(old),
        new_computed=bool(new),
    )


# --- the whole snapshot -----------------------------------------------------------------------


def diff_snapshots(old: dict, new: dict) -> SnapshotDiff:
    """What changed from snapshot `old` to snapshot `new`, per section in SECTIONS order."""
    old_agreement, new_agreement = old.get("agreement", {}), new.get("agreement", {})
    old_rows, new_rows = old.get("rows", {}), new.get("rows", {})
    funnel = diff_funnel(old.get("funnel"), new.get("funnel"))
    sections = []
    for section in SECTIONS:
        sections.append(
            SectionDiff(
                number=section.number,
                key=section.key,
                title=str(section.title),
                fields=_field_changes(Agreement, section.fields, old_agreement, new_agreement),
                rows=tuple(
                    _diff_rows(key, old_rows.get(key) or [], new_rows.get(key) or [])
                    for key in section.row_kinds
                ),
                funnel=funnel if section.key == FUNNEL_SECTION else None,
            )
        )
    return SnapshotDiff(sections=tuple(sections), funnel=funnel)
