"""Real headless Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_marketing_lead_logs_in_and_sees_the_dashboard(page, live_server, demo):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(MARKETING_LEAD.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(f"{live_server.url}/o/acme/")
    expect(page.get_by_role("heading", name=re.compile("Agreements"))).to_be_visible()
    expect(page.get_by_test_id("agreement-row")).to_contain_text("Acme Corp marketing & sales SLA")
    expect(page.get_by_test_id("org-switcher")).to_contain_text("Acme Corp")
    # Front-end files come from the app itself: Bootstrap's CSS is applied.
    navbar_display = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display")
    assert navbar_display == "flex"
