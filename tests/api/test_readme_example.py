"""The README's Python example, run as written against a running app (a real HTTP server on
the demo data) while both leads sign in between, as they would in their browsers."""

import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from agreements.models import AgreementVersion, PdfStatus
from agreements.signing import services as signing
from api.tokens import create_token
from organizations.models import Organization
from tests.agreements.test_signing import evidence_for

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    text = README.read_text()
    found = re.search(r"<!-- api-example -->\n```python\n(.*?)```", text, re.DOTALL)
    assert found, "the README lost its marked API example"
    return found.group(1)


@pytest.mark.postgres  # a live server and the test writing at once: SQLite locks its tables
@pytest.mark.django_db(transaction=True)
def test_the_readme_example_creates_submits_and_downloads_the_signed_pdf(live_server, tmp_path):
    call_command("seed_demo", "--without-lead-events", stdout=StringIO())
    acme = Organization.objects.get(slug="acme")
    owner = acme.memberships.get(user__email="maria@acme.example").user
    _row, token = create_token(
        organization=acme, created_by=owner, name="README", scopes=["read", "write"]
    )
    script = tmp_path / "example.py"
    script.write_text(readme_example())
    env = {"SLAPORTAL_URL": live_server.url, "SLAPORTAL_TOKEN": token, "PATH": "/usr/bin:/bin"}

    example = subprocess.Popen(
        [sys.executable, str(script)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        version = _wait_for_version("EMEA SLA 2027", example)
        for signer in (version.agreement.marketing_lead, version.agreement.sales_lead):
            signing.signature_sign(version=version, signer=signer, evidence=evidence_for(version))
        output, _ = example.communicate(timeout=120)
    finally:
        example.kill()

    assert example.returncode == 0, output
    assert "Both leads sign at" in output
    pdf = (tmp_path / "EMEA-SLA-2027-signed.pdf").read_bytes()
    version.refresh_from_db()
    assert version.signed_pdf_status == PdfStatus.READY
    assert pdf == version.signed_pdf.open("rb").read()


def _wait_for_version(title: str, example) -> AgreementVersion:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if example.poll() is not None:
            raise AssertionError(f"the example stopped early: {example.stdout.read()}")
        version = (
            AgreementVersion.objects.select_related(
                "agreement__marketing_lead", "agreement__sales_lead"
            )
            .filter(agreement__title=title, pdf_status=PdfStatus.READY)
            .first()
        )
        if version:
            return version
        time.sleep(0.2)
    raise AssertionError(f"no rendered version of {title!r} within 60 s")
