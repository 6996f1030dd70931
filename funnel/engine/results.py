"""What the calculator returns: frozen dataclasses with exact values, and ``to_dict()`` for JSON.

JSON conventions (``to_dict()``):

* counts are ints;
* money is a string with exactly two decimals (``"125.69"``), rounded half up to the cent, except
  the forward check's delivered revenue, rounded *up* to the cent so it never shows below the
  target (its surplus is the difference of the two figures as shown);
* rates and shares are fractions as strings with exactly four decimals (``"0.2300"``, ``"0.3333"``);
  the calculation itself always uses the exact values;
* months are ``"YYYY-MM"`` strings; missing values are ``null``.
"""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from . import messages
from .numbers import format_money, format_money_per, format_rate
from .stages import STAGES, Band, Rates, StageCounts


def _money(value: Fraction | None) -> str | None:
    return None if value is None else format_money(value)


def _rates_dict(rates: Rates | dict[str, Fraction]) -> dict[str, str]:
    items = rates.to_dict() if isinstance(rates, Rates) else rates
    return {name: format_rate(value) for name, value in items.items()}


@dataclass(frozen=True, slots=True)
class ForwardCheck:
    """The revenue the computed numbers deliver, walking the funnel back down.

    ``from_leads`` = leads x lead-to-MQL x MQL-to-SQL x SQL-to-opportunity x win rate x deal size
    (summed over every stream x source); ``from_deals`` = deals x average deal size. Because every
    stage is rounded up, both are always >= the revenue target.
    """

    revenue_target: Fraction
    from_deals: Fraction
    from_leads: Fraction

    @property
    def surplus(self) -> Fraction:
        return self.from_leads - self.revenue_target

    @property
    def meets_target(self) -> bool:
        return self.from_leads >= self.revenue_target and self.from_deals >= self.revenue_target

    def to_dict(self) -> dict[str, Any]:
        target = format_money(self.revenue_target)
        delivered = format_money(self.from_leads, "up")
        surplus = Fraction(delivered) - Fraction(target)
        return {
            "revenue_target": target,
            "from_deals": format_money(self.from_deals, "up"),
            "from_leads": delivered,
            "surplus": format_money(surplus),
            "meets_target": self.meets_target,
            "rule": str(messages.FORWARD_CHECK_RULE),
        }


def _per(revenue: Fraction, count: int) -> Fraction | None:
    return revenue / count if count else None


def _money_per(revenue: Fraction, count: int) -> str | None:
    return format_money_per(revenue, count) if count else None


@dataclass(frozen=True, slots=True)
class CellResult:
    """One revenue stream fed by one lead source."""

    stream: str
    source: str
    revenue_target: Fraction
    rates: Rates
    stages: StageCounts

    @property
    def value_per_mql(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.mqls)

    @property
    def value_per_lead(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.leads)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "revenue_target": format_money(self.revenue_target),
            "rates": _rates_dict(self.rates),
            "stages": self.stages.to_dict(),
            "value_per_mql": _money_per(self.revenue_target, self.stages.mqls),
            "value_per_lead": _money_per(self.revenue_target, self.stages.leads),
        }


@dataclass(frozen=True, slots=True)
class StreamResult:
    """A revenue stream's totals (sums of its cells, one per lead source)."""

    name: str
    share: Fraction
    revenue_target: Fraction
    average_deal_size: Fraction
    rates: Rates
    sales_cycle_days: int
    lead_lag_months: int
    stages: StageCounts
    cells: tuple[CellResult, ...]

    @property
    def value_per_mql(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.mqls)

    @property
    def value_per_lead(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.leads)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "share": format_rate(self.share),
            "revenue_target": format_money(self.revenue_target),
            "average_deal_size": format_money(self.average_deal_size),
            "rates": _rates_dict(self.rates),
            "sales_cycle_days": self.sales_cycle_days,
            "lead_lag_months": self.lead_lag_months,
            "stages": self.stages.to_dict(),
            "value_per_mql": _money_per(self.revenue_target, self.stages.mqls),
            "value_per_lead": _money_per(self.revenue_target, self.stages.leads),
            "sources": [cell.to_dict() for cell in self.cells],
        }


