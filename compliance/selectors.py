"""Read paths for the compliance pages: the agreement's plan and figures, and the leads behind a
commitment's month (the drill-down)."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from agreements.models import CommitmentMetric as M

from .aggregate import judged
from .commitments import Plan, plan_of, version_in_force
from .models import LeadRecord, Measurement

DRILL_PAGE = 100
# Per measure: when its clock started, when it stopped, and the hours between.
CLOCK_FIELDS = {
    M.HANDOFF_TIME: ("mql_at", "handed_off_at", "handoff_hours"),
    M.RESPONSE_TIME: ("clock_started_at", "first_touch_at", "response_hours"),
    M.ACCEPTANCE: ("handed_off_at", "decided_at", "decision_hours"),
    M.ATTEMPTS: ("clock_started_at", "cadence_ends_at", None),
    M.REJECTION_RATE: ("handed_off_at", "decided_at", "decision_hours"),
}


def measured_plan(agreement) -> Plan | None:
    version = version_in_force(agreement)
    return plan_of(version) if version else None


def measurement_of(agreement) -> Measurement | None:
    return Measurement.objects.filter(agreement=agreement).first()


@dataclass(frozen=True)
class DrillDown:
    commitment: object
    month: date
    outcome: str
    leads: list
    total: int
    page: int
    pages: int
    started_field: str
    stopped_field: str | None
    hours_field: str | None


def drill_down(agreement, plan: Plan, index: int, month: date, outcome: str, page: int):
    commitment = next((c for c in plan.commitments if c.index == index), None)
    if commitment is None:
        raise Http404("No such measured commitment")
    rule = judged(commitment, plan.calendar)
    if rule is None:
        raise Http404("This commitment is judged from the stage counts, not lead by lead")
    condition = {"met": rule.met, "missed": rule.missed, "pending": rule.pending}[outcome]
    leads = LeadRecord.objects.filter(
        rule.counted, condition, agreement=agreement, **{rule.month_field: month}
    ).order_by("clock_started_at", "lead_id")
    total = leads.count()
    pages = max(1, -(-total // DRILL_PAGE))
    page = min(max(page, 1), pages)
    started, stopped, hours = CLOCK_FIELDS[commitment.metric]
    shown = list(leads[(page - 1) * DRILL_PAGE : page * DRILL_PAGE])
    return DrillDown(commitment, month, outcome, shown, total, page, pages, started, stopped, hours)
