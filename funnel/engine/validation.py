"""Validating a whole plan: every field, the shares, the names and the size limits.

Validation collects every problem before raising a single :class:`FunnelInputError` whose
``errors`` maps a field path (``"win_rate"``, ``"streams[0].win_rate"``, ``"sources[2].share"``,
``"sources"``, ``"__all__"`` for the plan as a whole) to a list of plain-English messages.
List lengths are checked before any item is read, and the stage-count limit before any
month-by-month work, so absurd inputs fail fast.
"""

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from . import messages
from .fields import (
    CHECK_COST,
    CHECK_DEAL_SIZE,
    CHECK_REVENUE,
    INVALID,
    RATE_CHECKS,
    SHARE_CHECK,
    Errors,
    Getter,
    check_cycle,
    check_term,
    check_tolerance,
    item_getter,
    read,
    read_list,
    read_name,
    read_start,
)
from .numbers import format_percent, parse_amount, parse_rate, parse_whole
from .plan import (
    DEFAULT_TOLERANCE,
    MAX_PLAN_CELLS,
    MAX_SOURCES,
    MAX_STAGE_COUNT,
    MAX_STREAMS,
    NON_FIELD_ERRORS,
    FunnelInputError,
    FunnelPlan,
    Grid,
    LeadSource,
    PlannedCell,
    RevenueStream,
)
from .stages import RATE_FIELDS, funnel_for


def _read_stream(errors, prefix, get, *, defaults, count, number):
    fallback = (
        str(messages.DEFAULT_SINGLE_STREAM_NAME)
        if count == 1
        else messages.DEFAULT_STREAM_NAME.format(number=number)
    )
    values = {
        "name": read_name(errors, prefix + "name", get("name"), fallback),
        "share": read(
            errors, prefix + "share", get("share"), parse_rate, SHARE_CHECK, required=count > 1
        ),
        "average_deal_size": read(
            errors,
            prefix + "average_deal_size",
            get("average_deal_size"),
            parse_amount,
            CHECK_DEAL_SIZE,
            required=True,
            default=defaults.get("average_deal_size"),
        ),
        "sales_cycle_days": read(
            errors,
            prefix + "sales_cycle_days",
            get("sales_cycle_days"),
            parse_whole,
            check_cycle,
            default=defaults.get("sales_cycle_days", 0),
        ),
    }
    for name in RATE_FIELDS:
        values[name] = read(
            errors,
            prefix + name,
            get(name),
            parse_rate,
            RATE_CHECKS[name],
            required=True,
            default=defaults.get(name),
        )
    if values["share"] is None:
        values["share"] = Fraction(1)
    return values


def _read_source(errors, prefix, get, *, default_cost, count, number):
    fallback = (
        str(messages.DEFAULT_SINGLE_SOURCE_NAME)
        if count == 1
        else messages.DEFAULT_SOURCE_NAME.format(number=number)
    )
    values = {
        "name": read_name(errors, prefix + "name", get("name"), fallback),
        "share": read(
            errors, prefix + "share", get("share"), parse_rate, SHARE_CHECK, required=count > 1
        ),
        "cost_per_lead": read(
            errors,
            prefix + "cost_per_lead",
            get("cost_per_lead"),
            parse_amount,
            CHECK_COST,
            default=default_cost,
        ),
    }
    for name in RATE_FIELDS:
        values[name] = read(errors, prefix + name, get(name), parse_rate, RATE_CHECKS[name])
    if values["share"] is None:
        values["share"] = Fraction(1)
    return values


def _check_group(errors, path, items, kind, sum_message, duplicate_message):
    """Shares add up to exactly 100% (checked once every share is readable), names are unique.

    ``items`` holds each item's field values (``None`` for an item that is not a mapping);
    returns the items built as ``kind``, or ``None`` when any of them has an error."""
    if not items:
        return None
    shares = [None if values is None else values["share"] for values in items]
    if None not in shares and INVALID not in shares:
        total = sum(shares, Fraction(0))
        if total != 1:
            errors.add(path, sum_message.format(total=format_percent(total)))
    seen: set[str] = set()
    for index, values in enumerate(items):
        if values is None or values["name"] is INVALID:
            continue
        key = values["name"].casefold()
        if key in seen:
            errors.add(f"{path}[{index}].name", duplicate_message)
        seen.add(key)
    if any(values is None or INVALID in values.values() for values in items):
        return None
    return tuple(kind(**values) for values in items)


def _read_streams(errors, get: Getter, *, flat: bool) -> list[dict[str, Any] | None]:
    items = read_list(
        errors,
        "streams",
        get("streams"),
        limit=MAX_STREAMS,
        not_a_list=messages.NOT_A_LIST_OF_STREAMS,
        too_many=messages.TOO_MANY_STREAMS,
    )
    if items is None:
        return []
    if flat and not items:
        # The flat form: the top-level fields are the one and only stream.
        def top_level(name):
            return None if name in ("name", "share") else get(name)

        return [_read_stream(errors, "", top_level, defaults={}, count=1, number=1)]
    if not items:
        errors.add("streams", messages.NO_STREAMS)
        return []
    defaults = {}
    if flat:  # top-level values fill in what a stream leaves out
        for name, parse, check in (
            ("average_deal_size", parse_amount, CHECK_DEAL_SIZE),
            ("sales_cycle_days", parse_whole, check_cycle),
            *((name, parse_rate, RATE_CHECKS[name]) for name in RATE_FIELDS),
        ):
            value = read(errors, name, get(name), parse, check)
            if value is not None:
                defaults[name] = value
    streams: list[dict[str, Any] | None] = []
    for index, item in enumerate(items):
        item_get = item_getter(item, RevenueStream)
        if item_get is None:
            errors.add(f"streams[{index}]", messages.NOT_A_STREAM)
            streams.append(None)
            continue
        streams.append(
            _read_stream(
                errors,
                f"streams[{index}].",
                item_get,
                defaults=defaults,
                count=len(items),
                number=index + 1,
            )
        )
    return streams


