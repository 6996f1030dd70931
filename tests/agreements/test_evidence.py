"""The signed PDF carries the exact contract its signers saw, and /verify/ says what matters:
intact, the unsigned original, superseded; anonymous checks leave no trace and are limited."""

from datetime import UTC
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Signature
from agreements.reviews import services as review_services
from agreements.signing import services as signing_services
from agreements.signing.completion import certificate_html
from agreements.signing.consent import consent_sha256, consent_text
from agreements.signing.sealing import embedded_source
from agreements.signing.verification import verify_document
from agreements.versions import services as version_services
from agreements.versions.snapshot import sha256_hex
from tests.agreements.test_signed_pdf import signed_bytes
from tests.agreements.test_signing import evidence_for


def upload(client, data: bytes):
    return client.post(
        reverse("verify"), {"document": SimpleUploadedFile("x.pdf", data, "application/pdf")}
    )


def contract_bytes(version) -> bytes:
    with version.pdf.open("rb") as handle:
        return handle.read()


def test_the_signed_pdf_carries_the_contract_the_signers_saw_byte_for_byte(sealed):
    original = embedded_source(signed_bytes(sealed))

    assert original == contract_bytes(sealed)
    assert {s.pdf_sha256 for s in sealed.signatures.all()} == {sha256_hex(original)}
    assert b"/AFRelationship /Source" in signed_bytes(sealed)


def test_verify_reports_the_embedded_original_against_the_recorded_hashes(sealed, client):
    response = upload(client, signed_bytes(sealed))

    verdict = response.context["verdict"]
    assert verdict.status == "intact"
    assert verdict.original_matches is True
    assert verdict.original_sha256 == sealed.pdf_sha256
    assert "It carries the contract its signers saw, unchanged" in response.content.decode()


def test_the_unsigned_original_is_recognised_as_what_the_signers_saw(sealed, client):
    response = upload(client, contract_bytes(sealed))

    verdict = response.context["verdict"]
    assert verdict.status == "original"
    assert verdict.version == sealed
    assert "the document its signers saw" in response.content.decode()


def test_anonymous_checks_write_no_audit_rows_and_signed_in_ones_do(
    sealed,
    client,
    marketing_lead,
):
    entries = sealed.agreement.audit_entries.count()

    upload(client, signed_bytes(sealed))
    assert sealed.agreement.audit_entries.count() == entries

    verify_document(signed_bytes(sealed), actor=marketing_lead)
    assert sealed.agreement.audit_entries.count() == entries + 1
    assert sealed.agreement.audit_entries.last().action == "verified"


def test_checks_from_one_address_are_limited(sealed, client, settings):
    settings.VERIFY_RATE_LIMIT = 2
    data = signed_bytes(sealed)

    assert upload(client, data).status_code == 200
    assert upload(client, data).status_code == 200
    refused = upload(client, data)

    assert refused.status_code == 429
    assert refused.context["verdict"] is None
    assert "Too many documents checked" in refused.content.decode()


def test_a_version_replaced_by_a_later_signed_one_says_so(
    sealed,
    marketing_lead,
    sales_lead,
    client,
    django_capture_on_commit_callbacks,
):
    agreement = review_services.agreement_revise(agreement=sealed.agreement, actor=marketing_lead)
    with django_capture_on_commit_callbacks(execute=True):
        second = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for lead in (marketing_lead, sales_lead):
            signing_services.signature_sign(
                version=second, signer=lead, evidence=evidence_for(second)
            )

    response = upload(client, signed_bytes(sealed))

    verdict = response.context["verdict"]
    assert verdict.status == "intact"
    assert verdict.superseded_by == second
    assert "Version 1 is no longer in force: version 2" in response.content.decode()


def test_reloading_the_signing_page_notes_one_view_per_day(submitted, marketing_lead, client_for):
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])
    client = client_for(marketing_lead)

    for _ in range(3):
        assert client.get(url).status_code == 200

    views = submitted.agreement.audit_entries.filter(action="viewed", actor=marketing_lead)
    assert views.count() == 1


def test_the_certificate_quotes_the_consent_in_utc_with_an_absolute_verify_link(
    sealed,
    settings,
):
    settings.SITE_URL = "https://sla.example.com"
    # The first signer accepted today's disclosure; the fixture's second one a test text.
    first = sealed.signatures.order_by("order").first()
    Signature.objects.filter(pk=first.pk).update(consent_sha256=consent_sha256(consent_text()))
    with timezone.override(ZoneInfo("Asia/Shanghai")):  # evidence times stay UTC anyway
        html = certificate_html(sealed)

    assert html.count(consent_text()) == 1  # printed where its hash matches, only there
    completed = sealed.completed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert f"{completed} UTC" in html
    assert "https://sla.example.com/verify/" in html
    assert "Embedded unchanged in this file as" in html
