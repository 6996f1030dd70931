"""The questions a RevOps lead asks of a funnel plan before signing it.

Warnings (`plan_warnings`) are shown in the editor and the preview, and printed in the contract
while they stand: a plan that loses money on every deal, or spends more on leads than the share
of revenue below. Contradictions (`kpi_contradictions`) block submission: a KPI that restates a
plan figure with another number.
"""

import calendar
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from slaportal.l10n import format_money, format_month, format_number, format_percent

from ..typography import quoted
from .funnel_targets import INPUT_UNITS, input_kpi_name, plan_figures

# Lead cost above this share of the revenue it is meant to win is flagged. A quarter of new
# revenue spent on leads alone (before salaries, tools and the sales team's time) is where a
# revenue leader stops the plan.
LEAD_COST_SHARE_LIMIT = Decimal("0.25")


def _amount(value: Decimal, currency: str) -> str:
    return format_money(value, currency) if currency else format_number(value, 2)


def _working_days_in(year: int, month: int, working_days: str) -> int:
    days = calendar.monthrange(year, month)[1]
    return sum(
        1 for day in range(1, days + 1) if str(date(year, month, day).isoweekday()) in working_days
    )


def follow_up_warning(funnel: dict | None, agreement, attempts_per_lead: int) -> str | None:
    """More new MQLs per sales rep and working day than the follow-up cadence lets a rep work,
    in the plan's busiest month."""
    reps, per_day = agreement.sales_reps, agreement.rep_daily_attempts
    if not funnel or not reps or not per_day or not attempts_per_lead:
        return None
    busiest = None
    for month in funnel["months"]:
        if not month.get("year"):
            continue
        days = _working_days_in(month["year"], month["month"], agreement.working_days or "12345")
        mqls = month["stages"]["mqls"]["target"]
        if days and (busiest is None or mqls / days > busiest[0]):
            busiest = (Decimal(mqls) / days, month, mqls)
    if busiest is None:
        return None
    per_rep = busiest[0] / reps
    allowed = Decimal(per_day) / attempts_per_lead
    if per_rep <= allowed:
        return None
    month = busiest[1]
    return _(
        "In %(month)s the plan hands sales %(mqls)s MQLs: %(per_rep)s new MQLs per rep and "
        "working day for %(reps)s reps, but %(attempts)s contact attempts per lead at %(per_day)s "
        "attempts a day lets a rep take on %(allowed)s. Add reps, or lower the MQL target."
    ) % {
        "month": format_month(date(month["year"], month["month"], 1)),
        "mqls": format_number(busiest[2], 0),
        "per_rep": format_number(per_rep, 1),
        "reps": reps,
        "attempts": attempts_per_lead,
        "per_day": per_day,
        "allowed": format_number(allowed, 1),
    }


def plan_warnings(funnel: dict | None, currency: str) -> list[str]:
    """Sanity warnings about a computed plan's money (the engine's `to_dict()`); empty when it
    holds."""
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
                "Lead cost for the term (%(cost)s) is %(share)s of the revenue target, above "
                "the %(limit)s a plan should spend on leads."
            )
            % {
                "cost": _amount(cost, currency),
                "share": format_percent(round(cost / revenue, 3), 1),
                "limit": format_percent(LEAD_COST_SHARE_LIMIT, 0),
            }
        )
    return warnings


def _normalized(name: str) -> str:
    return " ".join(name.casefold().split())


def kpi_contradictions(kpis, funnel: dict | None, language: str) -> list[tuple]:
    """Free KPIs that restate a plan figure under its name with a different target: each such
    KPI with the sentence saying so."""
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
                (
                    kpi,
                    _(
                        "The KPI “%(name)s” says %(target)s, but the funnel plan gives %(plan)s. "
                        "Remove it (the plan's own KPI shows that figure) or change the plan."
                    )
                    % {
                        "name": kpi.name,
                        "target": format_number(kpi.target, 2),
                        "plan": format_number(figures[key], 2),
                    },
                )
            )
    return problems


def _comparable(text: str) -> str:
    return " ".join((text or "").casefold().split())


def commitment_problems(commitments) -> list[tuple]:
    """Commitments that cannot be measured (no threshold or unit), and two commitments measuring
    the same thing for the same leads with different thresholds: each commitment at fault with
    the sentence saying why (the second of two that disagree)."""
    problems = [
        (
            c,
            _("Give every commitment a threshold and a unit: %(names)s.")
            % {"names": quoted(c.commitment)},
        )
        for c in commitments
        if c.threshold is None or not c.unit
    ]
    seen = {}
    for c in commitments:
        if c.threshold is None or not c.measure:
            continue
        key = (_comparable(c.measure), _comparable(c.scope))
        other = seen.setdefault(key, c)
        if other is not c and (other.threshold, other.unit, other.share) != (
            c.threshold,
            c.unit,
            c.share,
        ):
            problems.append(
                (
                    c,
                    _(
                        "“%(first)s” and “%(second)s” measure the same thing for the same leads "
                        "with different thresholds. Give each its own scope, or agree on one "
                        "threshold."
                    )
                    % {"first": other.commitment, "second": c.commitment},
                )
            )
    return problems
