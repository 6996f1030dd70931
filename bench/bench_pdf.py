"""Time rendering contract PDFs: the demo agreement and a large one.

The large agreement has 40 definitions, 58 KPIs and a section written in Chinese. Each run
renders each document twice, back to back: once through the app's path (frozen snapshot ->
contract template -> `render_pdf`, which also reads the signature slots from the layout) and
once by WeasyPrint alone on the same HTML string, with the same stylesheet file parsed afresh,
the same base_url and `write_pdf`. The two alternate which goes first from run to run, and the
ratio app/bare is taken within each run, so machine drift over the benchmark cancels out of it:
the ratio is the app's own overhead. Runs on a throwaway SQLite database.

    .venv/bin/python bench/bench_pdf.py [--runs 7]

Goals on a 2-core machine: demo under 1.0 s median, large under 3.0 s, overhead ratio median
under 1.15.
"""

import argparse
import gc
import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ.update(DEBUG="true", DATABASE_URL=f"sqlite:///{_db}", CELERY_BROKER_URL="")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from agreements.authoring import services as authoring_services  # noqa: E402
from agreements.authoring.document import load_document  # noqa: E402
from agreements.models import Agreement, AgreementVersion, Definition, Kpi  # noqa: E402
from agreements.versions.contract import (  # noqa: E402
    ACCESSIBLE_VARIANT,
    CONTRACT_CSS,
    render_contract_html,
    render_pdf,
)
from agreements.versions.snapshot import (  # noqa: E402
    build_snapshot,
    canonical_json,
    document_from_snapshot,
    sha256_hex,
)
from organizations.demo import seed_demo  # noqa: E402

# Goals on a 2-core machine: median seconds through the app per document, and the overhead.
GOAL_SECONDS = {"demo": 1.0, "large": 3.0}
GOAL_RATIO = 1.15


def frozen_version(agreement, actor) -> AgreementVersion:
    """An unsaved version carrying the agreement's snapshot, as submitting would freeze it."""
    from django.utils import timezone

    doc = load_document(Agreement.objects.get(pk=agreement.pk))
    snapshot = build_snapshot(doc, number=1, created_at=timezone.now(), created_by=actor)
    return AgreementVersion(
        agreement=agreement,
        number=1,
        snapshot=snapshot,
        snapshot_sha256=sha256_hex(canonical_json(snapshot)),
        created_at=timezone.now(),
        created_by=actor,
    )


def large_agreement(organization, marketing_lead, sales_lead) -> Agreement:
    agreement = authoring_services.agreement_create(
        organization=organization,
        actor=marketing_lead,
        title="大型协议 Large SLA",
        recommended_template=True,
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2028, 12, 31),
        revenue_target=Decimal("24000000"),
        goal_statement="市场部与销售部共同完成两年内新增两千四百万欧元年度经常性收入的目标。" * 3,
    )
    Definition.objects.bulk_create(
        Definition(
            agreement=agreement, position=100 + i, term=f"术语 Term {i}", meaning="定义。" * 20
        )
        for i in range(32)
    )
    Kpi.objects.bulk_create(
        Kpi(
            agreement=agreement,
            position=100 + i,
            name=f"KPI {i}",
            owner_team="shared",
            target=i,
            unit="count",
        )
        for i in range(50)
    )
    return agreement


def renderers(version):
    """The app's render and the bare WeasyPrint render of the same HTML, as the app does it."""
    html = render_contract_html(document_from_snapshot(version.snapshot), version)
    identifier = hashlib.md5(version.snapshot_sha256.encode()).hexdigest().encode()

    def app():
        html = render_contract_html(document_from_snapshot(version.snapshot), version)
        return render_pdf(html, identifier=version.snapshot_sha256)

    def bare():
        # What render_pdf hands WeasyPrint, minus the signature slots: the stylesheet parsed
        # from the same file on every call, the same base_url, pdf_identifier and PDF/UA tagging.
        stylesheet = CSS(filename=finders.find(CONTRACT_CSS))
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet], pdf_identifier=identifier, pdf_variant=ACCESSIBLE_VARIANT
        )

    return app, bare


def timed(render):
    gc.collect()  # a collection left over from the other render is not charged to this one
    start = time.perf_counter()
    result = render()
    return time.perf_counter() - start, result


def interleaved(app, bare, runs):
    """Seconds of each render and their ratio, per run; the first render alternates."""
    app_times, bare_times, ratios = [], [], []
    for run in range(runs):
        if run % 2 == 0:
            app_s, rendered = timed(app)
            bare_s, pdf = timed(bare)
        else:
            bare_s, pdf = timed(bare)
            app_s, rendered = timed(app)
        app_times.append(app_s)
        bare_times.append(bare_s)
        ratios.append(app_s / bare_s)
    return app_times, bare_times, ratios, rendered, pdf


def spread(values, unit=""):
    low, mid, high = min(values), statistics.median(values), max(values)
    digits = 3 if unit == "s" else 2
    return f"{low:8.{digits}f} {mid:8.{digits}f} {high:8.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo = seed_demo()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    cases = {
        "demo": Agreement.objects.get(organization=demo.organization, title__startswith="Acme"),
        "large": large_agreement(demo.organization, demo.marketing_lead, demo.sales_lead),
    }
    print(f"{args.runs} interleaved runs per document (app then bare, then bare then app, ...)")
    print(f"{'document':8} {'pages':>5} {'':6} {'min':>8} {'median':>8} {'max':>8}")
    verdicts = []
    for name, agreement in cases.items():
        app, bare = renderers(frozen_version(agreement, demo.marketing_lead))
        app()  # warm-up, untimed: templates, fonts (the CJK face), WeasyPrint's caches
        bare()
        app_times, bare_times, ratios, rendered, pdf = interleaved(app, bare, args.runs)
        slots = len(rendered.signature_boxes["slots"])
        print(f"{name:8} {rendered.pages:5d} {'app s':6} {spread(app_times, 's')}")
        print(f"{'':8} {'':5} {'bare s':6} {spread(bare_times, 's')}")
        print(f"{'':8} {'':5} {'ratio':6} {spread(ratios)}")
        same = "the same bytes" if rendered.pdf == pdf else f"{len(pdf):,} bytes bare"
        print(
            f"{'':8} {'':5} {len(rendered.pdf):,} bytes through the app, {same};"
            f" {slots} signature slots"
        )
        app_median, ratio_median = statistics.median(app_times), statistics.median(ratios)
        verdicts.append(
            f"{name}: app median {app_median:.3f} s"
            f" {'<' if app_median < GOAL_SECONDS[name] else 'NOT <'} {GOAL_SECONDS[name]} s goal;"
            f" ratio median {ratio_median:.2f}"
            f" {'<' if ratio_median < GOAL_RATIO else 'NOT <'} {GOAL_RATIO} goal"
        )
    print("\n".join(["", "goals (2-core machine):", *verdicts]))


if __name__ == "__main__":
    main()
