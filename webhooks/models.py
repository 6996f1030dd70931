"""An organisation's webhook endpoints, and one delivery row per event and endpoint (an outbox)."""

import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from . import secret_box


class Event(models.TextChoices):
    VERSION_PDF_READY = "version.pdf_ready", _("Contract PDF ready")
    SIGNATURE_SIGNED = "signature.signed", _("A signatory signed")
    SIGNATURE_DECLINED = "signature.declined", _("A signatory declined")
    VERSION_SIGNED = "version.signed", _("Version signed, sealed PDF ready")
    REVIEW_DUE = "review.due", _("Review due (reminder)")
    REVIEW_RECORDED = "review.recorded", _("Review recorded")
    PING = "ping", _("Test event (ping)")


# What an endpoint can subscribe to: every event but the test ping, which is sent on request.
SUBSCRIBABLE_EVENTS = [choice for choice in Event.choices if choice[0] != Event.PING]


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """Where an organisation wants to be told about `events`, signed with its own secret."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)  # Event values
    # Encrypted (secret_box): it must stay readable to sign, so it cannot be hashed.
    secret_encrypted = models.TextField(editable=False)
    secret_hint = models.CharField(max_length=8, editable=False)  # its last characters, shown
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhook_endpoint_url_http",
            ),
            models.CheckConstraint(
                condition=~Q(secret_encrypted=""), name="webhook_endpoint_has_secret"
            ),
        ]

    def __str__(self):
        return self.url

    def subscribes_to(self, event: str) -> bool:
        return event in self.events

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = secret_box.seal(secret)
        self.secret_hint = secret[-4:]

    def signing_secret(self) -> str:
        return secret_box.unseal(self.secret_encrypted)

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels.get(event, event)) for event in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint.

    `pending` rows are sent once `next_attempt_at` has come; a worker claims one by moving it to
    `sending`; a 2xx answer makes it `delivered`. Any other outcome puts it back to `pending`
    with a later `next_attempt_at`, until WEBHOOK_RETRY_FOR_SECONDS after `window_started_at`
    (its creation, or the last Resend); then it is `failed`. The body is stored, so every
    attempt sends the same bytes.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Sent as X-SLAPortal-Delivery: the receiver's idempotency key, the same on every attempt.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_id = models.UUIDField()  # the payload's "id": one event, the same for every endpoint
    event = models.CharField(max_length=40, choices=Event)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # attempts started in this window
    next_attempt_at = models.DateTimeField(default=timezone.now)
    window_started_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current attempt began
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="webhook_delivery_event_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.DELIVERED) | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING) | Q(claimed_at__isnull=False),
                name="webhook_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=Q(last_status_code__isnull=True)
                | Q(last_status_code__gte=100, last_status_code__lte=599),
                name="webhook_delivery_status_code_http",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_endpoint"
            ),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint_id} ({self.status})"

    def retry_deadline(self) -> datetime:
        return self.window_started_at + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)

    @property
    def can_resend(self) -> bool:
        """Finished either way: queued or in-flight deliveries are already on their way."""
        return self.status in (DeliveryStatus.FAILED, DeliveryStatus.DELIVERED)

    @property
    def retrying(self) -> bool:
        return self.status == DeliveryStatus.PENDING and self.attempts > 0
