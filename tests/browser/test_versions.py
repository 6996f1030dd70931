"""Submitting the demo draft in Chromium: the PDF is prepared while the page waits."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_submits_the_demo_draft_and_downloads_the_pdf(page, live_server, demo_draft, tmp_path):
    log_in(page, live_server)
    page.get_by_test_id("agreement-row").filter(has_text=demo_draft.title).get_by_role(
        "link"
    ).click()

    page.get_by_test_id("submit-for-signature").click()

    expect(page.get_by_text("Version 1 is frozen.")).to_be_visible()
    expect(page.get_by_test_id("version-pdf")).to_have_attribute(
        "data-status", "ready", timeout=30_000
    )
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    path = tmp_path / "contract.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download_info.value.suggested_filename.startswith("SLA-")
