"""German numbers in Chromium: "1.200.000" and "62,5" are read as a German means them."""

from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from agreements.models import Agreement, ReviewActual
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def german(text):
    with translation.override("de"):
        return translation.gettext(text)


def switch_to_german(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])


def test_the_calculator_reads_german_numbers_and_shows_them_as_typed(page, live_server):
    switch_to_german(page, live_server)
    page.goto(f"{live_server.url}/calculator/")
    revenue = page.get_by_label(german("Revenue target"))
    expect(revenue).to_have_value("500.000")  # the example, written the German way
    expect(page.get_by_test_id("stage-deals")).to_have_text("250")

    revenue.fill("1.200.000")
    page.get_by_label(german("Win rate")).fill("62,5 %")

    # 1,200,000 / 2,000 = 600 deals; 600 / 0.625 = 960 opportunities.
    expect(page.get_by_test_id("stage-deals")).to_have_text("600")
    expect(page.get_by_test_id("stage-opportunities")).to_have_text("960")
    expect(revenue).to_have_value("1.200.000")
    expect(page.get_by_label(german("Win rate"))).to_have_value("62,5 %")


def test_the_review_form_reads_german_numbers_and_echoes_them(page, live_server, log_in_as, demo):
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    switch_to_german(page, live_server)
    agreement = Agreement.objects.get(title__startswith="Acme Corp")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/reviews/")
    page.get_by_test_id("start-review").first.click()
    cells = page.locator("input[name^='actual:']")
    first, second = cells.nth(0), cells.nth(1)
    first_name, second_name = first.get_attribute("name"), second.get_attribute("name")
    first.fill("1.200.000")
    second.fill("62,5")
    page.get_by_test_id("save-review").click()

    expect(page.locator(f"input[name='{first_name}']")).to_have_value("1.200.000")
    expect(page.locator(f"input[name='{second_name}']")).to_have_value("62,5")
    stored = {
        (actual.metric, f"{actual.month:%Y-%m}"): actual.actual
        for actual in ReviewActual.objects.filter(review__agreement=agreement)
    }
    assert stored[tuple(first_name.split(":")[1:])] == Decimal("1200000")
    assert stored[tuple(second_name.split(":")[1:])] == Decimal("62.5")
