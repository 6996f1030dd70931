"""The calculation: stream x source funnels, totals, month-by-month targets, cost."""

from collections.abc import Mapping
from fractions import Fraction
from math import lcm
from typing import Any

from . import messages
from .plan import FunnelPlan, Grid
from .results import (
    CellResult,
    ForwardCheck,
    FunnelResult,
    MonthResult,
    SourceResult,
    StreamResult,
)
from .stages import (
    LAGGED_STAGES,
    STAGES,
    StageCounts,
    band_maker,
    lead_lag_months,
    monthly_cohorts,
    sum_counts,
)
from .validation import prepare

_LAGGED = tuple(stage in LAGGED_STAGES for stage in STAGES)


def _month_label(offset: int, start: tuple[int, int] | None) -> tuple[str, int | None, int | None]:
    if start is None:
        if offset >= 0:
            return messages.MONTH_LABEL.format(number=offset + 1), None, None
        return messages.LEAD_IN_MONTH_LABEL.format(number=-offset), None, None
    year, month_index = divmod(start[0] * 12 + start[1] - 1 + offset, 12)
    return f"{year:04d}-{month_index + 1:02d}", year, month_index + 1


def _with_monthly_cohorts(grid: Grid, term: int):
    """Each cell's months (:func:`monthly_cohorts`) and the cell with its stage totals made the
    sums of those months, so the term totals are exactly what the months add up to."""
    cohorts, cells = [], []
    for row in grid:
        cohort_row, cell_row = [], []
        for cell in row:
            months = monthly_cohorts(cell.stages.deals, cell.rates, term)
            cohort_row.append(months)
            cell_row.append(cell._replace(stages=StageCounts(*map(sum, months))))
        cohorts.append(cohort_row)
        cells.append(cell_row)
    return cohorts, cells


def _spread_over_months(cohorts, lags: list[int], lead_in: int, term: int):
    """Month-by-month counts, per stream and per source: ``[stream][stage][month index]``.

    Each stream x source cell's months come from :func:`monthly_cohorts`, its top stages moved
    ``lag`` months earlier; rows are the sums of those cells. Month index 0 is the earliest
    lead-in month (offset ``-lead_in``).
    """
    span = lead_in + term
    source_parts: list[list[list[tuple[int, ...]]]] = [[[] for _ in STAGES] for _ in cohorts[0]]
    stream_rows = []
    for row, lag in zip(cohorts, lags, strict=True):
        padding = []
        for lagged in _LAGGED:
            first = lead_in - lag if lagged else lead_in
            padding.append(((0,) * first, (0,) * (span - first - term)))
        stream_parts: list[list[tuple[int, ...]]] = [[] for _ in STAGES]
        for cell_months, parts_of_source in zip(row, source_parts, strict=True):
            for months_of_stage, (before, after), stream_stage, source_stage in zip(
                cell_months, padding, stream_parts, parts_of_source, strict=True
            ):
                monthly = before + months_of_stage + after
                stream_stage.append(monthly)
                source_stage.append(monthly)
        stream_rows.append([list(map(sum, zip(*parts, strict=True))) for parts in stream_parts])
    source_rows = [
        [list(map(sum, zip(*parts, strict=True))) for parts in per_stage]
        for per_stage in source_parts
    ]
    return stream_rows, source_rows


