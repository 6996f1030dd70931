"""Background work of signing: inviting each signatory when it is their turn, telling everyone
the outcome, and building the sealed signed PDF once every slot is signed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from webhooks import payloads as webhook_payloads  # webhooks: events for the org's endpoints
from webhooks.events import emit as emit_webhook

from ..audit import log_version_event
from ..lifecycle import claim_pdf, lock_agreement, move_pdf, signers_whose_turn_it_is
from ..models import AgreementVersion, PdfStatus, Signature, VersionState
from ..versions.snapshot import sha256_hex
from ..versions.tasks import MAX_RETRIES, TRANSIENT_ERRORS, explain, requeue_stuck
from .completion import completed_pdf
from .emails import queue_outcome_emails, queue_signature_request
from .sealing import get_or_create_seal_key, seal_pdf

logger = logging.getLogger(__name__)


@shared_task(
    name="agreements.tasks.notify_signatories",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def notify_signatories(version_id: int) -> int:
    """Email each signatory whose turn it is and who has not been asked yet."""
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    if version.state != VersionState.IN_SIGNATURE or version.pdf_status != PdfStatus.READY:
        return 0
    sent = 0
    for slot in signers_whose_turn_it_is(version):
        # The slot's flag, its email in the outbox and the trail entry commit together: a
        # second run skips the slot only once its email is durably queued.
        with transaction.atomic():
            lock_agreement(version.agreement_id)  # before the slot: the order signing uses
            if not Signature.objects.filter(pk=slot.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            ):
                continue
            queue_signature_request(slot)
            log_version_event(version, "invited", signer=slot.signer.email, role=slot.role)
        sent += 1
    return sent


@shared_task(
    name="agreements.tasks.notify_outcome",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def notify_outcome(version_id: int, outcome: str) -> None:
    with transaction.atomic():  # all recipients' emails queued in the outbox, or none
        queue_outcome_emails(
            AgreementVersion.objects.select_related("agreement").get(pk=version_id), outcome
        )


@shared_task(
    name="agreements.tasks.build_signed_pdf", bind=True, max_retries=MAX_RETRIES, acks_late=True
)
def build_signed_pdf(self, version_id: int) -> str:
    """The contract with the signatures, the certificate of completion, and one PAdES seal."""
    if not claim_pdf(version_id, "signed_pdf"):
        return "not claimed"
    version = AgreementVersion.objects.select_related("agreement__organization").get(pk=version_id)
    try:
        signed = _signed_pdf_bytes(version)
        name = f"signed/{version.agreement_id}/{version.document_id}-signed.pdf"
        stored_name = version.signed_pdf.storage.save(name, ContentFile(signed))
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            move_pdf(version_id, "signed_pdf", PdfStatus.QUEUED, only_from={PdfStatus.RENDERING})
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        return _fail_signed(version, exc)
    except Exception as exc:  # layout or sealing errors will not fix themselves
        logger.exception("Building the signed PDF of version %s failed", version_id)
        return _fail_signed(version, exc)
    with transaction.atomic():
        lock_agreement(version.agreement_id)
        move_pdf(
            version_id,
            "signed_pdf",
            PdfStatus.READY,
            signed_pdf=stored_name,
            signed_pdf_sha256=sha256_hex(signed),
            signed_pdf_error="",
        )
        log_version_event(version, "sealed", signed_pdf_sha256=sha256_hex(signed))
        # Announced only now: the signed version is complete and its sealed PDF downloadable.
        emit_webhook(
            version.agreement.organization_id, "version.signed", webhook_payloads.version, version
        )
        transaction.on_commit(lambda: notify_outcome.delay(version_id, "signed"))
    return "ready"


def _signed_pdf_bytes(version) -> bytes:
    completed = completed_pdf(version)
    return seal_pdf(
        completed.pdf,
        get_or_create_seal_key(version.agreement.organization),
        reason=completed.reason,
        location="SLA Portal",
        timestamp_url=settings.SEAL_TIMESTAMP_URL or None,
        attachments=completed.attachments,
    )


def _fail_signed(version, exc) -> str:
    reason = explain(exc)
    with transaction.atomic():
        lock_agreement(version.agreement_id)
        move_pdf(version.pk, "signed_pdf", PdfStatus.FAILED, signed_pdf_error=reason)
        log_version_event(version, "seal_failed", reason=reason)
    return "failed"


def requeue_stuck_signed_pdfs() -> int:
    return requeue_stuck("signed_pdf", build_signed_pdf, queued_since="completed_at")
