"""The agreement editor in real headless Chromium: htmx row editing, section saves, preview."""

import re

import pytest
from playwright.sync_api import expect

from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(MARKETING_LEAD.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/o/acme/")


def test_lead_drafts_an_agreement_from_the_template_edits_it_and_previews_it(
    page, live_server, demo
):
    log_in(page, live_server)

    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Title").fill("Browser SLA")
    page.get_by_role("button", name="Create agreement").click()
    expect(page.get_by_role("heading", name="1. Parties and signatories")).to_be_visible()
    expect(page.get_by_test_id("nav-parties")).to_have_attribute("data-complete", "no")

    # Section save through htmx: name both leads.
    page.get_by_label("Marketing lead").select_option(label=f"Maria Rossi <{MARKETING_LEAD.email}>")
    page.get_by_label("Sales lead").select_option(label=f"Sam Becker <{SALES_LEAD.email}>")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("nav-parties")).to_have_attribute("data-complete", "yes")

    # Invalid input: the end date before the start date is explained next to the field.
    page.get_by_test_id("nav-term").click()
    page.get_by_label("Effective date").fill("2027-06-01")
    page.get_by_label("End date").fill("2027-01-01")
    page.get_by_role("button", name="Save section").click()
    expect(page.locator("#section-form")).to_contain_text(
        "The end date must be after the effective date."
    )
    expect(page.get_by_label("End date")).to_have_value("2027-01-01")

    # Rows in place: add a KPI, then remove one.
    page.get_by_test_id("nav-kpis").click()
    kpis = page.get_by_test_id("rows-kpis")
    # The template's eight KPIs; the funnel's monthly KPIs join once term and target are set.
    expect(kpis.get_by_test_id("row-count")).to_have_text("8")
    kpis.get_by_text("Add a KPI").click()
    add = page.get_by_test_id("add-kpis")
    add.get_by_label("KPI").fill("Demo requests per month")
    add.get_by_label("Owner").select_option("marketing")
    add.get_by_label("Target").fill("40")
    add.get_by_label("Unit").select_option("count")
    add.get_by_role("button", name="Add").click()
    expect(kpis.get_by_test_id("row-count")).to_have_text("9")
    expect(kpis).to_contain_text("Demo requests per month")

    page.once("dialog", lambda dialog: dialog.accept())  # "Remove this row?"
    kpis.get_by_test_id("row").filter(has_text="Demo requests per month").get_by_role(
        "button", name="Remove"
    ).click()
    # The template's eight KPIs; the funnel's monthly KPIs join once term and target are set.
    expect(kpis.get_by_test_id("row-count")).to_have_text("8")
    expect(kpis).not_to_contain_text("Demo requests per month")

    # Edit a row in place.
    attempts = kpis.get_by_test_id("row").filter(has_text="Contact attempts per lead")
    attempts.get_by_role("link", name="Edit").click()
    editing = kpis.get_by_test_id("row-editing")
    editing.get_by_label("Target").fill("9")
    editing.get_by_role("button", name="Save").click()
    # Shown the way numbers are written in English, not as stored ("9.00").
    expect(
        kpis.get_by_test_id("row").filter(has_text="Contact attempts per lead").locator("td").nth(1)
    ).to_have_text("9")

    page.get_by_role("link", name="Preview").click()
    expect(page).to_have_url(re.compile(r"/preview/$"))
    expect(page.locator(".contract")).to_contain_text("13. Signatures")
    expect(page.locator(".contract")).to_contain_text("Maria Rossi")
