"""Properties of the reverse funnel that must hold for every plan (hypothesis)."""

import json
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.calculator import (
    STAGES,
    FunnelPlan,
    LeadSource,
    RevenueStream,
    StageCounts,
    calculate,
    lead_lag_months,
    monthly_cohorts,
    parse_rate,
    reverse_funnel,
    spread_evenly,
    tolerance_band,
)

ZERO = StageCounts(0, 0, 0, 0, 0)


@st.composite
def rates(draw, lowest=Fraction(1, 1000), max_denominator=1000):
    """Any exact rate in [lowest, 1]."""
    denominator = draw(st.integers(1, max_denominator))
    numerator = draw(st.integers(max(1, math.ceil(lowest * denominator)), denominator))
    return Fraction(numerator, denominator)


amounts = st.builds(Fraction, st.integers(1, 10**9), st.sampled_from([1, 2, 3, 4, 7, 100]))

# Plans whose lead counts stay well under the calculator's size limit.
plan_rates = rates(lowest=Fraction(1, 5), max_denominator=60)
plan_revenue = st.integers(1, 2 * 10**6)
plan_deal_size = st.integers(10, 50_000)


@st.composite
def shares(draw, count):
    """``count`` positive exact shares adding up to exactly 1."""
    weights = draw(st.lists(st.integers(1, 20), min_size=count, max_size=count))
    return [Fraction(weight, sum(weights)) for weight in weights]


@st.composite
def plans(draw):
    stream_count = draw(st.integers(1, 3))
    source_count = draw(st.integers(0, 3))
    stream_shares = draw(shares(stream_count))
    source_shares = draw(shares(source_count)) if source_count else []
    streams = [
        RevenueStream(
            name=f"Stream {index}",
            share=share,
            average_deal_size=draw(plan_deal_size),
            win_rate=draw(plan_rates),
            sql_to_opportunity_rate=draw(plan_rates),
            mql_to_sql_rate=draw(plan_rates),
            lead_to_mql_rate=draw(plan_rates),
            sales_cycle_days=draw(st.integers(0, 200)),
        )
        for index, share in enumerate(stream_shares)
    ]
    sources = [
        LeadSource(
            name=f"Source {index}",
            share=share,
            win_rate=draw(st.none() | plan_rates),
            lead_to_mql_rate=draw(st.none() | plan_rates),
            cost_per_lead=draw(st.none() | st.integers(0, 500)),
        )
        for index, share in enumerate(source_shares)
    ]
    return FunnelPlan(
        revenue_target=draw(plan_revenue),
        streams=streams,
        sources=sources,
        term_months=draw(st.integers(1, 24)),
        start=draw(st.none() | st.tuples(st.integers(1990, 2100), st.integers(1, 12))),
        tolerance=draw(rates(lowest=Fraction(0), max_denominator=100).filter(lambda t: t < 1)),
    )


def total(counts) -> StageCounts:
    return sum(counts, ZERO)


# --- Each stage ---------------------------------------------------------------------------------


@given(
    revenue=amounts,
    deal_size=amounts,
    win=rates(),
    sql_to_opp=rates(),
    mql_to_sql=rates(),
    lead_to_mql=rates(),
)
def test_each_stage_is_exactly_the_next_stage_divided_by_its_rate_rounded_up(
    revenue, deal_size, win, sql_to_opp, mql_to_sql, lead_to_mql
):
    stages = reverse_funnel(
        revenue_target=revenue,
        average_deal_size=deal_size,
        win_rate=win,
        sql_to_opportunity_rate=sql_to_opp,
        mql_to_sql_rate=mql_to_sql,
        lead_to_mql_rate=lead_to_mql,
    )

    assert stages.deals == math.ceil(revenue / deal_size)
    assert stages.opportunities == math.ceil(stages.deals / win)
    assert stages.sqls == math.ceil(stages.opportunities / sql_to_opp)
    assert stages.mqls == math.ceil(stages.sqls / mql_to_sql)
    assert stages.leads == math.ceil(stages.mqls / lead_to_mql)


@given(deals=st.integers(1, 10**6), rate=rates())
def test_a_stage_that_divides_evenly_is_not_rounded_past_itself(deals, rate):
    # Make the number of opportunities whole: deals = k x rate numerator.
    exact_deals = deals * rate.numerator
    stages = reverse_funnel(
        revenue_target=exact_deals,
        average_deal_size=1,
        win_rate=rate,
        sql_to_opportunity_rate=1,
        mql_to_sql_rate=1,
        lead_to_mql_rate=1,
    )

    assert stages.opportunities == deals * rate.denominator


