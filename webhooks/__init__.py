"""Webhooks: an organisation's own HTTPS endpoints are told, signed and retried, when something
happens to its agreements. Events are written as delivery rows in the transaction of the change
(events.emit) and sent after the commit by Celery (delivery.py, tasks.py)."""
