"""The reverse-funnel calculator, by example. Pure Python: no database, no Django settings."""

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import FrozenInstanceError, fields, is_dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from funnel import calculator
from funnel.calculator import (
    FunnelInputError,
    FunnelPlan,
    LeadSource,
    RevenueStream,
    StageCounts,
    calculate,
    messages,
    parse_amount,
    parse_rate,
    plan_from_mapping,
    reverse_funnel,
    spread_evenly,
    tolerance_band,
)
from funnel.engine import validation

ROOT = Path(__file__).resolve().parents[2]
NOT_A_RATE = "Enter a rate as a percentage (23%), a fraction (0.23) or a ratio (1/3)."

# Seed 002: monthly quota $500,000, average deal $2,000, win rate 23%, SQL -> opportunity 82%,
# one MQL in three becomes an SQL. The seed gives no lead -> MQL rate; we use one in four.
SEED = {
    "revenue_target": "500000",
    "average_deal_size": "2000",
    "win_rate": "23%",
    "sql_to_opportunity_rate": "82%",
    "mql_to_sql_rate": "1/3",
    "lead_to_mql_rate": "25%",
}
SEED_STAGES = StageCounts(deals=250, opportunities=1087, sqls=1326, mqls=3978, leads=15912)


def errors_of(data) -> dict[str, list[str]]:
    with pytest.raises(FunnelInputError) as raised:
        calculate(data)
    return raised.value.errors


def rate_message(field: str) -> str:
    return messages.RATE_OUT_OF_RANGE.format(label=messages.FIELD_LABELS[field])


# --- The seed's worked example ---------------------------------------------------------------


def test_seed_example_needs_250_deals_1087_opportunities_1326_sqls_and_3978_mqls():
    result = calculate(SEED)

    assert result.stages == SEED_STAGES


def test_seed_example_gives_the_same_stages_from_python_numbers_of_every_kind():
    plan = FunnelPlan.single(
        revenue_target=Decimal("500000.00"),
        average_deal_size=2000,
        win_rate=0.23,
        sql_to_opportunity_rate=Decimal("0.82"),
        mql_to_sql_rate=Fraction(1, 3),
        lead_to_mql_rate="1 in 4",
    )

    assert calculate(plan).stages == SEED_STAGES


def test_seed_example_from_the_bare_funnel_function():
    stages = reverse_funnel(
        revenue_target=500_000,
        average_deal_size=2000,
        win_rate=Fraction(23, 100),
        sql_to_opportunity_rate=Fraction(82, 100),
        mql_to_sql_rate=Fraction(1, 3),
        lead_to_mql_rate=Fraction(1, 4),
    )

    assert stages == SEED_STAGES


def test_seed_example_json_has_ints_for_counts_and_two_decimal_strings_for_money():
    data = calculate(SEED).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["stages"] == {
        "deals": 250,
        "opportunities": 1087,
        "sqls": 1326,
        "mqls": 3978,
        "leads": 15912,
    }
    assert data["rounding_rule"] == "Each stage is rounded up to a whole number."
    assert data["revenue_target"] == "500000.00"
    assert data["value_per_mql"] == "125.69"  # 500000 / 3978 = 125.6913...
    assert data["value_per_lead"] == "31.42"  # 500000 / 15912 = 31.4228...
    assert data["forward_check"]["from_deals"] == "500000.00"
    # 15912 x 1/4 x 1/3 x 0.82 x 0.23 x 2000 = 500167.20 exactly
    assert data["forward_check"]["from_leads"] == "500167.20"
    assert data["forward_check"]["surplus"] == "167.20"
    assert data["forward_check"]["meets_target"] is True
    assert data["streams"][0]["rates"]["mql_to_sql_rate"] == "0.3333"
    assert data["sources"][0]["name"] == "All sources"
    assert [month["label"] for month in data["months"]] == ["Month 1"]
    assert data["months"][0]["stages"]["deals"] == {"target": 250, "low": 225, "high": 275}


