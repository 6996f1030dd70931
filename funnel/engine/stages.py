"""The arithmetic of the reverse funnel: stage counts, even monthly spread, lead lag, tolerance.

Everything here is exact integer / Fraction arithmetic.
"""

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .numbers import ceil_div

#: Stage names from the bottom of the funnel (revenue) to the top (leads).
STAGES = ("deals", "opportunities", "sqls", "mqls", "leads")
#: Stages that move earlier by the lead lag (the others stay in the month the revenue is due).
LAGGED_STAGES = frozenset({"sqls", "mqls", "leads"})
RATE_FIELDS = ("win_rate", "sql_to_opportunity_rate", "mql_to_sql_rate", "lead_to_mql_rate")
#: A sales cycle of up to this many days moves the top of the funnel one month earlier.
DAYS_PER_MONTH = 30


@dataclass(frozen=True, slots=True)
class StageCounts:
    """Whole counts for each stage of the funnel."""

    deals: int
    opportunities: int
    sqls: int
    mqls: int
    leads: int

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.deals, self.opportunities, self.sqls, self.mqls, self.leads)

    def __add__(self, other: "StageCounts") -> "StageCounts":
        return StageCounts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def to_dict(self) -> dict[str, int]:
        return {
            "deals": self.deals,
            "opportunities": self.opportunities,
            "sqls": self.sqls,
            "mqls": self.mqls,
            "leads": self.leads,
        }


ZERO_COUNTS = StageCounts(0, 0, 0, 0, 0)


def sum_counts(counts) -> StageCounts:
    totals = [0, 0, 0, 0, 0]
    for item in counts:
        for index, value in enumerate(item.as_tuple()):
            totals[index] += value
    return StageCounts(*totals)


@dataclass(frozen=True, slots=True)
class Rates:
    """Conversion rates of one funnel, each an exact Fraction in (0, 1]."""

    win_rate: Fraction
    sql_to_opportunity_rate: Fraction
    mql_to_sql_rate: Fraction
    lead_to_mql_rate: Fraction

    def product(self) -> Fraction:
        """Share of leads that end as won deals."""
        return (
            self.win_rate * self.sql_to_opportunity_rate * self.mql_to_sql_rate
        ) * self.lead_to_mql_rate

    def to_dict(self) -> dict[str, Fraction]:
        return {name: getattr(self, name) for name in RATE_FIELDS}


@dataclass(frozen=True, slots=True)
class Band:
    """A monthly target with its tolerance band (all whole numbers, low <= target <= high)."""

    target: int
    low: int
    high: int

    def contains(self, delivered: int) -> bool:
        return self.low <= delivered <= self.high

    def to_dict(self) -> dict[str, int]:
        return {"target": self.target, "low": self.low, "high": self.high}


def _needed(count: int, rate: Fraction) -> int:
    """How many of the stage above are needed for ``count`` of this stage, rounded up."""
    return ceil_div(count * rate.denominator, rate.numerator)


