"""Submitting a draft: the frozen version, its PDF, and what can never change afterwards."""

import io
import shutil
import subprocess

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from pypdf import PdfReader

from agreements.authoring import services as authoring_services
from agreements.authoring.sections import SECTIONS
from agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Definition,
    ImmutableError,
    PdfStatus,
)
from agreements.versions import services as version_services
from agreements.versions import tasks
from agreements.versions.snapshot import canonical_json, document_from_snapshot, sha256_hex
from organizations.models import Role
from slaportal.errors import DomainError
from tests import factories
from tests.services import unavailable


@pytest.fixture
def submit(django_capture_on_commit_callbacks, marketing_lead):
    def _submit(agreement):
        with django_capture_on_commit_callbacks(execute=True):
            version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
        version.refresh_from_db()
        return version

    return _submit


def text_of(pdf: bytes) -> str:
    """The PDF's text with runs of whitespace collapsed (layout spacing is not content)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def pdf_text(version) -> str:
    with version.pdf.open("rb") as handle:
        return text_of(handle.read())


def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(
    organization, marketing_lead
):
    agreement = factories.agreement_from_template(organization, marketing_lead)

    with pytest.raises(version_services.IncompleteAgreement) as caught:
        version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    assert set(caught.value.missing) == {"parties", "term", "goal", "kpis", "signatures"}
    assert "1. Parties and signatories: Marketing lead is missing" in str(caught.value)
    assert not AgreementVersion.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_submitting_from_the_page_sends_an_incomplete_draft_back_to_its_first_gap(
    client_for, organization, marketing_lead
):
    agreement = factories.agreement_from_template(organization, marketing_lead)

    response = client_for(marketing_lead).post(
        reverse("agreement_submit", args=[agreement.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "agreement_edit", args=[agreement.pk, "parties"]
    )
    assert "The agreement is not complete yet." in response.content.decode()


def test_submitting_freezes_version_1_and_renders_its_pdf(agreement, submit):
    version = submit(agreement)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_SIGNATURE
    assert version.number == 1
    assert version.snapshot_sha256 == sha256_hex(canonical_json(version.snapshot))
    assert version.pdf_status == PdfStatus.READY
    with version.pdf.open("rb") as handle:
        assert sha256_hex(handle.read()) == version.pdf_sha256
    assert version.page_count >= 5
    actions = list(agreement.audit_entries.values_list("action", flat=True))
    assert actions[-4:] == ["submitted", "rendered", "invited", "invited"]


def test_the_pdf_contains_every_section_the_parties_and_the_numbers(agreement, submit):
    text = pdf_text(submit(agreement))

    for section in SECTIONS:
        assert f"{section.number}. {section.title}" in text, section.title
    assert "Maria Marketing" in text and "Sam Sales" in text
    assert "1,200,000" in text
    assert "Page 1 of" in text
    assert "SLA-" in text  # the document ID on every page


def test_a_submitted_draft_is_no_longer_editable_and_a_later_edit_cannot_reach_the_version(
    agreement, submit, marketing_lead
):
    version = submit(agreement)

    with pytest.raises(Exception, match="only drafts can be changed"):
        authoring_services.row_delete(
            row=agreement.kpi_rows.first(), actor=marketing_lead, kind_key="kpis"
        )
    # Even a change behind the services' back leaves the frozen document alone.
    Definition.objects.filter(agreement=agreement).update(meaning="changed later")
    frozen = document_from_snapshot(version.snapshot)
    assert all(d.meaning != "changed later" for d in frozen.rows["definitions"])


def test_a_versions_snapshot_and_rendered_pdf_never_change(agreement, submit):
    version = submit(agreement)

    version.snapshot = {**version.snapshot, "agreement": {}}
    with pytest.raises(ImmutableError):
        version.save()
    version.refresh_from_db()
    version.pdf_sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    assert AgreementVersion.objects.get(pk=version.pk).pdf_sha256 != "0" * 64


def test_rendering_the_same_snapshot_twice_gives_the_same_text(agreement, submit):
    version = submit(agreement)
    doc = document_from_snapshot(version.snapshot)
    from agreements.versions.contract import render_contract_html, render_pdf

    first = render_pdf(render_contract_html(doc, version), identifier=version.snapshot_sha256).pdf
    second = render_pdf(render_contract_html(doc, version), identifier=version.snapshot_sha256).pdf

    assert text_of(first) == text_of(second) == pdf_text(version)


def test_the_render_task_is_idempotent(agreement, submit):
    version = submit(agreement)
    stored = version.pdf.name

    assert tasks.render_version_pdf.apply(args=[version.pk]).get() == "not claimed"
    version.refresh_from_db()
    assert version.pdf.name == stored
    assert version.pdf_attempts == 1


def test_a_failed_render_shows_why_and_can_be_retried(
    agreement, submit, monkeypatch, client_for, marketing_lead, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ValueError("the layout engine choked")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "render_pdf", broken)
        version = submit(agreement)
    assert version.pdf_status == PdfStatus.FAILED
    client = client_for(marketing_lead)
    page = client.get(reverse("version_detail", args=[agreement.pk, 1])).content.decode()
    assert "The contract could not be laid out as a PDF" in page
    assert "the layout engine choked" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("version_retry", args=[agreement.pk, 1]))

    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    assert version.pdf_attempts == 1  # a person's "Try again" starts the count over
    assert version.pdf_error == ""


def test_a_render_out_of_time_is_failed_as_too_large_without_a_retry(
    agreement, submit, monkeypatch, client_for, marketing_lead
):
    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "render_pdf", out_of_time)
        version = submit(agreement)

    assert version.pdf_status == PdfStatus.FAILED and version.pdf_too_large
    assert "too large to lay out as a PDF" in version.pdf_error
    client = client_for(marketing_lead)
    page = client.get(reverse("version_detail", args=[agreement.pk, 1])).content.decode()
    assert "Failed: too large." in page
    assert "Try again" not in page
    with pytest.raises(DomainError, match="too large to render"):
        version_services.version_retry_render(version=version, actor=marketing_lead)
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.FAILED


def test_only_a_failed_render_can_be_retried(agreement, submit, marketing_lead):
    version = submit(agreement)

    with pytest.raises(Exception, match="Only a PDF that failed"):
        version_services.version_retry_render(version=version, actor=marketing_lead)


def test_chinese_text_renders_with_an_embedded_cjk_font(agreement, submit):
    Agreement.objects.filter(pk=agreement.pk).update(
        goal_statement="市场部与销售部共同完成本年度新增收入目标。"
    )
    Definition.objects.filter(agreement=agreement, key="mql").update(
        meaning="营销合格线索, 评分达到阈值的线索。"
    )

    version = submit(agreement)

    text = pdf_text(version)
    assert "市场部与销售部共同完成本年度新增收入目标" in text
    assert "营销合格线索" in text
    if not shutil.which("pdffonts"):
        unavailable("needs pdffonts (apt-get install poppler-utils)")
    fonts = subprocess.run(
        ["pdffonts", version.pdf.path], capture_output=True, text=True, check=True
    ).stdout
    cjk_lines = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk_lines, fonts
    assert all(" yes " in line for line in cjk_lines), fonts  # embedded


def test_the_version_page_polls_until_the_pdf_is_ready(agreement, marketing_lead, client_for):
    version = version_services.agreement_submit(
        agreement=agreement, actor=marketing_lead
    )  # not rendered
    client = client_for(marketing_lead)

    pending = client.get(reverse("version_pdf_status", args=[agreement.pk, version.number]))
    assert 'hx-trigger="every 1s"' in pending.content.decode()
    tasks.render_version_pdf.apply(args=[version.pk])
    ready = client.get(reverse("version_pdf_status", args=[agreement.pk, version.number]))
    assert 'hx-trigger="every 1s"' not in ready.content.decode()
    assert "Download PDF" in ready.content.decode()


def test_members_download_the_pdf_and_outsiders_get_404(
    agreement, submit, client_for, outsider, organization
):
    version = submit(agreement)
    viewer = factories.UserFactory()
    factories.MembershipFactory(organization=organization, user=viewer, role=Role.VIEWER)
    url = reverse("version_pdf", args=[agreement.pk, version.number])

    download = client_for(viewer).get(url + "?download=1")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        client_for(viewer).post(reverse("version_retry", args=[agreement.pk, 1])).status_code == 403
    )
    assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(outsider).get(reverse("agreement_versions", args=[agreement.pk])).status_code
        == 404
    )


def test_version_pages_run_a_bounded_number_of_queries(
    agreement, submit, client_for, marketing_lead, django_assert_max_num_queries
):
    submit(agreement)
    client = client_for(marketing_lead)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("agreement_versions", args=[agreement.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("version_detail", args=[agreement.pk, 1])).status_code == 200


def test_an_organisation_on_letter_paper_gets_letter_pdfs(agreement, organization, submit):
    organization.paper_size = "letter"
    organization.save()

    version = submit(agreement)

    with version.pdf.open("rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
