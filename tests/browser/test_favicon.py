"""The favicon: linked from every page, and /favicon.ico (which browsers ask for on their own)
answers with an icon rather than a 404."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_links_the_icon_and_favicon_ico_answers(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")  # the allauth layout
    svg = page.locator('link[rel="icon"][type="image/svg+xml"]')
    expect(svg).to_have_count(1)
    expect(page.locator('link[rel="icon"][href="/favicon.ico"]')).to_have_count(1)

    icon = page.request.get(live_server.url + svg.get_attribute("href"))
    assert icon.ok and icon.headers["content-type"] == "image/svg+xml"
    ico = page.request.get(f"{live_server.url}/favicon.ico")  # follows the redirect
    assert ico.ok and ico.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert ico.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