def _exact_positive(name: str, value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{name} must be an int or a Fraction, not {type(value).__name__}")
    value = Fraction(value)
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0")
    return value


def reverse_funnel(
    *,
    revenue_target: int | Fraction,
    average_deal_size: int | Fraction,
    win_rate: int | Fraction,
    sql_to_opportunity_rate: int | Fraction,
    mql_to_sql_rate: int | Fraction,
    lead_to_mql_rate: int | Fraction,
) -> StageCounts:
    """Walk one funnel up from revenue to leads, rounding every stage up.

    Takes exact numbers only (int or Fraction); use :func:`calculate` for parsing and validation.
    """
    revenue = _exact_positive("revenue_target", revenue_target)
    deal_size = _exact_positive("average_deal_size", average_deal_size)
    rates = []
    for name, rate in (
        ("win_rate", win_rate),
        ("sql_to_opportunity_rate", sql_to_opportunity_rate),
        ("mql_to_sql_rate", mql_to_sql_rate),
        ("lead_to_mql_rate", lead_to_mql_rate),
    ):
        rate = _exact_positive(name, rate)
        if rate > 1:
            raise ValueError(f"{name} must be at most 1")
        rates.append(rate)
    return _chain(revenue, deal_size, *rates)


def _chain(revenue, deal_size, win, sql_to_opp, mql_to_sql, lead_to_mql) -> StageCounts:
    deals = ceil_div(
        revenue.numerator * deal_size.denominator, revenue.denominator * deal_size.numerator
    )
    opportunities = _needed(deals, win)
    sqls = _needed(opportunities, sql_to_opp)
    mqls = _needed(sqls, mql_to_sql)
    leads = _needed(mqls, lead_to_mql)
    return StageCounts(deals, opportunities, sqls, mqls, leads)


def funnel_for(revenue: Fraction, average_deal_size: Fraction, rates: Rates) -> StageCounts:
    """:func:`reverse_funnel` for values already validated (no checks, used in the hot path)."""
    return _chain(
        revenue,
        average_deal_size,
        rates.win_rate,
        rates.sql_to_opportunity_rate,
        rates.mql_to_sql_rate,
        rates.lead_to_mql_rate,
    )


def lead_lag_months(sales_cycle_days: int) -> int:
    """Months the top of the funnel moves earlier: ``ceil(sales_cycle_days / 30)``.

    0 days -> 0 months, 1..30 days -> 1 month, 31..60 days -> 2 months.
    """
    if sales_cycle_days < 0:
        raise ValueError("sales_cycle_days cannot be negative")
    return ceil_div(sales_cycle_days, DAYS_PER_MONTH)


@lru_cache(maxsize=4096)
def _extra_units(remainder: int, months: int) -> tuple[int, ...]:
    return tuple(
        ceil_div(remainder * (k + 1), months) - ceil_div(remainder * k, months)
        for k in range(months)
    )


def spread_evenly(total: int, months: int) -> tuple[int, ...]:
    """Spread a whole ``total`` over ``months`` so the parts add up to the total exactly.

    Month ``k`` (1-based) gets ``ceil(total * k / months) - ceil(total * (k - 1) / months)``: the
    running total is rounded up, so by the end of every month it is at least the even pace
    ``total * k / months``, and each month gets ``total // months`` or one more.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    if total < 0:
        raise ValueError("total cannot be negative")
    quotient, remainder = divmod(total, months)
    return tuple(map(quotient.__add__, _extra_units(remainder, months)))


def monthly_cohorts(deals: int, rates: Rates, months: int) -> tuple[tuple[int, ...], ...]:
    """The term's funnel month by month, each month built up from its own deals.

    The term's ``deals`` are spread over the months so they add up exactly (every month has the
    same share of the revenue, so largest remainder gives each month ``deals // months`` or one
    more; :func:`spread_evenly` decides which months get the extra deal). Every stage above is
    then rounded up within the month: ``opportunities = ceil(deals / win_rate)`` and so on, so
    each month obeys the rounding rule on its own and the term's total of a stage is the sum of
    its months. Returns one tuple of monthly counts per stage, in ``STAGES`` order.
    """
    funnels = {}
    columns = []
    for month_deals in spread_evenly(deals, months):
        if month_deals not in funnels:  # only two distinct monthly deal counts occur
            opportunities = _needed(month_deals, rates.win_rate)
            sqls = _needed(opportunities, rates.sql_to_opportunity_rate)
            mqls = _needed(sqls, rates.mql_to_sql_rate)
            funnels[month_deals] = (
                month_deals,
                opportunities,
                sqls,
                mqls,
                _needed(mqls, rates.lead_to_mql_rate),
            )
        columns.append(funnels[month_deals])
    return tuple(zip(*columns, strict=True))


def tolerance_band(target: int, tolerance: Fraction = Fraction(1, 10)) -> Band:
    """``low = floor(target * (1 - tolerance))``, ``high = ceil(target * (1 + tolerance))``."""
    if not 0 <= tolerance < 1:
        raise ValueError("tolerance must be in [0, 1)")
    return band_maker(tolerance)(target)


def band_limits(target, tolerance: Fraction) -> tuple[int, int]:
    """The band around any exact target (a whole count, or a KPI such as 0.23 or 12.5): the
    lowest and highest whole values that count as met, rounded outwards. The rule every band
    follows; ``band_maker`` is its fast form for whole-number targets."""
    exact = Fraction(target)
    low, high = exact * (1 - tolerance), exact * (1 + tolerance)
    return low.numerator // low.denominator, ceil_div(high.numerator, high.denominator)


def band_maker(tolerance: Fraction):
    """A fast ``target -> Band`` function for one (already checked) tolerance and whole-number
    targets; the same numbers as ``band_limits``."""
    numerator, denominator = tolerance.numerator, tolerance.denominator
    low_factor, high_factor = denominator - numerator, denominator + numerator

    def band(target: int) -> Band:
        return Band(
            target, target * low_factor // denominator, ceil_div(target * high_factor, denominator)
        )

    return band
