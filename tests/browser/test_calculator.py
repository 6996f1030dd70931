"""The public funnel calculator in real headless Chromium: live results while typing."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIN_RATE_ERROR = "Win rate must be greater than 0% and at most 100%."


def open_calculator(page, live_server):
    page.goto(f"{live_server.url}/calculator/")
    # The seed example is worked out on arrival.
    expect(page.get_by_test_id("stage-deals")).to_have_text("250")


def test_numbers_change_as_the_visitor_types_without_submitting(page, live_server):
    open_calculator(page, live_server)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.get_by_label("Revenue target").fill("1,000,000")

    # 1,000,000 / 2,000 = 500 deals; 500 / 23% = 2,173.9, rounded up.
    expect(page.get_by_test_id("stage-deals")).to_have_text("500")
    expect(page.get_by_test_id("stage-opportunities")).to_have_text("2,174")
    assert page.url == f"{live_server.url}/calculator/"  # no submit, no navigation
    assert requests and all(url.endswith("/calculator/results/") for url in requests)

    deal_size = page.get_by_label("Average deal size")
    deal_size.select_text()
    # Slower than the 300 ms debounce, so results arrive between the keystrokes.
    deal_size.press_sequentially("4000", delay=450)

    expect(page.get_by_test_id("stage-deals")).to_have_text("250")
    # The field being typed in is never replaced: nothing typed is lost, the focus stays.
    expect(deal_size).to_have_value("4000")
    expect(deal_size).to_be_focused()


def test_a_bad_rate_is_explained_next_to_the_field_and_clears_when_fixed(page, live_server):
    open_calculator(page, live_server)
    win_rate = page.get_by_label("Win rate")

    win_rate.fill("0")

    expect(page.locator("#id_win_rate_error")).to_have_text(WIN_RATE_ERROR)
    expect(win_rate).to_have_attribute("aria-invalid", "true")
    expect(win_rate).to_have_accessible_description(
        "Opportunities won. As 23%, 0.23 or 1/3. " + WIN_RATE_ERROR
    )
    expect(win_rate).to_have_value("0")
    expect(page.get_by_test_id("results-invalid")).to_be_visible()

    win_rate.fill("25%")

    expect(page.locator("#id_win_rate_error")).to_be_empty()
    expect(win_rate).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("stage-opportunities")).to_have_text("1,000")


def test_streams_are_added_and_removed_in_place(page, live_server):
    open_calculator(page, live_server)
    page.get_by_text("Advanced: revenue streams and lead sources").click()
    add_stream = page.get_by_role("button", name="Add a revenue stream")

    add_stream.click()
    add_stream.click()
    add_stream.click()
    streams = page.get_by_test_id("streams-row")
    expect(streams).to_have_count(3)
    streams.nth(0).get_by_label("Name").fill("SMB")
    streams.nth(0).get_by_label("Share of revenue").fill("50%")
    streams.nth(1).get_by_label("Name").fill("Mid-market")
    streams.nth(1).get_by_label("Share of revenue").fill("25%")
    streams.nth(2).get_by_label("Name").fill("Enterprise")
    streams.nth(2).get_by_label("Share of revenue").fill("50%")

    expect(page.get_by_test_id("streams-errors")).to_have_text(
        "The revenue stream shares add up to 125%; they must add up to 100%."
    )

    streams.nth(1).get_by_role("button", name="Remove this revenue stream").click()

    expect(streams).to_have_count(2)
    expect(page.get_by_test_id("streams-errors")).to_be_empty()
    results = page.get_by_test_id("stream-result")
    expect(results).to_have_count(2)
    expect(results.nth(1)).to_contain_text("Enterprise")
    # The rows are renumbered so the server reads them as streams 0 and 1.
    expect(streams.nth(1).get_by_label("Name")).to_have_attribute("name", "streams-1-name")
    expect(page.locator("#id_streams-TOTAL_FORMS")).to_have_value("2")


def test_the_calculate_button_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/calculator/")

    page.get_by_label("Win rate").fill("150%")
    page.get_by_role("button", name="Calculate").click()

    expect(page.locator("#id_win_rate_error")).to_have_text(WIN_RATE_ERROR)
    expect(page.get_by_label("Win rate")).to_have_value("150%")
    expect(page.get_by_role("button", name="Add a revenue stream")).to_be_hidden()

    page.get_by_label("Win rate").fill("50%")
    page.get_by_role("button", name="Calculate").click()

    expect(page.get_by_test_id("stage-opportunities")).to_have_text("500")
    context.close()
