"""A quarterly review's actual funnel figures, measured from the lead events: the leads that
reached each stage in each month of the review period, in total and per revenue stream and lead
source as the review compares them (its metrics come from the signed version's snapshot)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from agreements.reviews.judging import review_metrics
from agreements.reviews.services import review_fill_measured
from agreements.schedule import months_between
from funnel.presentation import FUNNEL_ORDER

from .models import ComplianceCell

DIMENSIONS = {"stream": "streams", "source": "sources"}


def measured_values(review) -> dict:
    """(metric key, month) -> count, for every funnel metric of the review; KPIs that are not
    funnel stages are left to the people in the review."""
    months = months_between(review.period_start, review.period_end)
    snapshot = review.version.snapshot
    funnel = snapshot.get("funnel") or {}
    rows = (
        ComplianceCell.objects.filter(
            agreement=review.agreement,
            measure__in=[f"stage:{stage}" for stage in FUNNEL_ORDER],
            month__in=months,
        )
        .values("measure", "month", "source", "stream")
        .annotate(n=Sum("count"))
        .order_by()
    )
    totals, by = defaultdict(int), defaultdict(int)
    for row in rows:
        stage = row["measure"].removeprefix("stage:")
        totals[(stage, row["month"])] += row["n"]
        by[(stage, row["month"], "source", row["source"])] += row["n"]
        by[(stage, row["month"], "stream", row["stream"])] += row["n"]
    values = {}
    for metric in review_metrics(snapshot, months):
        parts = metric.key.split(":")
        for month in metric.targets:
            if len(parts) == 1 and parts[0] in FUNNEL_ORDER:
                values[(metric.key, month)] = Decimal(totals[(parts[0], month)])
            elif len(parts) == 3 and parts[1] in DIMENSIONS and parts[2].isdigit():
                stage, dimension, index = parts[0], parts[1], int(parts[2])
                groups = funnel.get(DIMENSIONS[dimension], [])
                if index < len(groups):
                    name = groups[index]["name"]
                    values[(metric.key, month)] = Decimal(by[(stage, month, dimension, name)])
    return values


def fill_review(review, actor) -> int:
    """Store the measured figures in the review (each marked as measured); how many."""
    return review_fill_measured(review=review, actor=actor, values=measured_values(review))
