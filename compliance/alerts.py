"""Telling both leads when a commitment is missed: the last closed month's misses, and this
month's commitments on course to miss (their figure so far is short). One email per commitment,
month and kind (the outbox's key makes a repeat a no-op); the dashboard shows the count."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agreements.mail import queue_agreement_mail

from . import report
from .commitments import plan_of, version_in_force
from .models import Measurement


def current_alerts(agreement, plan, today) -> list[dict]:
    data = report.build(agreement, plan, {}, today)
    alerts = []
    for item in data["commitments"]:
        months = item.months
        closed = [m for m in months if m.month < data["current_month"]]
        candidates = [(closed[-1], report.MISSED)] if closed else []
        if months and months[-1].month == data["current_month"]:
            candidates.append((months[-1], report.AT_RISK))
        for figure, kind in candidates:
            if figure.verdict == kind:
                alerts.append(
                    {
                        "index": item.commitment.index,
                        "commitment": item.commitment.text,
                        "month": figure.month.isoformat(),
                        "kind": kind,
                        "figure": str(figure.figure),
                        "required": str(item.required),
                        "lower_is_better": item.lower_is_better,
                    }
                )
    return alerts


def send_alerts(agreement, today=None) -> int:
    """Record the alerts on the measurement and queue the emails not sent yet."""
    version = version_in_force(agreement)
    if version is None:
        return 0
    today = today or timezone.localdate()
    alerts = current_alerts(agreement, plan_of(version), today)
    Measurement.objects.filter(agreement=agreement).update(alerts=alerts, alert_count=len(alerts))
    recipients = [lead.email for lead in (agreement.marketing_lead, agreement.sales_lead) if lead]
    if not recipients:
        return 0
    url = settings.SITE_URL + reverse("agreement_compliance", args=[agreement.pk])
    queued = 0
    for alert in alerts:
        key = (
            f"compliance:{agreement.pk}:{version.number}:{alert['index']}:"
            f"{alert['month']}:{alert['kind']}"
        )
        queued += queue_agreement_mail(
            f"compliance_{alert['kind']}",
            {"agreement": agreement, "alert": alert, "url": url, "version": version},
            recipients,
            key=key,
        )
    return queued
