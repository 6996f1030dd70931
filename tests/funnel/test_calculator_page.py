"""The public calculator page at /calculator/ and its live-results endpoint."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from funnel.calculator import messages

pytestmark = pytest.mark.django_db

PAGE = "/calculator/"
RESULTS = "/calculator/results/"
EN_DASH = "\N{EN DASH}"  # between the low and high end of a tolerance band

SEED = {
    "revenue_target": "500,000",
    "term_months": "1",
    "average_deal_size": "2000",
    "win_rate": "23%",
    "sql_to_opportunity_rate": "82%",
    "mql_to_sql_rate": "1/3",
    "lead_to_mql_rate": "25%",
    "sales_cycle_days": "30",
}

NOT_A_RATE = "Enter a rate as a percentage (23%), a fraction (0.23) or a ratio (1/3)."


def rows(group: str, *rows: dict[str, str]) -> dict[str, str]:
    """Formset fields for stream or source rows, as the page's JavaScript submits them."""
    data = {f"{group}-TOTAL_FORMS": str(len(rows)), f"{group}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"{group}-{index}-{name}": value for name, value in row.items()})
    return data


class _Element(HTMLParser):
    """Finds the first element whose ``attribute`` is ``value``: its attributes and its text."""

    def __init__(self, attribute: str, value: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attribute, self.value = attribute, value
        self.attrs: dict[str, str | None] | None = None
        self.depth = 0
        self.done = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth:
            self.depth += tag not in VOID_ELEMENTS
        elif dict(attrs).get(self.attribute) == self.value:
            self.attrs = dict(attrs)
            self.depth = 0 if tag in VOID_ELEMENTS else 1
            self.done = tag in VOID_ELEMENTS

    def handle_endtag(self, tag):
        if self.depth and not self.done:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.done:
            self.text.append(data)


VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


def find(html: str, attribute: str, value: str) -> _Element:
    element = _Element(attribute, value)
    element.feed(html)
    assert element.attrs is not None, f"no element with {attribute}={value!r}"
    return element


def text_of(html: str, testid: str) -> str:
    """The text of the element with this ``data-testid``, whitespace collapsed."""
    return " ".join("".join(find(html, "data-testid", testid).text).split())


def error_of(html: str, field_id: str) -> str:
    """The messages in a field's error slot (the element its aria-describedby points to)."""
    return " ".join("".join(find(html, "id", f"{field_id}_error").text).split())


def input_of(html: str, field_id: str) -> dict[str, str | None]:
    return find(html, "id", field_id).attrs


def test_the_page_urls_are_named():
    assert (reverse("calculator"), reverse("calculator_results")) == (PAGE, RESULTS)


def test_anonymous_visitors_see_the_calculator_with_the_seed_example_worked_out(client):
    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert input_of(html, "id_revenue_target")["value"] == "500,000"
    assert text_of(html, "stage-deals") == "250"
    assert text_of(html, "stage-opportunities") == "1,087"
    assert text_of(html, "rounding-rule").endswith(messages.ROUNDING_RULE)
    assert "As 23%, 0.23 or 1/3." in html


def test_posting_the_seed_example_shows_every_stage_with_thousands_separators(client):
    html = client.post(PAGE, SEED).content.decode()

    assert [text_of(html, f"stage-{stage}") for stage in ("deals", "opportunities")] == [
        "250",
        "1,087",
    ]
    assert text_of(html, "stage-sqls") == "1,326"
    assert text_of(html, "stage-mqls") == "3,978"
    assert text_of(html, "stage-leads") == "15,912"
    assert text_of(html, "value-per-mql") == "125.69"
    assert text_of(html, "value-per-lead") == "31.42"


def test_the_results_show_the_funnel_as_inline_svg(client):
    html = client.post(PAGE, SEED).content.decode()

    chart = re.search(r'data-testid="funnel-chart">(.*?)</svg>', html, re.DOTALL)[1]
    assert chart.startswith("<svg")
    assert ">15,912</text>" in chart
    assert ">Leads</text>" in chart


def test_the_month_table_moves_leads_a_sales_cycle_earlier_with_a_ten_percent_band(client):
    html = client.post(PAGE, {**SEED, "start": "2027-01"}).content.decode()

    months = re.findall(r'data-testid="month-row".*?</tr>', html, re.DOTALL)
    assert len(months) == 2
    lead_in, january = months
    assert "December 2026" in lead_in
    assert "lead-in" in lead_in
    assert "15,912" in lead_in
    assert f"14,320{EN_DASH}17,504" in lead_in  # leads: floor(90%) to ceil(110%)
    assert "January 2027" in january
    assert f"225{EN_DASH}275" in january  # 250 deals


def test_without_a_start_month_the_months_are_numbered(client):
    html = client.post(PAGE, SEED).content.decode()

    labels = re.findall(r'data-testid="month-row".*?<th scope="row"[^>]*>([^<]*)<', html, re.DOTALL)
    assert [label.strip() for label in labels] == ["Lead-in month 1", "Month 1"]


def test_the_forward_check_shows_the_revenue_the_numbers_deliver(client):
    html = client.post(PAGE, SEED).content.decode()

    check = text_of(html, "forward-check")
    assert "500,167.20" in check
    assert "500,000.00" in check


def test_a_cost_per_lead_gives_the_cost_and_the_cost_per_deal(client):
    html = client.post(PAGE, {**SEED, "cost_per_lead": "10"}).content.decode()

    assert text_of(html, "cost") == "159,120.00"  # 15,912 leads x 10
    assert text_of(html, "cost-per-deal") == "636.48"  # / 250 deals


def test_without_a_cost_per_lead_the_page_says_how_to_get_the_acquisition_cost(client):
    html = client.post(PAGE, SEED).content.decode()

    assert "cost per lead to see it" in text_of(html, "cost-per-deal")


def test_streams_and_sources_get_a_table_each_with_totals(client):
    data = {
        **SEED,
        **rows(
            "streams",
            {"name": "SMB", "share": "40%"},
            {"name": "Enterprise", "share": "60%", "average_deal_size": "20,000"},
        ),
        **rows(
            "sources",
            {"name": "Website", "share": "70%", "cost_per_lead": "20"},
            {"name": "Events", "share": "30%", "cost_per_lead": "150", "win_rate": "40%"},
        ),
    }

    html = client.post(PAGE, data).content.decode()

    streams = re.findall(r'data-testid="stream-result">(.*?)</tr>', html, re.DOTALL)
    sources = re.findall(r'data-testid="source-result">(.*?)</tr>', html, re.DOTALL)
    assert ["SMB" in streams[0], "Enterprise" in streams[1]] == [True, True]
    assert ["Website" in sources[0], "Events" in sources[1]] == [True, True]
    assert "40%" in streams[0]
    assert "<tfoot" in html
    assert text_of(html, "cost")  # every source has a cost per lead
    # Rows given on the page stay on the page, with the advanced block open.
    assert input_of(html, "id_streams-1-name")["value"] == "Enterprise"
    assert re.search(r'<details[^>]*data-testid="advanced" open', html)


def test_a_bad_rate_is_explained_next_to_its_field_and_the_typed_value_stays(client):
    html = client.post(PAGE, {**SEED, "win_rate": "0", "mql_to_sql_rate": "one third"})
    html = html.content.decode()

    assert error_of(html, "id_win_rate") == ("Win rate must be greater than 0% and at most 100%.")
    assert error_of(html, "id_mql_to_sql_rate") == NOT_A_RATE
    win_rate = input_of(html, "id_win_rate")
    assert win_rate["value"] == "0"
    assert win_rate["aria-invalid"] == "true"
    assert "id_win_rate_error" in win_rate["aria-describedby"].split()
    assert input_of(html, "id_mql_to_sql_rate")["value"] == "one third"
    assert error_of(html, "id_revenue_target") == ""
    assert 'data-testid="results-invalid"' in html


def test_missing_fields_are_each_marked_required(client):
    html = client.post(PAGE, {"revenue_target": "500000"}).content.decode()

    for field in ("average_deal_size", "win_rate", "lead_to_mql_rate"):
        assert error_of(html, f"id_{field}") == messages.REQUIRED
    assert error_of(html, "id_revenue_target") == ""


def test_an_error_in_a_row_is_shown_next_to_that_rows_field(client):
    # The blank first row is ignored, so the engine's streams[0] is the page's second row.
    data = {
        **SEED,
        **rows(
            "streams",
            {},
            {"name": "SMB", "share": "50%"},
            {"name": "Enterprise", "share": "50%", "win_rate": "150%"},
        ),
    }

    html = client.post(PAGE, data).content.decode()

    assert error_of(html, "id_streams-2-win_rate") == (
        "Win rate must be greater than 0% and at most 100%."
    )
    assert error_of(html, "id_streams-1-win_rate") == ""
    assert error_of(html, "id_win_rate") == ""
    assert input_of(html, "id_streams-2-win_rate")["value"] == "150%"


def test_a_source_mix_not_adding_up_is_shown_above_the_sources(client):
    data = {
        **SEED,
        **rows("sources", {"name": "Website", "share": "60%"}, {"name": "Events", "share": "30%"}),
    }

    html = client.post(PAGE, data).content.decode()

    assert text_of(html, "sources-errors") == (messages.SOURCE_SHARES_SUM.format(total="90%"))
    assert text_of(html, "streams-errors") == ""


def test_duplicate_names_are_shown_next_to_the_second_name(client):
    data = {
        **SEED,
        **rows("sources", {"name": "Web", "share": "50%"}, {"name": "web", "share": "50%"}),
    }

    html = client.post(PAGE, data).content.decode()

    assert error_of(html, "id_sources-1-name") == messages.DUPLICATE_SOURCE_NAME


def test_a_plan_needing_absurdly_many_leads_is_explained_above_the_form(client):
    html = client.post(PAGE, {**SEED, "lead_to_mql_rate": "1/1000000"}).content.decode()

    assert "more than 1,000,000,000 leads" in text_of(html, "calculator-errors")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"streams-TOTAL_FORMS": "lots", "streams-0-name": "x"},
        {"sources-TOTAL_FORMS": "100000", **SEED},
        {**SEED, "revenue_target": "5" * 10_000, "start": "\x00"},
        {**SEED, **rows("streams", *[{"share": "1%"}] * 60)},
    ],
)
def test_odd_submissions_get_a_page_not_a_server_error(client, data):
    assert client.post(PAGE, data).status_code == 200
    assert client.post(RESULTS, data).status_code == 200