def test_seed_example_forward_check_is_exact():
    check = calculate(SEED).forward_check

    assert check.from_leads == Fraction(50016720, 100)
    assert check.from_deals == 500_000
    assert check.surplus == Fraction(16720, 100)


# --- Parsing rates and amounts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("23%", Fraction(23, 100)),
        (" 23 % ", Fraction(23, 100)),
        ("0.23", Fraction(23, 100)),
        (0.23, Fraction(23, 100)),
        (Decimal("0.23"), Fraction(23, 100)),
        ("12.5%", Fraction(1, 8)),
        ("1/3", Fraction(1, 3)),
        ("1 in 3", Fraction(1, 3)),
        (Fraction(1, 3), Fraction(1, 3)),
        ("100%", Fraction(1)),
        (1, Fraction(1)),
    ],
)
def test_rates_are_read_exactly_as_fractions_percentages_and_ratios(typed, expected):
    assert parse_rate(typed) == expected
    assert calculate({**SEED, "win_rate": typed}).streams[0].rates.win_rate == expected


def test_a_float_rate_means_its_decimal_digits_not_the_nearest_binary_number():
    assert Fraction(0.1) != Fraction(1, 10)  # what we must avoid

    assert parse_rate(0.1) == Fraction(1, 10)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", rate_message("win_rate")),
        ("0%", rate_message("win_rate")),
        ("101%", rate_message("win_rate")),
        ("-0.1", rate_message("win_rate")),
        ("abc", NOT_A_RATE),
        ("1/0", messages.RATIO_DIVIDES_BY_ZERO),
        ("", messages.REQUIRED),
        ("   ", messages.REQUIRED),
        (None, messages.REQUIRED),
        ("0,23", NOT_A_RATE),  # the engine reads one notation; see funnel.localized
        (float("nan"), messages.NOT_A_NUMBER),
        (True, messages.NOT_A_NUMBER),
        ("1" * 41, messages.NUMBER_TOO_LONG),
    ],
)
def test_unusable_rates_are_refused_with_a_specific_message(typed, message):
    assert errors_of({**SEED, "win_rate": typed}) == {"win_rate": [message]}


def test_a_rate_typed_as_a_bare_percentage_gets_a_hint():
    errors = errors_of({**SEED, "win_rate": "23"})

    assert errors == {
        "win_rate": [
            "Win rate must be greater than 0% and at most 100%. For 23 percent, enter 23%."
        ]
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("500000", Fraction(500_000)),
        ("500000.50", Fraction(1_000_001, 2)),
        (500_000, Fraction(500_000)),
        (Decimal("500000.50"), Fraction(1_000_001, 2)),
    ],
)
def test_amounts_are_read_exactly_with_their_cents(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Revenue target must be greater than 0."),
        ("-5", "Revenue target must be greater than 0."),
        ("abc", messages.NOT_A_NUMBER),
        ("1e6", messages.NOT_A_NUMBER),
        ("50%", messages.NOT_A_NUMBER),
        ("5,00", messages.NOT_A_NUMBER),
        ("500,000", messages.NOT_A_NUMBER),  # people's notation is read before the engine
        ("10000000000001", "Revenue target must be at most 10,000,000,000,000."),
    ],
)
def test_unusable_revenue_targets_are_refused_with_a_specific_message(typed, message):
    assert errors_of({**SEED, "revenue_target": typed}) == {"revenue_target": [message]}


# --- Rounding up, exactly ----------------------------------------------------------------------


def test_a_whole_deal_count_is_not_rounded_up_past_itself():
    # 500000 / 2000 is exactly 250
    assert calculate(SEED).stages.deals == 250


def test_a_rate_of_one_in_ten_on_100_deals_needs_exactly_1000_opportunities():
    stages = reverse_funnel(
        revenue_target=100,
        average_deal_size=1,
        win_rate=Fraction(1, 10),
        sql_to_opportunity_rate=1,
        mql_to_sql_rate=1,
        lead_to_mql_rate=1,
    )

    assert stages == StageCounts(100, 1000, 1000, 1000, 1000)


