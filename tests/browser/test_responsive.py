"""No main screen scrolls sideways on a 390 px phone or a 1366 px laptop: whatever is wider
(a table, the contract) scrolls inside its own box, and the controls stay within reach."""

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD
from tests.browser.screens import (
    PHONE,
    PUBLIC,
    editor_screens,
    signed_in_screens,
    visit_at_each_size,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's width against the window's, and (for the message) the outermost elements that
# stick out of the window without a scrolling box around them.
MEASURE = """() => {
  const width = window.innerWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== "visible") return true; } return false; };
  const out = [...document.querySelectorAll("body *")].filter((el) =>
    el.getBoundingClientRect().right > width + 1 && !scrolls(el)
    && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1));
  const name = (el) => el.tagName.toLowerCase()
    + (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().replace(/\\s+/g, ".") : "");
  const pageWidth = document.documentElement.scrollWidth;
  return {pageWidth, width, culprits: out.slice(0, 3).map(name)};
}"""


def sideways_scrolling(page, base_url, screens):
    problems = []
    for where in visit_at_each_size(page, base_url, screens):
        found = page.evaluate(MEASURE)
        if found["pageWidth"] > found["width"]:
            problems.append(
                f"{where}: the page is {found['pageWidth']} px wide; "
                f"sticking out: {', '.join(found['culprits']) or '?'}"
            )
    return problems


def test_the_public_screens_fit_a_phone_and_a_laptop(page, live_server):
    problems = sideways_scrolling(page, live_server.url, PUBLIC)
    assert not problems, "\n".join(problems)

    # On a phone the logged-out menu folds away behind its toggle, "Sign in" on one line.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calculator/")
    sign_in = page.get_by_role("link", name="Sign in")
    expect(sign_in).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(sign_in).to_be_visible()
    assert sign_in.bounding_box()["height"] < 40  # one line of text
    # The chart's labels stay legible scaled down to the phone's width.
    label = page.get_by_test_id("funnel-chart").locator("text").first
    assert label.bounding_box()["height"] >= 11


def test_the_signed_in_screens_fit_a_phone_and_a_laptop(
    page, live_server, log_in_as, demo_in_signature, demo_lead_events
):
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    screens = signed_in_screens(demo_in_signature)

    problems = sideways_scrolling(page, live_server.url, screens)
    assert not problems, "\n".join(problems)

    # On a phone, "+ New agreement" is on the first screen, and the way to the signing form
    # is above the PDF rather than past it.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + screens["dashboard"])
    expect(page.get_by_role("link", name="New agreement")).to_be_in_viewport()
    page.goto(live_server.url + screens["sign"])
    jump = page.get_by_test_id("jump-to-signing")
    expect(jump).to_be_in_viewport()
    jump.click()
    expect(page.locator("#id_consent")).to_be_in_viewport()


def test_the_editor_sections_fit_a_phone_and_a_laptop(page, live_server, log_in_as, demo):
    """The editor's templates are its own (templates/agreements/editor/*); a failure here names
    the section and the element that sticks out."""
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    draft = Agreement.objects.get(title__startswith="Acme Corp")

    problems = sideways_scrolling(page, live_server.url, editor_screens(draft))
    assert not problems, "\n".join(problems)
