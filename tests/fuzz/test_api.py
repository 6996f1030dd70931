"""Issue 16: /api/funnel/calculate answers hostile JSON bodies and query strings with a 4xx or
a result, never a 500."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.forms import example_plan

from . import stats
from .conftest import EXAMPLES, KEEP_GOING
from .test_endpoints import FUZZ
from .values import NASTY, clean_text, scalar

pytestmark = pytest.mark.django_db  # the rate limit counts in the database cache

#: A request costs milliseconds here: many more examples than a form endpoint.
FUZZ_API = settings(FUZZ, max_examples=EXAMPLES * 20)
NAME = "api_funnel_calculate"
FIELDS = [*example_plan(), "streams", "sources"]
ROW_FIELDS = [
    "name",
    "share",
    "average_deal_size",
    "sales_cycle_days",
    "cost_per_lead",
    "win_rate",
    "sql_to_opportunity_rate",
    "mql_to_sql_rate",
    "lead_to_mql_rate",
]
#: Numbers as JSON writes them, including what Python's float cannot hold.
RAW_NUMBERS = [
    "0",
    "-0",
    "1e999",
    "-1e999",
    "1E-400",
    "1e-999999999",
    "9" * 5000,
    "123456789012345678901234567890.5",
    "0.23",
    "1e2",
    "NaN",
    "Infinity",
]

json_text = st.one_of(
    scalar.map(lambda text: json.dumps(text)),
    st.sampled_from(RAW_NUMBERS),
    st.sampled_from(["null", "true", "false", "[]", "{}", '"' + "x" * 20_000 + '"']),
    st.integers().map(str),
)


def _object(members: dict) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in members.items()) + "}"


row = st.dictionaries(st.sampled_from(ROW_FIELDS), json_text, max_size=len(ROW_FIELDS)).map(_object)
rows = st.lists(row, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
plan = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(json_text, rows), max_size=len(FIELDS)
).map(_object)
body = st.one_of(
    plan,
    plan,
    st.sampled_from(["", "[]", "null", "[" * 10_000, '{"streams": ' + "[" * 5000 + "}"]),
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
    st.sampled_from(NASTY),
)


def _check(response):
    stats.record(NAME, response)
    if not KEEP_GOING:
        assert response.status_code < 500
        assert response["Content-Type"] == "application/json"


@FUZZ_API
@given(text=body)
def test_no_json_body_answers_a_server_error(text):
    client = Client(raise_request_exception=not KEEP_GOING)
    _check(
        client.post(
            reverse(NAME),
            text.encode("utf-8", "surrogatepass"),
            content_type="application/json",
        )
    )


@FUZZ_API
@given(query=st.dictionaries(st.sampled_from(FIELDS), scalar, max_size=6))
def test_no_query_string_answers_a_server_error(query):
    client = Client(raise_request_exception=not KEEP_GOING)
    _check(client.get(reverse(NAME), {k: clean_text(v) for k, v in query.items()}))
