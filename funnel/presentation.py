"""A calculation laid out for templates: the engine's JSON plus stage lists in display order and
translated labels (templates cannot look a dict up by a variable key)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from slaportal.l10n import format_month

from .calculator import FunnelResult

#: Top of the funnel first, as people read it.
FUNNEL_ORDER = ("leads", "mqls", "sqls", "opportunities", "deals")
STAGE_LABELS = {
    "leads": gettext_lazy("Leads"),
    "mqls": gettext_lazy("MQLs"),
    "sqls": gettext_lazy("SQLs"),
    "opportunities": gettext_lazy("Opportunities"),
    "deals": gettext_lazy("Deals"),
}


def stage_list(stages: dict[str, Any]) -> list[Any]:
    return [stages[stage] for stage in FUNNEL_ORDER]


def month_label(month: dict[str, Any]) -> str:
    if month["year"] is not None:
        return format_month(date(month["year"], month["month"], 1))
    if month["lead_in"]:
        return _("Lead-in month %(number)s") % {"number": -month["offset"]}
    return _("Month %(number)s") % {"number": month["offset"] + 1}


def results_context(result: FunnelResult) -> dict[str, Any]:
    """``result.to_dict()`` (money as two-decimal strings) with ``stage_list`` added to the plan,
    each stream, source and month, and a ``display_label`` on each month."""
    return decorate(result.to_dict())


def decorate(funnel: dict[str, Any]) -> dict[str, Any]:
    """The same additions on a result already turned into JSON (e.g. from a frozen snapshot)."""
    funnel = {**funnel}
    funnel["stage_rows"] = [
        {"key": stage, "label": STAGE_LABELS[stage], "count": funnel["stages"][stage]}
        for stage in FUNNEL_ORDER
    ]
    funnel["stage_list"] = stage_list(funnel["stages"])
    for group in (funnel["streams"], funnel["sources"]):
        for item in group:
            item["stage_list"] = stage_list(item["stages"])
    for month in funnel["months"]:
        month["display_label"] = month_label(month)
        month["stage_list"] = stage_list(month["stages"])
    # Months before the term hold pipeline to build (leads, MQLs, SQLs for the first deals),
    # not obligations dated before the agreement starts.
    funnel["lead_in_months"] = [month for month in funnel["months"] if month["lead_in"]]
    funnel["term_months_list"] = [month for month in funnel["months"] if not month["lead_in"]]
    # Each stage's smallest and largest monthly target in the term: the same numbers as the
    # month-by-month table (a term total divided by the months would be a number found nowhere).
    for row in funnel["stage_rows"]:
        targets = [m["stages"][row["key"]]["target"] for m in funnel["term_months_list"]]
        row["monthly_range"] = (min(targets), max(targets)) if targets else None
    return funnel
