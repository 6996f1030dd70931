"""Screenshots of the main screens for the docs, at a laptop's and a phone's size.

Run it against a running server with the demo data (bin/run seeds it):

    .venv/bin/python docs/screenshots/capture.py http://127.0.0.1:8000

It signs in as the demo marketing lead and saves dashboard-, editor-funnel-, sign-, review-
and compliance-<width>x<height>.png next to this file. The sign page shows the signing form
when a version awaits the marketing lead's signature (the dashboard lists it); otherwise the
signed version's (opening it notes "viewed" in that agreement's audit trail, once a day, as for
anyone).
"""

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
SIZES = [(1366, 900), (390, 844)]


def demo_login():
    """The demo marketing lead's email and password, as organizations/demo.py seeds them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")
    os.environ.setdefault("DEBUG", "true")  # settings need no secrets to be read
    import django

    django.setup()
    from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD

    return MARKETING_LEAD.email, DEMO_PASSWORD


def screen_paths(page, base):
    """Where each screen is, found the way a person would: from the dashboard."""
    page.goto(f"{base}/")
    dashboard = page.url
    awaiting = page.get_by_test_id("awaiting-signature").get_by_role("link")
    sign = awaiting.first.get_attribute("href") if awaiting.count() else None
    # The demo SLA is the agreement with reviews: its row links its next one.
    page.get_by_test_id("review-due").get_by_role("link").first.click()
    agreement = re.search(r"/agreements/(\d+)/", page.url)[1]
    review = page.get_by_test_id("review-row").get_by_role("link").first.get_attribute("href")
    return {
        "dashboard": dashboard,
        "editor-funnel": f"{base}/agreements/{agreement}/edit/kpis/",
        "sign": base + (sign or f"/agreements/{agreement}/versions/1/sign/"),
        "review": base + review,
        "compliance": f"{base}/agreements/{agreement}/compliance/",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not a screen")
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    parser.add_argument("--chromium", default=chromium, help=f"the browser (default {chromium})")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    email, password = demo_login()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r".*/o/[^/]+/$"))
        screens = screen_paths(page, base)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for name, url in screens.items():
                page.goto(url)
                page.wait_for_load_state("networkidle")
                path = OUT / f"{name}-{width}x{height}.png"
                page.screenshot(path=path, full_page=args.full_page)
                print(path.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main()
