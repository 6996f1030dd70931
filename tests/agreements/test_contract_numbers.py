"""The recommended template's contract, in each language: one set of numbers everywhere.

The plan passes every sanity check, the KPI table agrees with the plan, the months add up to the
totals, and the PDF (its text extracted) prints those same totals in the funnel table and the
KPI table, with the lead-in shown as pipeline before the term.
"""

import io
import re
import subprocess

import pytest
from django.utils import translation
from pypdf import PdfReader

from agreements.authoring.document import load_document
from agreements.versions import services as version_services
from slaportal.l10n import format_number
from tests.agreements.builders import template_agreement

STAGES = ("leads", "mqls", "sqls", "opportunities", "deals")


def cjk_faces(pdf: bytes, tmp_path) -> set[str]:
    """The CJK variants (SC, TC, JP, KR) among the fonts embedded in a PDF (`pdffonts`)."""
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return set(re.findall(r"CJK-(SC|TC|JP|KR|HK)\b", listing.stdout))


def pdf_text(version) -> str:
    with version.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("language", ["en", "de", "it", "tr", "zh-hans"])
def test_the_template_contract_has_one_set_of_numbers_in_every_language(
    language, organization, marketing_lead, sales_lead, django_capture_on_commit_callbacks, tmp_path
):
    agreement = template_agreement(organization, marketing_lead, sales_lead, language)
    doc = load_document(agreement)
    funnel = doc.funnel_targets()

    assert doc.plan_warnings() == []
    assert doc.missing_by_section() == {key: [] for key in doc.missing_by_section()}
    kpis = {k.funnel_stage: k.target for k in doc.rows["kpis"] if k.funnel_stage}
    for stage in STAGES:
        months = sum(month["stages"][stage]["target"] for month in funnel["months"])
        assert kpis[stage] == funnel["stages"][stage] == months, stage
    term_months = [m for m in funnel["months"] if not m["lead_in"]]
    assert (term_months[0]["year"], term_months[0]["month"]) == (2027, 1)

    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    text = pdf_text(version)

    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    expected_lang = {"zh-hans": "zh-Hans"}.get(language, language)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == expected_lang
    if language == "zh-hans":
        assert cjk_faces(pdf, tmp_path) == {"SC"}, "Chinese must be set in the SC faces only"

    with translation.override(language):
        for stage in STAGES:
            total = format_number(funnel["stages"][stage])
            # the source table's total row, the monthly table's total row, and the KPI table
            assert text.count(total) >= 3, (stage, total)
        before_the_term = translation.gettext("Before the term")
    assert before_the_term in text
