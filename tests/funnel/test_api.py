"""``/api/funnel/calculate``: a plan in (JSON body or query string), its reverse funnel out."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnel.api import MAX_BODY_BYTES
from funnel.calculator import MAX_STREAMS, messages

URL = "/api/funnel/calculate"

# Seed 002 (see tests/funnel/test_calculator.py), with one lead in four becoming an MQL.
SEED = {
    "revenue_target": 500000,
    "average_deal_size": 2000,
    "win_rate": "23%",
    "sql_to_opportunity_rate": "82%",
    "mql_to_sql_rate": "1/3",
    "lead_to_mql_rate": "25%",
}
SEED_STAGES = {"deals": 250, "opportunities": 1087, "sqls": 1326, "mqls": 3978, "leads": 15912}
NOT_JSON = {"errors": {"__all__": ["The request body is not valid JSON."]}}


def post_json(client, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, data=body, content_type="application/json", **extra)


def errors_of(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def rate_error(field: str) -> str:
    return messages.RATE_OUT_OF_RANGE.format(label=messages.FIELD_LABELS[field])


# --- Answers ---------------------------------------------------------------------------------


def test_the_api_url_is_named():
    assert reverse("api_funnel_calculate") == URL


def test_seed_example_posted_as_json_needs_250_deals_1087_opportunities_1326_sqls_3978_mqls(
    client,
):
    response = post_json(client, SEED)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["stages"] == SEED_STAGES
    assert body["rounding_rule"] == messages.ROUNDING_RULE
    assert body["forward_check"]["meets_target"] is True


def test_seed_example_in_the_query_string_gives_the_same_stages(client):
    response = client.get(URL, {**SEED, "revenue_target": "500,000"})

    assert response.status_code == 200
    assert response.json()["stages"] == SEED_STAGES


def test_json_numbers_are_read_exactly_not_as_binary_floats(client):
    # As a float this target is exactly 500000.0 (250 deals); read exactly it needs a 251st deal.
    body = json.dumps({**SEED, "revenue_target": 1}).replace(
        '"revenue_target": 1', '"revenue_target": 500000.0000000000000001'
    )

    response = post_json(client, body)

    assert response.json()["stages"]["deals"] == 251


def test_json_numbers_as_fractions_give_the_seed_result(client):
    response = post_json(
        client,
        {**SEED, "win_rate": 0.23, "sql_to_opportunity_rate": 0.82, "lead_to_mql_rate": 2.5e-1},
    )

    assert response.json()["stages"] == SEED_STAGES


def test_anonymous_clients_post_without_a_csrf_token(db):
    response = post_json(Client(enforce_csrf_checks=True), SEED)

    assert response.status_code == 200


STREAMS_AND_SOURCES = {
    "revenue_target": "1,000,000",
    "term_months": 12,
    "start": "2027-01",
    "streams": [
        {
            "name": "SMB",
            "share": "40%",
            "average_deal_size": 5000,
            "win_rate": "25%",
            "sql_to_opportunity_rate": "80%",
            "mql_to_sql_rate": "50%",
            "lead_to_mql_rate": "20%",
            "sales_cycle_days": 30,
        },
        {
            "name": "Enterprise",
            "share": "60%",
            "average_deal_size": 50000,
            "win_rate": "20%",
            "sql_to_opportunity_rate": "75%",
            "mql_to_sql_rate": "40%",
            "lead_to_mql_rate": "10%",
            "sales_cycle_days": 90,
        },
    ],
    "sources": [
        {"name": "Website", "share": "70%", "cost_per_lead": 20},
        {"name": "Events", "share": "30%", "cost_per_lead": 150, "lead_to_mql_rate": "40%"},
    ],
}


def test_streams_and_sources_are_each_their_own_funnel_with_totals_and_cost(client):
    # SMB x Website: 280,000 -> 56 deals -> 224 -> 280 -> 560 MQLs -> 2,800 leads; the other
    # cells likewise, month by month (Enterprise x Events: 180,000 -> 3.6, so 4 deals, one in
    # each of four months; one deal -> 5 opps -> 7 SQLs -> 18 MQLs -> 45 leads; x 4).
    response = post_json(client, STREAMS_AND_SOURCES)

    assert response.status_code == 200
    body = response.json()
    assert body["stages"] == {
        "deals": 93,
        "opportunities": 385,
        "sqls": 491,
        "mqls": 1034,
        "leads": 5200,
    }
    smb, enterprise = body["streams"]
    assert smb["stages"] == {
        "deals": 80,
        "opportunities": 320,
        "sqls": 400,
        "mqls": 800,
        "leads": 3400,
    }
    assert (smb["lead_lag_months"], enterprise["lead_lag_months"]) == (1, 3)
    assert enterprise["sources"][1]["stages"] == {
        "deals": 4,
        "opportunities": 20,
        "sqls": 28,
        "mqls": 72,
        "leads": 180,
    }
    website, events = body["sources"]
    assert (website["stages"]["leads"], website["cost"]) == (4420, "88400.00")
    assert (events["stages"]["leads"], events["cost"]) == (780, "117000.00")
    assert (body["cost"], body["cost_per_deal"]) == ("205400.00", "2208.60")
    # Enterprise leads arrive three months early: the first month is October 2026.
    assert body["months"][0]["label"] == "2026-10"
    assert len(body["months"]) == 3 + 12


def test_streams_and_sources_can_come_as_json_text_in_the_query_string(client):
    query = {
        **STREAMS_AND_SOURCES,
        "streams": json.dumps(STREAMS_AND_SOURCES["streams"]),
        "sources": json.dumps(STREAMS_AND_SOURCES["sources"]),
    }

    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.json()["stages"]["leads"] == 5200


# --- Plan errors: 400 with messages keyed by field -------------------------------------------


def test_a_rate_of_zero_is_refused_under_its_field(client):
    assert errors_of(post_json(client, {**SEED, "win_rate": 0})) == {
        "win_rate": [rate_error("win_rate")]
    }


@pytest.mark.parametrize("rate", ["120%", 101, "3/2"])
def test_a_rate_above_100_percent_is_refused(client, rate):
    assert errors_of(post_json(client, {**SEED, "mql_to_sql_rate": rate})) == {
        "mql_to_sql_rate": [rate_error("mql_to_sql_rate")]
    }


def test_a_rate_typed_as_a_bare_percentage_gets_a_hint(client):
    errors = errors_of(post_json(client, {**SEED, "win_rate": 23}))

    assert errors == {
        "win_rate": [
            messages.RATE_LOOKS_LIKE_PERCENT.format(
                label=messages.FIELD_LABELS["win_rate"], value=23
            )
        ]
    }


def test_a_negative_amount_is_refused(client):
    assert errors_of(post_json(client, {**SEED, "average_deal_size": -2000})) == {
        "average_deal_size": ["Average deal size must be greater than 0."]
    }


@pytest.mark.parametrize("amount", ["lots", "12abc", True, [500000], {"value": 1}])
def test_an_amount_that_is_not_a_number_is_refused(client, amount):
    assert errors_of(post_json(client, {**SEED, "revenue_target": amount})) == {
        "revenue_target": [messages.NOT_A_NUMBER]
    }


def test_a_non_numeric_amount_in_the_query_string_is_refused(client):
    errors = errors_of(client.get(URL, {**SEED, "average_deal_size": "two thousand"}))

    assert errors == {"average_deal_size": [messages.NOT_A_NUMBER]}


def test_every_missing_field_is_listed_at_once(client):
    errors = errors_of(post_json(client, {}))

    assert errors == {
        field: [messages.REQUIRED]
        for field in (
            "revenue_target",
            "average_deal_size",
            "win_rate",
            "sql_to_opportunity_rate",
            "mql_to_sql_rate",
            "lead_to_mql_rate",
        )
    }


def test_a_get_without_a_query_string_lists_the_missing_fields(client):
    assert "revenue_target" in errors_of(client.get(URL))


def test_a_source_mix_adding_up_to_90_percent_is_refused(client):
    sources = [{"name": "Website", "share": "60%"}, {"name": "Events", "share": "30%"}]

    errors = errors_of(post_json(client, {**SEED, "sources": sources}))

    assert errors == {"sources": [messages.SOURCE_SHARES_SUM.format(total="90%")]}


def test_errors_inside_a_stream_are_keyed_by_its_position(client):
    streams = [
        {**STREAMS_AND_SOURCES["streams"][0]},
        {**STREAMS_AND_SOURCES["streams"][1], "win_rate": "0%"},
    ]

    errors = errors_of(post_json(client, {**STREAMS_AND_SOURCES, "streams": streams}))

    assert errors == {"streams[1].win_rate": [rate_error("win_rate")]}


def test_an_absurd_revenue_target_is_refused(client):
    errors = errors_of(post_json(client, {**SEED, "revenue_target": 10**14}))

    assert errors == {"revenue_target": ["Revenue target must be at most 10,000,000,000,000."]}


def test_a_plan_needing_absurdly_many_leads_is_refused_as_a_whole(client):
    errors = errors_of(post_json(client, {**SEED, "lead_to_mql_rate": "1/1000000"}))

    assert list(errors) == ["__all__"]
    assert "more than 1,000,000,000 leads" in errors["__all__"][0]


def test_too_many_streams_are_refused(client):
    streams = [{"share": "1%"}] * (MAX_STREAMS + 1)

    errors = errors_of(post_json(client, {**SEED, "streams": streams}))

    assert errors == {
        "streams": [messages.TOO_MANY_STREAMS.format(limit=MAX_STREAMS, count=MAX_STREAMS + 1)]
    }


def test_an_over_long_json_number_is_refused_like_over_long_text(client):
    response = post_json(client, json.dumps(SEED).replace("500000", "5" * 60))

    assert errors_of(response) == {"revenue_target": [messages.NUMBER_TOO_LONG]}


@pytest.mark.parametrize("number", ["1e999999999", "1e-999999999", "-1E+999999999"])
def test_a_json_number_with_an_absurd_exponent_is_refused_quickly(client, number):
    # Fraction(Decimal("1e999999999")) would build a billion-digit integer.
    body = json.dumps(SEED).replace("500000", number)
    started = time.perf_counter()

    response = post_json(client, body)

    assert time.perf_counter() - started < 1
    assert errors_of(response) == {"revenue_target": [messages.NOT_A_NUMBER]}


def test_a_moderate_exponent_is_an_ordinary_number(client):
    response = post_json(client, json.dumps(SEED).replace("500000", "5e5"))

    assert response.json()["stages"] == SEED_STAGES


def test_streams_text_that_is_not_json_is_refused_as_not_a_list(client):
    errors = errors_of(client.get(URL, {**SEED, "streams": "[{"}))

    assert errors == {"streams": [messages.NOT_A_LIST_OF_STREAMS]}


@pytest.mark.parametrize("nested", ["[" * 50_000, json.dumps("[" * 50_000)])
def test_deeply_nested_streams_text_is_refused_not_a_crash(client, nested):
    errors = errors_of(client.get(URL, {**SEED, "sources": nested}))

    assert errors == {"sources": [messages.NOT_A_LIST_OF_SOURCES]}


# --- Request errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", ["{", "revenue_target=500000", b"\xff\xfe\x00", "", '{"win_rate": NaN}', "[" * 50_000]
)
def test_a_body_that_is_not_json_is_refused(client, body):
    response = post_json(client, body)

    assert response.status_code == 400
    assert response.json() == NOT_JSON


@pytest.mark.parametrize("body", ["[1, 2]", '"500000"', "42", "null"])
def test_a_json_body_that_is_not_an_object_is_refused(client, body):
    response = post_json(client, body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": {"__all__": ["The request body must be a JSON object of fields and values."]}
    }


def test_an_oversized_body_is_refused_before_it_is_read(client):
    body = json.dumps({**SEED, "padding": "x" * MAX_BODY_BYTES})

    response = post_json(client, body)

    assert response.status_code == 413
    assert response.json() == {
        "errors": {"__all__": ["The request body is too large: send at most 100 KB."]}
    }


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_are_not_allowed(client, method):
    response = getattr(client, method)(URL, data=json.dumps(SEED), content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {"errors": {"__all__": ["Use GET or POST."]}}


# --- Never a 500 ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.decimals(allow_nan=False, allow_infinity=False).map(str)
    | st.sampled_from(["23%", "1/3", "0", "-1", "500,000", "0,5", "1 in 4", "2027-13", ""])
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=20,
)
FIELDS = [*SEED, "term_months", "start", "sales_cycle_days", "cost_per_lead", "tolerance", "name"]
plan_items = st.dictionaries(st.sampled_from(FIELDS), json_values)
plans = st.fixed_dictionaries(
    {},
    optional={
        **{field: json_values for field in FIELDS},
        "streams": st.lists(plan_items, max_size=3) | json_values,
        "sources": st.lists(plan_items, max_size=3) | json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans)
def test_any_json_object_gets_a_result_or_field_errors_never_a_server_error(plan):
    response = post_json(Client(), plan)

    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 400:
        assert all(
            isinstance(found, list) and all(isinstance(message, str) for message in found)
            for found in body["errors"].values()
        )
    else:
        assert set(SEED_STAGES) <= set(body["stages"])


def test_calls_from_one_address_are_limited_on_the_shared_cache(client, settings, db):
    settings.FUNNEL_API_RATE_LIMIT = 3

    answers = [post_json(client, SEED).status_code for _ in range(4)]
    other_address = post_json(client, SEED, REMOTE_ADDR="198.51.100.9")

    assert answers == [200, 200, 200, 429]
    limited = post_json(client, SEED)
    assert limited.json()["errors"]["__all__"][0].startswith("Too many requests")
    assert limited["Retry-After"] == "60"
    assert other_address.status_code == 200
