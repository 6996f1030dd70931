"""A worker killed with SIGKILL in the middle of a render and of a seal: a new worker and the
sweep finish each PDF, exactly once, within seconds (short limits here; the defaults follow the
task's hard time limit). Runs the production processes (bin/prod) on PostgreSQL and Redis."""

import os
import signal
import time

import psycopg
import pytest

from tests.services import REDIS_URL

from .stack import ProductionStack, drop_database, flush_redis, recreate_database, redis_db_url
from .test_production_smoke import _postgres_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

CRASH_DATABASE = "slaportal_crash_recovery"
CLAIM_EXPIRES = 2  # seconds: PDF_CLAIM_EXPIRES_AFTER_SECONDS for the stack

SUBMIT = """
from agreements.authoring.services import agreement_copy
from agreements.models import Agreement
from agreements.versions import services
demo = Agreement.objects.get(title__startswith="Acme Corp")
draft = agreement_copy(source=demo, actor=demo.marketing_lead, title="Crash test SLA")
print(services.agreement_submit(agreement=draft, actor=draft.marketing_lead).pk)
"""

SIGN_BOTH = """
from agreements.models import AgreementVersion
from agreements.signing import services
from tests.agreements.test_signing import evidence_for
version = AgreementVersion.objects.get(pk={pk})
for slot in version.signatures.order_by("order"):
    services.signature_sign(version=version, signer=slot.signer, evidence=evidence_for(version))
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory, request):
    base_database_url = _postgres_url()
    broker_url, cache_url = redis_db_url(REDIS_URL, 9), redis_db_url(REDIS_URL, 10)
    flush_redis(broker_url, cache_url)
    production = ProductionStack(
        workdir=tmp_path_factory.mktemp("crash"),
        database_url=recreate_database(base_database_url, CRASH_DATABASE),
        broker_url=broker_url,
        cache_url=cache_url,
        web_workers=1,
        extra_env={
            "PDF_CLAIM_EXPIRES_AFTER_SECONDS": str(CLAIM_EXPIRES),
            "SWEEP_STUCK_AFTER_SECONDS": "2",
        },
    )
    try:
        production.up()
        # The demo agreement to copy (its year of lead events plays no part here).
        production.run("python", "manage.py", "seed_demo", "--without-lead-events")
        yield production
    finally:
        failed = request.session.testsfailed
        production.stop()
        if failed:
            print(f"--- bin/prod worker ---\n{production.log('worker')}")
        flush_redis(broker_url, cache_url)
        drop_database(base_database_url, CRASH_DATABASE)


def shell(stack, code: str) -> str:
    """Run Python in the stack's environment; the last line it printed."""
    output = stack.run("python", "manage.py", "shell", "--no-imports", "-c", code).strip()
    return output.splitlines()[-1] if output else ""


def status(stack, version_id: int, kind: str) -> str:
    with psycopg.connect(stack.database_url) as conn:
        row = conn.execute(
            f"SELECT {kind}_status FROM agreements_agreementversion WHERE id = %s", (version_id,)
        ).fetchone()
    return row[0]


def count(stack, sql: str, *params) -> int:
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(sql, params).fetchone()[0]


def kill_worker_once_it_claims(stack, version_id: int, kind: str) -> None:
    """SIGKILL the worker's whole process group the moment it has claimed the PDF."""
    deadline = time.monotonic() + 60
    while status(stack, version_id, kind) != "rendering":
        assert time.monotonic() < deadline, f"the worker never claimed the {kind}"
        time.sleep(0.01)
    process, log = stack.processes.pop("worker")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    log.close()
    assert status(stack, version_id, kind) == "rendering", "finished before the kill"


def recover(stack, version_id: int, kind: str) -> float:
    """A new worker starts; once the dead claim has expired the sweep re-sends the work.
    Returns the seconds from the new worker's start to the PDF being ready."""
    started = time.monotonic()
    stack.start("worker")
    time.sleep(CLAIM_EXPIRES + 0.5)
    stack.run("python", "manage.py", "sweep")
    deadline = started + 120
    while status(stack, version_id, kind) != "ready":
        assert time.monotonic() < deadline, f"{kind} not ready:\n{stack.log('worker')}"
        stack.assert_running("worker")
        time.sleep(0.2)
    return time.monotonic() - started


def test_a_worker_killed_mid_render_and_mid_seal_loses_nothing_and_duplicates_nothing(stack):
    version_id = int(shell(stack, SUBMIT))

    kill_worker_once_it_claims(stack, version_id, "pdf")
    assert recover(stack, version_id, "pdf") < 120

    # Stamping and sealing take a fraction of a second: too quick to catch between claim and
    # result. The seal key's table, locked here, holds the worker right after it has claimed.
    with psycopg.connect(stack.database_url) as holding:
        holding.execute("LOCK TABLE agreements_organizationsealkey IN ACCESS EXCLUSIVE MODE")
        shell(stack, SIGN_BOTH.format(pk=version_id))
        kill_worker_once_it_claims(stack, version_id, "signed_pdf")
    assert recover(stack, version_id, "signed_pdf") < 120

    entries = (
        "SELECT count(*) FROM agreements_auditentry e JOIN agreements_agreementversion v"
        " ON v.agreement_id = e.agreement_id AND e.target = 'version ' || v.number"
        " WHERE v.id = %s AND e.action = %s"
    )
    assert count(stack, entries, version_id, "rendered") == 1
    assert count(stack, entries, version_id, "sealed") == 1
    media = stack.workdir / "media"
    document_id = shell(
        stack,
        "from agreements.models import AgreementVersion as V; "
        f"print(V.objects.get(pk={version_id}).document_id)",
    )
    assert len(list(media.rglob(f"{document_id}.pdf"))) == 1
    assert len(list(media.rglob(f"{document_id}-signed.pdf"))) == 1