@pytest.mark.parametrize(("deals", "win_rate", "opportunities"), [(21, 0.35, 60), (57, 0.57, 100)])
def test_float_artefacts_do_not_add_an_opportunity(deals, win_rate, opportunities):
    assert deals / win_rate > opportunities  # binary floating point overshoots here

    plan = FunnelPlan.single(
        revenue_target=deals * 1000,
        average_deal_size=1000,
        win_rate=win_rate,
        sql_to_opportunity_rate=1,
        mql_to_sql_rate=1,
        lead_to_mql_rate=1,
    )

    assert calculate(plan).stages.opportunities == opportunities


def test_a_fractional_stage_is_rounded_up_not_to_nearest():
    stages = reverse_funnel(
        revenue_target=2001,
        average_deal_size=2000,
        win_rate=Fraction(99, 100),
        sql_to_opportunity_rate=1,
        mql_to_sql_rate=1,
        lead_to_mql_rate=1,
    )

    assert stages.deals == 2  # 1.0005 deals
    assert stages.opportunities == 3  # 2 / 0.99 = 2.02


def test_the_bare_funnel_function_refuses_floats_so_no_binary_number_slips_in():
    with pytest.raises(TypeError):
        reverse_funnel(
            revenue_target=100,
            average_deal_size=1,
            win_rate=0.5,
            sql_to_opportunity_rate=1,
            mql_to_sql_rate=1,
            lead_to_mql_rate=1,
        )


