"""Rendering a version's contract PDF in the background.

The task takes a version id, claims the PDF with a conditional UPDATE (so running it twice, or
two workers at once, renders once), renders outside any transaction, and records the outcome.
"""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from slaportal.queueing import enqueue
from webhooks import payloads as webhook_payloads  # webhooks: events for the org's endpoints
from webhooks.events import emit as emit_webhook

from ..audit import log_version_event
from ..lifecycle import claim_pdf, lock_agreement, move_pdf
from ..models import AgreementVersion, PdfStatus
from .contract import render_contract_html, render_pdf
from .signals import contract_pdf_ready
from .snapshot import document_from_snapshot, sha256_hex

logger = logging.getLogger(__name__)

# Failures worth another try: the disk or object store hiccupped, a font file was busy.
TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError)
# Out of time (Celery's soft limit) or memory: the same document would fail again.
TOO_LARGE_ERRORS = (SoftTimeLimitExceeded, MemoryError)
MAX_RETRIES = 3


def explain(exc: Exception) -> str:
    """A failure in plain words for the people waiting on the PDF."""
    if isinstance(exc, TOO_LARGE_ERRORS):
        return (
            "The contract is too large to lay out as a PDF within the time and memory a render "
            f"may use ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s). Trying again would fail the "
            "same way: shorten its lists in a new draft."
        )
    if isinstance(exc, TRANSIENT_ERRORS):
        return f"The PDF could not be stored or read ({exc.__class__.__name__}: {exc}). Try again."
    return f"The contract could not be laid out as a PDF ({exc.__class__.__name__}: {exc})."


# Task names stay those of the modules they were first written in: queued messages and beat
# schedules stored in the database refer to them.
@shared_task(
    name="agreements.tasks.render_version_pdf", bind=True, max_retries=MAX_RETRIES, acks_late=True
)
def render_version_pdf(self, version_id: int) -> str:
    if not claim_pdf(version_id, "pdf"):
        return "not claimed"  # already rendered, being rendered, or failed for good
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    try:
        pdf, pages, boxes = render_pdf(
            render_contract_html(document_from_snapshot(version.snapshot), version),
            identifier=version.snapshot_sha256,
        )
        name = f"contracts/{version.agreement_id}/{version.document_id}.pdf"
        stored_name = version.pdf.storage.save(name, ContentFile(pdf))
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            move_pdf(version_id, "pdf", PdfStatus.QUEUED, only_from={PdfStatus.RENDERING})
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        return _fail(version, exc)
    except TOO_LARGE_ERRORS as exc:
        logger.warning("Version %s is too large to render: %r", version_id, exc)
        return _fail(version, exc, too_large=True)
    except Exception as exc:  # layout errors will not fix themselves: fail with the reason
        logger.exception("Rendering version %s failed", version_id)
        return _fail(version, exc)
    with transaction.atomic():
        lock_agreement(version.agreement_id)
        move_pdf(
            version_id,
            "pdf",
            PdfStatus.READY,
            pdf=stored_name,
            pdf_sha256=sha256_hex(pdf),
            page_count=pages,
            signature_boxes=boxes,
            pdf_rendered_at=timezone.now(),
            pdf_error="",
        )
        log_version_event(version, "rendered", pages=pages, pdf_sha256=sha256_hex(pdf))
        emit_webhook(
            version.agreement.organization_id,
            "version.pdf_ready",
            webhook_payloads.version,
            version,
        )
        transaction.on_commit(
            lambda: contract_pdf_ready.send(sender=AgreementVersion, version_id=version_id)
        )
    return "ready"


def _fail(version, exc, *, too_large=False) -> str:
    reason = explain(exc)
    with transaction.atomic():
        lock_agreement(version.agreement_id)
        move_pdf(version.pk, "pdf", PdfStatus.FAILED, pdf_error=reason, pdf_too_large=too_large)
        log_version_event(version, "render_failed", reason=reason)
    return "failed"


SWEPT = frozenset({PdfStatus.RENDERING, PdfStatus.QUEUED})  # what the sweep may requeue


def requeue_stuck(kind: str, task, *, queued_since: str) -> int:
    """PDFs of `kind` ("pdf" or "signed_pdf") whose worker died (claimed longer ago than the
    task's hard time limit) or whose queue message was lost (queued for longer than
    SWEEP_STUCK_AFTER_SECONDS; `queued_since` names when they were queued): re-sent to `task`,
    or failed for good once PDF_MAX_ATTEMPTS attempts have been used. Returns how many."""
    now = timezone.now()
    claim_expired = now - timedelta(seconds=settings.PDF_CLAIM_EXPIRES_AFTER_SECONDS)
    message_lost = now - timedelta(seconds=settings.SWEEP_STUCK_AFTER_SECONDS)
    stuck = AgreementVersion.objects.filter(
        Q(**{f"{kind}_status": PdfStatus.RENDERING, f"{kind}_started_at__lt": claim_expired})
        | Q(**{f"{kind}_status": PdfStatus.QUEUED, f"{queued_since}__lt": message_lost})
    )
    handled = 0
    for version in stuck.only("pk", "number", "agreement_id", f"{kind}_attempts"):
        if getattr(version, f"{kind}_attempts") >= settings.PDF_MAX_ATTEMPTS:
            _give_up(version, kind)
        elif move_pdf(version.pk, kind, PdfStatus.QUEUED, only_from=SWEPT):
            enqueue(task, version.pk)
        handled += 1
    return handled


def _give_up(version, kind: str) -> None:
    """No automatic attempt after the last: the same document would stop the worker again."""
    reason = (
        f"Gave up after {settings.PDF_MAX_ATTEMPTS} attempts: the worker stopped before "
        "finishing each time (killed, out of memory or over the time limit)."
    )
    with transaction.atomic():
        lock_agreement(version.agreement_id)
        if move_pdf(
            version.pk, kind, PdfStatus.FAILED, only_from=SWEPT, **{f"{kind}_error": reason}
        ):
            log_version_event(
                version, f"{'render' if kind == 'pdf' else 'seal'}_failed", reason=reason
            )


def requeue_stuck_renders() -> int:
    return requeue_stuck("pdf", render_version_pdf, queued_since="created_at")
