"""Where the real services live for tests, and whether they are up.

On a developer's machine a missing service skips its tests with the reason; with CI=true the
same absence is a failure, so CI can never go green by skipping.
"""

import os
import shutil
import socket
import time
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_url_for_this_process() -> str:
    """TEST_REDIS_URL, with each pytest-xdist worker after the first on its own database (4
    below the previous one: the production tests use the two below 15 and those at 9 and 10),
    so one worker's Celery never takes another's tasks."""
    url = urlparse(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    if not index:
        return url.geturl()
    database = int(url.path.lstrip("/") or 0) - 4 * index
    if database < 0:
        raise RuntimeError(f"no Redis database left for pytest-xdist worker {worker}")
    return url._replace(path=f"/{database}").geturl()


REDIS_URL = _redis_url_for_this_process()
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required services must be present)", pytrace=False)
    pytest.skip(reason)


def redis_reachable() -> bool:
    parsed = urlparse(REDIS_URL)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
