"""Reminders of an agreement's quarterly reviews, to both leads (queued in the outbox)."""

from django.conf import settings
from django.urls import reverse

from ..mail import queue_agreement_mail


def queue_review_reminder(agreement, due, kind) -> None:
    url = settings.SITE_URL + reverse("agreement_reviews", args=[agreement.pk])
    recipients = [lead.email for lead in (agreement.marketing_lead, agreement.sales_lead) if lead]
    if recipients:
        queue_agreement_mail(
            f"review_{kind}",
            {"agreement": agreement, "due": due, "url": url},
            recipients,
            key=f"review:{agreement.pk}:{due.isoformat()}:{kind}",
        )
