"""Sending one delivery row: claim it, POST it signed, record what happened.

A row is claimed by a conditional UPDATE (pending and due -> sending), so two workers, or a
task message delivered twice, never send it at the same time; it is marked delivered only after
a 2xx answer. A worker that dies mid-send leaves it `sending`; the sweep puts it back after
WEBHOOK_SENDING_TIMEOUT_SECONDS, which is the one way a receiver can see a delivery twice (with
the same X-SLAPortal-Delivery, so it can tell).
"""

import http.client
import logging
import random
import ssl
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import transport
from .addresses import RefusedDestination
from .models import DeliveryStatus, WebhookDelivery
from .secret_box import SecretUnreadable
from .signing import signature

logger = logging.getLogger(__name__)

BACKOFF_CAP_SECONDS = 3600
USER_AGENT = "SLAPortal-Webhooks/1"
INTERRUPTED = "The attempt was interrupted (the worker stopped while sending)."
INACTIVE = "The endpoint is inactive; nothing was sent."


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: base, 2 x base, 4 x base... at most an hour,
    less up to a fifth at random, so receivers that failed together are not retried together."""
    exponent = min(max(attempts - 1, 0), 20)  # 2**20 x base is far past the cap already
    wait = min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2**exponent, BACKOFF_CAP_SECONDS)
    return timedelta(seconds=wait * random.uniform(0.8, 1.0))


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-SLAPortal-Event": delivery.event,
        "X-SLAPortal-Delivery": str(delivery.delivery_id),
        "X-SLAPortal-Timestamp": str(timestamp),
        "X-SLAPortal-Signature": signature(secret, timestamp, body),
    }


def deliver_one(delivery_id: int) -> str:
    """Send one due, pending delivery. Returns "delivered", "retrying", "failed" or
    "not claimed"."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(
        status=DeliveryStatus.SENDING,
        claimed_at=now,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not claimed"  # delivered, being sent, given up, not due yet, or deleted
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        return _finish(delivery, DeliveryStatus.FAILED, error=INACTIVE)
    try:
        secret = endpoint.signing_secret()
    except SecretUnreadable as exc:
        return _finish(delivery, DeliveryStatus.FAILED, error=str(exc))
    body = delivery.body.encode("utf-8")
    headers = headers_for(delivery, secret, body, int(time.time()))
    try:
        answer = transport.post(
            endpoint.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except RefusedDestination as exc:  # checked before any request: nothing was sent
        return _finish(delivery, DeliveryStatus.FAILED, error=str(exc))
    except Exception as exc:  # timeouts, DNS and connection errors: all retried
        return _failed_attempt(delivery, error=describe(exc))
    if 200 <= answer.status < 300:
        return _finish(
            delivery,
            DeliveryStatus.DELIVERED,
            status_code=answer.status,
            excerpt=answer.excerpt,
            delivered_at=timezone.now(),
        )
    error = f"HTTP {answer.status}"
    if answer.location:
        error += f": redirect to {answer.location} not followed"
    return _failed_attempt(delivery, error=error, status_code=answer.status, excerpt=answer.excerpt)


def describe(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):
        return str(exc) if isinstance(exc, transport.DeliveryTimeout) else "Timed out."
    if isinstance(exc, ssl.SSLError):
        return f"TLS: {exc.reason or exc}"
    if isinstance(exc, http.client.HTTPException):
        return f"Not an HTTP answer ({type(exc).__name__}: {exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _failed_attempt(delivery, *, error, status_code=None, excerpt="") -> str:
    next_attempt = timezone.now() + backoff(delivery.attempts)
    if next_attempt > delivery.retry_deadline():
        result = _finish(
            delivery, DeliveryStatus.FAILED, error=error, status_code=status_code, excerpt=excerpt
        )
    else:
        result = _finish(
            delivery,
            DeliveryStatus.PENDING,
            error=error,
            status_code=status_code,
            excerpt=excerpt,
            next_attempt_at=next_attempt,
        )
    logger.warning(
        "Webhook delivery %s (%s) to %s failed, attempt %s%s: %s",
        delivery.delivery_id,
        delivery.event,
        delivery.endpoint.url,
        delivery.attempts,
        ", giving up" if result == "failed" else "",
        error,
    )
    return result


RESULTS = {
    DeliveryStatus.DELIVERED: "delivered",
    DeliveryStatus.PENDING: "retrying",
    DeliveryStatus.FAILED: "failed",
}


def _finish(delivery, status, *, error="", status_code=None, excerpt="", **fields) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status,
        claimed_at=None,
        last_error=error[:500],
        last_status_code=status_code,
        response_excerpt=excerpt[:500],
        **fields,
    )
    return RESULTS[status]


def release_stuck() -> int:
    """Rows a dead worker left in "sending" go back to pending (or fail, past their window)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.WEBHOOK_SENDING_TIMEOUT_SECONDS)
    window_over = now - timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
    stuck = WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    failed = stuck.filter(window_started_at__lt=window_over).update(
        status=DeliveryStatus.FAILED, last_error=INTERRUPTED, claimed_at=None
    )
    requeued = stuck.update(
        status=DeliveryStatus.PENDING, last_error=INTERRUPTED, claimed_at=None, next_attempt_at=now
    )
    return failed + requeued


def due_ids(limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
