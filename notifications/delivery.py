"""Sending one outbox row: claim it, hand it to the mail server, record what happened.

At least once, and in practice exactly once: a row is claimed by a conditional UPDATE
(queued -> sending), so two workers never send it together, and it is marked sent only after
the server accepted the message. The one window left is a worker dying between the server's
"250 OK" and the UPDATE: the row stays in "sending" and is retried after
EMAIL_SENDING_TIMEOUT_SECONDS, which can repeat that one email.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db.models import F
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 3600
INTERRUPTED = "Delivery was interrupted (the worker stopped while sending); retrying."


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1 min, 2 min, 4 min... at most 1 hour."""
    exponent = min(max(attempts - 1, 0), 12)  # 2**12 minutes is far past the cap already
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2**exponent, BACKOFF_CAP_SECONDS))


def deliver_one(email_id: int) -> str:
    """Send one due, queued email. Returns "sent", "retrying", "failed" or "not claimed"."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not claimed"  # sent, being sent, given up, not due yet, or gone
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _send(email)
    except Exception as exc:  # every failure is recorded and retried
        return _record_failure(email, exc)
    OutgoingEmail.objects.filter(pk=email_id).exclude(status=EmailStatus.SENT).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=None,  # DEFAULT_FROM_EMAIL
        to=[email.recipient],
        # The same Message-ID on every attempt: should one email be sent twice (see above),
        # mail clients can tell it is one message.
        headers={"Message-ID": f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{DNS_NAME}>"},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    # Our own connection, so closing it is separate from sending: once the server has
    # accepted the message, an error while saying goodbye must not count as a failure.
    connection = get_connection(fail_silently=False)
    connection.open()
    try:
        if connection.send_messages([message]) != 1:
            raise RuntimeError("The mail backend did not accept the message.")
    finally:
        try:
            connection.close()
        except Exception:  # the server has the message already
            logger.warning("Closing the mail connection failed after sending", exc_info=True)


def _record_failure(email: OutgoingEmail, exc: Exception) -> str:
    error = _describe(exc)
    attempts = email.attempts  # already counts this attempt
    gave_up = attempts >= settings.EMAIL_MAX_ATTEMPTS
    changes = {"last_error": error, "claimed_at": None}
    if gave_up:
        changes["status"] = EmailStatus.FAILED
    else:
        changes["status"] = EmailStatus.QUEUED
        changes["next_attempt_at"] = timezone.now() + backoff(attempts)
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(**changes)
    logger.warning(
        "Email %s to %s failed (attempt %s%s): %s",
        email.pk,
        email.recipient,
        attempts,
        ", giving up" if gave_up else "",
        error,
    )
    return "failed" if gave_up else "retrying"


def _describe(exc: Exception) -> str:
    """The server's reply when there is one ("451 try later"), else the exception's text."""
    code = getattr(exc, "smtp_code", None)
    reply = getattr(exc, "smtp_error", b"")
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    if code is None and getattr(exc, "recipients", None):  # SMTPRecipientsRefused
        code, reply = next(iter(exc.recipients.values()))
        reply = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    text = f"{code} {reply}" if code is not None else (str(exc) or type(exc).__name__)
    return " ".join(text.split())[:500]


def release_stuck() -> int:
    """Rows left in "sending" by a worker that died go back to the queue (or give up)."""
    stale = timezone.now() - timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS)
    stuck = OutgoingEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=stale)
    given_up = stuck.filter(attempts__gte=settings.EMAIL_MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED, last_error=INTERRUPTED, claimed_at=None
    )
    requeued = stuck.update(
        status=EmailStatus.QUEUED,
        last_error=INTERRUPTED,
        claimed_at=None,
        next_attempt_at=timezone.now(),
    )
    return given_up + requeued


def due_ids(limit: int = 200) -> list[int]:
    return list(
        OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
