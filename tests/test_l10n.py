"""The locale layer: what people type is read as they mean it, in each of the five languages."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from funnel.calculator import FunnelInputError
from funnel.localized import calculate_localized, delocalize_plan, rate_notation
from slaportal.l10n import (
    NumberInputError,
    format_day,
    format_money,
    format_month,
    format_number,
    format_percent,
    parse_number,
)

LANGUAGES = ["en", "de", "it", "tr", "zh-hans"]
NBSP = "\u00a0"
DECIMALS = st.integers(0, 4).flatmap(
    lambda places: st.decimals(
        min_value=-(10**12), max_value=10**12, places=places, allow_nan=False, allow_infinity=False
    )
)


@given(value=DECIMALS, language=st.sampled_from(LANGUAGES))
def test_every_number_shown_reads_back_as_itself(value, language):
    assert parse_number(format_number(value, language=language), language) == value


@given(value=DECIMALS, language=st.sampled_from(LANGUAGES))
def test_every_number_shown_without_grouping_reads_back_as_itself(value, language):
    shown = format_number(value, language=language, grouping=False)

    assert parse_number(shown, language) == value


@given(
    percent=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
    language=st.sampled_from(LANGUAGES),
)
def test_every_percentage_shown_reads_back_as_the_same_rate(percent, language):
    shown = format_percent(percent / 100, language=language)

    assert rate_notation(shown, language) == f"{percent.normalize():f}%"


@pytest.mark.parametrize(
    ("typed", "language", "value"),
    [
        ("1.200.000", "de", "1200000"),
        ("500.000", "de", "500000"),
        ("62,5", "de", "62.5"),
        ("0,23", "it", "0.23"),
        ("1.234", "de", "1234"),
        ("1 234,5", "tr", "1234.5"),
        ("1.234,5", "tr", "1234.5"),
        ("1,234.5", "en", "1234.5"),
        ("1,200,000", "zh-hans", "1200000"),
        ("\u22123", "en", "-3"),  # a typographic minus
        ("1'234", "de", "1234"),
    ],
)
def test_numbers_are_read_the_way_the_language_writes_them(typed, language, value):
    assert parse_number(typed, language) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "language", "readings"),
    [
        ("1,5", "en", ("15", "1.5")),
        ("62,5", "zh-hans", ("625", "62.5")),
        ("1.5", "de", ("15", "1,5")),
        ("0.23", "it", ("23", "0,23")),
        ("1,234.5", "tr", ("1,2345", "1.234,5")),
    ],
)
def test_text_that_reads_two_ways_is_refused_naming_both(typed, language, readings):
    with pytest.raises(NumberInputError) as refused:
        parse_number(typed, language)

    assert f"“{typed}” could be read as {readings[0]} or as {readings[1]}" in refused.value.message


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e5", "12 leads", "1.2.3,4,5", "--5", ""])
def test_text_that_is_no_number_is_refused(typed):
    with pytest.raises(NumberInputError):
        parse_number(typed, "de")


def test_a_german_typing_an_english_million_is_told_what_it_would_mean():
    with pytest.raises(NumberInputError) as refused:
        parse_number("1,200,000", "de")

    assert refused.value.message == (
        "“1,200,000” is not written the way numbers are here: did you mean 1.200.000?"
    )


@pytest.mark.parametrize(
    ("language", "money", "percent", "day", "month"),
    [
        ("en", "€1,200,000", "50%", "January 1, 2027", "January 2027"),
        ("de", f"1.200.000{NBSP}€", f"50{NBSP}%", "1. Januar 2027", "Januar 2027"),
        ("it", f"1.200.000{NBSP}€", "50%", "1º gennaio 2027", "gennaio 2027"),
        ("tr", "€1.200.000", "%50", "1 Ocak 2027", "Ocak 2027"),
        ("zh-hans", "€1,200,000", "50%", "2027年1月1日", "2027年1月"),
    ],
)
def test_amounts_percentages_and_dates_follow_the_language(language, money, percent, day, month):
    assert format_money(Decimal("1200000"), "EUR", language=language) == money
    assert format_percent(Decimal("0.5"), language=language) == percent
    assert format_day(date(2027, 1, 1), language=language) == day
    assert format_month(date(2027, 1, 1), language=language) == month


def test_cents_are_shown_only_when_an_amount_has_them():
    assert format_money(Decimal("1200000.5"), "EUR", language="de") == f"1.200.000,50{NBSP}€"
    assert format_money(Decimal("2000.00"), "USD", language="en") == "$2,000"


def test_a_plan_typed_in_german_reaches_the_engine_in_its_notation():
    plan, errors = delocalize_plan(
        {
            "revenue_target": "1.200.000",
            "win_rate": "62,5 %",
            "mql_to_sql_rate": "1 von 3",
            "streams": [{"name": "SMB", "share": "%40", "average_deal_size": "2.000,50"}],
            "sales_cycle_days": 30,
        },
        "de",
    )

    assert errors == {}
    assert plan["revenue_target"] == "1200000"
    assert plan["win_rate"] == "62.5%"
    assert plan["mql_to_sql_rate"] == "1/3"
    assert plan["streams"] == [{"name": "SMB", "share": "40%", "average_deal_size": "2000.50"}]
    assert plan["sales_cycle_days"] == 30  # JSON numbers pass untouched


def test_the_calculator_page_in_german_computes_with_the_numbers_meant(client):
    client.cookies["django_language"] = "de"
    data = {
        "revenue_target": "1.200.000",
        "term_months": "1",
        "average_deal_size": "2.000",
        "win_rate": "62,5 %",
        "sql_to_opportunity_rate": "0,82",
        "mql_to_sql_rate": "1/3",
        "lead_to_mql_rate": "25 %",
        "sales_cycle_days": "30",
        "streams-TOTAL_FORMS": "0",
        "streams-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }

    response = client.post("/calculator/", data)

    funnel = response.context["funnel"]
    assert funnel is not None, response.context["calculator"].plan.errors
    assert funnel["stages"]["deals"] == 600
    assert funnel["stages"]["opportunities"] == 960
    assert 'value="1.200.000"' in response.content.decode()


def test_an_ambiguous_calculator_value_is_refused_next_to_its_field(client):
    client.cookies["django_language"] = "de"

    response = client.post("/calculator/", {"revenue_target": "1.5", "average_deal_size": "2000"})

    errors = response.context["calculator"].plan.errors["revenue_target"]
    assert len(errors) == 1 and "1.5" in errors[0]
    assert " 15 " in errors[0] and " 1,5" in errors[0]  # both readings, written the German way


def test_the_api_reads_text_values_in_the_requests_language(client):
    plan = {
        "revenue_target": "1.200.000",
        "average_deal_size": "2.000",
        "win_rate": "62,5%",
        "sql_to_opportunity_rate": "0,82",
        "mql_to_sql_rate": "1/3",
        "lead_to_mql_rate": "25 %",
    }

    german = client.post(
        "/api/funnel/calculate",
        json.dumps(plan),
        content_type="application/json",
        headers={"accept-language": "de"},
    )
    english = client.post(
        "/api/funnel/calculate", json.dumps(plan), content_type="application/json"
    )

    assert german.status_code == 200, german.content
    assert german.json()["stages"]["deals"] == 600
    assert english.status_code == 400
    assert "revenue_target" in english.json()["errors"]


def test_the_engines_messages_write_their_numbers_the_readers_way():
    plan = {"revenue_target": "20.000.000.000.000", "average_deal_size": "2.000"}
    with translation.override("de"), pytest.raises(FunnelInputError) as refused:
        calculate_localized(plan)

    assert "10.000.000.000.000" in refused.value.errors["revenue_target"][0]
