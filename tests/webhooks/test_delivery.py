"""Sending: headers and signature, retries with backoff until the window closes, timeouts,
redirects, a worker that died mid-send, Resend, and one claim per delivery."""

import contextlib
import socket
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from webhooks import delivery as delivery_module
from webhooks import events, services, signing
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.tasks import deliver, deliver_due

from .conftest import SLOW


def _only(endpoint) -> WebhookDelivery:
    return WebhookDelivery.objects.get(endpoint=endpoint)


def test_a_delivery_is_signed_and_named_as_documented(
    receiver, endpoint_for, marketing_lead, committed
):
    hook = receiver(script=())
    endpoint = endpoint_for(hook)

    with committed():
        row = services.send_test_event(endpoint=endpoint, actor=marketing_lead)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert row.response_excerpt == '{"ok": true}' and row.delivered_at is not None
    headers = hook.headers[str(row.delivery_id)]
    assert headers["x-slaportal-event"] == "ping"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == "SLAPortal-Webhooks/1"
    body = row.body.encode()
    # The reference check the README documents accepts it, and refuses tampering and replays.
    secret = endpoint.signing_secret()
    timestamp, signature = headers["x-slaportal-timestamp"], headers["x-slaportal-signature"]
    assert signing.is_valid(secret, signature, timestamp, body)
    assert not signing.is_valid(secret, signature, timestamp, body + b" ")
    assert not signing.is_valid(secret, signature, timestamp, body, now=int(timestamp) + 301)
    assert not signing.is_valid("another secret", signature, timestamp, body)
    assert hook.payloads[str(row.delivery_id)]["data"]["endpoint"]["id"] == endpoint.pk


def test_backoff_doubles_from_the_base_with_jitter_and_is_capped_at_an_hour(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    for attempts, full in [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (40, 3600)]:
        waits = {delivery_module.backoff(attempts).total_seconds() for _ in range(50)}
        assert all(0.8 * full <= wait <= full for wait in waits), (attempts, waits)
        assert len(waits) > 1  # jittered


def test_failed_attempts_wait_longer_each_time(
    receiver, endpoint_for, settings, organization, committed
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    hook = receiver(script=(503, 503, 503))
    endpoint = endpoint_for(hook)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        with committed():
            events.emit(organization, "review.due", {"n": 1})
        row = _only(endpoint)
        for attempt, wait in enumerate([30, 60, 120], start=1):
            row.refresh_from_db()
            assert (row.status, row.attempts, row.last_status_code) == ("pending", attempt, 503)
            assert row.last_error == "HTTP 503" and row.response_excerpt == "try again later"
            delay = (row.next_attempt_at - timezone.now()).total_seconds()
            assert 0.8 * wait <= delay <= wait
            assert deliver(row.pk) == "not claimed"  # not due yet
            clock.shift(timedelta(seconds=wait))
            deliver_due()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 4)
    assert hook.accepted == Counter({str(row.delivery_id): 1})


def test_a_timeout_is_retried(receiver, endpoint_for, settings, organization, committed):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    hook = receiver(script=(SLOW,))
    hook.slow_seconds = 1.5
    endpoint = endpoint_for(hook)

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = _only(endpoint)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, None)
    assert row.last_error == "No answer within 0.5 s."
    assert deliver_due() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.DELIVERED, 2, "")
    assert hook.tries[str(row.delivery_id)] == 2  # the slow one was received, then this one


def test_a_trickling_answer_is_cut_at_the_deadline(
    webhook_settings, organization, marketing_lead, committed
):
    """A server that keeps sending a header line now and then never times a read out; the
    deadline is for the whole exchange."""
    webhook_settings.WEBHOOK_TIMEOUT_SECONDS = 1
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():
        peer, _address = listener.accept()
        with peer:
            peer.recv(65536)
            peer.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.wait(0.2):
                with contextlib.suppress(OSError):
                    peer.sendall(b"X-Slow: yes\r\n")

    threading.Thread(target=trickle, daemon=True).start()
    endpoint, _secret = services.endpoint_create(
        organization=organization,
        actor=marketing_lead,
        url=f"http://127.0.0.1:{listener.getsockname()[1]}/",
        events=["review.due"],
    )
    started = time.monotonic()
    try:
        with committed():
            events.emit(organization, "review.due", {"n": 1})
    finally:
        stop.set()
        listener.close()

    assert time.monotonic() - started < 3
    row = _only(endpoint)
    assert (row.status, row.last_error) == (DeliveryStatus.PENDING, "No answer within 1 s.")


