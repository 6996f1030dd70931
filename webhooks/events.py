"""Telling an organisation's endpoints that something happened. Call `emit` inside the
transaction of the change: the delivery rows commit (or roll back) with it, and sending starts
after the commit.

Every endpoint of the event gets the same body: {"id", "event", "created_at", "organization",
"data"}, where "id" names the event (the same for every endpoint) and X-SLAPortal-Delivery
names the delivery (one per endpoint; the receiver's idempotency key).
"""

import json
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from slaportal.queueing import enqueue_on_commit

from .models import Event, WebhookDelivery, WebhookEndpoint
from .payloads import iso
from .tasks import deliver

logger = logging.getLogger(__name__)


def emit(organization, event: str, data, *args) -> list[WebhookDelivery]:
    """Queue `event` for every active endpoint of `organization` (an Organization or its pk)
    that subscribed to it. `data` is the event's data, or a function that builds it from
    `*args`: it is called only when some endpoint wants the event, so an organisation without
    webhooks pays one query. Returns the delivery rows created."""
    if event not in Event.values:
        raise ValueError(f"unknown webhook event {event!r}")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organization=organization, active=True
        ).select_related("organization")
        if endpoint.subscribes_to(event)
    ]
    if not endpoints:
        return []
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's work intact
            return _queue(endpoints, event, data(*args) if callable(data) else data)
    except Exception:
        # A webhook must never undo the signature, review or PDF it reports on.
        logger.exception("Webhook event %s could not be queued", event)
        return []


def ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event for one endpoint, whatever it subscribed to."""
    data = {
        "endpoint": {"id": endpoint.pk, "url": endpoint.url, "description": endpoint.description},
        "message": "This is a test event from SLA Portal.",  # machine data: not translated
    }
    return _queue([endpoint], Event.PING, data)[0]


def envelope(event_id: uuid.UUID, event: str, created_at, organization_slug: str, data) -> str:
    """The body, as the exact text every attempt sends (and signs)."""
    return json.dumps(
        {
            "id": str(event_id),
            "event": event,
            "created_at": iso(created_at),
            "organization": organization_slug,
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _queue(endpoints, event: str, data) -> list[WebhookDelivery]:
    event_id, now = uuid.uuid4(), timezone.now()
    body = envelope(event_id, event, now, endpoints[0].organization.slug, data)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            body=body,
            created_at=now,
            window_started_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        # With the broker down the row waits for the sweep (every minute); nothing is lost.
        enqueue_on_commit(deliver, delivery.pk)
    return deliveries
