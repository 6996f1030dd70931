"""Handing work to Celery after a change has been committed, without failing the person who made
the change when the broker is down.

The work's own row records that it is due (a PDF "queued", an email in the outbox), so a message
the broker did not take is not lost: the periodic sweep re-sends it. Publishing gives up within
about a second (CELERY_TASK_PUBLISH_RETRY_POLICY, CELERY_BROKER_CONNECTION_TIMEOUT).
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached: kombu wraps the transport's errors.
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` to the broker. False, logged, when the broker is unreachable; in
    eager mode (no broker configured) the task runs here and its errors propagate."""
    if task.app.conf.task_always_eager:
        task.delay(*args)
        return True
    try:
        task.apply_async(args=args)
    except BROKER_ERRORS as exc:
        logger.warning("Broker unreachable; %s%r waits for the sweep (%s)", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """:func:`enqueue` once the surrounding transaction has committed."""
    transaction.on_commit(lambda: enqueue(task, *args))
