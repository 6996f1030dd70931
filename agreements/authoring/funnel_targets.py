"""KPIs that follow the funnel plan: one source of truth for every number the plan decides.

Two kinds of KPI rows carry a plan key (`Kpi.funnel_stage`) and are kept in step with the plan
on every change to it; people cannot edit them, only the plan:

- the stage KPIs (leads, MQLs, SQLs, opportunities, deals): the term's total, which is the sum of
  the monthly targets in the funnel table (each month obeys the rounding rule on its own);
- the plan-input KPIs a template or a person links to the plan (conversion rates, win rate,
  sales cycle, cost per lead, revenue): the plan's own figure, blended across its streams or
  sources where it has several, and labelled so.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Kpi, KpiDirection, KpiPeriod, KpiUnit, OwnerTeam
from ..typography import parenthetical
from .funnel_plan import compute

# Marketing owns the top of the funnel, sales the rest.
STAGE_KPIS = (
    ("leads", OwnerTeam.MARKETING),
    ("mqls", OwnerTeam.MARKETING),
    ("sqls", OwnerTeam.SALES),
    ("opportunities", OwnerTeam.SALES),
    ("deals", OwnerTeam.SALES),
)
STAGE_KEYS = frozenset(stage for stage, _owner in STAGE_KPIS)

# Plan inputs a KPI can restate, with the unit its target is in.
INPUT_UNITS = {
    "lead_to_mql_rate": KpiUnit.PERCENT,
    "mql_to_sql_rate": KpiUnit.PERCENT,
    "sql_to_opportunity_rate": KpiUnit.PERCENT,
    "win_rate": KpiUnit.PERCENT,
    "sales_cycle_days": KpiUnit.DAYS,
    "cost_per_lead": KpiUnit.CURRENCY,
    "revenue": KpiUnit.CURRENCY,
}
# Each rate and the stage it converts into: the stage whose volume weighs the blend.
RATE_STAGES = {
    "lead_to_mql_rate": "mqls",
    "mql_to_sql_rate": "sqls",
    "sql_to_opportunity_rate": "opportunities",
    "win_rate": "deals",
}
CENT = Decimal("0.01")

# Which way is good for each plan figure, and what its target covers. Too many leads or MQLs
# flood sales, so those two aim at the target; more SQLs, opportunities and deals are better.
PLAN_KPI_SHAPE = {
    "leads": (KpiDirection.ON_TARGET, KpiPeriod.TERM),
    "mqls": (KpiDirection.ON_TARGET, KpiPeriod.TERM),
    "sqls": (KpiDirection.HIGHER, KpiPeriod.TERM),
    "opportunities": (KpiDirection.HIGHER, KpiPeriod.TERM),
    "deals": (KpiDirection.HIGHER, KpiPeriod.TERM),
    "lead_to_mql_rate": (KpiDirection.HIGHER, KpiPeriod.MONTH),
    "mql_to_sql_rate": (KpiDirection.HIGHER, KpiPeriod.MONTH),
    "sql_to_opportunity_rate": (KpiDirection.HIGHER, KpiPeriod.MONTH),
    "win_rate": (KpiDirection.HIGHER, KpiPeriod.QUARTER),
    "sales_cycle_days": (KpiDirection.LOWER, KpiPeriod.QUARTER),
    "cost_per_lead": (KpiDirection.LOWER, KpiPeriod.MONTH),
    "revenue": (KpiDirection.HIGHER, KpiPeriod.TERM),
}


def stage_kpi_name(stage: str) -> str:
    return {
        "leads": _("Leads over the term"),
        "mqls": _("MQLs over the term"),
        "sqls": _("SQLs over the term"),
        "opportunities": _("Opportunities over the term"),
        "deals": _("Deals over the term"),
    }[stage]


def input_kpi_name(key: str) -> str:
    return {
        "lead_to_mql_rate": _("Lead to MQL conversion"),
        "mql_to_sql_rate": _("MQL to SQL conversion"),
        "sql_to_opportunity_rate": _("SQL to opportunity conversion"),
        "win_rate": _("Win rate"),
        "sales_cycle_days": _("Sales cycle length"),
        "cost_per_lead": _("Cost per lead"),
        "revenue": _("Marketing-sourced revenue over the term"),
    }[key]


def _blended_label(name: str, streams: int, sources: int, key: str) -> str:
    """The KPI's name, saying when its figure blends several streams or sources."""
    by_source = key in ("lead_to_mql_rate", "cost_per_lead")
    count = sources if by_source else streams
    if key == "revenue" or count < 2:
        return name
    if by_source:
        blend = ngettext(
            "blended across %(count)d lead source", "blended across %(count)d lead sources", count
        )
    else:
        blend = ngettext(
            "blended across %(count)d revenue stream",
            "blended across %(count)d revenue streams",
            count,
        )
    return name + parenthetical(blend % {"count": count})


