"""A year of Acme's CRM lead events for the demo agreement, generated: deterministic for a seed
(random.Random, no wall clock), over the signed version's term, on its working calendar.

Leads arrive per month and source roughly as the frozen funnel plan's monthly MQL targets are
shaped; about a quarter never become MQLs. Every MQL is handed off to one of five reps (mostly
within minutes, in business hours or out of them), contacted, accepted or rejected with one of the
template's reason codes, then worked through the follow-up cadence until it becomes an SQL (an
opportunity, won near the stream's average deal size or lost) or is recycled. Four months go
wrong on purpose, so the page shows misses next to the months met:
- March: a webinar series brings students and consultants: many hand-offs rejected as a bad fit;
- June: a CRM routing outage: some hand-offs reach sales hours late;
- August: holidays: slow first contacts and a few late accept/reject decisions;
- October: the team is at a trade show: many leads recycled before the seventh attempt.
Events after the term's last day are not sent (those leads are still being worked).
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from .alerts import send_alerts
from .calendar import WorkingCalendar
from .commitments import plan_of, version_in_force
from .events import CleanEvent
from .ingest import store_events
from .models import EventBatch, LeadEvent
from .refresh import refresh

# The five reps, and how each works: extra share of late first contacts, of short cadences.
OWNERS = [
    ("Lena Hoffmann", 0.0, 0.0),
    ("James Carter", 0.03, 0.0),
    ("Priya Nair", 0.0, 0.0),
    ("Tomás Ortega", 0.0, 0.05),
    ("Aiko Tanaka", 0.01, 0.01),
]
# The recommended template's codes (agreements/authoring/recommended.py), if the snapshot has none.
REJECTION_REASONS = ["bad-fit", "no-interest", "duplicate", "wrong-contact"]
DISPOSITION_REASONS = ["no-response", "timing", "competitor", "no-budget"]
DEFAULT_STEPS = [1, 4, 10, 17, 24, 38, 52]
MQL_SHARE = 0.75  # of the leads created, when the plan does not say (mql_share)
REJECTED = 0.08  # of the hand-offs
BAD_FIT = 0.35  # of the rejections
LATE_RESPONSE = 0.015  # first contact after more than a day of business hours
SHORT_CADENCE = 0.03  # recycled before the seventh attempt
SQL_SHARE = 0.36  # of the accepted leads, within the cadence
OPPORTUNITY_SHARE = 0.82
WIN_RATE = 0.23
CENT = Decimal("0.01")
# What goes wrong, by calendar month (see the module's docstring).
QUIRKS = {
    3: {"rejected": 0.26, "bad_fit": 0.75},
    6: {"handoff_outage": 0.08},
    8: {"late_response": 0.16, "late_decision": 0.05},
    10: {"short_cadence": 0.35},
}


@dataclass(frozen=True)
class Setting:
    """What the generator reads from the signed version."""

    calendar: WorkingCalendar
    start: datetime  # the term's first moment, local
    end: datetime  # the term's last moment, local
    months: list  # [(first day, [(source, weight), ...])]
    streams: list  # [(name, share, average deal, sales cycle days)]
    steps: list  # the cadence's step days (1 = the hand-off's day)
    cadence_days: int
    rejections: list
    dispositions: list
    mql_share: float  # of the leads created: the plan's MQLs over its leads for the term


def mql_share(version) -> float:
    """The plan's leads-to-MQLs share over the term, so the demo's leads and MQLs both land in
    the plan's bands (a fixed share would put one of them far off)."""
    stages = (version.snapshot.get("funnel") or {}).get("stages") or {}
    leads, mqls = stages.get("leads") or 0, stages.get("mqls") or 0
    return mqls / leads if leads and 0 < mqls <= leads else MQL_SHARE


