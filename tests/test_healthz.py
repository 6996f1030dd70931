import json
import time

import pytest
from django.db.utils import OperationalError

from slaportal import health
from tests.services import REDIS_URL

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ALL_OK = {"database": "ok", "cache": "ok", "static": "ok", "templates": "ok"}


def test_healthz_reports_every_check_ok_and_no_broker_in_the_embedded_default(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {**ALL_OK, "broker": "not configured (tasks run in-process)"},
    }


def test_healthz_answers_503_when_the_configured_broker_is_unreachable_within_a_second(
    client, db, settings
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False

    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"
    assert elapsed < 1.5, f"took {elapsed:.2f} s"


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def broken_cursor():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "OperationalError"


def _manifest_storage(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


def test_healthz_answers_503_naming_the_static_check_when_collectstatic_never_ran(
    client, db, settings, tmp_path
):
    _manifest_storage(settings, tmp_path)  # an empty STATIC_ROOT: no manifest at all

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["static"] == f"no manifest in {tmp_path}: run collectstatic"
    assert checks["database"] == checks["templates"] == "ok"


def test_healthz_names_a_stylesheet_missing_from_the_manifest(client, db, settings, tmp_path):
    assets = health.base_layout_assets()
    assert "vendor/bootstrap/bootstrap.min.css" in assets
    paths = {path: path.replace(".", ".0123456789ab.", 1) for path in assets}
    del paths["vendor/bootstrap/bootstrap.min.css"]
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    _manifest_storage(settings, tmp_path)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "vendor/bootstrap/bootstrap.min.css" in response.json()["checks"]["static"]


def test_healthz_answers_503_when_the_base_template_does_not_compile(
    client, db, settings, tmp_path
):
    (tmp_path / "base.html").write_text("{% load no_such_library %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["templates"] == "TemplateSyntaxError"


def test_healthz_answers_503_when_the_cache_is_unusable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_cache_table",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] != "ok"


def test_healthz_answers_probes_on_any_host_and_over_plain_http(client, db, settings):
    # Container probes call http://127.0.0.1:8000/healthz whatever the public host name is.
    settings.ALLOWED_HOSTS = ["sla.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    page = client.get("/", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert page.status_code == 400  # every other path still validates the host


def test_healthcheck_command_exits_non_zero_naming_the_failing_check(db, settings, tmp_path):
    from django.core.management import CommandError, call_command

    call_command("healthcheck")  # healthy: no error
    _manifest_storage(settings, tmp_path)
    with pytest.raises(CommandError, match="static: no manifest"):
        call_command("healthcheck")


@pytest.mark.redis
def test_healthz_reaches_a_real_redis_broker(client, db, settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {**ALL_OK, "broker": "ok"}


def test_a_probe_every_second_asks_the_broker_once_per_cache_window(
    client, db, settings, monkeypatch
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/3"  # a URL no other test asks about
    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked = []
    monkeypatch.setattr(health, "_ask_broker", lambda: asked.append(1) or (False, "refused"))
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])

    for _ in range(5):
        assert client.get("/healthz").json()["checks"]["broker"] == "refused"
        clock[0] += 1
    assert len(asked) == 1
    clock[0] += health.BROKER_CHECK_CACHE_SECONDS
    client.get("/healthz")
    assert len(asked) == 2
