"""Putting emails in the outbox. Call `enqueue_email` inside the transaction of the change the
email is about: the row commits (or rolls back) with it, and delivery starts after the commit.
"""

from django.db import transaction
from django.utils import timezone

from slaportal.queueing import enqueue_on_commit

from .models import EmailStatus, OutgoingEmail
from .tasks import deliver


def enqueue_email(
    *,
    key: str,
    recipient: str,
    subject: str,
    body: str,
    html: str = "",
    kind: str = "",
    agreement=None,
    version=None,
) -> tuple[OutgoingEmail, bool]:
    """Queue one email, already rendered. `key` names the message: queuing the same key again
    changes nothing and returns the row queued first, with created=False."""
    with transaction.atomic():  # a savepoint, so a duplicate key leaves the caller's work alone
        email, created = OutgoingEmail.objects.get_or_create(
            idempotency_key=key[:200],
            defaults={
                "recipient": recipient,
                "subject": " ".join(subject.split())[:998],
                "body": body,
                "html": html,
                "kind": kind,
                "agreement": agreement,
                "version": version,
            },
        )
    if created:
        _deliver_after_commit(email.pk)
    return email, created


def send_again(email: OutgoingEmail) -> bool:
    """Queue a failed email again with a fresh set of attempts. False if it had not failed."""
    with transaction.atomic():
        moved = OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if moved:
            _deliver_after_commit(email.pk)
    return bool(moved)


def emails_about(version):
    """The emails about one agreement version, oldest first (for its page)."""
    return OutgoingEmail.objects.filter(version=version).order_by("created_at", "pk")


def _deliver_after_commit(email_id: int) -> None:
    # If the broker cannot take the task, the row simply waits in the outbox for deliver_due
    # (every minute): the change that queued it stays committed either way.
    enqueue_on_commit(deliver, email_id)
