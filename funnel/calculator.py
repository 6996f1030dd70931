"""The reverse-funnel calculator: from a revenue target to the leads that deliver it.

Pure Python (standard library only, no Django) and exact: every number is an int or a
:class:`~fractions.Fraction`; binary floating point is never used in the computation (a float
handed in is read through ``str()``, so ``0.23`` means exactly 23/100).

Rules (also shown to people, see ``FunnelResult.to_dict()["rules"]``):

* **Rounding.** Each stage is rounded up to a whole number, per revenue stream x lead source and
  per month: ``deals = ceil(revenue / average_deal_size)`` for the term, spread over the months
  so they add up exactly; then, within each month, ``opportunities = ceil(deals / win_rate)``,
  ``sqls = ceil(opportunities / sql_to_opportunity_rate)``, ``mqls = ceil(sqls / mql_to_sql_rate)``,
  ``leads = ceil(mqls / lead_to_mql_rate)`` (:func:`monthly_cohorts`). A cell's term totals are
  the sums of its months; totals per stream, per source and for the plan are sums of cells.
* **Forward check.** Walks the numbers back down: leads x every rate x deal size (and, as a
  second figure, deals x deal size). Always >= the revenue target.
* **Months.** The term's deals are spread evenly with the running total rounded up
  (:func:`spread_evenly`: each month gets ``deals // months`` or one more, and they add up
  exactly); every other stage follows from its month's deals, so the month obeys the rounding
  rule on its own.
* **Lead lag.** Leads, MQLs and SQLs move ``ceil(sales_cycle_days / 30)`` months earlier than
  the deals they produce (:func:`lead_lag_months`); months before the term are lead-in months.
* **Tolerance.** Each monthly target has a band ``floor(target x (1 - t))`` to
  ``ceil(target x (1 + t))``, ``t`` = 10% by default (:func:`tolerance_band`).

JSON (``FunnelResult.to_dict()``): counts are ints; money is a string with two decimals rounded
half up (``"125.69"``; the forward check's delivered revenue is rounded up instead, so it never
shows below the target); rates and shares are strings with four decimals (``"0.3333"``). Top-level
keys: ``rounding_rule``, ``rules``, ``revenue_target``, ``term_months``, ``start``, ``tolerance``,
``stages``, ``value_per_mql``, ``value_per_lead``, ``cost``, ``cost_per_deal``, ``forward_check``,
``streams`` (each with its ``sources`` cells), ``sources`` and ``months`` (each stage as
``{"target", "low", "high"}``, plus per-stream and per-source counts).

Input errors: :class:`FunnelInputError` ``.errors`` maps field paths (``"win_rate"``,
``"streams[0].win_rate"``, ``"sources[2].share"``, ``"sources"``, ``"__all__"``) to lists of
messages; the message templates live in :mod:`funnel.engine.messages`.

Usage::

    from funnel.calculator import FunnelInputError, calculate

    try:
        result = calculate(request_data)           # a flat mapping, or a FunnelPlan
    except FunnelInputError as error:
        return {"errors": error.errors}            # {"win_rate": ["Win rate must be ..."]}
    return result.to_dict()
"""

from .engine import messages
from .engine.compute import calculate
from .engine.numbers import (
    MAX_NUMBER_LENGTH,
    InvalidNumber,
    parse_amount,
    parse_rate,
    parse_whole,
)
from .engine.plan import (
    DEFAULT_TOLERANCE,
    MAX_JSON_LENGTH,
    MAX_SOURCES,
    MAX_STAGE_COUNT,
    MAX_STREAMS,
    MAX_TERM_MONTHS,
    NON_FIELD_ERRORS,
    FunnelInputError,
    FunnelPlan,
    LeadSource,
    RevenueStream,
)
from .engine.results import (
    CellResult,
    ForwardCheck,
    FunnelResult,
    MonthResult,
    SourceResult,
    StreamResult,
)
from .engine.stages import (
    STAGES,
    Band,
    Rates,
    StageCounts,
    lead_lag_months,
    monthly_cohorts,
    reverse_funnel,
    spread_evenly,
    tolerance_band,
)
from .engine.validation import plan_from_mapping

ROUNDING_RULE = messages.ROUNDING_RULE

__all__ = [
    "DEFAULT_TOLERANCE",
    "MAX_JSON_LENGTH",
    "MAX_NUMBER_LENGTH",
    "MAX_SOURCES",
    "MAX_STAGE_COUNT",
    "MAX_STREAMS",
    "MAX_TERM_MONTHS",
    "NON_FIELD_ERRORS",
    "ROUNDING_RULE",
    "STAGES",
    "Band",
    "CellResult",
    "ForwardCheck",
    "FunnelInputError",
    "FunnelPlan",
    "FunnelResult",
    "InvalidNumber",
    "LeadSource",
    "MonthResult",
    "Rates",
    "RevenueStream",
    "SourceResult",
    "StageCounts",
    "StreamResult",
    "calculate",
    "lead_lag_months",
    "messages",
    "monthly_cohorts",
    "parse_amount",
    "parse_rate",
    "parse_whole",
    "plan_from_mapping",
    "reverse_funnel",
    "spread_evenly",
    "tolerance_band",
]
