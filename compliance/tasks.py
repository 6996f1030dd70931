"""Refreshing compliance figures in the worker: after events arrive, and every hour (clocks keep
running without new events: a lead waiting past its threshold turns from pending to missed)."""

from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import timezone

from agreements.models import Agreement
from slaportal.queueing import enqueue

from . import refresh as refreshing
from .models import Measurement

# One refresh per agreement at a time; a second request while one runs is dropped, and the
# stale flag (set by the ingest) has the next hourly sweep, or the next ingest, pick it up.
LOCK_SECONDS = 30 * 60


@shared_task(name="compliance.tasks.refresh_compliance")
def refresh_compliance(agreement_id: int) -> bool:
    key = f"compliance-refresh:{agreement_id}"
    if not cache.add(key, 1, LOCK_SECONDS):
        # One is running: its end finds this request's leads dirty and leaves the figures
        # marked stale; the hourly sweep picks stale ones up.
        return False
    try:
        agreement = Agreement.objects.filter(pk=agreement_id).first()
        if agreement is not None:
            refreshing.refresh(agreement)
            from .alerts import send_alerts  # after the figures exist

            send_alerts(agreement)
    finally:
        cache.delete(key)
    return True


def delete_abandoned_uploads(now=None) -> int:
    """CSV uploads previewed but never confirmed (the session that knew them expired): their
    files are deleted a day after the upload, when no preview may use them any more."""
    from .upload_views import PENDING_SECONDS, UPLOAD_DIR

    now = now or timezone.now()
    try:
        _folders, names = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = UPLOAD_DIR + name
        if (now - default_storage.get_modified_time(path)).total_seconds() > PENDING_SECONDS:
            default_storage.delete(path)
            deleted += 1
    return deleted


@shared_task(name="compliance.tasks.refresh_due")
def refresh_due() -> int:
    """Hourly (beat): every agreement with events whose figures are stale or an hour old; and
    the uploads nobody confirmed, deleted."""
    delete_abandoned_uploads()
    hour_ago = timezone.now() - timedelta(hours=1)
    due = Measurement.objects.filter(stale=True) | Measurement.objects.filter(
        measured_at__lt=hour_ago
    )
    ids = list(due.values_list("agreement_id", flat=True))
    for agreement_id in ids:
        enqueue(refresh_compliance, agreement_id)
    return len(ids)
