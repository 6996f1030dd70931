"""When an agreement's reviews are due: pure functions of its term and cadence, in the core
because the agreement's stored next review date (lifecycle.refresh_next_review_due) needs them."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (Jan 31 + 1
    month is Feb 28)."""
    return day + relativedelta(months=months)


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
