"""Signing a version: slots, evidence, order, declining, permissions, concurrency, audit chain."""

import base64
import io
import threading

import pgtrigger
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from PIL import Image, ImageDraw

from agreements import lifecycle
from agreements.audit import check_all_chains
from agreements.models import (
    Agreement,
    AgreementStatus,
    AuditEntry,
    PdfStatus,
    Signature,
    SignatureStatus,
    SigningOrder,
    VersionState,
)
from agreements.signing import services as signing_services
from agreements.versions import services as version_services
from organizations.models import Role
from slaportal.errors import DomainError
from tests import factories


def signature_png() -> bytes:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (120, 20), (290, 70)], fill=(16, 36, 62, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def evidence_for(version, **changes):
    values = dict(
        pdf_sha256=version.pdf_sha256,
        consent_text="I agree to sign electronically.",
        intent_text=f"I sign version {version.number}.",
        method="drawn",
        image_png=signature_png(),
        typed_name="",
        ip_address="203.0.113.7",
        user_agent="pytest",
        auth_method="password login",
    )
    values.update(changes)
    return signing_services.Evidence(**values)


def sign(version, user):
    return signing_services.signature_sign(
        version=version, signer=user, evidence=evidence_for(version)
    )


def test_submitting_creates_a_slot_per_signatory_leads_first(
    agreement, organization, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    sponsor = factories.UserFactory(full_name="Erin Executive")
    factories.MembershipFactory(organization=organization, user=sponsor, role=Role.VIEWER)
    agreement.signatory_rows.create(user=sponsor, capacity="Executive sponsor", position=0)

    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    slots = list(version.signatures.order_by("order"))
    assert [(s.signer, s.role, s.order) for s in slots] == [
        (marketing_lead, "marketing_lead", 1),
        (sales_lead, "sales_lead", 2),
        (sponsor, "further", 3),
    ]
    assert slots[2].capacity == "Executive sponsor"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [marketing_lead.email, sales_lead.email, sponsor.email]
    )
    assert "Please sign" in mail.outbox[0].subject
    assert reverse("version_sign", args=[agreement.pk, 1]) in mail.outbox[0].body


def test_a_signature_records_its_evidence(submitted, marketing_lead):
    slot = sign(submitted, marketing_lead)

    assert slot.status == SignatureStatus.SIGNED
    assert slot.pdf_sha256 == submitted.pdf_sha256
    assert slot.ip_address == "203.0.113.7"
    assert slot.consent_version and len(slot.consent_sha256) == 64
    assert len(slot.image_sha256) == 64 and bytes(slot.image_png).startswith(b"\x89PNG")
    actions = list(submitted.agreement.audit_entries.values_list("action", flat=True))
    assert actions[-2:] == ["consented", "signed"]
    submitted.refresh_from_db()
    assert submitted.state == VersionState.IN_SIGNATURE


def test_the_last_signature_completes_the_agreement(
    submitted, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    sign(submitted, marketing_lead)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign(submitted, sales_lead)

    submitted.refresh_from_db()
    assert submitted.state == VersionState.SIGNED
    assert submitted.signed_pdf_status == PdfStatus.QUEUED
    assert Agreement.objects.get(pk=submitted.agreement_id).status == AgreementStatus.SIGNED
    assert len(callbacks) == 1  # the signed-PDF task, enqueued on commit
    assert submitted.agreement.audit_entries.last().action == "completed"


def test_nobody_signs_twice(submitted, marketing_lead):
    sign(submitted, marketing_lead)

    with pytest.raises(DomainError, match="already signed"):
        sign(submitted, marketing_lead)


def test_only_named_signatories_can_sign(submitted, organization):
    editor = factories.UserFactory()
    factories.MembershipFactory(organization=organization, user=editor, role=Role.EDITOR)

    with pytest.raises(DomainError, match="not a signatory"):
        sign(submitted, editor)


def test_the_pdf_signed_must_be_the_one_shown(submitted, marketing_lead):
    with pytest.raises(DomainError, match="not this version's PDF"):
        signing_services.signature_sign(
            version=submitted,
            signer=marketing_lead,
            evidence=evidence_for(submitted, pdf_sha256="0" * 64),
        )
    assert Signature.objects.get(version=submitted, signer=marketing_lead).status == "pending"


def test_an_unrendered_version_cannot_be_signed(agreement, marketing_lead):
    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    with pytest.raises(DomainError, match="not ready yet"):
        sign(version, marketing_lead)


def test_in_sequential_order_sales_waits_for_marketing(
    agreement, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    Agreement.objects.filter(pk=agreement.pk).update(signing_order=SigningOrder.SEQUENTIAL)
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    assert [m.to for m in mail.outbox] == [[marketing_lead.email]]

    with pytest.raises(DomainError, match="signs first"):
        sign(version, sales_lead)
    with django_capture_on_commit_callbacks(execute=True):
        sign(version, marketing_lead)
    assert [m.to for m in mail.outbox][-1] == [sales_lead.email]
    sign(version, sales_lead)


def test_declining_needs_a_reason_and_returns_the_agreement_to_draft(
    submitted, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError, match="Say why"):
        signing_services.signature_decline(version=submitted, signer=sales_lead, reason="  ")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signing_services.signature_decline(
            version=submitted, signer=sales_lead, reason="Response time of 4 hours is unrealistic"
        )

    submitted.refresh_from_db()
    assert submitted.state == VersionState.DECLINED
    assert Agreement.objects.get(pk=submitted.agreement_id).status == AgreementStatus.DRAFT
    assert [m.to for m in mail.outbox] == [[marketing_lead.email]]
    assert "Response time of 4 hours is unrealistic" in mail.outbox[0].body
    with pytest.raises(DomainError, match="can no longer be signed"):
        sign(submitted, marketing_lead)


def test_signing_a_new_version_supersedes_the_signed_one(
    submitted, agreement, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    sign(submitted, marketing_lead)
    sign(submitted, sales_lead)
    agreement.refresh_from_db()
    lifecycle.move_agreement(agreement, AgreementStatus.DRAFT)  # a revision
    agreement.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    second.refresh_from_db()

    sign(second, marketing_lead)
    sign(second, sales_lead)

    submitted.refresh_from_db()
    second.refresh_from_db()
    assert (submitted.state, second.state) == (VersionState.SUPERSEDED, VersionState.SIGNED)


def test_the_sign_page_is_for_the_signatory_only(
    submitted, client_for, marketing_lead, outsider, organization
):
    viewer = factories.UserFactory()
    factories.MembershipFactory(organization=organization, user=viewer, role=Role.VIEWER)
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])

    assert client_for(marketing_lead).get(url).status_code == 200
    assert client_for(viewer).get(url).status_code == 404
    assert client_for(viewer).post(url, {"consent": "on"}).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_signing_from_the_page_explains_each_missing_piece(submitted, client_for, marketing_lead):
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])

    response = client_for(marketing_lead).post(
        url, {"method": "drawn", "signature_png": "", "pdf_sha256": submitted.pdf_sha256}
    )

    assert response.status_code == 400
    form = response.context["sign_form"]
    assert form.errors["consent"] == ["Tick the box to agree to sign electronically."]
    assert form.errors["signature_png"] == ["Draw or type your signature first."]


