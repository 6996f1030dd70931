"""Liveness/readiness probe: is the database reachable, and the broker when one is configured."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        return False, exc.__class__.__name__
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many kinds; all mean "not reachable"
        return False, exc.__class__.__name__
    return True, "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {}
    db_ok, checks["database"] = database_ok()
    healthy = db_ok
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        broker_reachable, checks["broker"] = broker_ok()
        healthy = healthy and broker_reachable
    else:
        checks["broker"] = "not configured (tasks run in-process)"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
