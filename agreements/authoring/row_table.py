"""The editor's row lists as tables: a header per column named after the field, with its unit,
and every value as people read it in the active language (choice labels, "8.000", "30 %").

Pure functions of the rows already loaded: the columns are worked out once per list (headers,
choice labels, how to show each value), never a query per row.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from slaportal.l10n import format_money, format_number, format_percent

from ..models import KpiUnit
from ..typography import parenthetical
from . import rates

# Amounts of money in the agreement's currency: the header names the currency, the cells the
# amounts alone.
MONEY_FIELDS = {"average_deal_size", "cost_per_lead"}
# Percentages stored in points (95 for 95%).
PERCENT_POINT_FIELDS = {("commitment", "share")}
EMPTY = "—"

# How a column's values are shown (Column.shows).
CHOICE, RATE, PERCENT_POINTS, MONEY, KPI_TARGET, NUMBER, TEXT = (
    "choice",
    "rate",
    "percent points",
    "money",
    "kpi target",
    "number",
    "text",
)


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    shows: str = TEXT
    # A choice field's labels by value, looked up once per list (get_FOO_display translates
    # every label of the field on each call).
    labels: dict = field(default_factory=dict)

    @property
    def numeric(self) -> bool:  # right-aligned, kept on one line
        return self.shows in (RATE, PERCENT_POINTS, MONEY, KPI_TARGET, NUMBER)


def _shows(model, model_field) -> str:
    if model_field.choices:
        return CHOICE
    if getattr(model_field, "decimal_places", None) == 8:  # a conversion rate or share
        return RATE
    if (model._meta.model_name, model_field.name) in PERCENT_POINT_FIELDS:
        return PERCENT_POINTS
    if model_field.name in MONEY_FIELDS:
        return MONEY
    if model._meta.model_name == "kpi" and model_field.name == "target":
        return KPI_TARGET
    if isinstance(model_field, models.DecimalField | models.IntegerField):
        return NUMBER
    return TEXT


def columns_for(kind, currency: str) -> list[Column]:
    """The table columns of a kind of row, headers in the active language."""
    columns = []
    for name in kind.columns:
        model_field = kind.model._meta.get_field(name)
        header = capfirst(str(model_field.verbose_name))
        shows = _shows(kind.model, model_field)
        if shows == MONEY and currency:
            header += parenthetical(currency)
        labels = {value: str(label) for value, label in model_field.flatchoices}
        columns.append(Column(name, header, shows, labels))
    return columns


def money_amount(value: Decimal) -> str:
    """An amount without its currency, cents only when there are any (as format_money)."""
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def kpi_target(kpi, currency: str) -> str:
    """A KPI's target in its unit: "35 %", "€600,000", "24"."""
    if kpi.target is None:
        return EMPTY
    if kpi.unit == KpiUnit.PERCENT:
        return format_percent(kpi.target / 100)
    if kpi.unit == KpiUnit.CURRENCY and currency:
        return format_money(kpi.target, currency)
    return format_number(kpi.target)


def cell_text(row, column: Column, currency: str) -> str:
    """One value of a row as the table shows it."""
    value = getattr(row, column.name)
    if value is None or value == "":
        return EMPTY
    if column.shows == CHOICE:
        return column.labels.get(value, str(value))
    if column.shows == RATE:
        return rates.shown(value)
    if column.shows == PERCENT_POINTS:
        return format_percent(value / 100)
    if column.shows == MONEY:
        return money_amount(value)
    if column.shows == KPI_TARGET:
        return kpi_target(row, currency)
    if column.shows == NUMBER:
        return format_number(value)
    return value.display_name if hasattr(value, "display_name") else str(value)


def row_cells_html(row, columns: list[Column], currency: str) -> SafeString:
    """A row's cells as table HTML: the first (its name) heads the row; each cell carries its
    column's header for the stacked layout on phones. Built here rather than cell by cell in
    the template, which costs more than the values themselves on every funnel page."""
    first, *others = columns
    head = format_html(
        '<th scope="row" class="fw-semibold" data-label="{}">{}</th>',
        first.header,
        linebreaksbr(cell_text(row, first, currency)),
    )
    return head + format_html_join(
        "",
        '<td data-label="{}"{}>{}</td>',
        (
            (
                column.header,
                SafeString(' class="text-end text-nowrap"') if column.numeric else "",
                linebreaksbr(cell_text(row, column, currency)),
            )
            for column in others
        ),
    )
