"""What a person enters: a plan with revenue streams and lead sources, and the size limits.

The dataclasses accept loose values (``"23%"``, ``0.23``, ``"500,000"``); validation
(:mod:`.validation`) turns them into a plan holding exact values only.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from .stages import RATE_FIELDS, Rates, StageCounts

MAX_REVENUE_TARGET = 10**13
MAX_DEAL_SIZE = 10**13
MAX_COST_PER_LEAD = 10**9
#: No stage of the whole plan may need more than this many (leads are the largest stage).
MAX_STAGE_COUNT = 10**9
MAX_STREAMS = 50
MAX_SOURCES = 50
MAX_TERM_MONTHS = 120
# Streams x sources x months: the month-by-month targets a contract prints and the API returns.
MAX_PLAN_CELLS = 2400
MAX_SALES_CYCLE_DAYS = 1095
MAX_NAME_LENGTH = 100
MAX_JSON_LENGTH = 200_000
DEFAULT_TOLERANCE = Fraction(1, 10)
#: Error key for problems of the plan as a whole (Django's NON_FIELD_ERRORS).
NON_FIELD_ERRORS = "__all__"

Number = Any  # int, str, Decimal, Fraction or float (read through str())


class FunnelInputError(ValueError):
    """The plan cannot be calculated; ``errors`` maps field paths to lists of messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {path: list(found) for path, found in errors.items()}
        summary = "; ".join(f"{path}: {' '.join(found)}" for path, found in self.errors.items())
        super().__init__(summary)


@dataclass(frozen=True, kw_only=True)
class RevenueStream:
    """A business line or segment with its own deal size, sales cycle and conversion rates.

    ``share`` is the part of the plan's revenue target this stream carries (not needed when the
    plan has a single stream). Rates accept 0.23, "0.23", "23%" or "1/3".
    """

    average_deal_size: Number
    win_rate: Number
    sql_to_opportunity_rate: Number
    mql_to_sql_rate: Number
    lead_to_mql_rate: Number
    sales_cycle_days: Number = 0
    name: str | None = None
    share: Number = None

    @property
    def rates(self) -> Rates:
        """The stream's rates (exact once the plan went through validation)."""
        return Rates(
            self.win_rate, self.sql_to_opportunity_rate, self.mql_to_sql_rate, self.lead_to_mql_rate
        )


@dataclass(frozen=True, kw_only=True)
class LeadSource:
    """Where leads come from (website form, outbound, events...), with its share of the target.

    Any rate given here replaces the stream's rate for this source's leads, in every stream.
    """

    name: str | None = None
    share: Number = None
    cost_per_lead: Number = None
    win_rate: Number = None
    sql_to_opportunity_rate: Number = None
    mql_to_sql_rate: Number = None
    lead_to_mql_rate: Number = None

    @property
    def rate_overrides(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in RATE_FIELDS}
        return {name: value for name, value in values.items() if value is not None}

    def rates_for(self, stream: RevenueStream) -> Rates:
        """The rates that apply to this source's leads within ``stream``."""
        own = self.rate_overrides
        return Rates(*(own.get(name, getattr(stream, name)) for name in RATE_FIELDS))


@dataclass(frozen=True, kw_only=True)
class FunnelPlan:
    """A revenue target for a term, split over revenue streams and lead sources.

    ``revenue_target`` is for the whole term of ``term_months`` months. ``start`` is the first
    month of the term as ``(year, month)``, ``"YYYY-MM"`` or a date (``None``: months are
    numbered). No sources means one implicit source, "All sources", carrying 100%.
    """

    revenue_target: Number
    streams: Sequence[RevenueStream | Mapping[str, Any]]
    sources: Sequence[LeadSource | Mapping[str, Any]] = ()
    term_months: Number = 1
    start: Any = None
    tolerance: Number = DEFAULT_TOLERANCE

    @classmethod
    def single(
        cls,
        *,
        revenue_target: Number,
        average_deal_size: Number,
        win_rate: Number,
        sql_to_opportunity_rate: Number,
        mql_to_sql_rate: Number,
        lead_to_mql_rate: Number,
        sales_cycle_days: Number = 0,
        cost_per_lead: Number = None,
        term_months: Number = 1,
        start: Any = None,
        tolerance: Number = DEFAULT_TOLERANCE,
    ) -> "FunnelPlan":
        """The simple plan: one funnel, one source."""
        stream = RevenueStream(
            average_deal_size=average_deal_size,
            win_rate=win_rate,
            sql_to_opportunity_rate=sql_to_opportunity_rate,
            mql_to_sql_rate=mql_to_sql_rate,
            lead_to_mql_rate=lead_to_mql_rate,
            sales_cycle_days=sales_cycle_days,
        )
        sources = () if cost_per_lead is None else (LeadSource(cost_per_lead=cost_per_lead),)
        return cls(
            revenue_target=revenue_target,
            streams=(stream,),
            sources=sources,
            term_months=term_months,
            start=start,
            tolerance=tolerance,
        )


class PlannedCell(NamedTuple):
    """One revenue stream x lead source: its revenue, effective rates and stage counts."""

    revenue: Fraction
    rates: Rates
    stages: StageCounts


Grid = list[list[PlannedCell]]