def _read_sources(errors, get: Getter, *, flat: bool) -> list[dict[str, Any] | None]:
    default_cost = None
    if flat:  # the top-level cost per lead fills in what a source leaves out
        default_cost = read(errors, "cost_per_lead", get("cost_per_lead"), parse_amount, CHECK_COST)
    items = read_list(
        errors,
        "sources",
        get("sources"),
        limit=MAX_SOURCES,
        not_a_list=messages.NOT_A_LIST_OF_SOURCES,
        too_many=messages.TOO_MANY_SOURCES,
    )
    if items is None:
        return []
    if not items:
        name = str(messages.DEFAULT_SINGLE_SOURCE_NAME)
        return [{"name": name, "share": Fraction(1), "cost_per_lead": default_cost}]
    sources: list[dict[str, Any] | None] = []
    for index, item in enumerate(items):
        item_get = item_getter(item, LeadSource)
        if item_get is None:
            errors.add(f"sources[{index}]", messages.NOT_A_SOURCE)
            sources.append(None)
            continue
        sources.append(
            _read_source(
                errors,
                f"sources[{index}].",
                item_get,
                default_cost=default_cost,
                count=len(items),
                number=index + 1,
            )
        )
    return sources


def _cells(plan: FunnelPlan) -> Grid:
    """Every stream x source funnel, each stage rounded up."""
    grid: Grid = []
    for stream in plan.streams:
        stream_revenue = plan.revenue_target * stream.share
        row = []
        for source in plan.sources:
            revenue = stream_revenue * source.share
            rates = source.rates_for(stream)
            row.append(
                PlannedCell(revenue, rates, funnel_for(revenue, stream.average_deal_size, rates))
            )
        grid.append(row)
    return grid


def _validate(get: Getter, *, flat: bool) -> tuple[FunnelPlan, Grid]:
    """Read, check and normalize a plan; ``flat`` lets top-level fields stand in for streams."""
    errors = Errors()
    revenue_target = read(
        errors, "revenue_target", get("revenue_target"), parse_amount, CHECK_REVENUE, required=True
    )
    term_months = read(
        errors, "term_months", get("term_months"), parse_whole, check_term, default=1
    )
    start = read_start(errors, get("start"))
    tolerance = read(
        errors,
        "tolerance",
        get("tolerance"),
        parse_rate,
        check_tolerance,
        default=DEFAULT_TOLERANCE,
    )
    streams = _check_group(
        errors,
        "streams",
        _read_streams(errors, get, flat=flat),
        RevenueStream,
        messages.STREAM_SHARES_SUM,
        messages.DUPLICATE_STREAM_NAME,
    )
    sources = _check_group(
        errors,
        "sources",
        _read_sources(errors, get, flat=flat),
        LeadSource,
        messages.SOURCE_SHARES_SUM,
        messages.DUPLICATE_SOURCE_NAME,
    )
    if streams and sources and isinstance(term_months, int):  # not INVALID
        cells = len(streams) * len(sources) * term_months
        if cells > MAX_PLAN_CELLS:
            errors.add(
                NON_FIELD_ERRORS,
                messages.PLAN_TOO_LARGE.format(
                    limit=messages.show_number(MAX_PLAN_CELLS),
                    streams=len(streams),
                    sources=len(sources),
                    months=term_months,
                    count=messages.show_number(cells),
                ),
            )
    if errors:
        raise FunnelInputError(errors)

    plan = FunnelPlan(
        revenue_target=revenue_target,
        streams=streams,
        sources=sources,
        term_months=term_months,
        start=start,
        tolerance=tolerance,
    )
    grid = _cells(plan)
    if sum(cell.stages.leads for row in grid for cell in row) > MAX_STAGE_COUNT:
        raise FunnelInputError(
            {NON_FIELD_ERRORS: [messages.TOO_MANY_LEADS.format(limit=f"{MAX_STAGE_COUNT:,}")]}
        )
    return plan, grid


def prepare(plan: "FunnelPlan | Mapping[str, Any]") -> tuple[FunnelPlan, Grid]:
    """Validate a plan (object or flat mapping): the exact plan and its stream x source cells.

    The cells are computed here because the size limit on stage counts needs them."""
    if isinstance(plan, FunnelPlan):
        return _validate(lambda name: getattr(plan, name), flat=False)
    if isinstance(plan, Mapping):
        return _validate(plan.get, flat=True)
    raise TypeError(f"expected a FunnelPlan or a mapping, not {type(plan).__name__}")


def plan_from_mapping(data: Mapping[str, Any]) -> FunnelPlan:
    """Build and validate a plan from a flat mapping of strings (query string, JSON body, form).

    Keys: ``revenue_target``, ``average_deal_size``, ``win_rate``, ``sql_to_opportunity_rate``,
    ``mql_to_sql_rate``, ``lead_to_mql_rate`` (required unless every stream gives them), and
    optional ``sales_cycle_days``, ``term_months``, ``start`` ("YYYY-MM"), ``tolerance``,
    ``cost_per_lead``, ``streams`` and ``sources`` (lists of mappings, or the same as a JSON
    string). With ``streams``, the top-level deal size, rates and cycle fill in what a stream
    leaves out; the top-level ``cost_per_lead`` does the same for sources.

    Returns a plan holding exact values (Fraction, int); raises :class:`FunnelInputError`.
    """
    return prepare(data)[0]
