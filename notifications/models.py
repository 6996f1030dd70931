"""One outgoing email: rendered when queued, sent (and retried) by notifications.tasks."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """An email in the outbox.

    `queued` rows are sent once `next_attempt_at` has come; a worker claims one by moving it to
    `sending`, and it becomes `sent` only after the mail server accepted it. A failed attempt
    puts it back to `queued` with a later `next_attempt_at`; after EMAIL_MAX_ATTEMPTS it is
    `failed` until someone sends it again.
    """

    idempotency_key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    html = models.TextField(blank=True)
    # What the email is, for display ("sign_request", "outcome_signed", "invitation", ...).
    kind = models.CharField(max_length=40, blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.ForeignKey(
        "agreements.AgreementVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=EmailStatus, default=EmailStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)  # delivery attempts started
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current attempt began
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.recipient}: {self.subject} ({self.status})"

    @property
    def retrying(self) -> bool:
        """Queued again after a failed attempt (shown as "failed: ..., retrying at ...")."""
        return self.status == EmailStatus.QUEUED and bool(self.last_error)
