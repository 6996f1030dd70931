"""Celery tasks of the webhook outbox: send one delivery (queued on commit), and the sweep that
every minute sends what is due (retries, and rows whose task message never reached a broker)."""

from celery import shared_task

from slaportal.queueing import enqueue

from .delivery import deliver_one, due_ids, release_stuck


@shared_task(name="webhooks.tasks.deliver", acks_late=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery now, if it is pending and due (retries are the sweep's job)."""
    return deliver_one(delivery_id)


@shared_task(name="webhooks.tasks.deliver_due", acks_late=True)
def deliver_due() -> int:
    """Every minute (beat): release rows stuck in "sending", then hand each due row to its own
    task, so the workers send them side by side and one slow endpoint holds up nobody else. A
    row queued twice is sent once: the second task finds it claimed or not due."""
    release_stuck()
    queued = 0
    for delivery_id in due_ids():
        if not enqueue(deliver, delivery_id):
            break  # the broker is down: the next sweep tries again
        queued += 1
    return queued
