"""WCAG 2.1 AA as axe-core measures it, on the main screens at a phone's and a laptop's size;
live regions for what htmx updates; signing with the keyboard alone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreements.models import AgreementVersion, PdfStatus, Signature
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD
from tests.browser.screens import (
    PHONE,
    PUBLIC,
    demo_agreements,
    editor_screens,
    signed_in_screens,
    visit_at_each_size,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const result = await axe.run(document, options);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.map((node) => node.target.join(" "))}));
}"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe goes in as an inline script, which the app's Content-Security-Policy rightly refuses.
    return {**browser_context_args, "bypass_csp": True}


def serious_violations(page, base_url, screens):
    report = []
    for where in visit_at_each_size(page, base_url, screens):
        page.add_script_tag(path=AXE)
        for v in page.evaluate(RUN_AXE, WCAG_AA):
            targets = "".join(f"\n    {target}" for target in v["targets"])
            report.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']}{targets}")
    return report


def test_the_public_screens_have_no_serious_violations(page, live_server):
    report = serious_violations(page, live_server.url, PUBLIC)
    assert not report, "\n".join(report)


def test_the_signed_in_screens_have_no_serious_violations(
    page, live_server, log_in_as, demo_in_signature, demo_lead_events
):
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    report = serious_violations(page, live_server.url, signed_in_screens(demo_in_signature))
    assert not report, "\n".join(report)


def test_the_editor_sections_have_no_serious_violations(page, live_server, log_in_as, demo):
    """The editor's templates are its own (templates/agreements/editor/*); a failure here names
    the section, the rule and the elements."""
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    demo_sla = AgreementVersion.objects.get().agreement
    report = serious_violations(page, live_server.url, editor_screens(demo_sla))
    assert not report, "\n".join(report)


def test_live_updates_are_announced_once_in_a_line(page, live_server, log_in_as, demo):
    page.goto(f"{live_server.url}/calculator/")
    announcement = page.get_by_role("status").filter(has_text="Deals")
    page.get_by_label("Revenue target").fill("1,000,000")
    expect(announcement).to_have_text(
        "Leads 31,824, MQLs 7,956, SQLs 2,652, Opportunities 2,174, Deals 500"
    )

    # The version page polls while its PDF is prepared; its status region speaks when it is ready.
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    version = AgreementVersion.objects.get()
    AgreementVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.QUEUED)
    page.goto(f"{live_server.url}/agreements/{version.agreement_id}/versions/1/")
    expect(page.get_by_test_id("version-pdf")).to_have_attribute("data-status", "queued")
    status = page.locator("#pdf-announcement")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_be_empty()
    AgreementVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.READY)
    expect(status).to_have_text("PDF ready")


def focused_outline(page, selector=None):
    """The outline style of the focused element (or of `selector`, a radio's visible label)."""
    return page.evaluate(
        "(s) => getComputedStyle(s ? document.querySelector(s) : document.activeElement)"
        ".outlineStyle",
        selector,
    )


def tab_to(page, locator, presses=30):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} is not reached with Tab")


def test_a_signer_signs_with_a_typed_signature_by_keyboard_alone(
    page, live_server, log_in_as, demo_in_signature
):
    log_in_as(page, MARKETING_LEAD.email, DEMO_PASSWORD)
    _demo, copy = demo_agreements(demo_in_signature)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/agreements/{copy.pk}/versions/1/sign/")

    # Past the navigation to the toolbar above the PDF, then over the PDF to the form.
    tab_to(page, page.get_by_test_id("jump-to-signing"))
    assert focused_outline(page) == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    consent = page.locator("#id_consent")
    expect(consent).to_be_focused()
    assert focused_outline(page) == "solid"
    page.keyboard.press("Space")
    expect(consent).to_be_checked()

    # The way of signing is a radio group: Tab reaches it, an arrow key chooses "Type".
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Draw")).to_be_focused()
    assert focused_outline(page, "label[for=method-drawn]") == "solid"
    expect(page.get_by_role("group", name="How to sign")).to_be_visible()
    pad = page.get_by_role("img", name="Draw your signature here", exact=False)
    expect(pad).to_have_accessible_description(
        "No mouse, pen or touch screen? Choose Type and write your name instead."
    )
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Type")).to_be_checked()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Your name as your signature")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Maria Rossi")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("sign-button")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("You signed version 1.")).to_be_visible()
    signature = Signature.objects.get(version=demo_in_signature, signer__email=MARKETING_LEAD.email)
    assert (signature.status, signature.method, signature.typed_name) == (
        "signed",
        "typed",
        "Maria Rossi",
    )
