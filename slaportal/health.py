"""Liveness/readiness probe: can this process serve pages and reach what pages need?

Each check answers "ok" or names what failed; any failure makes `/healthz` answer 503. The checks:
the database, the shared cache (rate limits live there), the static files manifest (a page whose
stylesheet is missing from it answers 500), the template engine, and the broker when one is
configured. The same checks back `python manage.py healthcheck` for processes without HTTP.
"""

import re
import time
import uuid
from functools import cache

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import cache as shared_cache
from django.db import connection
from django.http import JsonResponse
from django.template.loader import get_template, render_to_string
from django.views.decorators.cache import never_cache
from kombu import Connection

# The layout every HTML page extends; the static files it links must be servable.
BASE_TEMPLATE = "base.html"
BROKER_TIMEOUT_SECONDS = 1
# A probe every second must not open a broker connection every second: the broker's answer is
# reused for this long (per process).
BROKER_CHECK_CACHE_SECONDS = 5
_broker_answer: tuple[str, float, tuple[bool, str]] | None = None  # (broker URL, when, answer)


def _failure(exc: Exception) -> str:
    return exc.__class__.__name__


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        return False, _failure(exc)
    return True, "ok"


def cache_ok() -> tuple[bool, str]:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        shared_cache.set(key, "1", timeout=5)
        found = shared_cache.get(key)
        shared_cache.delete(key)
    except Exception as exc:  # a missing cache table or an unreachable Redis
        return False, _failure(exc)
    return (True, "ok") if found == "1" else (False, "value not read back")


@cache
def base_layout_assets() -> tuple[str, ...]:
    """The static paths the base layout links, read from the template's source."""
    template = get_template(BASE_TEMPLATE)
    source = template.template.source
    return tuple(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]\s*%}", source))


def static_ok() -> tuple[bool, str]:
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return True, "ok"  # development storage: files are served as they are
    try:
        if not staticfiles_storage.hashed_files:
            return False, f"no manifest in {settings.STATIC_ROOT}: run collectstatic"
        for path in base_layout_assets():
            staticfiles_storage.stored_name(path)
    except ValueError as exc:  # "Missing staticfiles manifest entry for ..."
        return False, str(exc)
    except Exception as exc:
        return False, _failure(exc)
    return True, "ok"


def templates_ok() -> tuple[bool, str]:
    try:
        get_template(BASE_TEMPLATE)
        render_to_string("health/probe.txt")
    except Exception as exc:  # syntax errors, missing tag libraries, unreadable files
        return False, _failure(exc)
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    """The broker's answer from the last BROKER_CHECK_CACHE_SECONDS, else a fresh one."""
    global _broker_answer
    url, now = settings.CELERY_BROKER_URL, time.monotonic()
    if (
        _broker_answer
        and _broker_answer[0] == url
        and now - _broker_answer[1] < BROKER_CHECK_CACHE_SECONDS
    ):
        return _broker_answer[2]
    answer = _ask_broker()
    _broker_answer = (url, now, answer)
    return answer


def _ask_broker() -> tuple[bool, str]:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={"socket_timeout": BROKER_TIMEOUT_SECONDS},
        ) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception as exc:  # kombu raises many kinds; all mean "not reachable"
        return False, _failure(exc)
    return True, "ok"


def run_checks() -> tuple[dict[str, str], list[str]]:
    """Every check's answer by name, and the names of those that failed."""
    checks, failed = {}, []
    named_checks = [
        ("database", database_ok),
        ("cache", cache_ok),
        ("static", static_ok),
        ("templates", templates_ok),
    ]
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "not configured (tasks run in-process)"
    else:
        named_checks.append(("broker", broker_ok))
    for name, check in named_checks:
        passed, checks[name] = check()
        if not passed:
            failed.append(name)
    return checks, failed


@never_cache
def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"status": "method not allowed"}, status=405)
    checks, failed = run_checks()
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks},
        status=503 if failed else 200,
    )


class HealthCheckMiddleware:
    """Answers `/healthz` before host validation and the HTTPS redirect: container probes call
    it as http://127.0.0.1 whatever ALLOWED_HOSTS says, and must learn whether pages work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
