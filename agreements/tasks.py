"""Background work on versions: rendering the contract PDF.

The task takes a version id, claims the row with a conditional UPDATE (so running it twice, or
two workers at once, renders once), renders outside any transaction, and records the outcome.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .contract import render_contract_html, render_pdf, render_signed_html
from .emails import send_outcome_emails, send_signature_request
from .models import Agreement, AgreementVersion, PdfStatus, Signature, VersionState
from .snapshot import document_from_snapshot, sha256_hex

logger = logging.getLogger(__name__)

# Failures worth another try: the disk or object store hiccupped, a font file was busy.
TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError)
MAX_RETRIES = 3


def explain(exc: Exception) -> str:
    """A failure in plain words for the people waiting on the PDF."""
    if isinstance(exc, TRANSIENT_ERRORS):
        return f"The PDF could not be stored or read ({exc.__class__.__name__}: {exc}). Try again."
    return f"The contract could not be laid out as a PDF ({exc.__class__.__name__}: {exc})."


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def render_version_pdf(self, version_id: int) -> str:
    claimed = AgreementVersion.objects.filter(pk=version_id, pdf_status=PdfStatus.QUEUED).update(
        pdf_status=PdfStatus.RENDERING,
        pdf_attempts=F("pdf_attempts") + 1,
        pdf_started_at=timezone.now(),
    )
    if not claimed:
        return "not claimed"  # already rendered, being rendered, or failed for good
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    try:
        pdf, pages = render_pdf(
            render_contract_html(document_from_snapshot(version.snapshot), version),
            identifier=version.snapshot_sha256,
        )
        name = f"contracts/{version.agreement_id}/{version.document_id}.pdf"
        stored_name = version.pdf.storage.save(name, ContentFile(pdf))
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            AgreementVersion.objects.filter(pk=version_id).update(pdf_status=PdfStatus.QUEUED)
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        return _fail(version, exc)
    except Exception as exc:  # layout errors will not fix themselves: fail with the reason
        logger.exception("Rendering version %s failed", version_id)
        return _fail(version, exc)
    with transaction.atomic():
        AgreementVersion.objects.filter(pk=version_id, pdf_status=PdfStatus.RENDERING).update(
            pdf_status=PdfStatus.READY,
            pdf=stored_name,
            pdf_sha256=sha256_hex(pdf),
            page_count=pages,
            pdf_rendered_at=timezone.now(),
            pdf_error="",
        )
        _audit(version, "rendered", pages=pages, pdf_sha256=sha256_hex(pdf))
        transaction.on_commit(lambda: notify_signatories.delay(version_id))
    return "ready"


def _fail(version, exc) -> str:
    reason = explain(exc)
    with transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(
            pdf_status=PdfStatus.FAILED, pdf_error=reason
        )
        _audit(version, "render_failed", reason=reason)
    return "failed"


def _audit(version, action, **detail):
    from .services import audit_log

    agreement = Agreement.objects.select_for_update().get(pk=version.agreement_id)
    audit_log(agreement, None, action, f"version {version.number}", **detail)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def notify_signatories(version_id: int) -> int:
    """Email each signatory whose turn it is and who has not been asked yet."""
    from .services import signers_whose_turn_it_is

    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    if version.state != VersionState.IN_SIGNATURE or version.pdf_status != PdfStatus.READY:
        return 0
    sent = 0
    for slot in signers_whose_turn_it_is(version):
        # Claim the slot's notification so a second run does not email twice.
        if not Signature.objects.filter(pk=slot.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        ):
            continue
        send_signature_request(slot)
        with transaction.atomic():
            _audit(version, "invited", signer=slot.signer.email, role=slot.role)
        sent += 1
    return sent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def notify_outcome(version_id: int, outcome: str) -> None:
    send_outcome_emails(
        AgreementVersion.objects.select_related("agreement").get(pk=version_id), outcome
    )


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def build_signed_pdf(self, version_id: int) -> str:
    """The contract with the signatures, the certificate of completion, and one PAdES seal."""
    claimed = AgreementVersion.objects.filter(
        pk=version_id, signed_pdf_status=PdfStatus.QUEUED
    ).update(
        signed_pdf_status=PdfStatus.RENDERING,
        signed_pdf_attempts=F("signed_pdf_attempts") + 1,
        signed_pdf_started_at=timezone.now(),
    )
    if not claimed:
        return "not claimed"
    version = AgreementVersion.objects.select_related("agreement__organization").get(pk=version_id)
    try:
        signed = _signed_pdf_bytes(version)
        name = f"signed/{version.agreement_id}/{version.document_id}-signed.pdf"
        stored_name = version.signed_pdf.storage.save(name, ContentFile(signed))
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            AgreementVersion.objects.filter(pk=version_id).update(
                signed_pdf_status=PdfStatus.QUEUED
            )
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        return _fail_signed(version, exc)
    except Exception as exc:  # layout or sealing errors will not fix themselves
        logger.exception("Building the signed PDF of version %s failed", version_id)
        return _fail_signed(version, exc)
    with transaction.atomic():
        AgreementVersion.objects.filter(
            pk=version_id, signed_pdf_status=PdfStatus.RENDERING
        ).update(
            signed_pdf_status=PdfStatus.READY,
            signed_pdf=stored_name,
            signed_pdf_sha256=sha256_hex(signed),
            signed_pdf_error="",
        )
        _audit(version, "sealed", signed_pdf_sha256=sha256_hex(signed))
        transaction.on_commit(lambda: notify_outcome.delay(version_id, "signed"))
    return "ready"


def _signed_pdf_bytes(version) -> bytes:
    from .sealing import get_or_create_seal_key, seal_pdf

    signatures = list(version.signatures.select_related("signer").order_by("order"))
    trail = list(version.agreement.audit_entries.order_by("sequence"))
    html = render_signed_html(document_from_snapshot(version.snapshot), version, signatures, trail)
    pdf, _pages = render_pdf(html, identifier=version.snapshot_sha256 + ":signed")
    seal_key = get_or_create_seal_key(version.agreement.organization)
    return seal_pdf(
        pdf,
        seal_key,
        reason=f"Signed {version.document_id}",
        location="SLA Portal",
        timestamp_url=settings.SEAL_TIMESTAMP_URL or None,
    )


def _fail_signed(version, exc) -> str:
    reason = explain(exc)
    with transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(
            signed_pdf_status=PdfStatus.FAILED, signed_pdf_error=reason
        )
        _audit(version, "seal_failed", reason=reason)
    return "failed"


@shared_task
def sweep_stuck_documents() -> int:
    """Finish what a crashed worker left behind: requeue PDFs stuck in progress and re-send
    work whose queue message was lost. Runs periodically (beat) or via `manage.py sweep`."""
    stale = timezone.now() - timedelta(seconds=settings.SWEEP_STUCK_AFTER_SECONDS)
    requeued = 0
    stuck_render = AgreementVersion.objects.filter(
        Q(pdf_status=PdfStatus.RENDERING, pdf_started_at__lt=stale)
        | Q(pdf_status=PdfStatus.QUEUED, created_at__lt=stale)
    )
    for version_id in stuck_render.values_list("pk", flat=True):
        AgreementVersion.objects.filter(pk=version_id).exclude(pdf_status=PdfStatus.READY).update(
            pdf_status=PdfStatus.QUEUED
        )
        render_version_pdf.delay(version_id)
        requeued += 1
    stuck_signed = AgreementVersion.objects.filter(
        Q(signed_pdf_status=PdfStatus.RENDERING, signed_pdf_started_at__lt=stale)
        | Q(signed_pdf_status=PdfStatus.QUEUED, completed_at__lt=stale)
    )
    for version_id in stuck_signed.values_list("pk", flat=True):
        AgreementVersion.objects.filter(pk=version_id).exclude(
            signed_pdf_status=PdfStatus.READY
        ).update(signed_pdf_status=PdfStatus.QUEUED)
        build_signed_pdf.delay(version_id)
        requeued += 1
    return requeued


@shared_task
def send_review_reminders() -> int:
    """Daily (beat): remind both leads of upcoming and overdue quarterly reviews."""
    from .services import send_review_reminders as send

    return send()