@dataclass(frozen=True, slots=True)
class SourceResult:
    """A lead source's totals over every revenue stream, with its cost when it has one."""

    name: str
    share: Fraction
    revenue_target: Fraction
    rate_overrides: dict[str, Fraction]
    cost_per_lead: Fraction | None
    stages: StageCounts

    @property
    def cost(self) -> Fraction | None:
        return None if self.cost_per_lead is None else self.stages.leads * self.cost_per_lead

    @property
    def cost_per_deal(self) -> Fraction | None:
        cost = self.cost
        return None if cost is None else _per(cost, self.stages.deals)

    @property
    def value_per_mql(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.mqls)

    @property
    def value_per_lead(self) -> Fraction | None:
        return _per(self.revenue_target, self.stages.leads)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "share": format_rate(self.share),
            "revenue_target": format_money(self.revenue_target),
            "rate_overrides": _rates_dict(self.rate_overrides),
            "stages": self.stages.to_dict(),
            "cost_per_lead": _money(self.cost_per_lead),
            "cost": _money(self.cost),
            "cost_per_deal": _money(self.cost_per_deal),
            "value_per_mql": _money_per(self.revenue_target, self.stages.mqls),
            "value_per_lead": _money_per(self.revenue_target, self.stages.leads),
        }


@dataclass(frozen=True, slots=True)
class MonthResult:
    """One calendar month: the targets due in it, overall and per stream and per source.

    ``offset`` 0 is the first month of the term; negative offsets are lead-in months before the
    term, when only leads, MQLs and SQLs are due. ``bands`` holds each overall stage target with
    its tolerance band; ``streams`` and ``sources`` follow ``stream_names`` and ``source_names``.
    """

    offset: int
    label: str
    year: int | None
    month: int | None
    revenue_target: Fraction
    stages: StageCounts
    bands: tuple[Band, ...]
    streams: tuple[StageCounts, ...]
    sources: tuple[StageCounts, ...]
    cost: Fraction | None
    stream_names: tuple[str, ...]
    source_names: tuple[str, ...]

    @property
    def lead_in(self) -> bool:
        return self.offset < 0

    def band(self, stage: str) -> Band:
        return self.bands[STAGES.index(stage)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "label": self.label,
            "year": self.year,
            "month": self.month,
            "lead_in": self.offset < 0,
            "revenue_target": format_money(self.revenue_target),
            "cost": _money(self.cost),
            "stages": {
                stage: band.to_dict() for stage, band in zip(STAGES, self.bands, strict=True)
            },
            "streams": [
                {"name": name, "stages": counts.to_dict()}
                for name, counts in zip(self.stream_names, self.streams, strict=True)
            ],
            "sources": [
                {"name": name, "stages": counts.to_dict()}
                for name, counts in zip(self.source_names, self.sources, strict=True)
            ],
        }


@dataclass(frozen=True, slots=True)
class FunnelResult:
    """The whole calculation. ``stages`` are the plan's totals: the sums of every stream x source
    cell, each rounded up on its own (for a one-stream, one-source plan, the simple funnel)."""

    rounding_rule: ClassVar[str] = messages.ROUNDING_RULE

    revenue_target: Fraction
    term_months: int
    start: tuple[int, int] | None
    tolerance: Fraction
    stages: StageCounts
    forward_check: ForwardCheck
    streams: tuple[StreamResult, ...]
    sources: tuple[SourceResult, ...]
    months: tuple[MonthResult, ...]

    @property
    def value_per_mql(self) -> Fraction:
        return self.revenue_target / self.stages.mqls

    @property
    def value_per_lead(self) -> Fraction:
        return self.revenue_target / self.stages.leads

    @property
    def cost(self) -> Fraction | None:
        """Total lead cost, when every source has a cost per lead."""
        costs = [source.cost for source in self.sources]
        return None if None in costs else sum(costs, Fraction(0))

    @property
    def cost_per_deal(self) -> Fraction | None:
        cost = self.cost
        return None if cost is None else cost / self.stages.deals

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounding_rule": str(messages.ROUNDING_RULE),
            "rules": {
                "rounding": str(messages.ROUNDING_RULE),
                "months": str(messages.MONTHLY_RULE),
                "lead_lag": str(messages.LEAD_LAG_RULE),
                "tolerance": str(messages.TOLERANCE_RULE),
                "forward_check": str(messages.FORWARD_CHECK_RULE),
                "cost": str(messages.COST_RULE),
            },
            "revenue_target": format_money(self.revenue_target),
            "term_months": self.term_months,
            "start": None if self.start is None else "{:04d}-{:02d}".format(*self.start),
            "tolerance": format_rate(self.tolerance),
            "stages": self.stages.to_dict(),
            "value_per_mql": format_money(self.value_per_mql),
            "value_per_lead": format_money(self.value_per_lead),
            "cost": _money(self.cost),
            "cost_per_deal": _money(self.cost_per_deal),
            "forward_check": self.forward_check.to_dict(),
            "streams": [stream.to_dict() for stream in self.streams],
            "sources": [source.to_dict() for source in self.sources],
            "months": [month.to_dict() for month in self.months],
        }
