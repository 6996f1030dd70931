from contextlib import contextmanager

import pytest
from celery import _state as celery_state
from celery.contrib.testing.worker import start_worker
from django.db import connection

from organizations.models import Role
from slaportal.celery import app
from tests import factories
from tests.services import (
    CHROMIUM_PATH,
    REDIS_URL,
    chromium_available,
    redis_reachable,
    unavailable,
)


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    """Skip (or, in CI, fail) tests whose real service is missing."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not redis_reachable():
        unavailable(f"needs Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    if request.node.get_closest_marker("browser") and not chromium_available():
        unavailable(f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)")


@pytest.fixture
def organization(db):
    return factories.OrganizationFactory(name="Acme Corp", slug="acme")


def _member(organization, role, email, name):
    user = factories.UserFactory(email=email, full_name=name)
    factories.MembershipFactory(organization=organization, user=user, role=role)
    return user


@pytest.fixture
def marketing_lead(organization):
    """Owner of the organisation: drafts the SLA and manages members."""
    return _member(organization, Role.OWNER, "maria@example.com", "Maria Marketing")


@pytest.fixture
def sales_lead(organization):
    return _member(organization, Role.EDITOR, "sam@example.com", "Sam Sales")


@pytest.fixture
def viewer(organization):
    return _member(organization, Role.VIEWER, "vera@example.com", "Vera Viewer")


@pytest.fixture
def outsider(db):
    """Belongs to another organisation entirely."""
    other = factories.OrganizationFactory(name="Globex", slug="globex")
    return _member(other, Role.OWNER, "olga@globex.example", "Olga Outsider")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium; Playwright cannot download its own browser here.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations(django_db_blocker):
    """The .mo catalogues the pages and contracts are translated with (bin/test compiles them
    too; this makes a bare `pytest` run equally complete)."""
    from django.core.management import call_command

    call_command("compilemessages", ignore_patterns=[".venv", ".cache"], verbosity=0)


@contextmanager
def running_worker(settings):
    """A solo-pool worker in a thread, consuming from Redis; restores the broker settings
    (eager mode, or whatever a test set) afterwards."""
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = REDIS_URL
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    _forget_connections()
    try:
        with app.connection_for_write() as conn:  # start from an empty queue
            conn.default_channel.queue_purge(app.conf.task_default_queue)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)
        _forget_connections()
        # A worker started in this process marks it as one where result.get() would block a
        # worker; the later tests of this process are not in a worker.
        celery_state._set_task_join_will_block(False)


@pytest.fixture
def real_worker(settings):
    with running_worker(settings):
        yield


@pytest.fixture
def broker_down():
    """The broker unreachable (a closed port), as in an outage; eager mode off."""
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    _forget_connections()
    yield
    app.conf.update(previous)
    _forget_connections()


def _forget_connections():
    # Earlier eager calls may have built connection and producer pools for the old broker URL;
    # drop them so the next publish connects to the URL configured now.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Requests leave their language active in the thread; each test starts from English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _not_inside_a_worker():
    """Celery keeps "this process is a worker, result.get() would block it" in a process-wide
    flag; an embedded worker of an earlier test (its thread may still be winding down) must not
    make a later test's eager `.get()` fail."""
    celery_state._set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _fresh_draft_cache():
    """Draft pages cache what they derive per draft state (key: the agreement's id and audit
    head); a rolled-back test may leave an agreement with the same id and an empty trail."""
    from django.core.cache import caches

    caches["documents"].clear()
