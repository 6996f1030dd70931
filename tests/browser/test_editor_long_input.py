"""A 5,000-character paste into a 120-character field in Chromium: kept whole, counted as too
long before saving, and refused next to the field when saved (it used to be cut short silently
by maxlength while the page said "saved")."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Agreement

from .test_editor import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE = ("Weekly pipeline review with both leads and RevOps; " * 100)[:5000].strip()


def test_a_long_paste_is_kept_counted_and_refused_not_cut(page, live_server, demo_draft):
    log_in(page, live_server)
    meeting = Agreement.objects.get(pk=demo_draft.pk).meeting_rows.first()
    page.goto(live_server.url + reverse("agreement_edit", args=[demo_draft.pk, "meetings"]))
    rows = page.get_by_test_id("rows-meetings")
    row = rows.get_by_test_id("row").filter(has_text=meeting.name)
    row.get_by_role("link", name="Edit").click()
    name = rows.get_by_test_id("row-editing").get_by_label("Meeting")

    name.fill(PASTE)

    expect(name).to_have_value(PASTE)  # not cut at 120
    counter = page.locator("#id_edit-meetings-name-count")
    expect(counter).to_have_text(
        f"{len(PASTE):,} of 120 characters: {len(PASTE) - 120:,} too many, shorten it to save"
    )
    expect(counter).to_have_class("form-text char-counter text-danger fw-semibold")

    rows.get_by_role("button", name="Save").click()

    editing = rows.get_by_test_id("row-editing")
    expect(editing).to_contain_text(
        f"Ensure this value has at most 120 characters (it has {len(PASTE)})."
    )
    expect(editing.get_by_label("Meeting")).to_have_value(PASTE)
    saved = meeting.name
    meeting.refresh_from_db()
    assert meeting.name == saved
