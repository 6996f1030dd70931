"""How a review compares actual results with the signed version's targets (pure functions)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from funnel.engine.plan import DEFAULT_TOLERANCE
from funnel.engine.stages import band_limits
from funnel.presentation import FUNNEL_ORDER, STAGE_LABELS


def band(target: Decimal | None, tolerance=DEFAULT_TOLERANCE) -> tuple[Decimal, Decimal] | None:
    """The tolerance band around a target, rounded outwards to whole units: the funnel's own
    band (funnel.engine.stages.band_limits)."""
    if target is None:
        return None
    low, high = band_limits(target, tolerance)
    return Decimal(low), Decimal(high)


# Directions a verdict follows (the values of models.KpiDirection).
HIGHER, LOWER, ON_TARGET = "higher", "lower", "on_target"
# The funnel stages: too many leads or MQLs flood sales; more SQLs, opportunities, deals is better.
STAGE_DIRECTIONS = {
    "leads": ON_TARGET,
    "mqls": ON_TARGET,
    "sqls": HIGHER,
    "opportunities": HIGHER,
    "deals": HIGHER,
}
# Units whose figures add up over time (a quarter's deals are its months' deals); a rate, a
# duration or a cost per unit does not.
ADDITIVE_UNITS = {"count", "currency"}
PERIOD_MONTHS = {"month": 1, "quarter": 3}


# What a review actual can hold (ReviewActual.actual is a decimal(15, 2)).
LARGEST_ACTUAL = Decimal("9999999999999.99")


def actual_value_problem(value: Decimal) -> str | None:
    """Why a typed or imported actual figure cannot be stored, or None."""
    if not value.is_finite():
        return _("Enter a number.")
    if value < 0:
        return _("An actual figure cannot be negative.")
    if value > LARGEST_ACTUAL:
        return _("That is more than any actual figure can be; check the number.")
    return None


def judge(actual: Decimal | None, limits: tuple | None, direction: str = ON_TARGET) -> str:
    """ "better", "on_track" or "worse" by the metric's direction ("" when either is missing).

    Within the band is on track. Outside it, higher-is-better metrics are better above and
    worse below, lower-is-better ones the other way round, and on-target metrics are worse on
    either side (over-delivery is a miss too)."""
    if actual is None or limits is None:
        return ""
    low, high = limits
    if low <= actual <= high:
        return "on_track"
    above = actual > high
    if direction == HIGHER:
        return "better" if above else "worse"
    if direction == LOWER:
        return "worse" if above else "better"
    return "worse"


@dataclass(frozen=True)
class Metric:
    key: str  # a funnel stage ("leads") or "kpi:<name>"
    label: str
    unit: str
    targets: dict  # first month of each compared stretch (date) -> Decimal target
    bands: dict = field(default_factory=dict)  # same keys -> (low, high), frozen or derived
    direction: str = ON_TARGET
    period: str = "month"

    @property
    def per_month(self) -> bool:
        return self.period == "month"


def _period_target(kpi: dict, months: int, term_months: int) -> Decimal:
    """A quarter's or the term's target, for a review looking back over `months` months."""
    target = Decimal(kpi["target"])
    if kpi.get("unit") not in ADDITIVE_UNITS:
        return target
    covers = PERIOD_MONTHS.get(kpi.get("period"), term_months)
    return (target * months / covers).quantize(Decimal("0.01"))


# Where a plan has several revenue streams (or lead sources), each has its own rates, so a review
# records its stages apart: every stage per stream, leads and MQLs per source (what a source's
# own lead -> MQL rate is measured from). Keys: "<stage>:<stream|source>:<index in the plan>".
DIMENSION_STAGES = {"stream": FUNNEL_ORDER, "source": ("leads", "mqls")}


def dimension_key(stage: str, dimension: str, index: int) -> str:
    return f"{stage}:{dimension}:{index}"


def _dimension_metrics(funnel: dict, months: list[date], tolerance) -> list[Metric]:
    by_month = {
        date(m["year"], m["month"], 1): m for m in funnel.get("months", []) if m.get("year")
    }
    present = [month for month in months if month in by_month]
    metrics = []
    for dimension, stages in DIMENSION_STAGES.items():
        groups = funnel.get(f"{dimension}s", [])
        if len(groups) < 2:
            continue
        for index, group in enumerate(groups):
            for stage in stages:
                targets = {
                    month: Decimal(by_month[month][f"{dimension}s"][index]["stages"][stage])
                    for month in present
                }
                metrics.append(
                    Metric(
                        dimension_key(stage, dimension, index),
                        f"{STAGE_LABELS[stage]} · {group['name']}",
                        "count",
                        targets,
                        {month: band(target, tolerance) for month, target in targets.items()},
                        STAGE_DIRECTIONS[stage],
                    )
                )
    return metrics


def review_metrics(snapshot: dict, months: list[date]) -> list[Metric]:
    """What a review compares, from the signed version's snapshot: the funnel stages month by
    month with their frozen bands (lead lag applied), then every other KPI, per month or, for
    a quarterly or term KPI, once for the review's whole stretch with its share of the target."""
    metrics = []
    funnel = snapshot.get("funnel") or {}
    tolerance = Fraction(funnel.get("tolerance") or DEFAULT_TOLERANCE)
    term_months = funnel.get("term_months") or 12
    funnel_months = {
        date(m["year"], m["month"], 1): m["stages"]
        for m in funnel.get("months", [])
        if m.get("year")
    }
    if funnel_months:
        for stage in FUNNEL_ORDER:
            present = [month for month in months if month in funnel_months]
            cells = {month: funnel_months[month][stage] for month in present}
            metrics.append(
                Metric(
                    stage,
                    str(STAGE_LABELS[stage]),
                    "count",
                    {month: Decimal(cell["target"]) for month, cell in cells.items()},
                    {
                        month: (Decimal(cell["low"]), Decimal(cell["high"]))
                        for month, cell in cells.items()
                    },
                    STAGE_DIRECTIONS[stage],
                )
            )
        metrics += _dimension_metrics(funnel, months, tolerance)
    for kpi in snapshot.get("rows", {}).get("kpis", []):
        if kpi.get("funnel_stage") in FUNNEL_ORDER:
            continue  # the funnel stages are compared month by month above
        period = kpi.get("period") or "month"
        if period == "month" or not months:
            targets = dict.fromkeys(months, Decimal(kpi["target"]))
        else:
            targets = {months[0]: _period_target(kpi, len(months), term_months)}
        metrics.append(
            Metric(
                f"kpi:{kpi['name']}"[:40],
                kpi["name"],
                kpi["unit"],
                targets,
                {month: band(target, tolerance) for month, target in targets.items()},
                kpi.get("direction") or ON_TARGET,
                period,
            )
        )
    return metrics


def actual_rates(totals: dict[str, Decimal]) -> dict[str, Decimal] | None:
    """Conversion rates the period actually achieved, from the funnel stages' totals."""
    pairs = {
        "lead_to_mql_rate": ("mqls", "leads"),
        "mql_to_sql_rate": ("sqls", "mqls"),
        "sql_to_opportunity_rate": ("opportunities", "sqls"),
        "win_rate": ("deals", "opportunities"),
    }
    rates = {}
    for name, (numerator, denominator) in pairs.items():
        top, bottom = totals.get(numerator), totals.get(denominator)
        if not top or not bottom or top > bottom:
            return None  # a missing stage or a rate above 100% cannot be applied
        rates[name] = top / bottom
    return rates
