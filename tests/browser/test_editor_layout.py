"""The editor's row tables in Chromium at a laptop's and a phone's width: the page never scrolls
sideways and a row opened for editing shows every field, and every value, whole."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Agreement

from .test_editor import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each field of the edited row: inside the viewport, and its value not cut off inside it.
FIELDS_SHOWN_WHOLE = """(form) => {
  const width = window.innerWidth;
  return [...form.querySelectorAll("input:not([type=hidden]), select, textarea")].map((field) => {
    const box = field.getBoundingClientRect();
    return {
      name: field.name,
      inside: box.left >= 0 && box.right <= width && box.width > 0,
      whole: field.tagName !== "INPUT" || field.scrollWidth <= field.clientWidth,
    };
  }).filter((field) => !field.inside || !field.whole);
}"""
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_rows_open_for_editing_fit_the_screen(page, live_server, demo_draft, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server)
    agreement = Agreement.objects.get(pk=demo_draft.pk)
    page.goto(live_server.url + reverse("agreement_edit", args=[agreement.pk, "kpis"]))

    for key, row_name in [("kpis", "Response time to MQLs"), ("streams", "New business")]:
        rows = page.get_by_test_id(f"rows-{key}")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{key} at {width} px scrolls sideways"
        row = rows.get_by_test_id("row").filter(has_text=row_name)
        row.get_by_role("link", name="Edit").click()
        editing = rows.get_by_test_id("row-editing")
        expect(editing).to_be_visible()
        editing.scroll_into_view_if_needed()

        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"editing {key} at {width} px scrolls sideways"
        cut_off = editing.locator("form").evaluate(FIELDS_SHOWN_WHOLE)
        assert cut_off == [], f"editing {key} at {width} px"
        editing.get_by_role("link", name="Cancel").click()
        expect(rows.get_by_test_id("row-editing")).to_have_count(0)
