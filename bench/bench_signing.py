"""Time from the last signature to the sealed signed PDF being stored, through a real Celery
worker process on Redis: the wait a signatory has after pressing "Sign".

Each run copies the demo agreement, submits it (the worker renders the contract), has the
marketing lead sign, then times the sales lead's signature until the signed PDF is ready (the
worker stamps the signatures onto the contract, renders the certificate, attaches the trail and
seals). A second series first gives the agreement a 4,000-entry audit trail.

It needs PostgreSQL (the bench and the worker write at once) and Redis. The database named in
--database is dropped and created afresh, so give it one of its own; the Redis database's queue
is purged before and after. It runs from a plain `bin/run` install: no test code is imported.

    .venv/bin/python bench/bench_signing.py [--runs 7] \
        [--database postgres://postgres@127.0.0.1:5432/slaportal_bench_signing] \
        [--redis redis://127.0.0.1:6379/14]

Goals on a 2-core machine: median under 0.5 s on the demo, under 0.7 s with 4,000 entries.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LONG_TRAIL = 4000
GOALS = {"demo": 0.5, f"{LONG_TRAIL}-entry trail": 0.7}


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"--database must name a database of its own, not {name!r}")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def purge_queue(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def start_worker(env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "slaportal",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    return worker


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/slaportal_bench_signing"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    recreate_database(args.database)
    purge_queue(args.redis)
    media = Path(tempfile.mkdtemp()) / "media"
    os.environ.update(
        DEBUG="true",
        DATABASE_URL=args.database,
        CELERY_BROKER_URL=args.redis,
        EMAIL_URL="dummymail://",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="slaportal.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from agreements.audit import audit_log
    from agreements.authoring import services as authoring_services
    from agreements.demo import squiggle_png
    from agreements.models import Agreement, PdfStatus
    from agreements.signing import services as signing_services
    from agreements.versions import services as version_services

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    demo = Agreement.objects.get(title__startswith="Acme Corp")
    marketing, sales = demo.marketing_lead, demo.sales_lead
    png = squiggle_png(1)

    def evidence(version):
        return signing_services.Evidence(
            pdf_sha256=version.pdf_sha256,
            consent_text="I agree to sign electronically.",
            intent_text=f"I sign version {version.number}.",
            method="drawn",
            image_png=png,
            typed_name="",
            ip_address="203.0.113.7",
            user_agent="bench_signing",
            auth_method="password login",
        )

    def wait(version, field, timeout=120):  # field: "pdf" or "signed_pdf"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            version.refresh_from_db(fields=[f"{field}_status", f"{field}_error"])
            if getattr(version, f"{field}_status") in (PdfStatus.READY, PdfStatus.FAILED):
                version.refresh_from_db()
                return
            time.sleep(0.005)
        raise SystemExit(f"{field} not ready after {timeout} s")

    def one_run(title: str, trail_entries: int) -> float:
        copy = authoring_services.agreement_copy(source=demo, actor=marketing, title=title)
        for _ in range(trail_entries):
            audit_log(copy, marketing, "viewed", "bench")
        version = version_services.agreement_submit(agreement=copy, actor=marketing)
        wait(version, "pdf")
        assert version.pdf_status == PdfStatus.READY, version.pdf_error
        signing_services.signature_sign(
            version=version, signer=marketing, evidence=evidence(version)
        )
        start = time.perf_counter()
        signing_services.signature_sign(version=version, signer=sales, evidence=evidence(version))
        wait(version, "signed_pdf")
        elapsed = time.perf_counter() - start
        assert version.signed_pdf_status == PdfStatus.READY, version.signed_pdf_error
        return elapsed

    worker = start_worker(dict(os.environ))
    results = {}
    try:
        one_run("Warm-up", 0)  # the worker's first task imports WeasyPrint and loads fonts
        for series, entries in (("demo", 0), (f"{LONG_TRAIL}-entry trail", LONG_TRAIL)):
            if entries:
                print(f"building {args.runs} agreements with {entries} audit entries each ...")
            seconds = []
            for run in range(args.runs):
                seconds.append(one_run(f"Bench {series} {run}", entries))
                print(f"{series} run {run + 1}: {seconds[-1]:.3f} s")
            results[series] = seconds
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        purge_queue(args.redis)
    print()
    for series, seconds in results.items():
        median = statistics.median(seconds)
        verdict = "meets" if median < GOALS[series] else "MISSES"
        print(
            f"{series}: median {median:.3f} s, min {min(seconds):.3f} s, max {max(seconds):.3f} s "
            f"over {len(seconds)} runs ({verdict} the goal of {GOALS[series]} s)"
        )


if __name__ == "__main__":
    main()
