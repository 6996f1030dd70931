"""Funnel targets as KPIs: the plan's monthly targets kept in step with the plan."""

from math import ceil

from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import Kpi, KpiUnit, OwnerTeam
from .funnel_plan import compute, term_months

# Marketing owns the top of the funnel, sales the rest (DOMAIN.md, section 9).
FUNNEL_KPIS = (
    ("leads", OwnerTeam.MARKETING),
    ("mqls", OwnerTeam.MARKETING),
    ("sqls", OwnerTeam.SALES),
    ("opportunities", OwnerTeam.SALES),
    ("deals", OwnerTeam.SALES),
)


def funnel_kpi_name(stage: str) -> str:
    return {
        "leads": _("Leads per month (funnel plan)"),
        "mqls": _("MQLs per month (funnel plan)"),
        "sqls": _("SQLs per month (funnel plan)"),
        "opportunities": _("Opportunities per month (funnel plan)"),
        "deals": _("Deals per month (funnel plan)"),
    }[stage]


def sync_funnel_kpis(agreement) -> dict[str, int] | None:
    """Upsert one monthly KPI per funnel stage from the plan; drop them when it cannot compute.

    Returns the monthly targets written, or None when the plan does not compute (yet).
    The caller holds the agreement's lock and writes the audit entry.
    """
    outcome = compute(
        agreement,
        list(agreement.funnelstream_rows.all()),
        list(agreement.funnelsource_rows.all()),
    )
    existing = {kpi.funnel_stage: kpi for kpi in agreement.kpi_rows.exclude(funnel_stage="")}
    if not outcome.ok:
        Kpi.objects.filter(pk__in=[kpi.pk for kpi in existing.values()]).delete()
        return None
    months = term_months(agreement) or 1
    top = agreement.kpi_rows.aggregate(top=Max("position"))["top"]
    position = -1 if top is None else top
    targets = {}
    for stage, owner in FUNNEL_KPIS:
        monthly = ceil(getattr(outcome.result.stages, stage) / months)
        targets[stage] = monthly
        kpi = existing.get(stage)
        if kpi is None:
            position += 1
            Kpi.objects.create(
                agreement=agreement,
                position=position,
                name=funnel_kpi_name(stage),
                owner_team=owner,
                target=monthly,
                unit=KpiUnit.COUNT,
                frequency="monthly",
                funnel_stage=stage,
            )
        elif kpi.target != monthly:
            Kpi.objects.filter(pk=kpi.pk).update(target=monthly, revision=kpi.revision + 1)
    return targets