# --- The forward check --------------------------------------------------------------------------


@settings(max_examples=60)
@given(plan=plans())
def test_the_forward_check_never_falls_short_of_the_target(plan):
    result = calculate(plan)
    check = result.forward_check

    assert check.from_leads >= result.revenue_target
    assert check.from_deals >= result.revenue_target
    assert check.meets_target
    shown = result.to_dict()["forward_check"]
    assert Fraction(shown["from_leads"]) >= Fraction(shown["revenue_target"])
    assert Fraction(shown["surplus"]) >= 0


@settings(max_examples=60)
@given(plan=plans())
def test_the_forward_check_is_the_leads_walked_back_down_every_cell(plan):
    result = calculate(plan)

    expected = Fraction(0)
    for stream in result.streams:
        for cell in stream.cells:
            expected += (
                cell.stages.leads
                * cell.rates.lead_to_mql_rate
                * cell.rates.mql_to_sql_rate
                * cell.rates.sql_to_opportunity_rate
                * cell.rates.win_rate
                * stream.average_deal_size
            )
    assert result.forward_check.from_leads == expected


# --- Totals -------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(plan=plans())
def test_stream_source_and_plan_totals_are_sums_of_the_cells(plan):
    result = calculate(plan)

    for stream in result.streams:
        assert stream.stages == total(cell.stages for cell in stream.cells)
    for index, source in enumerate(result.sources):
        assert source.stages == total(stream.cells[index].stages for stream in result.streams)
    assert result.stages == total(stream.stages for stream in result.streams)
    assert result.stages == total(source.stages for source in result.sources)
    assert sum(cell.revenue_target for s in result.streams for cell in s.cells) == (
        result.revenue_target
    )


# --- Months -------------------------------------------------------------------------------------