def test_every_number_in_a_result_is_an_int_or_an_exact_fraction():
    result = calculate(two_streams_three_sources())

    def walk(value):
        if is_dataclass(value):
            for field in fields(value):
                yield from walk(getattr(value, field.name))
        elif isinstance(value, tuple | list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        else:
            yield value

    values = list(walk(result))
    assert not [value for value in values if isinstance(value, float | Decimal)]
    assert any(isinstance(value, Fraction) for value in values)


# --- Validation ---------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_keyed_by_field():
    errors = errors_of(
        {
            "revenue_target": "",
            "average_deal_size": "0",
            "win_rate": "101%",
            "sql_to_opportunity_rate": "abc",
            "mql_to_sql_rate": "1/0",
            "lead_to_mql_rate": "0%",
            "term_months": "0",
            "sales_cycle_days": "-1",
        }
    )

    assert errors == {
        "revenue_target": ["This field is required."],
        "average_deal_size": ["Average deal size must be greater than 0."],
        "win_rate": ["Win rate must be greater than 0% and at most 100%."],
        "sql_to_opportunity_rate": [NOT_A_RATE],
        "mql_to_sql_rate": [messages.RATIO_DIVIDES_BY_ZERO],
        "lead_to_mql_rate": ["Lead-to-MQL rate must be greater than 0% and at most 100%."],
        "term_months": ["The term must be at least 1 month."],
        "sales_cycle_days": ["The sales cycle cannot be negative."],
    }


def test_an_empty_form_lists_each_required_field():
    errors = errors_of({})

    assert errors == {
        name: ["This field is required."]
        for name in (
            "revenue_target",
            "average_deal_size",
            "win_rate",
            "sql_to_opportunity_rate",
            "mql_to_sql_rate",
            "lead_to_mql_rate",
        )
    }


def test_the_error_carries_a_readable_summary():
    with pytest.raises(FunnelInputError) as raised:
        calculate({**SEED, "win_rate": "0"})

    assert str(raised.value) == "win_rate: Win rate must be greater than 0% and at most 100%."


def test_source_shares_that_add_up_to_90_percent_are_refused():
    errors = errors_of(
        {
            **SEED,
            "sources": [
                {"name": "Website", "share": "50%"},
                {"name": "Outbound", "share": "0.3"},
                {"name": "Events", "share": "1/10"},
            ],
        }
    )

    assert errors == {"sources": ["The source shares add up to 90%; they must add up to 100%."]}


def test_shares_that_do_not_end_in_whole_percent_are_reported_approximately():
    errors = errors_of(
        {**SEED, "sources": [{"name": "A", "share": "1/3"}, {"name": "B", "share": "1/3"}]}
    )

    assert errors == {
        "sources": ["The source shares add up to about 66.6667%; they must add up to 100%."]
    }


def test_stream_shares_must_add_up_to_100_percent_too():
    stream = {k: v for k, v in SEED.items() if k != "revenue_target"}
    errors = errors_of(
        {
            "revenue_target": "100000",
            "streams": [{**stream, "name": "SMB", "share": "60%"}, {**stream, "share": "60%"}],
        }
    )

    assert errors == {
        "streams": ["The revenue stream shares add up to 120%; they must add up to 100%."]
    }


def test_errors_inside_streams_and_sources_are_keyed_by_their_position():
    stream = {k: v for k, v in SEED.items() if k != "revenue_target"}
    errors = errors_of(
        {
            "revenue_target": "100000",
            "streams": [{**stream, "share": "50%"}, {**stream, "share": "50%", "win_rate": "0"}],
            "sources": [
                {"name": "Website", "share": "50%"},
                {"name": "Outbound", "share": "50%", "lead_to_mql_rate": "2/1"},
                {"name": "Events"},
                "Partners",
            ],
        }
    )

    assert errors == {
        "streams[1].win_rate": [rate_message("win_rate")],
        "sources[1].lead_to_mql_rate": [rate_message("lead_to_mql_rate")],
        "sources[2].share": ["This field is required."],
        "sources[3]": [messages.NOT_A_SOURCE],
    }


def test_a_share_is_checked_even_when_other_fields_of_the_source_are_wrong():
    errors = errors_of(
        {
            **SEED,
            "sources": [
                {"name": "Website", "share": "50%", "win_rate": "abc"},
                {"name": "Outbound", "share": "40%"},
            ],
        }
    )

    assert errors == {
        "sources[0].win_rate": [NOT_A_RATE],
        "sources": ["The source shares add up to 90%; they must add up to 100%."],
    }


def test_two_sources_cannot_share_a_name():
    errors = errors_of(
        {
            **SEED,
            "sources": [{"name": "Website", "share": "50%"}, {"name": " website", "share": "50%"}],
        }
    )

    assert errors == {"sources[1].name": [messages.DUPLICATE_SOURCE_NAME]}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("term_months", "121", "The term can be at most 120 months."),
        ("term_months", "1.5", messages.NOT_A_WHOLE_NUMBER),
        ("sales_cycle_days", "1096", "The sales cycle can be at most 1,095 days."),
        ("sales_cycle_days", "ten", messages.NOT_A_WHOLE_NUMBER),
        ("tolerance", "100%", messages.TOLERANCE_OUT_OF_RANGE),
        ("start", "2025-13", messages.NOT_A_START_MONTH),
        ("start", "March", messages.NOT_A_START_MONTH),
        ("start", "1850-01", messages.START_OUT_OF_RANGE),
        ("cost_per_lead", "-1", "Cost per lead cannot be negative."),
        ("streams", "not json", messages.NOT_A_LIST_OF_STREAMS),
        ("streams", {"name": "SMB"}, messages.NOT_A_LIST_OF_STREAMS),
        ("sources", 7, messages.NOT_A_LIST_OF_SOURCES),
    ],
)
def test_other_fields_are_range_checked(field, typed, message):
    assert errors_of({**SEED, field: typed}) == {field: [message]}


def test_a_plan_object_without_streams_is_refused():
    assert errors_of(FunnelPlan(revenue_target=1000, streams=())) == {
        "streams": [messages.NO_STREAMS]
    }


class Untouchable(Sequence):
    """A long list whose items must never be read."""

    def __init__(self, length):
        self.length = length

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        raise AssertionError("an item was read although the list is too long")


def test_too_many_streams_are_refused_before_any_stream_is_read():
    errors = errors_of({**SEED, "streams": Untouchable(51)})

    assert errors == {"streams": ["A plan can have at most 50 revenue streams; this one has 51."]}


def test_too_many_sources_are_refused_before_any_source_is_read():
    errors = errors_of({**SEED, "sources": Untouchable(1_000_000)})

    assert errors == {
        "sources": ["A plan can have at most 50 lead sources; this one has 1,000,000."]
    }