def _setting(version) -> Setting:
    plan = plan_of(version)
    snapshot = version.snapshot
    data, funnel = snapshot["agreement"], snapshot.get("funnel") or {}
    zone = plan.calendar.zone
    first = date.fromisoformat(data["effective_date"])
    last = date.fromisoformat(data.get("end_date") or f"{first.year}-12-31")
    planned = {}
    for month in funnel.get("months", []):
        sources = [(s["name"], s["stages"].get("mqls") or 0) for s in month.get("sources", [])]
        if month.get("year") and sum(weight for _name, weight in sources):
            planned[(month["year"], month["month"])] = sources
    names = [source["name"] for source in funnel.get("sources", [])] or ["Website forms"]
    # A month the plan leaves empty (the last, whose MQLs close after the term): a quiet month.
    quiet = [(name, 0.75 * _mean(planned, name)) for name in names] if planned else None
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append((day, planned.get((day.year, day.month)) or quiet or [(names[0], 1)]))
        day = (day + timedelta(days=32)).replace(day=1)
    streams = [
        (
            stream["name"],
            float(stream.get("share") or 1),
            Decimal(stream.get("average_deal_size") or "2000"),
            int(stream.get("sales_cycle_days") or 30),
        )
        for stream in funnel.get("streams", [])
    ] or [("", 1.0, Decimal(2000), 30)]
    reasons = snapshot["rows"].get("reasons", [])
    steps = sorted(int(step["day"]) for step in snapshot["rows"].get("steps", []))
    return Setting(
        calendar=plan.calendar,
        start=datetime.combine(first, time(0), zone),
        end=datetime.combine(last, time(23, 59, 59), zone),
        months=months,
        streams=streams,
        steps=steps if len(steps) >= len(DEFAULT_STEPS) else DEFAULT_STEPS,  # 7 attempts
        cadence_days=plan.cadence_days,
        rejections=[r["code"] for r in reasons if r["kind"] == "rejection"] or REJECTION_REASONS,
        dispositions=[r["code"] for r in reasons if r["kind"] == "disposition"]
        or DISPOSITION_REASONS,
        mql_share=mql_share(version),
    )


def _mean(planned: dict, name: str) -> float:
    weights = [
        weight for sources in planned.values() for source, weight in sources if source == name
    ]
    return sum(weights) / len(weights) if weights else 0.0


class _Clock:
    """Moments on the agreement's working calendar."""

    def __init__(self, calendar: WorkingCalendar):
        self.zone = calendar.zone
        self.days = calendar.working_days
        self.opens, self.closes = calendar.day_start, calendar.day_end
        self.seconds = calendar.hours_per_day * 3600

    def working(self, day: date) -> bool:
        return str(day.isoweekday()) in self.days

    def after(self, moment: datetime, hours: float) -> datetime:
        """`hours` business hours after `moment` (0: the next working moment)."""
        left = hours * 3600
        day = moment.date()
        while True:
            if self.working(day):
                opens = datetime.combine(day, self.opens, self.zone)
                closes = datetime.combine(day, self.closes, self.zone)
                begin = max(moment, opens)
                if begin < closes:
                    room = (closes - begin).total_seconds()
                    if left <= room:
                        return begin + timedelta(seconds=left)
                    left -= room
            day += timedelta(days=1)

    def at_work(self, day: date, rng: random.Random) -> datetime:
        """A moment in the working hours of `day`, or of the working day before it."""
        for _ in range(7):
            if self.working(day):
                break
            day -= timedelta(days=1)
        opens = datetime.combine(day, self.opens, self.zone)
        return opens + timedelta(seconds=rng.uniform(0.05, 0.95) * self.seconds)

    def any_time(self, day: date, rng: random.Random) -> datetime:
        """When a lead acts: mostly in working hours, some evenings, a few nights."""
        roll = rng.random()
        if roll < 0.75:
            return self.at_work(day, rng) if self.working(day) else self._hour(day, 10, 18, rng)
        return self._hour(day, 17, 23, rng) if roll < 0.95 else self._hour(day, 6, 9, rng)

    def _hour(self, day, low, high, rng):
        return datetime.combine(day, time(0), self.zone) + timedelta(hours=rng.uniform(low, high))


