"""Rendering a version's contract PDF in the background.

The task takes a version id, claims the PDF with a conditional UPDATE (so running it twice, or
two workers at once, renders once), renders outside any transaction, and records the outcome.
"""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..audit import log_version_event
from ..lifecycle import move_pdf
from ..models import AgreementVersion, PdfStatus
from .contract import render_contract_html, render_pdf
from .signals import contract_pdf_ready
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


# Task names stay those of the modules they were first written in: queued messages and beat
# schedules stored in the database refer to them.
@shared_task(
    name="agreements.tasks.render_version_pdf", bind=True, max_retries=MAX_RETRIES, acks_late=True
)
def render_version_pdf(self, version_id: int) -> str:
    claimed = move_pdf(
        version_id,
        "pdf",
        PdfStatus.RENDERING,
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
            move_pdf(version_id, "pdf", PdfStatus.QUEUED, only_from={PdfStatus.RENDERING})
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        return _fail(version, exc)
    except Exception as exc:  # layout errors will not fix themselves: fail with the reason
        logger.exception("Rendering version %s failed", version_id)
        return _fail(version, exc)
    with transaction.atomic():
        move_pdf(
            version_id,
            "pdf",
            PdfStatus.READY,
            pdf=stored_name,
            pdf_sha256=sha256_hex(pdf),
            page_count=pages,
            pdf_rendered_at=timezone.now(),
            pdf_error="",
        )
        log_version_event(version, "rendered", pages=pages, pdf_sha256=sha256_hex(pdf))
        transaction.on_commit(
            lambda: contract_pdf_ready.send(sender=AgreementVersion, version_id=version_id)
        )
    return "ready"


def _fail(version, exc) -> str:
    reason = explain(exc)
    with transaction.atomic():
        move_pdf(version.pk, "pdf", PdfStatus.FAILED, pdf_error=reason)
        log_version_event(version, "render_failed", reason=reason)
    return "failed"


SWEPT = frozenset({PdfStatus.RENDERING, PdfStatus.QUEUED})  # what the sweep may requeue


def requeue_stuck(kind: str, task, stale, *, queued_since: str) -> int:
    """PDFs of `kind` ("pdf" or "signed_pdf") a crashed worker left in progress since before
    `stale`, or queued since before it (`queued_since` names when they were queued) and whose
    queue message was lost: queued again and re-sent to `task`. Returns how many."""
    stuck = AgreementVersion.objects.filter(
        Q(**{f"{kind}_status": PdfStatus.RENDERING, f"{kind}_started_at__lt": stale})
        | Q(**{f"{kind}_status": PdfStatus.QUEUED, f"{queued_since}__lt": stale})
    )
    requeued = 0
    for version_id in stuck.values_list("pk", flat=True):
        move_pdf(
            version_id, kind, PdfStatus.QUEUED, only_from={PdfStatus.RENDERING, PdfStatus.QUEUED}
        )
        task.delay(version_id)
        requeued += 1
    return requeued


def requeue_stuck_renders(stale) -> int:
    return requeue_stuck("pdf", render_version_pdf, stale, queued_since="created_at")