def test_signing_from_the_page_records_the_request_details(submitted, client_for, marketing_lead):
    client = client_for(marketing_lead)
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])
    client.get(url)

    response = client.post(
        url,
        {
            "consent": "on",
            "method": "typed",
            "typed_name": "Maria Marketing",
            "signature_png": data_url(signature_png()),
            "pdf_sha256": submitted.pdf_sha256,
        },
        HTTP_USER_AGENT="Mozilla/5.0 test",
        REMOTE_ADDR="198.51.100.4",
    )

    assert response.status_code == 302
    slot = Signature.objects.get(version=submitted, signer=marketing_lead)
    assert (slot.method, slot.typed_name) == ("typed", "Maria Marketing")
    assert (slot.ip_address, slot.user_agent) == ("198.51.100.4", "Mozilla/5.0 test")
    assert "maria@example.com" in slot.auth_method
    assert "sign it as Marketing lead" in slot.intent_text
    actions = list(submitted.agreement.audit_entries.values_list("action", flat=True))
    assert actions[-3:] == ["viewed", "consented", "signed"]


def test_a_blank_drawing_is_refused(submitted, client_for, marketing_lead):
    blank = Image.new("RGBA", (200, 80), (0, 0, 0, 0))
    buffer = io.BytesIO()
    blank.save(buffer, "PNG")

    response = client_for(marketing_lead).post(
        reverse("version_sign", args=[submitted.agreement_id, 1]),
        {
            "consent": "on",
            "method": "drawn",
            "signature_png": data_url(buffer.getvalue()),
            "pdf_sha256": submitted.pdf_sha256,
        },
    )

    assert "The signature is empty" in response.context["sign_form"].errors["signature_png"][0]


def test_the_dashboard_lists_what_awaits_my_signature(submitted, client_for, sales_lead):
    content = (
        client_for(sales_lead)
        .get(reverse("dashboard", args=[submitted.agreement.organization.slug]))
        .content.decode()
    )

    assert 'data-testid="awaiting-signature"' in content
    assert reverse("version_sign", args=[submitted.agreement_id, 1]) in content


def test_an_edited_audit_entry_breaks_the_chain(submitted):
    assert check_all_chains() == []
    entry = submitted.agreement.audit_entries.order_by("sequence")[1]
    with pgtrigger.ignore("agreements.AuditEntry:append_only"):  # PostgreSQL refuses it
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")

    breaks = check_all_chains()

    assert [(b.sequence, b.problem) for b in breaks] == [
        (entry.sequence, "its content was changed after it was written")
    ]
    with pytest.raises(Exception, match="break"):
        call_command("check_audit_chain")


def test_a_deleted_audit_entry_breaks_the_chain(submitted):
    entry = submitted.agreement.audit_entries.order_by("sequence")[1]
    with pgtrigger.ignore("agreements.AuditEntry:append_only"):  # PostgreSQL refuses it
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)

    problems = {b.problem for b in check_all_chains()}

    assert "does not chain to the entry before it" in problems


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signatories_signing_at_the_same_moment_are_both_recorded(
    agreement, marketing_lead, sales_lead
):
    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    from agreements.tasks import render_version_pdf

    render_version_pdf.apply(args=[version.pk])
    version.refresh_from_db()
    barrier = threading.Barrier(2)
    errors = []

    def sign_in_thread(user):
        try:
            barrier.wait(timeout=10)
            sign(version, user)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign_in_thread, args=(u,)) for u in (marketing_lead, sales_lead)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    version.refresh_from_db()
    assert set(version.signatures.values_list("status", flat=True)) == {"signed"}
    assert version.state == VersionState.SIGNED
    assert agreement.audit_entries.filter(action="completed").count() == 1
    assert check_all_chains([agreement.pk]) == []
