"""When reviews are due, and how actual results compare with their targets (pure functions)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6}
TOLERANCE = Decimal("0.10")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Keep the day of month where the month is long enough (Jan 31 + 1 month -> Feb 28).
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def review_dates(agreement) -> list[date]:
    """Every review date of the term: one cadence after the start, then every cadence."""
    start, end = agreement.effective_date, agreement.end_date
    months = CADENCE_MONTHS.get(agreement.review_cadence, 3)
    if not (start and end):
        return []
    dates, k = [], 1
    while (due := add_months(start, months * k)) <= end + timedelta(days=1):
        dates.append(due)
        k += 1
    return dates


def next_review_due(agreement, closed_due_dates) -> date | None:
    """The first review date whose review has not been closed yet."""
    return next((due for due in review_dates(agreement) if due not in set(closed_due_dates)), None)


def review_period(agreement, due: date) -> tuple[date, date]:
    """The months a review looks back on: since the previous review date (or the start)."""
    earlier = [d for d in review_dates(agreement) if d < due]
    start = earlier[-1] if earlier else agreement.effective_date
    return start, due - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    months, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


@dataclass(frozen=True)
class DueStatus:
    due: date
    state: str  # "overdue" | "due_soon" | "scheduled"
    days: int  # days until due (negative when overdue)


def due_status(due: date | None, today: date, soon_days: int) -> DueStatus | None:
    if due is None:
        return None
    days = (due - today).days
    state = "overdue" if days < 0 else "due_soon" if days <= soon_days else "scheduled"
    return DueStatus(due, state, days)


def band(target: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """The +/-10% tolerance band around a target, rounded outwards to whole units."""
    if target is None:
        return None
    low = (target * (1 - TOLERANCE)).to_integral_value(rounding=ROUND_FLOOR)
    high = (target * (1 + TOLERANCE)).to_integral_value(rounding=ROUND_CEILING)
    return low, high


def judge(actual: Decimal | None, target: Decimal | None) -> str:
    """ "on_track" within the band, "under" or "over" outside it ("" when either is missing)."""
    limits = band(target)
    if actual is None or limits is None:
        return ""
    low, high = limits
    return "under" if actual < low else "over" if actual > high else "on_track"


STAGE_LABELS = {
    "leads": "Leads",
    "mqls": "MQLs",
    "sqls": "SQLs",
    "opportunities": "Opportunities",
    "deals": "Deals",
}
FUNNEL_ORDER = ("leads", "mqls", "sqls", "opportunities", "deals")


@dataclass(frozen=True)
class Metric:
    key: str  # a funnel stage ("leads") or "kpi:<name>"
    label: str
    unit: str
    targets: dict  # month (date) -> Decimal target


def review_metrics(snapshot: dict, months: list[date]) -> list[Metric]:
    """What a review compares, with each month's target from the signed version's snapshot:
    the funnel stages' monthly targets (lead lag applied), then every other KPI."""
    from django.utils.translation import gettext as _

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
            metrics.append(Metric(stage, _(STAGE_LABELS[stage]), "count", targets))
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