def _hundredths(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def plan_figures(funnel: dict) -> dict[str, Decimal]:
    """Every figure a KPI can take from a computed plan (the engine's `to_dict()`, live or
    frozen in a version), in the KPI's unit: counts, percent, days, money."""
    stages = funnel["stages"]
    figures = {stage: Decimal(stages[stage]) for stage in STAGE_KEYS}
    cells = [cell for stream in funnel["streams"] for cell in stream["sources"]]
    for key, converted in RATE_STAGES.items():
        # The plan's own rates, blended so that the blended rate turns the plan's volume
        # before this step into its volume after it (the unrounded funnel): one stream and
        # source at 23% gives 23%, whatever the months' rounding adds on top.
        after = sum(cell["stages"][converted] for cell in cells)
        before = sum(
            Decimal(cell["stages"][converted]) / Decimal(cell["rates"][key]) for cell in cells
        )
        if after:
            figures[key] = _hundredths(Decimal(after * 100) / before)
    revenue = Decimal(funnel["revenue_target"])
    figures["revenue"] = revenue
    if revenue:
        weighted = sum(
            Decimal(stream["revenue_target"]) * stream["sales_cycle_days"]
            for stream in funnel["streams"]
        )
        figures["sales_cycle_days"] = _hundredths(weighted / revenue)
    if funnel.get("cost") is not None and stages["leads"]:
        figures["cost_per_lead"] = _hundredths(Decimal(funnel["cost"]) / stages["leads"])
    return figures


def sync_funnel_kpis(agreement) -> dict[str, str] | None:
    """Bring every plan-linked KPI in step with the plan, in the agreement's language.

    Stage KPIs are created, updated, or dropped when the plan cannot compute; linked input KPIs
    keep their last figure until it can. Returns the figures written (as text, for the audit
    trail), or None when the plan does not compute (yet). The caller holds the agreement's lock.
    """
    outcome = compute(
        agreement,
        list(agreement.funnelstream_rows.all()),
        list(agreement.funnelsource_rows.all()),
    )
    linked = {kpi.funnel_stage: kpi for kpi in agreement.kpi_rows.exclude(funnel_stage="")}
    if not outcome.ok:
        stale = [kpi.pk for key, kpi in linked.items() if key in STAGE_KEYS]
        Kpi.objects.filter(pk__in=stale).delete()
        return None
    result = outcome.result
    figures = plan_figures(result.to_dict())
    streams, sources = len(result.streams), len(result.sources)
    top = agreement.kpi_rows.aggregate(top=Max("position"))["top"]
    position = -1 if top is None else top
    written = {}
    with translation.override(agreement.language or None):
        for stage, owner in STAGE_KPIS:
            if stage not in linked:
                position += 1
                linked[stage] = Kpi(
                    agreement=agreement,
                    position=position,
                    owner_team=owner,
                    unit=KpiUnit.COUNT,
                    frequency="monthly",
                    funnel_stage=stage,
                )
        for key, kpi in linked.items():
            if key not in figures:
                continue  # e.g. a cost per lead while a source has no cost yet
            if key in STAGE_KEYS:
                name = stage_kpi_name(key)
            else:
                name = _blended_label(input_kpi_name(key), streams, sources, key)
            written[key] = str(figures[key])
            direction, period = PLAN_KPI_SHAPE[key]
            _save_if_changed(
                kpi,
                name=name,
                target=figures[key],
                unit=kpi.unit or INPUT_UNITS[key],
                direction=direction,
                period=period,
            )
    return written


def _save_if_changed(kpi, **values) -> None:
    if kpi.pk is None:
        for field, value in values.items():
            setattr(kpi, field, value)
        kpi.save()
        return
    if any(getattr(kpi, field) != value for field, value in values.items()):
        Kpi.objects.filter(pk=kpi.pk).update(**values, revision=kpi.revision + 1)