def test_a_plan_too_large_for_a_contract_is_refused_with_its_size(monkeypatch):
    def no_monthly_work(*args):
        raise AssertionError("monthly targets were computed for a plan that is too big")

    monkeypatch.setattr(validation, "_cells", no_monthly_work)
    streams = [{**STREAM, "name": f"Stream {n}", "share": "10%"} for n in range(10)]
    sources = [{"name": f"Source {n}", "share": "5%"} for n in range(20)]
    plan = {"revenue_target": "1000000", "term_months": "24", "streams": streams}

    errors = errors_of({**plan, "sources": sources})

    assert errors == {
        "__all__": [
            "A plan can have at most 2,400 combinations of revenue stream, lead source and "
            "month; this one has 10 × 20 × 24 = 4,800. Merge small streams or sources, or "  # noqa: RUF001
            "shorten the term."
        ]
    }
    monkeypatch.undo()
    fitting = [{"name": f"Source {n}", "share": "10%"} for n in range(10)]
    assert calculate({**plan, "sources": fitting}).term_months == 24


STREAM = {
    "average_deal_size": "12000",
    "sales_cycle_days": "45",
    "win_rate": "25%",
    "sql_to_opportunity_rate": "50%",
    "mql_to_sql_rate": "35%",
    "lead_to_mql_rate": "20%",
}


def test_a_plan_needing_absurdly_many_leads_is_refused_before_any_monthly_work(monkeypatch):
    def no_monthly_work(*args):
        raise AssertionError("monthly targets were computed for a plan that is too big")

    monkeypatch.setattr("funnel.engine.compute.monthly_cohorts", no_monthly_work)

    errors = errors_of(
        {
            **SEED,
            "revenue_target": "10000000000000",
            "average_deal_size": "1",
            "win_rate": "1/1000",
            "term_months": "120",
        }
    )

    assert errors == {
        "__all__": [
            "This plan needs more than 1,000,000,000 leads, more than the calculator handles. "
            "Check the conversion rates and the average deal size."
        ]
    }


def test_a_plan_just_under_the_lead_limit_is_calculated():
    plan = FunnelPlan.single(
        revenue_target=10**9,
        average_deal_size=1,
        win_rate=1,
        sql_to_opportunity_rate=1,
        mql_to_sql_rate=1,
        lead_to_mql_rate=1,
    )

    assert calculate(plan).stages.leads == calculator.MAX_STAGE_COUNT


# --- Streams x sources --------------------------------------------------------------------------


def two_streams_three_sources() -> dict:
    return {
        "revenue_target": "1200000",
        "term_months": "12",
        "start": "2025-01",
        "streams": [
            {
                "name": "SMB",
                "share": "25%",
                "average_deal_size": "3000",
                "win_rate": "25%",
                "sql_to_opportunity_rate": "80%",
                "mql_to_sql_rate": "1/2",
                "lead_to_mql_rate": "1/5",
                "sales_cycle_days": "30",
            },
            {
                "name": "Enterprise",
                "share": "75%",
                "average_deal_size": "45000",
                "win_rate": "20%",
                "sql_to_opportunity_rate": "75%",
                "mql_to_sql_rate": "1/3",
                "lead_to_mql_rate": "10%",
                "sales_cycle_days": "90",
            },
        ],
        "sources": [
            {"name": "Website", "share": "50%", "cost_per_lead": "20"},
            {"name": "Outbound", "share": "30%", "cost_per_lead": "55.50", "win_rate": "10%"},
            {"name": "Events", "share": "20%", "cost_per_lead": "120"},
        ],
    }


