"""The monthly cells, aggregated by the database from the lead records: per month, source,
stream and owner, each commitment's met / missed / pending leads, each funnel stage's leads
(and won revenue), each rejection reason and the response-time distribution.

`judged(commitment, calendar)` says which leads a commitment counts and how each is judged;
the drill-down (selectors.py) lists the missed leads with the same conditions.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, Sum

from agreements.models import CommitmentMetric as M

from .models import ComplianceCell, LeadRecord

GROUP = ("source", "stream", "owner")
# Funnel stages (the plan's names) and the month each is reached in; "sals" are hand-offs
# sales accepted, "handoffs" every hand-off.
STAGE_MONTHS = {
    "leads": "created_month",
    "mqls": "mql_month",
    "handoffs": "handoff_month",
    "sals": "accepted_month",
    "sqls": "sql_month",
    "opportunities": "opportunity_month",
    "deals": "won_month",
}
# Response-time distribution, in business hours: [low, high) per bucket.
RESPONSE_BUCKETS = [(0, 1), (1, 4), (4, 8), (8, 24), (24, 48), (48, None)]


@dataclass(frozen=True)
class Judged:
    month_field: str
    counted: Q  # the leads the commitment counts
    met: Q
    missed: Q
    pending: Q


def _clock(prefix: str, month_field: str, hours: float) -> Judged:
    value, done = f"{prefix}_hours", f"{prefix}_done"
    return Judged(
        month_field,
        Q(**{f"{value}__isnull": False, f"{month_field}__isnull": False}),
        Q(**{done: True, f"{value}__lte": hours}),
        Q(**{f"{value}__gt": hours}),
        Q(**{done: False, f"{value}__lte": hours}),
    )


def judged(commitment, calendar) -> Judged | None:
    metric = commitment.metric
    if metric == M.RESPONSE_TIME:
        return _clock("response", "clock_month", commitment.threshold_hours(calendar))
    if metric == M.HANDOFF_TIME:
        return _clock("handoff", "mql_month", commitment.threshold_hours(calendar))
    if metric == M.ACCEPTANCE:
        return _clock("decision", "handoff_month", commitment.threshold_hours(calendar))
    if metric == M.ATTEMPTS:
        needed = int(commitment.threshold)
        enough = Q(attempts__gte=needed) | Q(converted_in_cadence=True)
        return Judged(
            "clock_month",
            Q(cadence_ends_at__isnull=False, clock_month__isnull=False),
            enough,
            ~enough & Q(cadence_done=True),
            ~enough & Q(cadence_done=False),
        )
    if metric == M.REJECTION_RATE:
        decided = Q(handoff_month__isnull=False, decision_done=True, decision_hours__isnull=False)
        return Judged(
            "handoff_month",
            decided,
            Q(rejected=False),  # "met" here: accepted; the page compares the rejected share
            Q(rejected=True),
            Q(pk__isnull=True),  # a decided hand-off is never pending
        )
    return None  # mql_volume: judged from the stage cells against the plan


def _grouped(records, month_field, **aggregates):
    rows = records.values(month_field, *GROUP).annotate(**aggregates).order_by()
    for row in rows:
        yield row.pop(month_field), row


def rebuild_cells(agreement, plan) -> int:
    records = LeadRecord.objects.filter(agreement=agreement)
    cells = []

    def add(month, row, measure, count, outcome="", amount=None):
        if count:
            cells.append(
                ComplianceCell(
                    agreement=agreement,
                    month=month,
                    source=row["source"],
                    stream=row["stream"],
                    owner=row["owner"],
                    measure=measure,
                    outcome=outcome,
                    count=count,
                    amount=amount,
                )
            )

    for commitment in plan.commitments:
        rule = judged(commitment, plan.calendar)
        if rule is None:
            continue
        counted = records.filter(rule.counted)
        for month, row in _grouped(
            counted,
            rule.month_field,
            met=Count("pk", filter=rule.met),
            missed=Count("pk", filter=rule.missed),
            pending=Count("pk", filter=rule.pending),
        ):
            for outcome in ("met", "missed", "pending"):
                add(month, row, commitment.key, row[outcome], outcome)

    for stage, month_field in STAGE_MONTHS.items():
        extra = {"amount": Sum("won_amount")} if stage == "deals" else {}
        reached = records.filter(**{f"{month_field}__isnull": False})
        for month, row in _grouped(reached, month_field, n=Count("pk"), **extra):
            add(month, row, f"stage:{stage}", row["n"], amount=row.get("amount"))

    rejected = records.filter(rejected=True, handoff_month__isnull=False)
    rows = rejected.values("handoff_month", "reject_reason", *GROUP).annotate(n=Count("pk"))
    for row in rows.order_by():
        add(row["handoff_month"], row, f"reason:{row['reject_reason']}", row["n"])

    buckets = {
        f"b{index}": Count(
            "pk",
            filter=Q(response_hours__gte=low)
            & (Q(response_hours__lt=high) if high is not None else Q()),
        )
        for index, (low, high) in enumerate(RESPONSE_BUCKETS)
    }
    answered = records.filter(response_done=True, response_hours__isnull=False)
    for month, row in _grouped(
        answered.filter(clock_month__isnull=False), "clock_month", **buckets
    ):
        for index in range(len(RESPONSE_BUCKETS)):
            add(month, row, f"response:{index}", row[f"b{index}"])

    with transaction.atomic():
        ComplianceCell.objects.filter(agreement=agreement).delete()
        ComplianceCell.objects.bulk_create(cells, batch_size=2000)
    return len(cells)
