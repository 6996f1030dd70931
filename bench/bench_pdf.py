"""Time rendering contract PDFs: the demo agreement and a large one.

The large agreement has 40 definitions, 60 KPIs and a section written in Chinese. Each
document is rendered several times through the app's path (snapshot -> template -> WeasyPrint)
and, for comparison, by WeasyPrint alone on the same HTML string: the ratio is the app's own
overhead. Runs on a throwaway SQLite database.

    .venv/bin/python bench/bench_pdf.py [--runs 5]

Targets on a 2-core machine: demo under 1.0 s median, large under 3.0 s, overhead under 1.15.
"""

import argparse
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

from django.core.management import call_command  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from agreements.authoring import services as authoring_services  # noqa: E402
from agreements.authoring.document import load_document  # noqa: E402
from agreements.models import Agreement, AgreementVersion, Definition, Kpi  # noqa: E402
from agreements.versions.contract import CONTRACT_CSS, render_contract_html, render_pdf  # noqa: E402
from agreements.versions.snapshot import (  # noqa: E402
    build_snapshot,
    canonical_json,
    document_from_snapshot,
    sha256_hex,
)
from organizations.demo import seed_demo  # noqa: E402


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


def median_seconds(render, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = render()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo = seed_demo()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    cases = {
        "demo": Agreement.objects.get(organization=demo.organization, title__startswith="Acme"),
        "large": large_agreement(demo.organization, demo.marketing_lead, demo.sales_lead),
    }
    stylesheet = CSS(filename=str(ROOT / "static" / CONTRACT_CSS))
    render_pdf(
        render_contract_html(
            load_document(cases["demo"]), frozen_version(cases["demo"], demo.marketing_lead)
        ),
        identifier="warm-up",
    )
    print(f"{'document':8} {'pages':>5} {'app median s':>13} {'weasyprint s':>13} {'overhead':>9}")
    for name, agreement in cases.items():
        version = frozen_version(agreement, demo.marketing_lead)

        def through_app(version=version):
            html = render_contract_html(document_from_snapshot(version.snapshot), version)
            return render_pdf(html, identifier=version.snapshot_sha256)

        html = render_contract_html(document_from_snapshot(version.snapshot), version)
        app_s, (_pdf, pages) = median_seconds(through_app, args.runs)
        raw_s, _ = median_seconds(
            lambda html=html: HTML(string=html, base_url=str(ROOT)).write_pdf(
                stylesheets=[stylesheet]
            ),
            args.runs,
        )
        print(f"{name:8} {pages:5d} {app_s:13.3f} {raw_s:13.3f} {app_s / raw_s:9.2f}")


if __name__ == "__main__":
    main()