@given(amount=st.integers(0, 10**12), months=st.integers(1, 120))
def test_an_even_spread_adds_up_and_never_falls_behind_an_even_pace(amount, months):
    parts = spread_evenly(amount, months)

    assert len(parts) == months
    assert sum(parts) == amount
    assert set(parts) <= {amount // months, -(-amount // months)}
    running = 0
    for month, part in enumerate(parts, start=1):
        running += part
        pace = Fraction(amount * month, months)
        assert pace <= running < pace + 1


@settings(max_examples=60)
@given(plan=plans())
def test_monthly_targets_add_up_to_the_term_totals_at_every_level(plan):
    result = calculate(plan)

    assert total(month.stages for month in result.months) == result.stages
    for index, stream in enumerate(result.streams):
        assert total(month.streams[index] for month in result.months) == stream.stages
    for index, source in enumerate(result.sources):
        assert total(month.sources[index] for month in result.months) == source.stages
    for month in result.months:
        assert total(month.streams) == month.stages
        assert total(month.sources) == month.stages


@settings(max_examples=60)
@given(plan=plans())
def test_every_month_of_every_cell_obeys_the_rounding_rule_and_deals_add_up(plan):
    result = calculate(plan)
    for stream in result.streams:
        for cell in stream.cells:
            months = monthly_cohorts(cell.stages.deals, cell.rates, result.term_months)
            deals, opportunities, sqls, mqls, leads = months
            rates = cell.rates
            assert sum(deals) == cell.stages.deals
            assert max(deals) - min(deals) <= 1  # an even spread: the same, or one more
            for d, o, s, m, ld in zip(deals, opportunities, sqls, mqls, leads, strict=True):
                assert o == math.ceil(d / rates.win_rate)
                assert s == math.ceil(o / rates.sql_to_opportunity_rate)
                assert m == math.ceil(s / rates.mql_to_sql_rate)
                assert ld == math.ceil(m / rates.lead_to_mql_rate)
            assert cell.stages == StageCounts(*map(sum, months))


@settings(max_examples=60)
@given(plan=plans())
def test_one_total_everywhere_the_plan_the_streams_the_sources_and_the_months(plan):
    result = calculate(plan)
    month_total = sum((month.stages for month in result.months), ZERO)
    assert month_total == result.stages
    for index, stream in enumerate(result.streams):
        assert sum((month.streams[index] for month in result.months), ZERO) == stream.stages
    for index, source in enumerate(result.sources):
        assert sum((month.sources[index] for month in result.months), ZERO) == source.stages
    as_json = result.to_dict()
    assert (
        sum(m["stages"]["leads"]["target"] for m in as_json["months"]) == as_json["stages"]["leads"]
    )


@settings(max_examples=60)
@given(plan=plans())
def test_the_months_run_from_the_longest_lead_in_to_the_end_of_the_term(plan):
    result = calculate(plan)
    lead_in = max(stream.lead_lag_months for stream in result.streams)

    assert [month.offset for month in result.months] == list(range(-lead_in, result.term_months))
    for month in result.months:
        if month.lead_in:
            assert (month.stages.deals, month.stages.opportunities) == (0, 0)
            assert month.revenue_target == 0
        else:
            assert month.revenue_target == result.revenue_target / result.term_months
    if result.start is not None:
        first = result.months[lead_in]
        assert (first.year, first.month) == result.start
        assert all(
            (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
            for a, b in zip(result.months, result.months[1:], strict=False)
        )


@given(days=st.integers(0, 1095))
def test_the_lead_lag_is_the_cycle_in_30_day_months_rounded_up(days):
    assert lead_lag_months(days) == math.ceil(Fraction(days, 30))


@settings(max_examples=60)
@given(
    days=st.integers(0, 400),
    term=st.integers(1, 24),
    revenue=plan_revenue,
    deal_size=plan_deal_size,
    rate=plan_rates,
)
def test_leads_mqls_and_sqls_move_earlier_by_the_lead_lag_and_deals_do_not(
    days, term, revenue, deal_size, rate
):
    result = calculate(
        FunnelPlan.single(
            revenue_target=revenue,
            average_deal_size=deal_size,
            win_rate=rate,
            sql_to_opportunity_rate=rate,
            mql_to_sql_rate=rate,
            lead_to_mql_rate=rate,
            sales_cycle_days=days,
            term_months=term,
        )
    )
    lag = math.ceil(Fraction(days, 30))
    by_offset = {month.offset: month.stages for month in result.months}
    cohorts = monthly_cohorts(result.stages.deals, result.streams[0].rates, term)

    assert min(by_offset) == -lag
    for stage, months in zip(STAGES, cohorts, strict=True):
        shift = lag if stage in ("sqls", "mqls", "leads") else 0
        expected = dict.fromkeys(by_offset, 0)
        for month, count in enumerate(months):
            expected[month - shift] = count
        assert {offset: getattr(s, stage) for offset, s in by_offset.items()} == expected


# --- Tolerance ----------------------------------------------------------------------------------


@given(target=st.integers(0, 10**12), tolerance=rates(lowest=Fraction(0), max_denominator=1000))
def test_the_tolerance_band_is_floor_and_ceiling_around_the_target(target, tolerance):
    if tolerance == 1:
        tolerance = Fraction(0)
    band = tolerance_band(target, tolerance)

    assert band.low <= band.target == target <= band.high
    assert band.contains(target)
    assert band.low == math.floor(target * (1 - tolerance))
    assert band.high == math.ceil(target * (1 + tolerance))


@settings(max_examples=40)
@given(plan=plans())
def test_every_monthly_target_sits_inside_its_band(plan):
    result = calculate(plan)

    for month in result.months:
        for stage, band in zip(STAGES, month.bands, strict=True):
            assert band.target == getattr(month.stages, stage)
            assert band == tolerance_band(band.target, result.tolerance)


# --- Parsing and output -------------------------------------------------------------------------


@given(rate=rates())
def test_a_ratio_typed_as_text_is_read_exactly(rate):
    assert parse_rate(f"{rate.numerator}/{rate.denominator}") == rate
    assert parse_rate(f"{rate.numerator} in {rate.denominator}") == rate


@given(percent=st.decimals(min_value=0, max_value=100, places=4))
def test_a_percentage_typed_as_text_is_read_exactly(percent):
    assert parse_rate(f"{percent}%") == Fraction(percent) / 100
    assert parse_rate(str(percent / 100)) == Fraction(percent) / 100


@given(number=st.floats(min_value=1e-6, max_value=1, allow_nan=False))
def test_a_float_is_read_as_the_decimal_it_prints_as(number):
    assert parse_rate(number) == Fraction(Decimal(repr(number)))


@settings(max_examples=40)
@given(plan=plans())
def test_the_json_output_round_trips_with_int_counts(plan):
    data = calculate(plan).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert all(type(count) is int for count in data["stages"].values())
    for month in data["months"]:
        for band in month["stages"].values():
            assert band["low"] <= band["target"] <= band["high"]
