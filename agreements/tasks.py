"""The agreements app's Celery tasks: each lifecycle package's tasks, found here by Celery's
autodiscovery, and the periodic sweep that spans them."""

from celery import shared_task

from .reviews.tasks import send_review_reminders
from .signing.tasks import (
    build_signed_pdf,
    notify_outcome,
    notify_signatories,
    requeue_stuck_signed_pdfs,
)
from .versions.tasks import render_version_pdf, requeue_stuck_renders

__all__ = [
    "build_signed_pdf",
    "notify_outcome",
    "notify_signatories",
    "render_version_pdf",
    "send_review_reminders",
    "sweep_stuck_documents",
]


@shared_task(name="agreements.tasks.sweep_stuck_documents")
def sweep_stuck_documents() -> int:
    """Finish what a crashed worker left behind: requeue PDFs stuck in progress and re-send
    work whose queue message was lost. Runs periodically (beat) or via `manage.py sweep`."""
    return requeue_stuck_renders() + requeue_stuck_signed_pdfs()
