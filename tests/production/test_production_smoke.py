"""The production path end to end: what docker-compose.yml runs, started without Docker.

DEBUG off, a real SECRET_KEY, `collectstatic` with the manifest storage, gunicorn with two
workers, PostgreSQL, a Celery worker and beat on Redis, Redis as the shared cache. Headless
Chromium then walks the main journey against gunicorn, and every static file a page references
must answer 200.
"""

import re
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from playwright.sync_api import expect

from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD
from tests.browser.test_signing import draw_signature
from tests.services import REDIS_URL

from .stack import (
    ProductionStack,
    compose_app_environment,
    drop_database,
    flush_redis,
    recreate_database,
    redis_db_url,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.browser]

SMOKE_DATABASE = "slaportal_production_smoke"
LIMITED_EMAIL = "limit@acme.example"
SEED_USERS = f"""
from organizations.demo import seed_demo, DEMO_PASSWORD
from accounts.models import User
seed_demo()
User.objects.create_user(email="{LIMITED_EMAIL}", password=DEMO_PASSWORD, full_name="Lim It")
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory, request):
    base_database_url = _postgres_url()
    broker_url, cache_url = redis_db_url(REDIS_URL, 13), redis_db_url(REDIS_URL, 14)
    flush_redis(broker_url, cache_url)
    production = ProductionStack(
        workdir=tmp_path_factory.mktemp("production"),
        database_url=recreate_database(base_database_url, SMOKE_DATABASE),
        broker_url=broker_url,
        cache_url=cache_url,
    )
    try:
        production.up()
        production.run("python", "manage.py", "shell", "-c", SEED_USERS)
        yield production
    finally:
        failed = request.session.testsfailed
        production.stop()
        if failed:
            for role in ("web", "worker", "beat"):
                print(f"--- bin/prod {role} ---\n{production.log(role)}")
        flush_redis(broker_url, cache_url)
        drop_database(base_database_url, SMOKE_DATABASE)


def _postgres_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL")  # the postgres marker has already failed this in CI
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", db.get("PORT")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}/postgres"


def _query(stack, sql):
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(sql).fetchall()


def test_compose_and_the_image_start_every_process_through_bin_prod():
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    for role in ("web", "worker", "beat"):
        assert f'command: ["bin/prod", "{role}"]' in compose
    assert 'CMD ["bin/prod", "web"]' in dockerfile
    assert "bin/prod collectstatic" in dockerfile
    assert compose_app_environment()["DEBUG"] == "false"


def test_every_process_is_up_and_healthy(stack):
    health = stack.wait_until_healthy()
    assert health["checks"] == {
        "database": "ok",
        "cache": "ok",
        "static": "ok",
        "templates": "ok",
        "broker": "ok",
    }
    for role in ("web", "worker", "beat"):
        stack.assert_running(role)
    # Beat copied its schedule into the database, where the DatabaseScheduler reads it.
    stack.run("python", "manage.py", "healthcheck")
    _wait_for_beat_schedule(stack)


def _wait_for_beat_schedule(stack, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = {r[0] for r in _query(stack, "SELECT name FROM django_celery_beat_periodictask")}
        if {"sweep-stuck-documents", "review-reminders"} <= names:
            return True
        stack.assert_running("beat")
        time.sleep(0.5)
    raise AssertionError(f"beat never wrote its schedule:\n{stack.log('beat')}")


class StaticWatch:
    """Every /static/ response the browser saw, and every /static/ URL the pages reference."""

    def __init__(self, page, base_url):
        self.base_url = base_url
        self.failures = []
        self.referenced = set()
        page.on("response", self._on_response)

    def _on_response(self, response):
        if "/static/" in response.url and response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def collect(self, page):
        urls = page.eval_on_selector_all(
            "link[href], script[src], img[src]",
            "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
        )
        self.referenced.update(url for url in urls if url.startswith("/static/"))

    def fetch_all(self):
        """Fetch every referenced file, and every file a referenced stylesheet points at."""
        missing = list(self.failures)
        pending, seen = list(self.referenced), set()
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            response = requests.get(f"{self.base_url}{path}", timeout=10)
            if response.status_code != 200:
                missing.append(f"{response.status_code} {path}")
                continue
            if path.split("?")[0].endswith(".css"):
                folder = path.rsplit("/", 1)[0]
                for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", response.text):
                    if ref.startswith("data:"):
                        continue
                    pending.append(ref if ref.startswith("/") else f"{folder}/{ref}")
        return seen, missing


def log_in(page, stack, email):
    page.context.clear_cookies()
    page.goto(f"{stack.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{stack.url}/o/acme/")


def visit(page, watch, url):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    watch.collect(page)


def start_signing(page, stack, email):
    log_in(page, stack, email)
    page.get_by_test_id("awaiting-signature").get_by_role("link", name="Review and sign").click()
    page.get_by_label("I agree to sign this agreement electronically", exact=False).check()


def test_the_main_journey_against_gunicorn_and_a_real_worker(stack, page, tmp_path):
    watch = StaticWatch(page, stack.url)
    log_in(page, stack, MARKETING_LEAD.email)
    watch.collect(page)

    # Draft from the recommended template and fill what it leaves open.
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Title").fill("Production smoke SLA")
    page.get_by_role("button", name="Create agreement").click()
    expect(page.get_by_role("heading", name="1. Parties and signatories")).to_be_visible()
    page.get_by_label("Marketing lead").select_option(label=f"Maria Rossi <{MARKETING_LEAD.email}>")
    page.get_by_label("Sales lead").select_option(label=f"Sam Becker <{SALES_LEAD.email}>")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    page.get_by_test_id("nav-term").click()
    page.get_by_label("Effective date").fill("2027-01-01")
    page.get_by_label("End date").fill("2027-12-31")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    page.get_by_test_id("nav-goal").click()
    page.get_by_label("Revenue target").fill("1200000")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    editor_url = page.url.rsplit("/edit/", 1)[0]

    # Every editor section and the preview render in production mode.
    for link in page.locator("[data-testid^='nav-']").all():
        href = link.get_attribute("href")
        if href and "/edit/" in href:
            visit(page, watch, f"{stack.url}{href}")
    visit(page, watch, f"{editor_url}/preview/")

    # Submit: the worker renders the PDF; the page learns it without a reload.
    page.goto(f"{editor_url}/edit/parties/")
    page.get_by_test_id("submit-for-signature").click()
    expect(page.get_by_text("Version 1 is frozen.")).to_be_visible()
    version_url = page.url
    expect(page.get_by_test_id("version-pdf")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    assert page.url == version_url
    watch.collect(page)

    # The marketing lead draws, the sales lead types.
    start_signing(page, stack, MARKETING_LEAD.email)
    watch.collect(page)
    draw_signature(page)
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_text("You signed version 1.")).to_be_visible()

    start_signing(page, stack, SALES_LEAD.email)
    page.locator("label[for='method-typed']").click()
    page.get_by_label("Your name as your signature").fill(SALES_LEAD.full_name)
    page.get_by_test_id("sign-button").click()
    expect(page.get_by_text("You signed version 1.")).to_be_visible()
    expect(page.get_by_test_id("version-state")).to_have_text("Signed")
    expect(page.get_by_test_id("signed-pdf")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    with page.expect_download() as download:
        page.get_by_test_id("download-signed-pdf").click()
    signed = tmp_path / "signed.pdf"
    download.value.save_as(signed)

    # The sealed PDF checks out on /verify/ (public: no login).
    page.context.clear_cookies()
    visit(page, watch, f"{stack.url}/verify/")
    page.set_input_files("input[type=file]", str(signed))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-status", "intact")

    # The rest of the main screens, as the owner.
    log_in(page, stack, MARKETING_LEAD.email)
    agreement_url = editor_url
    for path in (
        "/o/acme/",
        "/o/acme/agreements/new/",
        "/o/acme/seal/",
        f"{agreement_url.removeprefix(stack.url)}/versions/",
        f"{agreement_url.removeprefix(stack.url)}/reviews/",
        f"{agreement_url.removeprefix(stack.url)}/compare/",
        "/calculator/",
        "/accounts/password/change/",
        "/accounts/email/",
    ):
        visit(page, watch, f"{stack.url}{path}")

    fetched, missing = watch.fetch_all()
    assert missing == [], missing
    fonts = [path for path in fetched if path.split("?")[0].endswith(".woff2")]
    assert fonts, "the icon fonts the stylesheet names were not followed"
    assert all(re.search(r"\.[0-9a-f]{12}\.", path) for path in fetched), (
        "static URLs are not the manifest's hashed names"
    )

    # The command-line verifier agrees, and the database holds one signed, sealed version.
    assert "intact" in stack.run("python", "manage.py", "verify_pdf", str(signed)).lower()
    rows = _query(
        stack, "SELECT state, pdf_status, signed_pdf_status FROM agreements_agreementversion"
    )
    assert rows == [("signed", "ready", "ready")]


def _login_attempt(session, stack, email, password):
    page = session.get(f"{stack.url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = page.cookies.get("csrftoken") or re.search(
        r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")
    ).group(1)
    response = session.post(
        f"{stack.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Cookie": f"csrftoken={cookie}"},  # Secure cookies: requests won't send them
        timeout=10,
    )
    assert response.status_code in (200, 429), response.status_code
    if "Too many failed login attempts" in response.text:
        return "limited"
    assert "are not correct" in response.text, response.text[:500]
    return "checked"


def test_the_login_limit_holds_across_gunicorn_workers(stack):
    # Runs last: its failures also count against 127.0.0.1's per-IP limit.
    outcomes = []
    for _ in range(20):
        with requests.Session() as session:  # a new connection each time: any worker may answer
            outcomes.append(_login_attempt(session, stack, LIMITED_EMAIL, "wrong password"))
    assert outcomes.count("checked") == 5, outcomes
    assert outcomes[5:] == ["limited"] * 15
