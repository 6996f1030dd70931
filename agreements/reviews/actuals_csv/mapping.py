"""Which columns hold the month, the metric and the value, as mapped or guessed from names."""

# ruff: noqa: RUF001 -- Turkish names are spelt with the dotless i (U+0131) on purpose.

import re
from dataclasses import dataclass, field

from .reading import CsvTable
from .values import fold

_PUNCTUATION = re.compile(r"[-_/.:()\[\]]+")


def normalized(name: str) -> str:
    """ "Closed-Won" -> "closed won", "Abschlüsse" -> "abschlusse"."""
    return fold(_PUNCTUATION.sub(" ", name))


def _names(*languages: str) -> frozenset[str]:
    return frozenset(normalized(name) for names in languages for name in names.split(","))


# Header names people's CRMs use, per language (en, de, it, tr, zh-hans).
DATE_NAMES = _names(
    "date, month, period, reporting month",
    "monat, datum, zeitraum",
    "mese, data, periodo",
    "ay, tarih, dönem",
    "月份, 月, 日期, 期间",
)
METRIC_NAMES = _names(
    "metric, kpi, stage, funnel stage, measure",
    "kennzahl, metrik, stufe, phase",
    "metrica, indicatore, fase",
    "gösterge, aşama",
    "指标, 阶段",
)
VALUE_NAMES = _names(
    "value, actual, actuals, count, amount, total",
    "wert, anzahl, ist, istwert",
    "valore, totale, conteggio",
    "değer, sayı, adet",
    "数值, 值, 实际, 数量",
)
FUNNEL_SYNONYMS = {
    "leads": _names("leads, lead, new leads", "neue leads", "线索"),
    "mqls": _names("mqls, mql, marketing qualified leads, marketing qualified lead"),
    "sqls": _names("sqls, sql, sales qualified leads, sales qualified lead"),
    "opportunities": _names(
        "opportunities, opportunity, opps, opp, deals created",
        "verkaufschancen, chancen",
        "opportunità",
        "fırsatlar",
        "商机",
    ),
    "deals": _names(
        "deals, deal, won, deals won, won deals, closed won",
        "abschlüsse, gewonnene deals, aufträge",
        "contratti vinti",
        "kazanılan",
        "成交",
    ),
}


@dataclass(frozen=True)
class ColumnMapping:
    """LONG form: one row per month and metric (Month;Metric;Value).
    WIDE form: one row per month, one column per metric (Month,Leads,MQLs,...).
    Build one with ColumnMapping.long(...) or ColumnMapping.wide(...).
    """

    date_column: str
    metric_column: str | None = None
    value_column: str | None = None
    value_columns: dict[str, str] = field(default_factory=dict)  # metric key -> column name

    def __post_init__(self):
        long_form = self.metric_column is not None and self.value_column is not None
        half_long = (self.metric_column is None) != (self.value_column is None)
        if half_long or long_form == bool(self.value_columns):
            raise ValueError(
                "A mapping names either metric_column and value_column, or value_columns."
            )

    @classmethod
    def long(cls, date_column: str, metric_column: str, value_column: str) -> "ColumnMapping":
        return cls(date_column, metric_column=metric_column, value_column=value_column)

    @classmethod
    def wide(cls, date_column: str, value_columns: dict[str, str]) -> "ColumnMapping":
        return cls(date_column, value_columns=dict(value_columns))

    @property
    def is_long(self) -> bool:
        return self.metric_column is not None


def metric_names(key: str, label: str) -> set[str]:
    """Every name a column or a metric cell may give this metric, normalized."""
    return {normalized(key), normalized(label), *FUNNEL_SYNONYMS.get(key, ())}


def metric_lookup(metrics: dict[str, str]) -> dict[str, str]:
    """Normalized name -> metric key. Keys and labels win over synonyms when they collide."""
    lookup = {name: key for key in metrics for name in FUNNEL_SYNONYMS.get(key, ())}
    for key, label in metrics.items():
        lookup[normalized(key)] = lookup[normalized(label)] = key
    return lookup


def guess_mapping(table: CsvTable, metrics: dict[str, str]) -> ColumnMapping | None:
    """A mapping from header names alone, for the user to confirm; None without a date column.

    LONG form when there are both a metric and a value column, else WIDE form with every metric
    whose label, key or common synonym names a column.
    """
    names = [normalized(header) for header in table.headers]
    date_index = _first(names, lambda name: name in DATE_NAMES)
    if date_index is None:  # "Report month", "Close date"
        date_index = _first(names, lambda name: bool(DATE_NAMES & set(name.split())))
    if date_index is None:
        return None
    others = [i for i in range(len(names)) if i != date_index]
    metric_index = _first(names, lambda name: name in METRIC_NAMES, among=others)
    value_index = _first(names, lambda name: name in VALUE_NAMES, among=others)
    if metric_index is not None and value_index is not None:
        headers = table.headers
        return ColumnMapping.long(headers[date_index], headers[metric_index], headers[value_index])
    value_columns = {}
    for key, label in metrics.items():
        wanted = metric_names(key, label)
        found = next((i for i in others if names[i] in wanted), None)
        if found is not None:
            value_columns[key] = table.headers[found]
            others.remove(found)
    return ColumnMapping.wide(table.headers[date_index], value_columns) if value_columns else None


def _first(names, matches, among=None) -> int | None:
    indexes = range(len(names)) if among is None else among
    return next((i for i in indexes if matches(names[i])), None)