def test_each_stream_and_source_cell_is_its_own_funnel():
    result = calculate(two_streams_three_sources())
    smb, enterprise = result.streams

    # Each cell's months are funnels of their own, rounded up month by month; the cell's
    # totals are the sums of its months.
    # SMB x Website: 1.2M x 25% x 50% = 150,000 -> 50 deals over 12 months (2 x 6, 6 x 4 ... all
    # whole at these rates) -> 200 opps -> 250 SQLs -> 500 MQLs -> 2,500 leads
    assert smb.cells[0].stages == StageCounts(50, 200, 250, 500, 2500)
    # SMB x Outbound uses the source's own 10% win rate: 90,000 -> 30 deals = six months of 3
    # and six of 2 -> 6 x 30 + 6 x 20 = 300 opps -> 6 x ceil(37.5) + 6 x 25 = 378 SQLs
    assert smb.cells[1].rates.win_rate == Fraction(1, 10)
    assert smb.cells[1].stages == StageCounts(30, 300, 378, 756, 3780)
    # Enterprise x Events: 180,000 -> 4 deals, one in each of four months; one deal needs 5
    # opps -> ceil(6.67) = 7 SQLs -> 21 MQLs -> 210 leads, so 4 x: 20, 28, 84, 840
    assert enterprise.cells[2].stages == StageCounts(4, 20, 28, 84, 840)


def test_stream_source_and_plan_totals_are_sums_of_the_rounded_cells():
    result = calculate(two_streams_three_sources())

    for stream in result.streams:
        assert stream.stages == sum(
            (cell.stages for cell in stream.cells), StageCounts(0, 0, 0, 0, 0)
        )
    for index, source in enumerate(result.sources):
        assert source.stages == sum(
            (stream.cells[index].stages for stream in result.streams), StageCounts(0, 0, 0, 0, 0)
        )
    assert result.stages == result.streams[0].stages + result.streams[1].stages
    assert result.stages == sum((s.stages for s in result.sources), StageCounts(0, 0, 0, 0, 0))


def test_splitting_a_target_can_need_more_than_the_single_funnel_because_each_cell_rounds_up():
    single = calculate({**SEED, "revenue_target": "1000"})
    split = calculate(
        {
            **SEED,
            "revenue_target": "1000",
            "sources": [{"name": "A", "share": "50%"}, {"name": "B", "share": "50%"}],
        }
    )

    assert single.stages.deals == 1  # 0.5 deals
    assert split.stages.deals == 2  # 0.25 deals in each source


def test_top_level_fields_fill_in_what_a_stream_leaves_out():
    result = calculate(
        {
            **SEED,
            "streams": json.dumps(
                [
                    {"name": "SMB", "share": "40%"},
                    {"name": "Mid", "share": "60%", "win_rate": "1/2"},
                ]
            ),
        }
    )

    smb, mid = result.streams
    assert smb.rates.win_rate == Fraction(23, 100)
    assert smb.average_deal_size == 2000
    assert mid.rates.win_rate == Fraction(1, 2)


def test_a_stream_without_its_rates_and_no_top_level_fallback_is_missing_fields():
    errors = errors_of(
        {"revenue_target": "1000", "streams": [{"name": "SMB", "average_deal_size": "10"}]}
    )

    assert errors == {
        f"streams[0].{name}": ["This field is required."]
        for name in (
            "win_rate",
            "sql_to_opportunity_rate",
            "mql_to_sql_rate",
            "lead_to_mql_rate",
        )
    }


def test_plan_from_mapping_returns_a_plan_with_exact_values_that_calculates_the_same():
    plan = plan_from_mapping(two_streams_three_sources())

    assert plan.streams[0].win_rate == Fraction(1, 4)
    assert plan.sources[1].cost_per_lead == Fraction(111, 2)
    assert plan.start == (2025, 1)
    assert calculate(plan) == calculate(two_streams_three_sources())


def test_plan_objects_accept_stream_and_source_objects():
    plan = FunnelPlan(
        revenue_target="500000",
        streams=[
            RevenueStream(
                average_deal_size=2000,
                win_rate="23%",
                sql_to_opportunity_rate="82%",
                mql_to_sql_rate="1/3",
                lead_to_mql_rate="25%",
            )
        ],
        sources=[LeadSource(name="Website", cost_per_lead="2.50")],
    )

    result = calculate(plan)

    assert result.stages == SEED_STAGES
    assert result.sources[0].cost == Fraction(15912 * 5, 2)


