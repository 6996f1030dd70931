"""Both demo leads sign in Chromium by drawing; the signed PDF downloads and verifies."""

import pytest
from playwright.sync_api import expect

from agreements.signing.verification import verify_document
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draw_signature(page):
    canvas = page.get_by_test_id("signature-canvas")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        x = box["x"] + 20 + step * (box["width"] - 40) / 11
        y = box["y"] + box["height"] * (0.3 if step % 2 else 0.7)
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def sign_as(page, log_in_as, email):
    log_in_as(page, email, DEMO_PASSWORD)
    awaiting = page.get_by_test_id("awaiting-signature")
    awaiting.get_by_role("link", name="Review and sign").click()
    page.get_by_label("I agree to sign this agreement electronically", exact=False).check()
    draw_signature(page)
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_text("You signed version 1.")).to_be_visible()


def test_both_leads_draw_their_signatures_and_the_sealed_pdf_verifies(
    page, live_server, log_in_as, demo_in_signature, tmp_path
):
    # A signature is required: signing without drawing is refused next to the pad.
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    page.get_by_test_id("awaiting-signature").get_by_role("link", name="Review and sign").click()
    page.get_by_label("I agree to sign this agreement electronically", exact=False).check()
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_test_id("signature-error")).to_contain_text("Draw or type your signature")
    draw_signature(page)
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_text("You signed version 1.")).to_be_visible()
    page.context.clear_cookies()

    sign_as(page, log_in_as, SALES_LEAD.email)

    expect(page.get_by_test_id("version-state")).to_have_text("Signed")
    expect(page.get_by_test_id("signed-pdf")).to_have_attribute(
        "data-status", "ready", timeout=30_000
    )
    with page.expect_download() as download_info:
        page.get_by_test_id("download-signed-pdf").click()
    path = tmp_path / "signed.pdf"
    download_info.value.save_as(path)
    verdict = verify_document(path.read_bytes())
    assert verdict.status == "intact", verdict.message
    assert [s.signer.email for s in verdict.signatures] == [MARKETING_LEAD.email, SALES_LEAD.email]
    assert all(s.method == "drawn" for s in verdict.signatures)
