"""The email outbox against a real SMTP server (aiosmtpd on a free local port) that refuses,
drops the connection, then accepts: every email is delivered exactly once, each attempt is
recorded, and nothing is marked sent before the server accepted it."""

import socket
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from notifications import delivery
from notifications.models import EmailStatus, OutgoingEmail
from notifications.outbox import enqueue_email, send_again
from notifications.tasks import deliver, deliver_due
from organizations import services as organization_services
from organizations.models import Invitation
from tests.agreements.conftest import agreement, submitted  # noqa: F401 (fixtures)
from tests.services import wait_for

REFUSE, REJECT, DROP = "451 4.3.0 try later", "550 5.7.1 not now", "drop"


class FlakyHandler:
    """Per recipient, the n-th delivery attempt meets `script[n - 1]`: a 451 to RCPT TO, a 550
    to DATA, or the connection dropped after the whole message was received; any attempt past
    the script is accepted and counted in `accepted[(recipient, subject)]`."""

    def __init__(self, script=()):
        self.script = list(script)
        self.tries = Counter()
        self.accepted = Counter()
        self.message_ids = {}  # recipient -> the Message-IDs of every DATA received
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.tries[address] += 1
            step = self._step(address)
        if step == REFUSE:
            return REFUSE
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        message = message_from_bytes(envelope.content)
        self.message_ids.setdefault(recipient, set()).add(message["Message-ID"])
        step = self._step(recipient)
        if step == REJECT:
            return REJECT
        if step == DROP:
            server.transport.abort()  # the message arrived, but no reply ever comes
            return "421 gone"
        subject = message["Subject"]
        with self.lock:
            self.accepted[(recipient, subject)] += 1
        return "250 OK"

    def _step(self, recipient):
        n = self.tries[recipient]
        return self.script[n - 1] if n <= len(self.script) else "accept"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start a server with `smtp_server(script)`; Django's SMTP backend is pointed at it."""
    controllers = []

    def start(script=()):
        handler = FlakyHandler(script)
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _invite(organization, owner, email):
    organization_services.invitation_create(
        organization=organization, email=email, role="viewer", invited_by=owner
    )
    return OutgoingEmail.objects.get(recipient=email)


def _make_due():
    """Skip the backoff wait (its length is checked where it is scheduled)."""
    OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).update(next_attempt_at=timezone.now())


@pytest.fixture
def sent_only_after_acceptance(monkeypatch):
    """Records each row's status right after the server accepted it: must still be "sending"."""
    seen = []
    original = delivery._send

    def send_and_look(email):
        original(email)
        seen.append(OutgoingEmail.objects.get(pk=email.pk).status)

    monkeypatch.setattr(delivery, "_send", send_and_look)
    return seen


def test_refused_rejected_and_dropped_emails_are_retried_and_delivered_exactly_once(
    smtp_server, organization, marketing_lead, sent_only_after_acceptance
):
    server = smtp_server([REFUSE, REJECT, DROP])
    rows = [_invite(organization, marketing_lead, f"guest{i}@example.com") for i in (1, 2)]
    assert all(row.status == EmailStatus.QUEUED and row.attempts == 0 for row in rows)

    expected = [("451", 60), ("550", 120), ("Connection unexpectedly closed", 240)]
    for attempt, (error, backoff_seconds) in enumerate(expected, start=1):
        before = timezone.now()
        assert [deliver(row.pk) for row in rows] == ["retrying", "retrying"]
        for row in rows:
            row.refresh_from_db()
            assert (row.status, row.attempts, row.sent_at) == (EmailStatus.QUEUED, attempt, None)
            assert error in row.last_error
            wait = row.next_attempt_at - before
            assert (
                timedelta(seconds=backoff_seconds) <= wait < timedelta(seconds=backoff_seconds + 5)
            )
        assert deliver(rows[0].pk) == "not claimed"  # not due before its backoff is over
        assert not server.accepted  # the dropped message reached the server, unaccepted
        _make_due()

    assert deliver_due() == 2
    assert deliver_due() == 0
    assert deliver(rows[0].pk) == "not claimed"
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 4, "")
        assert row.sent_at is not None
    assert server.accepted == Counter({(row.recipient, row.subject): 1 for row in rows})
    assert "Acme Corp" in rows[0].subject
    # Every attempt carried the same Message-ID, so a duplicate could be recognised as one.
    assert [len(server.message_ids[row.recipient]) for row in rows] == [1, 1]
    assert sent_only_after_acceptance == [EmailStatus.SENDING, EmailStatus.SENDING]


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 6, 7, 8, 30)] == [
        60,
        120,
        240,
        1920,
        3600,
        3600,
        3600,
    ]


def test_after_the_last_attempt_it_fails_until_sent_again(
    smtp_server, organization, marketing_lead, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 2
    server = smtp_server([REFUSE, REJECT])
    row = _invite(organization, marketing_lead, "late@example.com")

    assert deliver(row.pk) == "retrying"
    _make_due()
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 2)
    assert row.last_error.startswith("550")
    _make_due()
    assert deliver_due() == 0  # given up: nothing is retried behind anyone's back

    assert send_again(row) is True
    assert send_again(row) is False  # queued again, not failed
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.QUEUED, 0)
    assert deliver(row.pk) == "sent"
    assert server.accepted == Counter({(row.recipient, row.subject): 1})