def test_more_streams_than_allowed_are_explained_above_the_streams(client):
    html = client.post(PAGE, {**SEED, **rows("streams", *[{"share": "1%"}] * 60)}).content.decode()

    assert "at most 50 revenue streams; this one has 51" in text_of(html, "streams-errors")


def test_the_live_endpoint_returns_just_the_results(client):
    response = client.post(RESULTS, SEED)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "navbar" not in html
    assert 'name="revenue_target"' not in html  # the inputs are never replaced while typing
    assert text_of(html, "stage-opportunities") == "1,087"


def test_the_live_endpoint_sends_every_error_slot_out_of_band(client):
    data = {**SEED, "win_rate": "2", **rows("streams", {"share": "x"})}

    html = client.post(RESULTS, data).content.decode()

    assert error_of(html, "id_win_rate") == (
        "Win rate must be greater than 0% and at most 100%. For 2 percent, enter 2%."
    )
    assert re.search(r'id="id_win_rate_error"[^>]*hx-swap-oob="true"', html)
    # Slots without a problem come too, so an error fixed since the last update disappears.
    assert re.search(r'id="id_revenue_target_error"[^>]*hx-swap-oob="true"></div>', html)
    assert error_of(html, "id_streams-0-share") == NOT_A_RATE
    assert re.search(r'id="sources-errors"[^>]*hx-swap-oob="true"></div>', html)
    assert 'data-testid="results-invalid"' in html