def test_results_are_frozen():
    result = calculate(SEED)

    with pytest.raises(FrozenInstanceError):
        result.stages.deals = 1  # type: ignore[misc]


# --- Cost ---------------------------------------------------------------------------------------


def test_cost_is_leads_times_cost_per_lead_and_cost_per_deal_divides_by_deals():
    result = calculate(two_streams_three_sources())
    website = result.sources[0]

    assert website.cost == website.stages.leads * 20
    assert website.cost_per_deal == Fraction(website.stages.leads * 20, website.stages.deals)
    assert result.cost == sum(source.cost for source in result.sources)
    assert result.cost_per_deal == result.cost / result.stages.deals
    assert result.to_dict()["sources"][1]["cost_per_lead"] == "55.50"


def test_the_total_cost_is_unknown_when_a_source_has_no_cost_per_lead():
    data = two_streams_three_sources()
    del data["sources"][2]["cost_per_lead"]

    result = calculate(data)

    assert result.sources[2].cost is None
    assert result.cost is None
    assert result.to_dict()["cost"] is None
    assert all(month.cost is None for month in result.months)


def test_monthly_cost_adds_up_to_the_total_cost():
    result = calculate(two_streams_three_sources())

    assert sum(month.cost for month in result.months) == result.cost


def test_a_flat_cost_per_lead_applies_to_the_implicit_source():
    result = calculate({**SEED, "cost_per_lead": "10"})

    assert result.cost == 159_120
    assert result.to_dict()["cost_per_deal"] == "636.48"


def test_cheaper_leads_that_convert_better_cost_less_per_deal():
    # Seed 004: 100 leads closing at 4% and 40 leads closing at 10% both give 4 customers.
    result = calculate(
        {
            "revenue_target": "8000",
            "average_deal_size": "1000",
            "win_rate": "1",
            "sql_to_opportunity_rate": "1",
            "mql_to_sql_rate": "1",
            "lead_to_mql_rate": "4%",
            "sources": [
                {"name": "Cold list", "share": "50%", "cost_per_lead": "50"},
                {
                    "name": "Referrals",
                    "share": "50%",
                    "cost_per_lead": "50",
                    "lead_to_mql_rate": "10%",
                },
            ],
        }
    )
    cold, referrals = result.sources

    assert (cold.stages.deals, cold.stages.leads) == (4, 100)
    assert (referrals.stages.deals, referrals.stages.leads) == (4, 40)
    assert cold.cost_per_deal == 1250
    assert referrals.cost_per_deal == 500


# --- Months, lead lag and tolerance -------------------------------------------------------------


def test_a_year_of_250_deals_spreads_as_21s_and_20s_that_add_up_to_250():
    result = calculate({**SEED, "term_months": "12"})

    assert [month.stages.deals for month in result.months] == [21] * 5 + [20] + [21] * 5 + [20]


def test_monthly_spread_keeps_the_running_total_at_or_ahead_of_an_even_pace():
    assert spread_evenly(10, 4) == (3, 2, 3, 2)
    assert spread_evenly(3, 4) == (1, 1, 1, 0)
    assert spread_evenly(8, 4) == (2, 2, 2, 2)
    assert spread_evenly(0, 3) == (0, 0, 0)


def test_a_30_day_cycle_asks_for_leads_one_month_before_the_deals():
    result = calculate({**SEED, "term_months": "3", "sales_cycle_days": "30", "start": "2025-03"})
    months = {month.label: month for month in result.months}

    assert list(months) == ["2025-02", "2025-03", "2025-04", "2025-05"]
    assert months["2025-02"].lead_in
    assert months["2025-02"].stages.deals == 0
    assert months["2025-02"].stages.opportunities == 0
    # March's 84 deals -> 366 opps -> 447 SQLs -> 1,341 MQLs -> 5,364 leads, a month earlier
    assert months["2025-02"].stages.leads == 5364
    assert months["2025-02"].revenue_target == 0
    assert months["2025-05"].stages.leads == 0
    assert months["2025-05"].stages.deals == 83  # 250 = 84 + 83 + 83
    assert result.streams[0].lead_lag_months == 1


