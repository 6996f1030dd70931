"""Settings come from the environment; production refuses to run on development defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!r2v$kq7@m4z#p1w8e&t6y^u3i0o5a-s_d+f=g~h|jLk2Pq8Wn4Rb",
    "ALLOWED_HOSTS": "sla.example.com",
    "DATABASE_URL": "sqlite:////tmp/slaportal-deploy-check.sqlite3",
}


def run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_static_files_build_in_production_mode_without_a_secret_key(tmp_path):
    # The image builds its static files before any secret exists (Dockerfile).
    env = {"DEBUG": "false", "STATIC_ROOT": str(tmp_path)}

    result = run_manage("collectstatic", "--noinput", "-v0", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").is_file()


def test_deploy_check_is_clean_with_a_production_like_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


def test_development_runs_without_any_configuration():
    result = run_manage("check", env={"DEBUG": "true"})

    assert result.returncode == 0, result.stderr


def test_links_in_emails_follow_the_port_the_app_serves_on(monkeypatch):
    """`PORT=8080 bin/run` must not email links to port 8000 (SITE_URL's default follows PORT)."""
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
    ]

    default = run_manage(*show, env={"DEBUG": "true"})
    moved = run_manage(*show, env={"DEBUG": "true", "PORT": "8080"})

    assert default.stdout.strip() == "http://127.0.0.1:8000", default.stderr
    assert moved.stdout.strip() == "http://127.0.0.1:8080", moved.stderr
