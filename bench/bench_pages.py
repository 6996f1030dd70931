"""Page speed under production settings: gunicorn started by `bin/prod web` (2 workers), DEBUG
off, manifest static files, PostgreSQL with 10,000 agreements in the demo organisation.

Seeds a fresh database (`seed_demo`, then `seed_scale --agreements N --orgs M`, then VACUUM
ANALYZE as autovacuum would), logs in as the demo marketing lead through the allauth form and
times each page at 1 and at 4 concurrent users (a thread and a session each): the dashboard
(page 1, page 2, a search), the editor (two sections), a signed version, the history, the
comparison, the funnel calculator, the funnel API (a 5 x 8 x 24 plan) and `/healthz`. Each user
alternates page and trivial view requests, so machine drift touches both alike. The trivial view
(bench/pages_urls.py, served only here through bench/pages_settings.py) is the floor of every
HTML page: signed in, every middleware, the base layout with no content. req/s is c / mean
latency (c requests always in flight); "ratio" is the page's req/s over the trivial view's in
the same run (at c=4 the trivial requests also queue behind pages, so it is compressed towards
0.5: read the c=1 ratio). Query counts come from `django.test.Client` requests in a
subprocess, on this database and on a small one (`<name>_small`: 10 agreements, 2 orgs).

    .venv/bin/python bench/bench_pages.py [--agreements 10000] [--orgs 50] [--requests 60] \
        [--runs 1] [--database postgres://postgres@127.0.0.1:5432/slaportal_bench_pages] \
        [--cache-url redis://127.0.0.1:6379/12] [--keep] [--reuse]

--requests is per page and user (240 per page at c=4); --runs repeats the 1-user measurement. The
databases are dropped and created afresh (`postgres` and the templates are refused), and dropped
at the end unless --keep; --reuse (after --keep) skips seeding databases that hold the data.
Plain HTTP on loopback: SECURE_SSL_REDIRECT and the Secure cookie flags are off. Imports no test
code; needs `requests`, a dev dependency (`uv sync` installs it). Exits 1 when a goal is missed.

Goals on a 2-core machine: p95 under 100 ms at 1 user and under 250 ms at 4 for every HTML page;
every page at least 25% of the trivial view's req/s; the same query count at 10 and 10,000.
"""

import argparse
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

P95_GOAL_MS = {1: 100, 4: 250}
RATIO_GOAL = 0.25
TRIVIAL = "trivial page"
SETTINGS = "bench.pages_settings"  # the app plus the trivial view
SEARCH = "Renewals"  # a sales segment: in about one title in 15, and 2 of the small 10
WARMUP = 2  # more requests per page and session before each timing