@pytest.mark.parametrize(("days", "months"), [(0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3)])
def test_the_lead_lag_is_the_cycle_in_30_day_months_rounded_up(days, months):
    assert calculator.lead_lag_months(days) == months


def test_lead_in_months_are_numbered_backwards_without_a_start_month():
    result = calculate({**SEED, "term_months": "2", "sales_cycle_days": "45"})

    assert [(m.offset, m.label) for m in result.months] == [
        (-2, "Lead-in month 2"),
        (-1, "Lead-in month 1"),
        (0, "Month 1"),
        (1, "Month 2"),
    ]


def test_months_cross_the_year_end():
    result = calculate({**SEED, "term_months": "3", "start": "2025-11", "sales_cycle_days": "1"})

    assert [m.label for m in result.months] == ["2025-10", "2025-11", "2025-12", "2026-01"]
    assert (result.months[-1].year, result.months[-1].month) == (2026, 1)


def test_each_stream_moves_its_own_leads_earlier_by_its_own_cycle():
    result = calculate(two_streams_three_sources())
    smb_lag, enterprise_lag = (stream.lead_lag_months for stream in result.streams)
    first = result.months[0]

    assert (smb_lag, enterprise_lag) == (1, 3)
    assert first.label == "2024-10"
    assert first.streams[1].leads > 0  # Enterprise needs leads three months ahead
    assert first.streams[0].leads == 0  # SMB only one month ahead


def test_monthly_rows_add_up_to_the_month_total_and_to_the_term_totals():
    result = calculate(two_streams_three_sources())

    for month in result.months:
        assert sum(month.streams, StageCounts(0, 0, 0, 0, 0)) == month.stages
        assert sum(month.sources, StageCounts(0, 0, 0, 0, 0)) == month.stages
    assert sum((m.stages for m in result.months), StageCounts(0, 0, 0, 0, 0)) == result.stages


def test_the_monthly_revenue_target_is_the_term_target_spread_evenly():
    result = calculate(two_streams_three_sources())

    term_months = [month for month in result.months if not month.lead_in]
    assert [month.revenue_target for month in term_months] == [Fraction(100_000)] * 12


def test_a_monthly_target_of_21_is_met_between_18_and_24():
    band = tolerance_band(21)

    assert (band.low, band.target, band.high) == (18, 21, 24)
    assert band.contains(18) and band.contains(24)
    assert not band.contains(17) and not band.contains(25)


def test_the_tolerance_can_be_changed_for_a_plan():
    result = calculate({**SEED, "tolerance": "5%"})

    assert result.months[0].band("deals").to_dict() == {"target": 250, "low": 237, "high": 263}
    assert result.to_dict()["tolerance"] == "0.0500"


# --- Purity -------------------------------------------------------------------------------------


def test_the_calculator_imports_no_django():
    code = (
        "import sys, funnel.calculator; "
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not loaded, loaded"
    )

    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_decimal_with_an_absurd_exponent_is_refused_at_once():
    import time
    from decimal import Decimal

    start = time.perf_counter()
    with pytest.raises(FunnelInputError) as caught:
        calculate(
            {
                "revenue_target": Decimal("1e999999999"),
                "average_deal_size": "2000",
                "win_rate": "23%",
                "sql_to_opportunity_rate": "82%",
                "mql_to_sql_rate": "1/3",
                "lead_to_mql_rate": "25%",
            }
        )
    assert "revenue_target" in caught.value.errors
    assert time.perf_counter() - start < 1


def test_deeply_nested_json_rows_are_an_input_error_not_a_crash():
    with pytest.raises(FunnelInputError) as caught:
        calculate(
            {
                "revenue_target": "500000",
                "average_deal_size": "2000",
                "win_rate": "23%",
                "sql_to_opportunity_rate": "82%",
                "mql_to_sql_rate": "1/3",
                "lead_to_mql_rate": "25%",
                "sources": "[" * 5_000 + "]" * 5_000,  # within the length limit, past recursion
            }
        )
    assert "sources" in caught.value.errors
