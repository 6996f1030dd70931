"""Time from the last signature to the sealed signed PDF being available, through a real Celery
worker on Redis: the latency a signatory waits for after pressing "Sign".

Each run copies the demo agreement, submits it (the worker renders the PDF), has the marketing
lead sign, then times the sales lead's signature until the signed PDF is ready (the worker
re-renders with signatures and certificate, then seals). It needs PostgreSQL (the web process and
the worker write at once, which SQLite refuses) and Redis; the database is created afresh.

    .venv/bin/python bench/bench_signing.py [--runs 5] [--redis redis://127.0.0.1:6379/14] \
        [--postgres postgres://postgres@127.0.0.1:5432]

Target on a 2-core machine: median under 2 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    fresh_database(args.postgres, "slaportal_bench")
    media = Path(tempfile.mkdtemp()) / "media"
    os.environ.update(
        DEBUG="true",
        DATABASE_URL=f"{args.postgres}/slaportal_bench",
        CELERY_BROKER_URL=args.redis,
        EMAIL_URL="dummymail://",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")
    import django

    django.setup()
    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command

    from agreements.authoring import services as authoring_services
    from agreements.models import Agreement, PdfStatus
    from agreements.signing import services as signing_services
    from agreements.versions import services as version_services
    from slaportal.celery import app
    from tests.agreements.test_signing import evidence_for

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    demo = Agreement.objects.get(title__startswith="Acme Corp")
    marketing, sales = demo.marketing_lead, demo.sales_lead

    def wait(version, field, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            version.refresh_from_db()
            if getattr(version, field) in (PdfStatus.READY, PdfStatus.FAILED):
                return
            time.sleep(0.02)
        raise SystemExit(f"{field} not ready after {timeout} s")

    seconds = []
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        for run in range(args.runs):
            copy = authoring_services.agreement_copy(
                source=demo, actor=marketing, title=f"Bench {run}"
            )
            version = version_services.agreement_submit(agreement=copy, actor=marketing)
            wait(version, "pdf_status")
            signing_services.signature_sign(
                version=version, signer=marketing, evidence=evidence_for(version)
            )
            start = time.perf_counter()
            signing_services.signature_sign(
                version=version, signer=sales, evidence=evidence_for(version)
            )
            wait(version, "signed_pdf_status")
            seconds.append(time.perf_counter() - start)
            assert version.signed_pdf_status == PdfStatus.READY, version.signed_pdf_error
            print(f"run {run + 1}: {seconds[-1]:.3f} s")
    print(f"median {statistics.median(seconds):.3f} s over {len(seconds)} runs (target < 2 s)")


if __name__ == "__main__":
    main()