def test_a_refused_connection_is_retried(receiver, endpoint_for, organization, committed):
    hook = receiver(script=())
    endpoint = endpoint_for(hook)
    endpoint.url = "http://127.0.0.1:1/hooks/main"  # nothing listens there
    endpoint.save()

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = _only(endpoint)
    assert row.status == DeliveryStatus.PENDING and "ConnectionRefusedError" in row.last_error


def test_redirects_are_not_followed(receiver, endpoint_for, organization, committed):
    hook = receiver(script=(302,))
    endpoint = endpoint_for(hook)

    with committed():
        events.emit(organization, "review.due", {"n": 1})

    row = _only(endpoint)
    assert row.status == DeliveryStatus.PENDING and row.last_status_code == 302
    assert row.last_error == "HTTP 302: redirect to /elsewhere not followed"
    assert hook.paths == Counter({"/hooks/main": 1})


def test_after_the_retry_window_it_fails_and_resend_delivers_it(
    receiver, endpoint_for, settings, organization, marketing_lead, client_for, committed
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    hook = receiver(script=[500] * 60)
    endpoint = endpoint_for(hook)
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        with committed():
            events.emit(organization, "review.recorded", {"n": 1})
        row = _only(endpoint)
        hours = 0
        while row.status == DeliveryStatus.PENDING:
            clock.shift(timedelta(hours=1))
            hours += 1
            deliver_due()
            row.refresh_from_db()
        # Hourly at most near the end: the attempt whose next wait passes 24 hours gives up.
        assert row.status == DeliveryStatus.FAILED and 23 <= hours <= 25
        assert row.last_error == "HTTP 500"
        failed_attempts = row.attempts
        clock.shift(timedelta(hours=2))
        deliver_due()
        row.refresh_from_db()
        assert row.attempts == failed_attempts  # nothing is retried behind anyone's back

        hook.script = []  # the receiver is fixed
        client = client_for(marketing_lead)
        with committed():
            response = client.post(
                f"/o/acme/webhooks/{endpoint.pk}/deliveries/{row.pk}/resend/", follow=True
            )
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert hook.accepted == Counter({str(row.delivery_id): 1})  # the same delivery id, once
    assert len(hook.bodies[str(row.delivery_id)]) == 1  # and the same body as every attempt


def test_a_delivery_left_sending_by_a_dead_worker_is_sent_again(
    receiver, endpoint_for, settings, organization
):
    hook = receiver(script=())
    endpoint_for(hook)
    with pytest.MonkeyPatch.context() as patch:  # the broker "loses" the first task message
        patch.setattr("webhooks.events.enqueue_on_commit", lambda *args: None)
        stale_row = events.emit(organization, "review.due", {"n": 1})[0]
        live_row = events.emit(organization, "review.due", {"n": 2})[0]
    stale = timezone.now() - timedelta(seconds=settings.WEBHOOK_SENDING_TIMEOUT_SECONDS + 1)
    WebhookDelivery.objects.filter(pk=stale_row.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=stale, attempts=1
    )
    WebhookDelivery.objects.filter(pk=live_row.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert deliver_due() == 1  # the dead worker's row; the live claim is left alone

    stale_row.refresh_from_db()
    assert (stale_row.status, stale_row.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert _only_status(live_row) == DeliveryStatus.SENDING
    assert hook.accepted == Counter({str(stale_row.delivery_id): 1})


def _only_status(row) -> str:
    return WebhookDelivery.objects.values_list("status", flat=True).get(pk=row.pk)


def test_an_inactive_endpoint_is_sent_nothing(receiver, endpoint_for, organization):
    hook = receiver(script=())
    endpoint = endpoint_for(hook)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("webhooks.events.enqueue_on_commit", lambda *args: None)
        row = events.emit(organization, "review.due", {"n": 1})[0]
    endpoint.active = False
    endpoint.save()

    assert deliver(row.pk) == "failed"

    row.refresh_from_db()
    assert row.last_error == "The endpoint is inactive; nothing was sent."
    assert not hook.paths


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_delivery_together(receiver, endpoint_for, organization):
    hook = receiver(script=(SLOW,))
    hook.slow_seconds = 1.0
    endpoint = endpoint_for(hook)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("webhooks.events.enqueue_on_commit", lambda *args: None)
        row = events.emit(organization, "review.due", {"n": 1})[0]
    results, start = [], threading.Barrier(4)

    def worker():
        start.wait()
        try:
            results.append(delivery_module.deliver_one(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["delivered", "not claimed", "not claimed", "not claimed"]
    assert hook.tries == Counter({str(row.delivery_id): 1})
    assert _only(endpoint).attempts == 1
