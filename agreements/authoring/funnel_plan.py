"""The agreement's funnel plan: its rows turned into the calculator's input, and the result.

The revenue target and the term come from the agreement (sections 2 and 3); streams and lead
sources are rows of section 9. The computed targets become funnel KPIs (see services).
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext as _

from funnel.calculator import FunnelInputError, FunnelResult, calculate
from funnel.charts import funnel_svg
from funnel.presentation import FUNNEL_ORDER, STAGE_LABELS, decorate

from . import rates

RATE_NAMES = ("win_rate", "sql_to_opportunity_rate", "mql_to_sql_rate", "lead_to_mql_rate")


def term_months(agreement) -> int | None:
    start, end = agreement.effective_date, agreement.end_date
    if not (start and end) or end <= start:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day >= start.day else 0) or 1


def plan_mapping(agreement, streams, sources) -> dict:
    data = {
        "revenue_target": str(agreement.revenue_target) if agreement.revenue_target else "",
        "term_months": str(term_months(agreement) or ""),
        "streams": [
            {
                "name": stream.name,
                "share": rates.display(stream.share),
                "average_deal_size": str(stream.average_deal_size),
                "sales_cycle_days": str(stream.sales_cycle_days),
                **{name: rates.display(getattr(stream, name)) for name in RATE_NAMES},
            }
            for stream in streams
        ],
        "sources": [
            {
                "name": source.name,
                "share": rates.display(source.share),
                **(
                    {"cost_per_lead": str(source.cost_per_lead)}
                    if source.cost_per_lead is not None
                    else {}
                ),
                **{
                    name: rates.display(getattr(source, name))
                    for name in RATE_NAMES
                    if getattr(source, name) is not None
                },
            }
            for source in sources
        ],
    }
    if agreement.effective_date:
        data["start"] = f"{agreement.effective_date:%Y-%m}"
    return data


@dataclass(frozen=True)
class FunnelOutcome:
    result: FunnelResult | None
    errors: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.result is not None


# Bump when the engine's results for the same plan change, so no stale result is served.
FUNNEL_CACHE_VERSION = 1
FUNNEL_CACHE_SECONDS = 3600


def compute(agreement, streams, sources) -> FunnelOutcome:
    """The plan's funnel, computed once per plan state: the outcome is cached under a hash of
    exactly what the engine reads (and the language its messages are in), so every editor
    page of an unchanged draft reuses it and any edited figure computes afresh."""
    if not streams:
        return FunnelOutcome(None, {})
    plan = plan_mapping(agreement, streams, sources)
    digest = hashlib.sha256(
        json.dumps([plan, translation.get_language()], sort_keys=True).encode()
    ).hexdigest()
    key = f"funnel-outcome:{FUNNEL_CACHE_VERSION}:{digest}"
    cache = caches["funnel"]
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        outcome = FunnelOutcome(calculate(plan), {})
    except FunnelInputError as error:
        outcome = FunnelOutcome(None, error.errors)
    cache.set(key, outcome, FUNNEL_CACHE_SECONDS)
    return outcome


def compute_for(doc) -> FunnelOutcome:
    return compute(doc.agreement, doc.rows["streams"], doc.rows["sources"])


def funnel_context(doc) -> dict | None:
    """The funnel targets laid out for the editor and the contract: stage rows, tables and the
    SVG chart."""
    targets = doc.funnel_targets()
    if targets is None:
        return None
    funnel = decorate(targets)
    funnel["chart"] = funnel_svg(
        [(row["label"], row["count"]) for row in funnel["stage_rows"]], title=str(_("Funnel"))
    )
    funnel["stage_labels"] = [STAGE_LABELS[key] for key in FUNNEL_ORDER]
    return funnel
