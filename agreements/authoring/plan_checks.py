"""The questions a RevOps lead asks of a funnel plan before signing it.

Warnings (`plan_warnings`) are shown in the editor and the preview, and printed in the contract
while they stand: a plan that loses money on every deal, or spends more on leads than the share
of revenue below. Contradictions (`kpi_contradictions`) block submission: a KPI that restates a
plan figure with another number.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .funnel_targets import INPUT_UNITS, input_kpi_name, plan_figures

# Lead cost above this share of the revenue it is meant to win is flagged. A quarter of new
# revenue spent on leads alone (before salaries, tools and the sales team's time) is where a
# revenue leader stops the plan.
LEAD_COST_SHARE_LIMIT = Decimal("0.25")


def _amount(value: Decimal, currency: str) -> str:
    return f"{currency} {number_format(value, 2, force_grouping=True)}".strip()


def plan_warnings(funnel: dict | None, currency: str) -> list[str]:
    """Sanity warnings about a computed plan (the engine's `to_dict()`); empty when it holds."""
    if not funnel or funnel.get("cost") is None:
        return []
    warnings = []
    deals = funnel["stages"]["deals"]
    revenue, cost = Decimal(funnel["revenue_target"]), Decimal(funnel["cost"])
    if deals and cost / deals >= revenue / deals:
        warnings.append(
            _(
                "The plan loses money: its lead cost per won deal (%(cost)s) is at or above the "
                "revenue per deal (%(deal)s). Lower the cost per lead or raise the conversion "
                "rates."
            )
            % {
                "cost": _amount(cost / deals, currency),
                "deal": _amount(revenue / deals, currency),
            }
        )
    elif revenue and cost > revenue * LEAD_COST_SHARE_LIMIT:
        warnings.append(
            _(
                "Lead cost for the term (%(cost)s) is %(share)s%% of the revenue target, above "
                "the %(limit)s%% a plan should spend on leads."
            )
            % {
                "cost": _amount(cost, currency),
                "share": number_format(cost * 100 / revenue, 1),
                "limit": number_format(LEAD_COST_SHARE_LIMIT * 100, 0),
            }
        )
    return warnings


def _normalized(name: str) -> str:
    return " ".join(name.casefold().split())


def kpi_contradictions(kpis, funnel: dict | None, language: str) -> list[str]:
    """Free KPIs that restate a plan figure under its name with a different target."""
    if not funnel:
        return []
    figures = plan_figures(funnel)
    with translation.override(language or None):
        restated = {_normalized(input_kpi_name(key)): key for key in INPUT_UNITS}
    problems = []
    for kpi in kpis:
        key = restated.get(_normalized(kpi.name))
        if kpi.funnel_stage or key is None or key not in figures:
            continue
        if Decimal(kpi.target).quantize(Decimal("0.01")) != figures[key]:
            problems.append(
                _(
                    "The KPI “%(name)s” says %(target)s, but the funnel plan gives %(plan)s. "
                    "Remove it (the plan's own KPI shows that figure) or change the plan."
                )
                % {
                    "name": kpi.name,
                    "target": number_format(kpi.target, 2, force_grouping=True),
                    "plan": number_format(figures[key], 2, force_grouping=True),
                }
            )
    return problems
