"""The production processes, started for real the way docker-compose.yml starts them.

`ProductionStack` runs `bin/prod collectstatic`, then `bin/prod web` (migrate + gunicorn with two
workers), `bin/prod worker` and `bin/prod beat`, with DEBUG off, a random SECRET_KEY, a fresh
PostgreSQL database, Redis as broker and cache, console email and temporary static and media
directories. It stops every process it started, by PID (each runs in its own process group, so
gunicorn's and Celery's children go with it).
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import redis
import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"


def compose_app_environment() -> dict:
    """The environment every app service gets in docker-compose.yml (its `x-app` block)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())["x-app"]["environment"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(base_url: str, name: str) -> str:
    return urlunparse(urlparse(base_url)._replace(path=f"/{name}"))


def recreate_database(base_url: str, name: str) -> str:
    admin_url = _database_url(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _database_url(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    with psycopg.connect(_database_url(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_db_url(base_url: str, number: int) -> str:
    return urlunparse(urlparse(base_url)._replace(path=f"/{number}"))


@dataclass
class ProductionStack:
    workdir: Path
    database_url: str
    broker_url: str
    cache_url: str
    web_workers: int = 2
    extra_env: dict = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    processes: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def beat_pidfile(self) -> Path:
        return self.workdir / "celerybeat.pid"

    def environment(self) -> dict:
        """The compose file's app environment with this machine's services filled in."""
        values = {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": "",
            "SITE_URL": self.url,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CACHE_URL": self.cache_url,
            "EMAIL_URL": "consolemail://",
            "DEFAULT_FROM_EMAIL": "SLA Portal <noreply@example.com>",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "USE_X_FORWARDED_PROTO": "true",
            # Plain HTTP on loopback, as the README's local production trial: no TLS proxy.
            "SECURE_SSL_REDIRECT": "false",
        }
        missing = set(compose_app_environment()) - set(values)
        assert not missing, f"the smoke test does not set compose's {sorted(missing)}"
        # Whatever the test runner's own environment says about Django must not leak in.
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TEST_REDIS_URL"}
        }
        return {
            **inherited,
            **values,
            "STATIC_ROOT": str(self.workdir / "static"),
            "PORT": str(self.port),
            "BIND": "127.0.0.1",
            "WEB_WORKERS": str(self.web_workers),
            "BEAT_PIDFILE": str(self.beat_pidfile),
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def run(self, *args: str, timeout: float = 300) -> str:
        """Run a command in the production environment ("python" is this virtualenv's)."""
        if args[0] == "python":
            args = (sys.executable, *args[1:])
        result = subprocess.run(
            args, cwd=ROOT, env=self._env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"
        return result.stdout

    def start(self, role: str) -> subprocess.Popen:
        log = open(self.workdir / f"{role}.log", "w")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            ["bin/prod", role],
            cwd=ROOT,
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its children stop with it
        )
        self.processes[role] = (process, log)
        return process

    def up(self) -> None:
        (self.workdir / "media").mkdir(parents=True, exist_ok=True)
        self._env = self.environment()
        self.run("bin/prod", "collectstatic")
        self.start("web")
        self.wait_until_healthy()
        # Worker and beat need the migrated database, as compose's depends_on says.
        self.start("worker")
        self.start("beat")

    def wait_until_healthy(self, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            self.assert_running("web")
            try:
                response = requests.get(f"{self.url}/healthz", timeout=5)
                last = f"{response.status_code} {response.text}"
                if response.status_code == 200:
                    return response.json()
            except requests.RequestException as exc:
                last = repr(exc)
            time.sleep(0.5)
        raise AssertionError(f"/healthz never answered 200: {last}\n{self.log('web')}")

    def assert_running(self, role: str) -> None:
        process, _ = self.processes[role]
        code = process.poll()
        assert code is None, f"bin/prod {role} exited with {code}:\n{self.log(role)}"

    def log(self, role: str, lines: int = 60) -> str:
        path = self.workdir / f"{role}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for _role, (process, _log) in self.processes.items():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _role, (process, log) in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()
        # Nothing of ours may survive: every process group is gone.
        for role, (process, _log) in self.processes.items():
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                continue
            raise AssertionError(f"bin/prod {role} (pid {process.pid}) left processes behind")


def flush_redis(*urls: str) -> None:
    for url in urls:
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()
