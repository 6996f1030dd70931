"""Celery tasks of the outbox: deliver one email (queued on commit), and the periodic sweep
that sends whatever is due, so a lost or unsent task message never loses an email."""

import time

from celery import shared_task

from .delivery import deliver_one, due_ids, release_stuck

SWEEP_BUDGET_SECONDS = 60  # beat runs the sweep every minute; the rest waits for the next one


@shared_task(name="notifications.tasks.deliver", acks_late=True)
def deliver(email_id: int) -> str:
    """Send one outbox row now, if it is queued and due (retries are the sweep's job)."""
    return deliver_one(email_id)


@shared_task(name="notifications.tasks.deliver_due", acks_late=True)
def deliver_due() -> int:
    """Every minute (beat): release rows stuck in "sending", then send the due ones."""
    release_stuck()
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    sent = 0
    for email_id in due_ids():
        if time.monotonic() > deadline:
            break
        sent += deliver_one(email_id) == "sent"
    return sent
