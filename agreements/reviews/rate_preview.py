"""A review's actual conversion rates in a revision's funnel plan: what applying them changes,
shown before it is done (the editor's funnel section and the review page both offer it).

Which rate each revenue stream and lead source gets is the review service's rule
(services.apply_actual_rates). The confirmation runs that same service in a transaction
it then rolls back, so what it shows is exactly what applying does, with no second copy of the
rule; everything the service writes goes with the rollback (the rows, the plan's KPIs, the audit
entry, and anything queued to run on commit).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.text import capfirst

from slaportal.l10n import format_percent

from ..authoring import rates
from ..authoring.problems import PATH_SEPARATOR, field_label
from ..authoring.row_kinds import ROW_KINDS
from ..authoring.row_table import EMPTY, kpi_target
from ..models import FunnelStream
from . import services as review_services

RATE_NAMES = ("lead_to_mql_rate", "mql_to_sql_rate", "sql_to_opportunity_rate", "win_rate")


@dataclass(frozen=True)
class Change:
    where: str  # the list and the row (joined by PATH_SEPARATOR), or the KPIs' list
    label: str  # the rate or the KPI
    before: str
    after: str


def _plan_figures(agreement) -> dict:
    """What applying may change: each stream's and source's rates, each plan KPI's target."""
    figures = {}
    for kind_key in ("streams", "sources"):
        kind = ROW_KINDS[kind_key]
        for row in kind.model.objects.filter(agreement=agreement).order_by("position", "id"):
            where = f"{kind.title}{PATH_SEPARATOR}{row.name}"
            for name in RATE_NAMES:
                label = field_label(kind.model, name)
                figures[(kind_key, row.pk, name)] = (where, label, getattr(row, name))
    kpis = str(ROW_KINDS["kpis"].title)
    for kpi in agreement.kpi_rows.exclude(funnel_stage="").order_by("position", "id"):
        target = kpi_target(kpi, agreement.currency)
        figures[("kpis", kpi.funnel_stage)] = (kpis, kpi.name, target)
    return figures


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return rates.shown(value)
    return EMPTY if value in (None, "") else str(value)


def preview_actual_rates(*, agreement, review, actor) -> list[Change]:
    """Every figure of the draft's plan that applying the review's actual rates would change,
    before and after. Raises DomainError where applying would (not a draft, no actuals)."""
    before = _plan_figures(agreement)
    with transaction.atomic():
        review_services.apply_actual_rates(agreement=agreement, review=review, actor=actor)
        after = _plan_figures(agreement)
        transaction.set_rollback(True)  # a preview: nothing it did is kept
    changes = []
    for key in [*after, *(key for key in before if key not in after)]:
        where, label, old = before.get(key, (*after[key][:2], None))
        value = after[key][2] if key in after else None
        if old != value:
            changes.append(Change(where, str(label), _shown(old), _shown(value)))
    return changes


def describe_applied(applied: dict[str, str]) -> str:
    """The service's summary ({"SMB: win_rate": "25%"}) for people: "SMB: Win rate ... 25 %"."""
    parts = []
    for key, shown in applied.items():
        row, _sep, name = key.rpartition(": ")
        try:
            label = field_label(FunnelStream, name)
        except FieldDoesNotExist:  # shown as the service wrote it
            label = capfirst(name.replace("_", " "))
        if shown.endswith("%"):
            shown = format_percent(Decimal(shown[:-1]) / 100)
        parts.append(f"{row}: {label} {shown}" if row else f"{label} {shown}")
    return "; ".join(parts)
