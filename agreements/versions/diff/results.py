"""What a diff finds: field, row, funnel and section changes, and how each reads."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from slaportal.l10n import format_number, format_percent

from ...typography import mark, parenthetical, quoted

EMPTY = "—"
FUNNEL_SECTION = "kpis"  # the section whose rows drive the funnel targets
SHORT_TEXT = 40  # texts up to this length are quoted in full in summary lines

# What a FieldChange holds.
TEXT, NUMBER, PERSON, CHOICE, DATE, VALUE = "text", "number", "person", "choice", "date", "value"

Segment = tuple[str, str]  # (op, text) with op in "equal", "insert", "delete"


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
    return format_number(number, places)


# --- results ----------------------------------------------------------------------------------


def _percent_display(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    sign = "-" if percent < 0 else "+"
    return sign + format_percent(abs(percent) / 100, 1)


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
            old, new = (quoted(v) if v != EMPTY else v for v in (self.old, self.new))
        else:
            old, new = self.old, self.new
        line = f"{self.label} {old} -> {new}"
        return line + parenthetical(self.percent_display) if self.percent is not None else line


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
            + (parenthetical(stage.percent_display) if stage.percent is not None else "")
            for stage in self.changed_stages
        ]
        if self.months_changed:
            parts.append(
                _("term %(old)s -> %(new)s months")
                % {"old": self.old_months or EMPTY, "new": self.new_months or EMPTY}
            )
        return mark(";").join(parts)


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
