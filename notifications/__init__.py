"""The outbox: every email is a row first, written with the change that causes it, and sent by
a Celery task that records each attempt (see notifications/outbox.py and delivery.py)."""