def with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server(statement: str, url: str) -> None:
    with psycopg.connect(with_name(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def environment(url: str, workdir: Path, cache_url: str, port: int = 8000) -> dict:
    """The production environment (docker-compose.yml's, as tests/production/stack.py sets it)."""
    secret = workdir / "secret"  # kept with the data, so --reuse finds the same audit key
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
    skip = {"DJANGO_ALLOW_ASYNC_UNSAFE", "TEST_REDIS_URL"}
    return {
        **{key: value for key, value in os.environ.items() if key not in skip},
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "false",
        "SECRET_KEY": secret.read_text(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": "",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "",  # tasks run in-process
        "CACHE_URL": cache_url,
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": str(workdir / f"media-{db_name(url)}"),
        "STATIC_ROOT": str(workdir / "static"),
        "USE_X_FORWARDED_PROTO": "true",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy
        "SESSION_COOKIE_SECURE": "false",  # else `requests` keeps the cookies off plain HTTP
        "CSRF_COOKIE_SECURE": "false",
        "FUNNEL_API_RATE_LIMIT": "1000000000",
        "PORT": str(port),
        "BIND": "127.0.0.1",
        "WEB_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
    }


def run(env: dict, *args: str) -> str:
    args = (sys.executable, *args[1:]) if args[0] == "python" else args
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(url: str, env: dict, agreements: int, orgs: int, reuse: bool) -> None:
    """Create and seed the database, unless --reuse and it has the demo org's agreements."""
    try:
        with psycopg.connect(url) as connection:
            found = connection.execute(
                "SELECT count(*) FROM agreements_agreement a JOIN organizations_organization o"
                " ON o.id = a.organization_id WHERE o.slug = 'acme'"
            ).fetchone()[0]
    except psycopg.Error:
        found = None
    if not reuse or found != agreements + 1:  # seed_scale's and the demo agreement
        started = time.perf_counter()
        server(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)', url)
        server(f'CREATE DATABASE "{db_name(url)}"', url)
        Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
        for command in ("migrate --noinput -v0", "createcachetable", "seed_demo"):
            run(env, "python", "manage.py", *command.split())
        scale = f"seed_scale --agreements {agreements} --orgs {orgs}".split()
        seeded = run(env, "python", "manage.py", *scale).splitlines()[0]
        print(f"{db_name(url)}: {seeded} ({time.perf_counter() - started:.0f} s)", flush=True)
    # Production's autovacuum analyses a bulk load soon after; this server may run without it,
    # and without statistics the planner takes the organisation's 10,000 agreements for 78.
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def pages() -> dict:
    """name -> (method, path, JSON body or None, is HTML). Needs Django set up."""
    from bench_funnel import big_plan
    from django.urls import reverse

    from agreements.demo import DEMO_AGREEMENT_TITLE
    from agreements.models import Agreement, VersionState
    from bench.pages_urls import TRIVIAL_PATH
    from organizations.demo import DEMO_ORG_SLUG

    demo = Agreement.objects.get(organization__slug=DEMO_ORG_SLUG, title=DEMO_AGREEMENT_TITLE)
    signed = Agreement.objects.filter(organization__slug=DEMO_ORG_SLUG, status="signed")
    signed = signed.earliest("pk")  # seed_scale's one signed through the real services
    version = signed.versions.filter(state=VersionState.SIGNED).latest("number")
    dashboard = reverse("dashboard", args=[DEMO_ORG_SLUG])
    html = {
        "dashboard": dashboard,
        "dashboard page 2": f"{dashboard}?page=2",
        f"dashboard ?q={SEARCH}": f"{dashboard}?q={SEARCH}",
        "editor parties": reverse("agreement_edit", args=[demo.pk, "parties"]),
        "editor kpis": reverse("agreement_edit", args=[demo.pk, "kpis"]),
        "signed version": reverse("version_detail", args=[signed.pk, version.number]),
        "history": reverse("agreement_versions", args=[demo.pk]),
        "compare 1/draft": reverse("version_compare", args=[demo.pk]) + "?old=1&new=draft",
        "calculator": reverse("calculator"),
    }
    return {
        **{name: ("GET", path, None, True) for name, path in html.items()},
        "funnel API 5x8x24": ("POST", reverse("api_funnel_calculate"), big_plan(), False),
        "/healthz (probe)": ("GET", "/healthz", None, False),
        TRIVIAL: ("GET", "/" + TRIVIAL_PATH, None, False),
    }


def count_queries() -> None:
    """In a subprocess with the environment set: each page's URL and query count, as JSON."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=MARKETING_LEAD.email))
    found = pages()
    counts = {}
    for name, (method, path, body, _html) in found.items():
        for _ in range(2):  # the first request fills per-process caches
            with CaptureQueriesContext(connection) as queries:
                data = json.dumps(body) if body else ""
                response = client.generic(method, path, data, "application/json")
            if response.status_code != 200:
                raise SystemExit(f"{name} {path}: {response.status_code}")
        counts[name] = len(queries)
    login = [MARKETING_LEAD.email, DEMO_PASSWORD]
    print(json.dumps({"pages": found, "queries": counts, "login": login}))


def login(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login failed: {answer.status_code} {answer.text[:300]}")
    return session


def call(session, base: str, page: tuple) -> float:
    method, path, body, _html = page
    started = time.perf_counter()
    response = session.request(method, base + path, json=body, allow_redirects=False, timeout=60)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{method} {path}: {response.status_code}")
    return elapsed


def interleaved(sessions: list, base: str, page: tuple, trivial: tuple, n: int) -> tuple:
    """`n` page requests and `n` trivial ones alternately in each of the sessions at once."""
    barrier = threading.Barrier(len(sessions))

    def user(session) -> list:
        try:
            for _ in range(WARMUP):
                call(session, base, page)
            barrier.wait()
            return [(call(session, base, page), call(session, base, trivial)) for _ in range(n)]
        except Exception as exc:
            if not isinstance(exc, threading.BrokenBarrierError):
                print(f"failed: {exc!r}", file=sys.stderr)
            barrier.abort()  # the others must not wait for this one
            raise

    with ThreadPoolExecutor(len(sessions)) as pool:
        pairs = [pair for times in pool.map(user, sessions) for pair in times]
    return [page for page, _ in pairs], [trivial for _, trivial in pairs]


def stats(page_times: list, trivial_times: list, c: int) -> dict:
    ordered = sorted(page_times)
    rate = c / statistics.fmean(page_times)  # Little's law: c requests always in flight
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000,
        "rps": rate,
        "ratio": rate / (c / statistics.fmean(trivial_times)),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_web(env: dict, log: Path) -> subprocess.Popen:
    """`bin/prod web` (migrate, createcachetable, gunicorn) in its own process group."""
    with log.open("w") as out:  # the child keeps its own descriptor
        web = subprocess.Popen(["bin/prod", "web"], cwd=ROOT, env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise SystemExit(f"bin/prod web exited with {web.returncode}:\n{log.read_text()}")
        try:
            if requests.get(f"{env['SITE_URL']}/healthz", timeout=5).status_code == 200:
                return web
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"/healthz never answered 200:\n{log.read_text()}")


def stop_web(web: subprocess.Popen) -> None:
    os.killpg(web.pid, signal.SIGTERM)  # gunicorn's workers are in its process group
    try:
        web.wait(timeout=20)
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGKILL)


def table(found: dict, measured: dict, queries: list) -> list:
    """Print the table (c=1: the median of the runs, and each run's p95); return goals missed."""
    (few, small), (many, large) = queries
    line = "{:22} {:>2} {:>7} {:>7} {:>7} {:>6} {:>5} {:>7}  {}".format
    print("\n" + line("page", "c", "p50 ms", "p95 ms", "req/s", "ratio", f"q@{few}", f"q@{many}",
                      "goal met?"))  # fmt: skip
    missed = []
    for (name, c), runs in sorted(measured.items(), key=lambda item: item[0][1]):
        row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        why = []
        if found[name][3] and row["p95"] >= P95_GOAL_MS[c]:
            why.append(f"p95 >= {P95_GOAL_MS[c]} ms")
        if name != TRIVIAL and row["ratio"] < RATIO_GOAL:
            why.append(f"ratio < {RATIO_GOAL:.2f}")
        if small[name] != large[name]:
            why.append("query count differs")
        missed += [f"{name} at c={c}: {reason}" for reason in why]
        verdict = "-" if name == TRIVIAL else ("NO: " + ", ".join(why) if why else "yes")
        print(line(name, c, f"{row['p50']:.1f}", f"{row['p95']:.1f}", f"{row['rps']:.1f}",
                   f"{row['ratio']:.2f}", small[name], large[name], verdict))  # fmt: skip
    print("\np95 ms of each c=1 run (min / median / max):")
    for name in found:
        p95 = sorted(run["p95"] for run in measured[name, 1])
        print(f"  {name:22} {p95[0]:6.1f} / {statistics.median(p95):6.1f} / {p95[-1]:6.1f}")
    same = [name for name in found if small[name] == large[name]]
    print(
        f"\nQuery counts equal at {few} and {many:,} agreements: "
        + ("yes, every page" if len(same) == len(found) else f"only {', '.join(same)}")
    )
    return missed


def measure(found: dict, sessions: list, base: str, n: int, runs: int) -> dict:
    """(page, c) -> one stats dict per run; the 1-user runs first, each over every page."""
    for page in found.values():  # every page once per session and worker: templates compiled
        for session in sessions * 2:
            call(session, base, page)
    measured = {}
    for c in [1] * runs + [4]:
        for name, page in found.items():
            times = interleaved(sessions[:c], base, page, found[TRIVIAL], n)
            measured.setdefault((name, c), []).append(stats(*times, c))
            print(f"  measured {name} at c={c}", file=sys.stderr, flush=True)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database = "postgres://postgres@127.0.0.1:5432/slaportal_bench_pages"
    parser.add_argument("--database", default=database)
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=60, help="per page and user")
    parser.add_argument("--runs", type=int, default=1, help="of the 1-user measurement")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/12", help="empty: the db")
    parser.add_argument("--reuse", action="store_true", help="keep seeded databases that fit")
    parser.add_argument("--keep", action="store_true", help="do not drop the databases")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        return count_queries()
    large = args.database
    small = with_name(large, f"{db_name(large)}_small")
    if db_name(large) in {"", "postgres", "template0", "template1"}:
        raise SystemExit(f"--database must name a database of its own, not {db_name(large)!r}")
    workdir = Path(tempfile.gettempdir()) / f"{db_name(large)}-files"
    if not args.reuse:
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(exist_ok=True)
    env, web = environment(large, workdir, args.cache_url, free_port()), None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop gunicorn, drop the dbs
    try:
        run(env, "bin/prod", "collectstatic")  # always: a --reuse run may follow new files
        prepare(small, environment(small, workdir, args.cache_url), 10, 2, args.reuse)
        prepare(large, env, args.agreements, args.orgs, args.reuse)
        queries = []
        for size, url in ((10, small), (args.agreements, large)):  # pages: the large one's
            env_db = environment(url, workdir, args.cache_url)
            answer = json.loads(run(env_db, "python", __file__, "--count-queries").splitlines()[-1])
            queries.append((size, answer["queries"]))
            found, credentials = answer["pages"], answer["login"]
        web = start_web(env, workdir / "web.log")
        sessions = [login(env["SITE_URL"], *credentials) for _ in range(4)]
        measured = measure(found, sessions, env["SITE_URL"], args.requests, args.runs)
        missed = table(found, measured, queries)
        print(
            f"\n{args.requests} timed requests per page and user after {WARMUP} warm-up ones; "
            f"{args.agreements:,} agreements, {args.orgs} other organisations; "
            f"c=1 figures are the median of {args.runs} run(s)."
        )
        print("Goals missed:\n  " + "\n  ".join(missed) if missed else "Every goal met.")
        return 1 if missed else 0
    finally:
        if web is not None:
            stop_web(web)
        if not args.keep:
            for url in (large, small):
                server(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)', url)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