def test_the_calculator_needs_no_csrf_token_because_it_changes_nothing():
    client = Client(enforce_csrf_checks=True)

    assert client.post(PAGE, SEED).status_code == 200
    assert client.post(RESULTS, SEED).status_code == 200


def test_the_live_endpoint_only_answers_posts(client):
    assert client.get(RESULTS).status_code == 405


def test_the_page_answers_get_and_post_only(client):
    assert client.put(PAGE).status_code == 405


def test_the_page_carries_a_template_row_for_each_group(client):
    html = client.get(PAGE).content.decode()

    assert 'id="id_streams-__prefix__-share"' in html
    assert 'id="id_sources-__prefix__-cost_per_lead"' in html
    assert 'name="streams-TOTAL_FORMS"' in html


def test_the_form_posts_live_to_the_results_endpoint_and_falls_back_to_the_page(client):
    html = client.get(PAGE).content.decode()

    form = re.search(r'<form id="calculator-form"[^>]*>', html)[0]
    assert f'action="{PAGE}"' in form
    assert f'hx-post="{RESULTS}"' in form
    assert "input changed delay:300ms" in form


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [("get", PAGE, None), ("post", PAGE, SEED), ("post", RESULTS, SEED)],
)
def test_the_calculator_runs_at_most_two_queries(
    client, django_assert_max_num_queries, method, url, data
):
    with django_assert_max_num_queries(2):
        response = getattr(client, method)(url, data)

    assert response.status_code == 200


def test_the_navbar_links_to_the_calculator_for_anonymous_visitors(client):
    html = client.get(reverse("account_login")).content.decode()

    assert f'href="{PAGE}">Funnel calculator</a>' in html


def test_the_navbar_links_to_the_calculator_for_signed_in_people(client_for, marketing_lead):
    html = client_for(marketing_lead).get(PAGE).content.decode()

    assert f'href="{PAGE}">Funnel calculator</a>' in html
    assert text_of(html, "stage-deals") == "250"
