import pytest
from django.db.utils import OperationalError

from slaportal import health
from tests.services import REDIS_URL


def test_healthz_reports_database_ok_and_no_broker_in_the_embedded_default(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not configured (tasks run in-process)"},
    }


def test_healthz_answers_503_when_the_configured_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def broken_cursor():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "OperationalError"


@pytest.mark.redis
def test_healthz_reaches_a_real_redis_broker(client, db, settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}
