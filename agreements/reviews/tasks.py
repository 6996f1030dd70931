"""The daily reminder of upcoming and overdue reviews (beat)."""

from celery import shared_task

from . import services


@shared_task(name="agreements.tasks.send_review_reminders")
def send_review_reminders() -> int:
    """Daily (beat): remind both leads of upcoming and overdue quarterly reviews."""
    return services.send_review_reminders()