def calculate(plan: FunnelPlan | Mapping[str, Any]) -> FunnelResult:
    """Validate a plan and compute its reverse funnel.

    ``plan`` is a :class:`FunnelPlan` or a flat mapping as accepted by :func:`plan_from_mapping`.
    Raises :class:`FunnelInputError` (all problems at once) when the plan cannot be calculated.
    """
    plan, grid = prepare(plan)
    term = plan.term_months
    revenue_target = plan.revenue_target
    streams, sources = plan.streams, plan.sources
    lags = [lead_lag_months(stream.sales_cycle_days) for stream in streams]
    lead_in = max(lags)
    span = lead_in + term

    cohorts, grid = _with_monthly_cohorts(grid, term)
    stream_months, source_months = _spread_over_months(cohorts, lags, lead_in, term)
    from_deals = Fraction(0)
    # Forward check from leads, kept as integer numerators per denominator until the end.
    from_leads_parts: dict[int, int] = {}
    stream_results = []
    for stream, row, lag in zip(streams, grid, lags, strict=True):
        deal_size = stream.average_deal_size
        cells = []
        for source, cell in zip(sources, row, strict=True):
            counts, rates = cell.stages, cell.rates
            cells.append(CellResult(stream.name, source.name, cell.revenue, rates, counts))
            # leads x every rate x deal size
            numerator, denominator = counts.leads * deal_size.numerator, deal_size.denominator
            for rate in (
                rates.win_rate,
                rates.sql_to_opportunity_rate,
                rates.mql_to_sql_rate,
                rates.lead_to_mql_rate,
            ):
                numerator *= rate.numerator
                denominator *= rate.denominator
            from_leads_parts[denominator] = from_leads_parts.get(denominator, 0) + numerator
        stream_counts = sum_counts(cell.stages for cell in cells)
        from_deals += stream_counts.deals * deal_size
        stream_results.append(
            StreamResult(
                name=stream.name,
                share=stream.share,
                revenue_target=revenue_target * stream.share,
                average_deal_size=deal_size,
                rates=stream.rates,
                sales_cycle_days=stream.sales_cycle_days,
                lead_lag_months=lag,
                stages=stream_counts,
                cells=tuple(cells),
            )
        )

    source_results = tuple(
        SourceResult(
            name=source.name,
            share=source.share,
            revenue_target=revenue_target * source.share,
            rate_overrides=source.rate_overrides,
            cost_per_lead=source.cost_per_lead,
            stages=sum_counts(row[index].stages for row in grid),
        )
        for index, source in enumerate(sources)
    )
    monthly_revenue = revenue_target / term
    no_revenue = Fraction(0)
    tolerance = plan.tolerance
    band = band_maker(tolerance)

    # Cost per lead over one common denominator, so a month's cost is integer arithmetic.
    costs = [source.cost_per_lead for source in sources]
    cost_denominator = None
    if None not in costs:
        cost_denominator = lcm(*(cost.denominator for cost in costs))
        cost_numerators = [
            cost.numerator * (cost_denominator // cost.denominator) for cost in costs
        ]
        source_leads = [rows[-1] for rows in source_months]

    # Per stream and per source, one tuple of stage counts per month.
    stream_columns = [list(zip(*rows, strict=True)) for rows in stream_months]
    source_columns = [list(zip(*rows, strict=True)) for rows in source_months]
    totals_by_month = [
        list(map(sum, zip(*stage_rows, strict=True)))
        for stage_rows in zip(*stream_months, strict=True)
    ]
    stream_names = tuple(stream.name for stream in streams)
    source_names = tuple(source.name for source in sources)
    months = []
    for index in range(span):
        offset = index - lead_in
        label, year, month = _month_label(offset, plan.start)
        overall = [stage[index] for stage in totals_by_month]
        cost = None
        if cost_denominator is not None:
            cost = Fraction(
                sum(
                    leads[index] * cpl
                    for leads, cpl in zip(source_leads, cost_numerators, strict=True)
                ),
                cost_denominator,
            )
        months.append(
            MonthResult(
                offset=offset,
                label=label,
                year=year,
                month=month,
                revenue_target=monthly_revenue if offset >= 0 else no_revenue,
                stages=StageCounts(*overall),
                bands=tuple(map(band, overall)),
                streams=tuple(StageCounts(*columns[index]) for columns in stream_columns),
                sources=tuple(StageCounts(*columns[index]) for columns in source_columns),
                cost=cost,
                stream_names=stream_names,
                source_names=source_names,
            )
        )

    stream_results = tuple(stream_results)
    return FunnelResult(
        revenue_target=revenue_target,
        term_months=term,
        start=plan.start,
        tolerance=tolerance,
        stages=sum_counts(stream.stages for stream in stream_results),
        forward_check=ForwardCheck(
            revenue_target=revenue_target,
            from_deals=from_deals,
            from_leads=sum(
                (Fraction(part, denominator) for denominator, part in from_leads_parts.items()),
                Fraction(0),
            ),
        ),
        streams=stream_results,
        sources=source_results,
        months=tuple(months),
    )
