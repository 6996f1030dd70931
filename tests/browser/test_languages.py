"""Switching the interface language in Chromium: the dashboard and the calculator follow."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize(("language", "menu_label"), [("zh-hans", "简体中文"), ("de", "Deutsch")])
def test_the_interface_switches_language_from_the_menu(
    page, live_server, log_in_as, demo, language, menu_label
):
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)

    page.get_by_test_id("language-menu").locator(".dropdown-toggle").click()
    page.get_by_role("button", name=menu_label).click()

    agreements = in_language(language, "Agreements")
    assert agreements != "Agreements"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", name=agreements).first).to_be_visible()
    expect(page.get_by_test_id("language-menu")).to_contain_text(menu_label)

    page.get_by_role("link", name=in_language(language, "Funnel calculator")).first.click()
    expect(page.locator("main")).to_contain_text(in_language(language, "Revenue target"))
    expect(page.locator("main")).to_contain_text(in_language(language, "Lead sources"))