def demo_events(agreement, version, *, seed=2027, leads=3000) -> list[CleanEvent]:
    """`leads` leads' events over the version's term (see the module's docstring); `agreement`
    is the version's, whose calendar the snapshot holds."""
    events = []
    for lead in events_by_lead(version, seed=seed, leads=leads):
        events.extend(lead)
    return events


def events_by_lead(version, *, seed=2027, leads=3000):
    """Each lead's events (a list, in the order they happened), lead after lead by month."""
    setting = _setting(version)
    rng = random.Random(seed)
    clock = _Clock(setting.calendar)
    slots = [(month, source) for month, sources in setting.months for source in sources]
    weights = [weight * rng.uniform(0.92, 1.08) for _month, (_name, weight) in slots]
    chosen = sorted(rng.choices(range(len(slots)), weights=weights, k=leads))
    stream_weights = [stream[1] for stream in setting.streams]
    for number, slot in enumerate(chosen, start=1):
        month, (source, _weight) = slots[slot]
        stream = rng.choices(setting.streams, weights=stream_weights)[0]
        owner = rng.choice(OWNERS)
        lead_id = f"L{number:06d}"
        yield [
            CleanEvent(lead_id, kind, moment.astimezone(UTC).replace(microsecond=0), *extra)
            for kind, moment, *extra in _lead(setting, clock, rng, month, source, stream, owner)
            if moment <= setting.end
        ]


def _day_in(month: date, rng: random.Random, clock: _Clock) -> date:
    """A day of the month; leads come less often at weekends."""
    days = ((month + timedelta(days=32)).replace(day=1) - month).days
    for _ in range(3):
        day = month + timedelta(days=rng.randrange(days))
        if clock.working(day) or rng.random() < 0.3:
            break
    return day


