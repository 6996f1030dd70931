"""The compliance page's figures, summed from the monthly cells: each commitment met or missed per
month with its figure, threshold and trend; the response-time distribution; rejection reasons;
funnel actuals against the plan's monthly targets and bands; compliance per owner.

Figures are Decimals of percent (95.24 for 95.24%) or counts; templates format them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from agreements.models import CommitmentMetric as M

from .aggregate import RESPONSE_BUCKETS, STAGE_MONTHS
from .commitments import MeasuredCommitment, Plan
from .models import ComplianceCell

PLAN_STAGES = ("leads", "mqls", "sqls", "opportunities", "deals")
# Conversion rates shown per month: (from, to).
CONVERSIONS = [
    ("leads", "mqls"),
    ("mqls", "sqls"),
    ("sqls", "opportunities"),
    ("opportunities", "deals"),
]
STAGE_LABELS = {
    "leads": _("Leads"),
    "mqls": _("MQLs"),
    "handoffs": _("Hand-offs"),
    "sals": _("Accepted by sales"),
    "sqls": _("SQLs"),
    "opportunities": _("Opportunities"),
    "deals": _("Deals won"),
}
MET, MISSED, ON_COURSE, AT_RISK, NO_DATA = "met", "missed", "on_course", "at_risk", "no_data"
HUNDRED = Decimal(100)


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class MonthFigure:
    month: date
    met: int = 0
    missed: int = 0
    pending: int = 0
    figure: Decimal | None = None  # the compliance figure, in percent
    verdict: str = NO_DATA
    trend: Decimal | None = None  # points against the month before
    target: int | None = None  # MQL volume: the plan's MQL target
    actual: int | None = None


@dataclass
class CommitmentReport:
    commitment: MeasuredCommitment
    months: list[MonthFigure] = field(default_factory=list)

    @property
    def lower_is_better(self) -> bool:
        return self.commitment.metric == M.REJECTION_RATE

    @property
    def required(self) -> Decimal:
        """The figure a month must reach (or stay under, for the rejected share)."""
        c = self.commitment
        if c.metric == M.REJECTION_RATE:
            return c.threshold
        if c.metric == M.MQL_VOLUME:
            return HUNDRED - c.threshold
        return c.share

    @property
    def months_missed(self) -> int:
        return sum(1 for month in self.months if month.verdict == MISSED)


def months_of_term(plan: Plan, today: date) -> list[date]:
    """The term's months up to this month (the snapshot's effective and end dates)."""
    data = plan.version.snapshot["agreement"]
    start, end = data.get("effective_date"), data.get("end_date")
    if not start:
        return []
    month = date.fromisoformat(start).replace(day=1)
    last = date.fromisoformat(end).replace(day=1) if end else month
    last = min(last, today.replace(day=1))
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def cells(agreement, filters: dict):
    queryset = ComplianceCell.objects.filter(agreement=agreement, **filters)
    return (
        queryset.values("measure", "outcome", "month")
        .annotate(n=Sum("count"), amount=Sum("amount"))
        .order_by()
    )


def _judge(report: CommitmentReport, figure: MonthFigure, current: bool) -> None:
    c = report.commitment
    if c.metric == M.MQL_VOLUME:
        figure.figure = percent(figure.actual or 0, figure.target) if figure.target else None
    elif c.metric == M.REJECTION_RATE:
        figure.figure = percent(figure.missed, figure.met + figure.missed)
    else:
        figure.figure = percent(figure.met, figure.met + figure.missed)
    if figure.figure is None:
        figure.verdict = NO_DATA
        return
    ok = (
        figure.figure <= report.required
        if report.lower_is_better
        else figure.figure >= report.required
    )
    if current:
        figure.verdict = ON_COURSE if ok else AT_RISK
    else:
        figure.verdict = MET if ok else MISSED


def plan_targets(plan: Plan, filters: dict) -> dict[date, dict]:
    """The frozen plan's monthly stage targets by month: {stage: {target, low, high}}. Filtered
    to one source or one stream, that one's targets (the plan has no band for them); to an
    owner, or a source and a stream, none (the plan does not split them so)."""
    targets = {}
    if "owner" in filters or ("source" in filters and "stream" in filters):
        return targets
    for month in (plan.funnel or {}).get("months", []):
        if not (month.get("year") and month.get("month")):
            continue
        key = date(month["year"], month["month"], 1)
        if "source" in filters or "stream" in filters:
            kind, name = (
                ("sources", filters["source"])
                if "source" in filters
                else ("streams", filters["stream"])
            )
            found = next((item for item in month.get(kind, []) if item["name"] == name), None)
            if found:
                targets[key] = {
                    stage: {"target": count, "low": None, "high": None}
                    for stage, count in found["stages"].items()
                }
        else:
            targets[key] = month["stages"]
    return targets


def build(agreement, plan: Plan, filters: dict, today: date) -> dict:
    current = today.replace(day=1)
    sums = defaultdict(int)
    amounts = defaultdict(Decimal)
    latest = current
    for row in cells(agreement, filters):
        key = (row["measure"], row["outcome"], row["month"])
        sums[key] += row["n"] or 0
        latest = max(latest, row["month"])
        if row["amount"] is not None:
            amounts[key] += row["amount"]
    # Up to this month, or further when events are dated later (a demo's term to come).
    months = months_of_term(plan, latest)
    targets = plan_targets(plan, filters)

    commitments = []
    for c in plan.commitments:
        report = CommitmentReport(c)
        previous = None
        for month in months:
            figure = MonthFigure(month)
            if c.metric == M.MQL_VOLUME:
                figure.actual = sums[("stage:mqls", "", month)]
                figure.target = (targets.get(month) or {}).get("mqls", {}).get("target")
            else:
                figure.met = sums[(c.key, "met", month)]
                figure.missed = sums[(c.key, "missed", month)]
                figure.pending = sums[(c.key, "pending", month)]
            _judge(report, figure, month == current)
            if previous is not None and previous.figure is not None and figure.figure is not None:
                figure.trend = figure.figure - previous.figure
            previous = figure
            report.months.append(figure)
        commitments.append(report)

    funnel = []
    for month in months:
        stages = {}
        for stage in STAGE_MONTHS:
            actual = sums[(f"stage:{stage}", "", month)]
            band = (targets.get(month) or {}).get(stage)
            stages[stage] = {
                "actual": actual,
                "target": band["target"] if band else None,
                "low": band["low"] if band else None,
                "high": band["high"] if band else None,
                "within": bool(band and band["low"] is not None)
                and band["low"] <= actual <= band["high"],
                "below": bool(band and band["low"] is not None) and actual < band["low"],
            }
        rates = {
            f"{a}-{b}": percent(stages[b]["actual"], stages[a]["actual"]) for a, b in CONVERSIONS
        }
        revenue = amounts[("stage:deals", "", month)]
        funnel.append({"month": month, "stages": stages, "rates": rates, "revenue": revenue})

    term = set(months)
    distribution = [
        {"bucket": bucket, "count": sum(sums[(f"response:{i}", "", m)] for m in term)}
        for i, bucket in enumerate(RESPONSE_BUCKETS)
    ]
    reasons = defaultdict(int)
    for (measure, _outcome, month), n in sums.items():
        if measure.startswith("reason:") and month in term:
            reasons[measure.removeprefix("reason:")] += n
    rejected = sum(reasons.values())
    return {
        "months": months,
        "current_month": current,
        "commitments": commitments,
        "funnel": funnel,
        "stage_labels": STAGE_LABELS,
        "distribution": distribution,
        "answered": sum(item["count"] for item in distribution),
        "reasons": [
            {"reason": reason, "count": n, "share": percent(n, rejected)}
            for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        ],
        "rejected": rejected,
        "revenue": sum((item["revenue"] for item in funnel), Decimal(0)),
        "currency": plan.currency,
    }


def by_owner(agreement, plan: Plan, filters: dict, months: list[date]) -> list[dict]:
    """Each owner's compliance with each commitment over the months shown."""
    rows = (
        ComplianceCell.objects.filter(
            agreement=agreement, measure__startswith="commitment:", month__in=months, **filters
        )
        .values("owner", "measure", "outcome")
        .annotate(n=Sum("count"))
        .order_by()
    )
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["owner"]][(row["measure"], row["outcome"])] += row["n"]
    owners = []
    for owner in sorted(counts):
        figures = []
        for c in plan.commitments:
            met, missed = counts[owner][(c.key, "met")], counts[owner][(c.key, "missed")]
            share = percent(missed if c.metric == M.REJECTION_RATE else met, met + missed)
            figures.append({"commitment": c, "figure": share, "met": met, "missed": missed})
        owners.append({"owner": owner, "figures": figures})
    return owners


def groups(agreement) -> dict[str, list[str]]:
    """The sources, streams and owners the events name (the page's filters)."""
    found = {"source": set(), "stream": set(), "owner": set()}
    rows = (
        ComplianceCell.objects.filter(agreement=agreement)
        .values_list("source", "stream", "owner")
        .distinct()
    )
    for source, stream, owner in rows:
        found["source"].add(source)
        found["stream"].add(stream)
        found["owner"].add(owner)
    return {key: sorted(value - {""}) for key, value in found.items()}
