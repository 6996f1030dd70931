"""From a table and a column mapping to checked monthly actuals, every bad row listed."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from ..judging import actual_value_problem
from .mapping import ColumnMapping, metric_lookup, normalized
from .reading import CsvImportError, CsvTable
from .values import CellError, column_language, mixed_format_message, parse_month, parse_number

_NAMES_SHOWN = 5  # accepted metric names listed when a row names an unknown one


@dataclass(frozen=True)
class ActualValue:
    month: date  # the first of the month
    metric: str  # the metric key
    value: Decimal  # the number as shown: 23 for "23%"
    is_percent: bool
    line: int


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None  # the header of the cell at fault, None for the whole line
    message: str


@dataclass(frozen=True)
class ImportPreview:
    values: list[ActualValue]
    errors: list[RowError]
    encoding: str
    separator: str

    @property
    def is_clean(self) -> bool:
        return not self.errors


def import_actuals(
    table: CsvTable,
    mapping: ColumnMapping,
    *,
    metrics: dict[str, str],
    locale: str = "en",
    period_start: date | None = None,
    period_end: date | None = None,
) -> ImportPreview:
    """Read every row; nothing is stored. `metrics` maps metric key -> label."""
    reader = _RowReader(table, mapping, metrics, locale, _first_day(period_start), period_end)
    for cells, line in zip(table.rows, table.line_numbers, strict=True):
        reader.read(cells, line)
    return ImportPreview(reader.values, reader.errors, table.encoding, table.separator)


def _first_day(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


@dataclass
class _RowReader:
    table: CsvTable
    mapping: ColumnMapping
    metrics: dict[str, str]
    locale: str
    period_start: date | None
    period_end: date | None
    values: list[ActualValue] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    seen: dict[tuple[date, str | None], int] = field(default_factory=dict)  # -> line

    def __post_init__(self):
        self.date_index = self._index(self.mapping.date_column)
        if self.mapping.is_long:
            self.metric_index = self._index(self.mapping.metric_column)
            self.value_index = self._index(self.mapping.value_column)
            self.lookup = metric_lookup(self.metrics)
        else:
            if unknown := set(self.mapping.value_columns) - set(self.metrics):
                raise ValueError(f"Mapped metrics not in this agreement: {sorted(unknown)}")
            self.value_indexes = {
                key: self._index(column) for key, column in self.mapping.value_columns.items()
            }
        # Each column of numbers is read one way, decided from all of its cells.
        indexes = [self.value_index] if self.mapping.is_long else self.value_indexes.values()
        self.column_languages = {
            index: column_language((_cell(cells, index) for cells in self.table.rows), self.locale)
            for index in indexes
        }

    def _index(self, column: str) -> int:
        if column not in self.table.headers:
            raise CsvImportError(_("The file has no column “%(column)s”.") % {"column": column})
        return self.table.headers.index(column)

    def read(self, cells: list[str], line: int) -> None:
        width = len(self.table.headers)
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            message = _(
                "This line has %(found)s fields but the header has %(expected)s. "
                "Put numbers that contain the separator in quotes."
            ) % {"found": len(cells), "expected": width}
            self.errors.append(RowError(line, None, message))
            return
        month = self._month(cells, line)
        if self.mapping.is_long:
            self._read_long(cells, line, month)
        else:
            self._read_wide(cells, line, month)

    def _read_long(self, cells: list[str], line: int, month: date | None) -> None:
        metric = self._metric(cells, line)
        value = self._value(cells, line, self.value_index)
        if month is None or metric is None or value is None:
            return
        if earlier := self.seen.get((month, metric)):
            message = _("“%(metric)s” for %(month)s already appears on line %(line)s.") % {
                "metric": self.metrics[metric],
                "month": f"{month:%Y-%m}",
                "line": earlier,
            }
            self._error(line, self.metric_index, message)
            return
        self.seen[month, metric] = line
        self.values.append(ActualValue(month, metric, *value, line))

    def _read_wide(self, cells: list[str], line: int, month: date | None) -> None:
        values = {key: self._value(cells, line, i) for key, i in self.value_indexes.items()}
        if month is None:
            return
        if earlier := self.seen.get((month, None)):
            message = _("%(month)s already appears on line %(line)s.") % {
                "month": f"{month:%Y-%m}",
                "line": earlier,
            }
            self._error(line, self.date_index, message)
            return
        self.seen[month, None] = line
        for key, value in values.items():
            if value is not None:
                self.values.append(ActualValue(month, key, *value, line))

    def _month(self, cells: list[str], line: int) -> date | None:
        try:
            month = parse_month(_cell(cells, self.date_index), self.locale)
        except CellError as error:
            self._error(line, self.date_index, error.message)
            return None
        if message := self._outside_period(month):
            self._error(line, self.date_index, message)
            return None
        return month

    def _outside_period(self, month: date) -> str | None:
        start, end = self.period_start, self.period_end
        if (start is None or month >= start) and (end is None or month <= end):
            return None
        shown = {
            "month": f"{month:%Y-%m}",
            "start": start and format_date(start, "M Y"),
            "end": end and format_date(end, "M Y"),
        }
        if start and end:
            return _("%(month)s is outside the review period %(start)s – %(end)s.") % shown  # noqa: RUF001
        if start:
            return _("%(month)s is before the review period, which starts in %(start)s.") % shown
        return _("%(month)s is after the review period, which ends in %(end)s.") % shown

    def _metric(self, cells: list[str], line: int) -> str | None:
        name = _cell(cells, self.metric_index).strip()
        if not name:
            self._error(line, self.metric_index, _("No metric."))
            return None
        if key := self.lookup.get(normalized(name)):
            return key
        labels = list(self.metrics.values())
        accepted = ", ".join(labels[:_NAMES_SHOWN]) + (", …" if len(labels) > _NAMES_SHOWN else "")
        message = _("“%(name)s” is not one of this agreement's KPIs. Use one of: %(accepted)s.")
        self._error(line, self.metric_index, message % {"name": name, "accepted": accepted})
        return None

    def _value(self, cells: list[str], line: int, index: int) -> tuple[Decimal, bool] | None:
        language = self.column_languages[index]
        try:
            parsed = parse_number(_cell(cells, index), language)
        except CellError as error:
            mixed = mixed_format_message(_cell(cells, index), language)
            self._error(line, index, mixed or error.message)
            return None
        problem = actual_value_problem(parsed[0])  # the same bounds as a typed figure
        if problem:
            self._error(line, index, problem)
            return None
        return parsed

    def _error(self, line: int, index: int, message: str) -> None:
        self.errors.append(RowError(line, self.table.headers[index], message))


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""