def _lead(s: Setting, clock: _Clock, rng: random.Random, month, source, stream, owner) -> list:
    """One lead's events: (event, local moment, source, stream, owner, reason, amount)."""
    quirks = QUIRKS.get(month.month, {})
    stream_name, _share, deal, cycle = stream
    rep, slow, sloppy = owner
    out = []

    def add(kind, moment, reason="", amount=None):
        if kind in ("created", "mql"):
            out.append((kind, moment, source, stream_name, "", reason, amount))
        else:
            out.append((kind, moment, "", "", rep, reason, amount))

    day = _day_in(month, rng, clock)
    if rng.random() >= s.mql_share:  # created, not (yet) qualified
        add("created", clock.any_time(day, rng))
        return out
    mql = clock.any_time(day, rng)
    created = clock.any_time(day - timedelta(days=int(21 * rng.random() ** 2)), rng)
    if created >= mql:
        created = mql - timedelta(minutes=rng.uniform(5, 120))
    add("created", max(created, s.start))
    add("mql", mql)
    if rng.random() < quirks.get("handoff_outage", 0):
        handoff = clock.after(mql, rng.uniform(1.5, 6))
    else:  # the CRM routes it at once; a rep may pick it up after a few minutes
        handoff = mql + timedelta(minutes=rng.uniform(1, 40))
    add("handed_off", handoff)

    if rng.random() < quirks.get("late_response", LATE_RESPONSE) + slow:
        first = clock.after(handoff, rng.uniform(25, 60))
    elif clock.after(handoff, 0) > handoff and rng.random() < 0.15:
        first = handoff + timedelta(minutes=rng.uniform(10, 50))  # answered in the evening
    else:
        first = clock.after(handoff, min(rng.expovariate(1 / 3), 20))
    if rng.random() < quirks.get("late_decision", 0):
        decided = clock.after(handoff, rng.uniform(50, 90))
    else:
        decided = clock.after(handoff, min(rng.expovariate(1 / 10), 46))

    if rng.random() < quirks.get("rejected", REJECTED):
        bad_fit = quirks.get("bad_fit", BAD_FIT)
        others = [code for code in s.rejections if code != "bad-fit"] or s.rejections
        reason = "bad-fit" if rng.random() < bad_fit else rng.choice(others)
        if reason == "wrong-contact" and first >= decided:
            decided = clock.after(first, rng.uniform(0.1, 2))
        if first < decided:
            add("first_contact", first)
        add("rejected", decided, reason)
        return out
    add("accepted", decided)

    ends = handoff + timedelta(days=s.cadence_days, hours=-1)
    short = rng.random() < quirks.get("short_cadence", SHORT_CADENCE) + sloppy
    touches = [first]
    for step in s.steps[1 : rng.randint(3, 6) if short else len(s.steps)]:
        target = clock.at_work(handoff.date() + timedelta(days=step - 1), rng)
        previous = touches[-1]
        if target <= previous:
            target = clock.after(previous, rng.uniform(2, 8))
        if target >= ends:
            target = previous + (ends - previous) * rng.uniform(0.2, 0.5)
        touches.append(target)

    sql = None
    if rng.random() < SQL_SHARE:
        touches = touches[: rng.choice((1, 1, 2, 2, 3))]
        sql = clock.after(max(touches[-1], decided), rng.uniform(0.5, 16))
        if sql >= ends:
            sql = touches[-1] + (ends - touches[-1]) / 2
    for index, moment in enumerate(touches):
        add("first_contact" if index == 0 else "contact_attempt", moment)
    if sql is None:  # worked through the cadence (or given up early): back to marketing
        reason = "no-response" if rng.random() < 0.7 else "timing"
        add(
            "recycled", clock.after(max(touches[-1], decided), rng.uniform(2, 16)), _code(s, reason)
        )
        return out
    add("sql", sql)
    if rng.random() < OPPORTUNITY_SHARE:
        opportunity = clock.after(sql, rng.uniform(4, 60))
        add("opportunity", opportunity)
        closed = clock.at_work(
            (opportunity + timedelta(days=cycle * rng.uniform(0.5, 1.5))).date(), rng
        )
        closed = max(closed, clock.after(opportunity, 8))
        if rng.random() < WIN_RATE:
            amount = max(500, int(float(deal) * rng.lognormvariate(0, 0.3) / 50) * 50)
            add("won", closed, amount=Decimal(amount).quantize(CENT))
        else:
            add("lost", closed, _code(s, rng.choice(("competitor", "no-budget", "timing"))))
    return out


def _code(s: Setting, reason: str) -> str:
    return reason if reason in s.dispositions else s.dispositions[0]


def planned_leads(version) -> int:
    """As many leads as the plan's MQLs for the term need at this generator's MQL share, so the
    MQL volume commitment is met in most months (the misses are the ones made on purpose)."""
    funnel = version.snapshot.get("funnel") or {}
    mqls = sum(
        (month.get("stages") or {}).get("mqls", {}).get("target") or 0
        for month in funnel.get("months", [])
        if month.get("year")
    )
    return round(mqls / mql_share(version)) if mqls else 3000


def seed_demo_events(agreement, *, seed=2027, leads=None) -> int:
    """The demo's year of events stored (through the ingest, as one "seed" batch), measured
    against the signed version in force, and its alerts queued. Does nothing when the agreement
    has events already or no signed version; returns the events stored."""
    version = version_in_force(agreement)
    if version is None or LeadEvent.objects.filter(agreement=agreement).exists():
        return 0
    events = demo_events(agreement, version, seed=seed, leads=leads or planned_leads(version))
    with transaction.atomic():
        batch = EventBatch.objects.create(
            agreement=agreement, channel=EventBatch.Channel.SEED, received=len(events)
        )
        stored = store_events(agreement, events, batch, refresh=False)
        batch.stored, batch.duplicates = stored.stored, stored.duplicates
        batch.save(update_fields=["stored", "duplicates"])
    refresh(agreement)
    send_alerts(agreement)
    return stored.stored
