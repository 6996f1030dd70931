"""The main screens, by name and path, for the checks that visit every one of them at two sizes
(test_responsive.py, test_accessibility.py)."""

from agreements.authoring.sections import SECTIONS
from agreements.models import Agreement

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "laptop": LAPTOP}

PUBLIC = {
    "login": "/accounts/login/",
    "calculator": "/calculator/",  # the seed example's results are shown on arrival
    "verify": "/verify/",
}


def demo_agreements(in_signature):
    """(the demo SLA: a draft revision of its signed version 1, with a closed review; the copy
    whose version 1 `in_signature` is)."""
    demo = Agreement.objects.exclude(pk=in_signature.agreement_id).get(
        title__startswith="Acme Corp"
    )
    return demo, in_signature.agreement


def signed_in_screens(in_signature):
    """Everything but the editor, as the demo marketing lead sees it (the `demo_in_signature`
    fixture's data)."""
    demo, copy = demo_agreements(in_signature)
    review = demo.reviews.get()
    return {
        "dashboard": f"/o/{demo.organization.slug}/",
        "preview": f"/agreements/{demo.pk}/preview/",
        "version": f"/agreements/{demo.pk}/versions/1/",
        "sign": f"/agreements/{copy.pk}/versions/{in_signature.number}/sign/",
        "review list": f"/agreements/{demo.pk}/reviews/",
        "review": f"/agreements/{demo.pk}/reviews/{review.pk}/",
        "compare": f"/agreements/{demo.pk}/compare/?old=1&new=draft",
        "history": f"/agreements/{demo.pk}/versions/",
        "compliance": f"/agreements/{demo.pk}/compliance/",
        "lead events upload": f"/agreements/{demo.pk}/compliance/events/upload/",
    }


def editor_screens(agreement):
    """Each section of the editor (templates/agreements/editor/*), for `agreement`."""
    return {f"editor {s.key}": f"/agreements/{agreement.pk}/edit/{s.key}/" for s in SECTIONS}


def visit_at_each_size(page, base_url, screens):
    """Show each screen at each size; yield where the page is (for failure messages)."""
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        for name, path in screens.items():
            page.goto(base_url + path)
            yield f"{name} at {size['width']} px ({size_name})"
