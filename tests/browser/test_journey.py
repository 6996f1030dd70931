"""The whole life of an SLA in Chromium: draft, submit, both sign, review, revise, compare, sign
again; version 1 is superseded and its signed PDF still downloads and verifies."""

import pytest
from playwright.sync_api import expect

from agreements.models import AgreementVersion, VersionState
from agreements.signing.verification import verify_document
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD
from tests.browser.test_signing import draw_signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_agreement(page, title):
    page.get_by_test_id("agreement-row").filter(has_text=title).get_by_role("link").first.click()


def sign_pending(page, live_server, log_in_as, email, number):
    page.context.clear_cookies()
    log_in_as(page, email, DEMO_PASSWORD)
    page.get_by_test_id("awaiting-signature").get_by_role("link", name="Review and sign").click()
    page.get_by_label("I agree to sign this agreement electronically", exact=False).check()
    draw_signature(page)
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_text(f"You signed version {number}.")).to_be_visible()


def submit(page, number):
    page.get_by_test_id("submit-for-signature").click()
    expect(page.get_by_text(f"Version {number} is frozen.")).to_be_visible()
    expect(page.get_by_test_id("version-pdf")).to_have_attribute(
        "data-status", "ready", timeout=30_000
    )


def test_an_sla_is_signed_reviewed_revised_compared_and_signed_again(
    page, live_server, log_in_as, demo_draft, tmp_path
):
    title = demo_draft.title
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    open_agreement(page, title)
    submit(page, 1)
    sign_pending(page, live_server, log_in_as, MARKETING_LEAD.email, 1)
    sign_pending(page, live_server, log_in_as, SALES_LEAD.email, 1)
    expect(page.get_by_test_id("signed-pdf")).to_have_attribute(
        "data-status", "ready", timeout=30_000
    )
    with page.expect_download() as first_download:
        page.get_by_test_id("download-signed-pdf").click()
    first_path = tmp_path / "v1.pdf"
    first_download.value.save_as(first_path)

    # The quarterly review: record an actual figure, then decide to revise.
    page.goto(f"{live_server.url}/agreements/{demo_draft.pk}/reviews/")
    page.get_by_test_id("start-review").first.click()
    page.get_by_label("Leads January 2027").fill("2400")
    page.get_by_test_id("save-review").click()
    expect(page.get_by_text("Review saved.")).to_be_visible()
    expect(page.get_by_test_id("actuals")).to_contain_text("worse")
    page.get_by_test_id("decide-revise").click()
    expect(page.get_by_text("The agreement is a draft again")).to_be_visible()

    # Revise: a higher revenue target, then compare the draft with version 1.
    page.get_by_test_id("nav-goal").click()
    page.get_by_label("Revenue target").fill("1800000")  # the copy starts at 1,500,000
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    page.get_by_role("link", name="History").click()
    page.get_by_test_id("compare-draft").click()
    expect(page.locator("main")).to_contain_text("Shared goal")
    expect(page.locator("main")).to_contain_text("+20.0%")

    # Version 2: submitted and signed by both leads again.
    page.goto(f"{live_server.url}/agreements/{demo_draft.pk}/edit/parties/")
    submit(page, 2)
    sign_pending(page, live_server, log_in_as, SALES_LEAD.email, 2)
    sign_pending(page, live_server, log_in_as, MARKETING_LEAD.email, 2)
    expect(page.get_by_test_id("signed-pdf")).to_have_attribute(
        "data-status", "ready", timeout=30_000
    )

    first, second = AgreementVersion.objects.filter(agreement=demo_draft).order_by("number")
    assert (first.state, second.state) == (VersionState.SUPERSEDED, VersionState.SIGNED)
    page.goto(f"{live_server.url}/agreements/{demo_draft.pk}/versions/")
    with page.expect_download() as again:
        page.get_by_test_id("version-row").filter(has_text="Version 1").get_by_test_id(
            "history-signed-pdf"
        ).click()
    again_path = tmp_path / "v1-again.pdf"
    again.value.save_as(again_path)
    assert again_path.read_bytes() == first_path.read_bytes()
    verdict = verify_document(again_path.read_bytes())
    assert verdict.status == "intact", verdict.message
    assert verdict.version.number == 1
