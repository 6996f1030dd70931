"""One lead's events folded into what the commitments measure (a LeadRecord's fields).

Pure: `fold(events, rules, now)` takes the lead's events in any order (the CRM sends them out of
order) and returns the record's values. The rules for each clock are the DOMAIN's:
- response: from the hand-off (or the MQL when there is none) to the first contact or contact
  attempt; a lead rejected or recycled before any contact is not measured;
- hand-off: from the MQL to the hand-off;
- decision: from the hand-off to the first "accepted" or "rejected";
- attempts: contact events from the clock's start until the SQL, the recycling or the end of
  the follow-up cadence, whichever comes first.
A clock still running holds the business hours elapsed by `now`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .calendar import WorkingCalendar
from .models import LeadEventType as E

CONTACT = {E.FIRST_CONTACT, E.CONTACT_ATTEMPT}


@dataclass(frozen=True)
class FoldRules:
    calendar: WorkingCalendar
    cadence_days: int  # the follow-up cadence's length in calendar days


@dataclass(frozen=True)
class Event:
    event: str
    occurred_at: datetime
    source: str = ""
    stream: str = ""
    owner: str = ""
    reason: str = ""
    amount: Decimal | None = None


def _first(events, kinds, after=None):
    for item in events:
        if item.event in kinds and (after is None or item.occurred_at >= after):
            return item
    return None


def fold(events: list[Event], rules: FoldRules, now: datetime) -> dict:
    events = sorted(events, key=lambda item: (item.occurred_at, item.event))
    calendar = rules.calendar
    at = {}  # each event type's first moment
    for item in events:
        at.setdefault(item.event, item.occurred_at)
    values = {
        # The lead's group: the first source and stream it was given, the last owner.
        "source": next((item.source for item in events if item.source), ""),
        "stream": next((item.stream for item in events if item.stream), ""),
        "owner": next((item.owner for item in reversed(events) if item.owner), ""),
        "mql_at": at.get(E.MQL),
        "handed_off_at": at.get(E.HANDED_OFF),
    }
    for field, kind in (
        ("created_month", E.CREATED),
        ("mql_month", E.MQL),
        ("handoff_month", E.HANDED_OFF),
        ("accepted_month", E.ACCEPTED),
        ("sql_month", E.SQL),
        ("opportunity_month", E.OPPORTUNITY),
        ("won_month", E.WON),
    ):
        values[field] = calendar.month_of(at[kind]) if kind in at else None
    amounts = [item.amount for item in events if item.event == E.WON and item.amount is not None]
    values["won_amount"] = sum(amounts, Decimal(0)) if amounts else None

    handed_off, mql = at.get(E.HANDED_OFF), at.get(E.MQL)
    start = handed_off or mql
    values["clock_started_at"] = start
    values["clock_month"] = calendar.month_of(start) if start else None
    touch = _first(events, CONTACT)
    values["first_touch_at"] = touch.occurred_at if touch else None
    decision = _first(events, {E.ACCEPTED, E.REJECTED}, after=handed_off) if handed_off else None
    values["decided_at"] = decision.occurred_at if decision else None
    rejected = _first(events, {E.REJECTED})
    values["rejected"] = rejected is not None
    values["reject_reason"] = rejected.reason if rejected else ""
    recycled = at.get(E.RECYCLED)

    # Response: the first contact, or hours waited so far (not measured once the lead left
    # sales without a contact: rejected or recycled).
    values.update(response_hours=None, response_done=True)
    if start:
        if touch:
            values["response_hours"] = calendar.business_hours(start, touch.occurred_at)
        else:
            left = min(
                (t for t in (recycled, rejected and rejected.occurred_at) if t), default=None
            )
            if left is None:
                values["response_hours"] = calendar.business_hours(start, now)
                values["response_done"] = False
    values.update(_clock(calendar, mql, handed_off, now, "handoff"))
    values.update(
        _clock(calendar, handed_off, decision.occurred_at if decision else None, now, "decision")
    )
    values.update(_cadence(events, rules, start, rejected, recycled, at.get(E.SQL), now))
    return values


def _clock(calendar, start, end, now, name) -> dict:
    if start is None:
        return {f"{name}_hours": None, f"{name}_done": True}
    if end is not None:
        return {f"{name}_hours": calendar.business_hours(start, end), f"{name}_done": True}
    return {f"{name}_hours": calendar.business_hours(start, now), f"{name}_done": False}


def _cadence(events, rules, start, rejected, recycled, sql, now) -> dict:
    """Attempts within the cadence. A rejected lead is not sales' to work: not measured."""
    if start is None or rejected is not None:
        return {
            "attempts": 0,
            "cadence_ends_at": None,
            "converted_in_cadence": False,
            "cadence_done": True,
        }
    ends = start + timedelta(days=rules.cadence_days)
    stop = min((t for t in (sql, recycled) if t and t >= start), default=None)
    until = min(stop, ends) if stop else ends
    attempts = sum(
        1 for item in events if item.event in CONTACT and start <= item.occurred_at < until
    )
    converted = sql is not None and start <= sql < ends
    return {
        "attempts": attempts,
        "cadence_ends_at": ends,
        "converted_in_cadence": converted,
        "cadence_done": converted or stop is not None or now >= ends,
    }
