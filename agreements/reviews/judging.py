"""How a review compares actual results with the signed version's targets (pure functions)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from funnel.engine.plan import DEFAULT_TOLERANCE
from funnel.engine.stages import band_limits
from funnel.presentation import FUNNEL_ORDER, STAGE_LABELS


def band(target: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """The tolerance band around a target, rounded outwards to whole units: the funnel's own
    band (funnel.engine.stages.band_limits) with its default tolerance."""
    if target is None:
        return None
    low, high = band_limits(target, DEFAULT_TOLERANCE)
    return Decimal(low), Decimal(high)


def judge(actual: Decimal | None, target: Decimal | None) -> str:
    """ "on_track" within the band, "under" or "over" outside it ("" when either is missing)."""
    limits = band(target)
    if actual is None or limits is None:
        return ""
    low, high = limits
    return "under" if actual < low else "over" if actual > high else "on_track"


@dataclass(frozen=True)
class Metric:
    key: str  # a funnel stage ("leads") or "kpi:<name>"
    label: str
    unit: str
    targets: dict  # month (date) -> Decimal target


def review_metrics(snapshot: dict, months: list[date]) -> list[Metric]:
    """What a review compares, with each month's target from the signed version's snapshot:
    the funnel stages' monthly targets (lead lag applied), then every other KPI."""
    metrics = []
    funnel_months = {
        date(m["year"], m["month"], 1): m["stages"]
        for m in (snapshot.get("funnel") or {}).get("months", [])
        if m.get("year")
    }
    if funnel_months:
        for stage in FUNNEL_ORDER:
            targets = {
                month: Decimal(funnel_months[month][stage]["target"])
                for month in months
                if month in funnel_months
            }
            metrics.append(Metric(stage, str(STAGE_LABELS[stage]), "count", targets))
    for kpi in snapshot.get("rows", {}).get("kpis", []):
        if kpi.get("funnel_stage"):
            continue
        target = Decimal(kpi["target"])
        metrics.append(
            Metric(
                f"kpi:{kpi['name']}"[:40], kpi["name"], kpi["unit"], dict.fromkeys(months, target)
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