def test_a_row_stuck_in_sending_goes_back_to_the_queue(db, smtp_server, settings):
    server = smtp_server()
    row, created = enqueue_email(key="t:1", recipient="a@example.com", subject="Hi", body="Body")
    assert created
    assert enqueue_email(key="t:1", recipient="a@example.com", subject="Hi", body="x") == (
        row,
        False,
    )
    stale = timezone.now() - timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS + 1)
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.SENDING, claimed_at=stale, attempts=1
    )
    fresh, _ = enqueue_email(key="t:2", recipient="b@example.com", subject="Hi", body="Body")
    OutgoingEmail.objects.filter(pk=fresh.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert deliver_due() == 1  # the stale one; the live claim is left alone
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)
    assert OutgoingEmail.objects.get(pk=fresh.pk).status == EmailStatus.SENDING
    assert server.accepted == Counter({("a@example.com", "Hi"): 1})


def test_signing_invitations_are_flagged_with_their_outbox_row_and_never_queued_twice(
    submitted,  # noqa: F811
    marketing_lead,
    sales_lead,
    django_capture_on_commit_callbacks,
):
    from agreements.signing.tasks import notify_signatories

    rows = OutgoingEmail.objects.filter(version=submitted, kind="sign_request")
    assert sorted(rows.values_list("recipient", flat=True)) == [
        marketing_lead.email,
        sales_lead.email,
    ]
    assert all(row.status == EmailStatus.SENT for row in rows)
    assert not submitted.signatures.filter(notified_at=None).exists()

    # A retried task (or a second one) finds every slot flagged: nothing new is queued.
    submitted.signatures.update(notified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_signatories(submitted.pk) == 2
    assert rows.count() == 2  # the same idempotency keys: no second row, no second email


def test_the_version_page_shows_each_emails_delivery(
    submitted,  # noqa: F811
    client_for,
    marketing_lead,
    sales_lead,
    viewer,
    django_capture_on_commit_callbacks,
):
    invite_maria = OutgoingEmail.objects.get(version=submitted, recipient=marketing_lead.email)
    invite_sam = OutgoingEmail.objects.get(version=submitted, recipient=sales_lead.email)
    retry_at = timezone.now() + timedelta(minutes=4)
    OutgoingEmail.objects.filter(pk=invite_sam.pk).update(
        status=EmailStatus.QUEUED, attempts=3, last_error="451 try later", next_attempt_at=retry_at
    )
    url = reverse("version_detail", args=[submitted.agreement_id, submitted.number])

    page = client_for(viewer).get(url).content.decode()
    assert f"Invitation to {marketing_lead.email}:" in page
    assert "failed: 451 try later, retrying at" in page
    assert "send-again" not in page

    OutgoingEmail.objects.filter(pk=invite_maria.pk).update(
        status=EmailStatus.FAILED, attempts=8, last_error="550 mailbox unavailable"
    )
    resend = reverse(
        "version_email_resend", args=[submitted.agreement_id, submitted.number, invite_maria.pk]
    )
    assert client_for(viewer).post(resend).status_code == 403
    page = client_for(marketing_lead).get(url).content.decode()
    assert "failed after 8 attempts" in page and "550 mailbox unavailable" in page
    assert 'data-testid="send-again"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sales_lead).post(resend)  # a lead may send it again
    assert response.status_code == 302
    invite_maria.refresh_from_db()
    assert invite_maria.status == EmailStatus.SENT  # in-process: delivered at once (locmem)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_through_redis_and_the_sweep_retries(
    real_worker, smtp_server, organization, marketing_lead
):
    server = smtp_server([REFUSE])
    row = _invite(organization, marketing_lead, "worker@example.com")  # committed: on_commit ran

    def attempted():
        row.refresh_from_db()
        return row.attempts == 1 and row.status == EmailStatus.QUEUED

    assert wait_for(attempted), f"{row.status}, {row.attempts} attempt(s)"
    assert row.last_error.startswith("451")
    _make_due()
    deliver_due.delay()

    def sent():
        row.refresh_from_db()
        return row.status == EmailStatus.SENT

    assert wait_for(sent), f"{row.status}: {row.last_error}"
    assert row.attempts == 2
    assert server.accepted == Counter({(row.recipient, row.subject): 1})


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_invitation_is_kept_and_sent_by_the_sweep(
    smtp_server, broker_down, client_for, marketing_lead, organization
):
    server = smtp_server()
    started = time.monotonic()
    response = client_for(marketing_lead).post(
        reverse("invitation_create", args=[organization.slug]),
        {"email": "offline@example.com", "role": "viewer"},
    )

    assert response.status_code == 302  # the owner's action committed, no error page
    assert time.monotonic() - started < 10
    assert Invitation.objects.filter(email="offline@example.com").exists()
    row = OutgoingEmail.objects.get(recipient="offline@example.com")
    assert (row.status, row.attempts) == (EmailStatus.QUEUED, 0)
    assert not server.accepted

    assert deliver_due() == 1  # beat's sweep, run here in-process
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 1)
    assert server.accepted == Counter({(row.recipient, row.subject): 1})
