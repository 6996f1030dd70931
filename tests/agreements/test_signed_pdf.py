"""The sealed, signed PDF: its content, its seal, /verify/, verify_pdf, and the sweep."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements import tasks
from agreements.models import AgreementVersion, ImmutableError, PdfStatus
from agreements.signing.sealing import get_or_create_seal_key, verify_sealed_pdf
from agreements.versions import services as version_services


def signed_bytes(version) -> bytes:
    with version.signed_pdf.open("rb") as handle:
        return handle.read()


def test_the_signed_pdf_carries_signatures_certificate_and_a_valid_seal(sealed, organization):
    data = signed_bytes(sealed)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)

    assert "Certificate of completion" in text
    assert sealed.document_id in text
    assert sealed.pdf_sha256 in text
    assert "Maria Marketing <maria@example.com>" in text
    # The trail in words, not action codes.
    assert "Consent to sign version 1 electronically given" in text
    assert "Version 1 signed by every signatory" in text
    assert "Password login" in text and "password login" not in text
    assert "edited ·" not in text and "funnel_targets_updated" not in text
    seal = verify_sealed_pdf(data, [get_or_create_seal_key(organization).ca_certificate_pem])
    assert seal.status == "intact", seal.message
    assert "Acme Corp" in seal.signer_subject
    assert seal.covers_whole_file


def test_the_signed_pdf_never_changes(sealed):
    sealed.signed_pdf_sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        sealed.save()


def test_the_build_task_is_idempotent(sealed):
    assert tasks.build_signed_pdf.apply(args=[sealed.pk]).get() == "not claimed"
    assert AgreementVersion.objects.get(pk=sealed.pk).signed_pdf_attempts == 1


def test_members_download_the_signed_pdf_and_the_download_is_audited(
    sealed, client_for, sales_lead, outsider
):
    url = reverse("signed_pdf", args=[sealed.agreement_id, sealed.number])

    response = client_for(sales_lead).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == signed_bytes(sealed)
    assert sealed.agreement.audit_entries.last().action == "downloaded"
    assert client_for(outsider).get(url).status_code == 404


def upload(client, data: bytes, name="contract.pdf"):
    return client.post(
        reverse("verify"), {"document": SimpleUploadedFile(name, data, "application/pdf")}
    )


def test_anyone_can_verify_an_intact_signed_version(sealed, client):
    response = upload(client, signed_bytes(sealed))

    content = response.content.decode()
    assert response.context["verdict"].status == "intact"
    assert "This is an intact signed version issued by SLA Portal." in content
    assert sealed.document_id in content
    assert "Maria Marketing" in content and "Sam Sales" in content
    assert sealed.agreement.audit_entries.last().action != "verified"  # anonymous: no trace


def test_one_changed_byte_is_reported_as_altered(sealed, client):
    data = bytearray(signed_bytes(sealed))
    data[len(data) // 3] ^= 0x01

    response = upload(client, bytes(data))

    assert response.context["verdict"].status == "altered"
    assert "altered after it was signed" in response.content.decode()


def test_an_unknown_pdf_and_garbage_get_clear_answers(sealed, client):
    from weasyprint import HTML

    other = HTML(string="<h1>Some other contract</h1>").write_pdf()

    assert upload(client, other).context["verdict"].status == "unknown"
    assert upload(client, b"not a pdf at all").context["verdict"].status == "invalid"
    empty = upload(client, b"")
    assert empty.status_code == 400
    assert "document" in empty.context["form"].errors


def test_verify_pdf_command_exits_0_only_for_an_intact_signed_version(sealed, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed_bytes(sealed))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(signed_bytes(sealed) + b"%% appended\n")
    out = io.StringIO()

    call_command("verify_pdf", str(good), stdout=out)
    assert "INTACT" in out.getvalue()
    with pytest.raises(CommandError) as failed:
        call_command("verify_pdf", str(bad), stdout=io.StringIO())
    assert failed.value.returncode == 1  # the exit status on the command line


def test_the_sweep_finishes_a_render_a_crashed_worker_left_behind(agreement, marketing_lead):
    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    long_ago = timezone.now() - timedelta(hours=1)
    AgreementVersion.objects.filter(pk=version.pk).update(
        pdf_status=PdfStatus.RENDERING, pdf_started_at=long_ago
    )

    assert tasks.sweep_stuck_documents() == 1

    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY


def test_the_sweep_leaves_fresh_work_alone(agreement, marketing_lead):
    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    assert tasks.sweep_stuck_documents() == 0
    assert AgreementVersion.objects.get(pk=version.pk).pdf_status == PdfStatus.QUEUED


def test_audit_entries_and_login_methods_read_as_sentences_in_the_agreements_language():
    from django.utils import translation

    from agreements.models import AuditEntry
    from agreements.versions.audit_text import describe, describe_auth_method

    edited = AuditEntry(action="edited", target="parties")
    signed_entry = AuditEntry(action="signed", target="version 2")
    unknown = AuditEntry(action="something_new", target="x")

    assert describe(edited) == "Section “1. Parties and signatories” edited"
    assert describe(signed_entry) == "Version 2 signed"
    assert describe(unknown) == "something_new · x"
    assert describe_auth_method("password login as a@b.example") == "Password login as a@b.example"
    with translation.override("de"):
        assert describe(signed_entry) == "Version 2 unterzeichnet"
        assert describe_auth_method("password login") == "Passwort-Anmeldung"
