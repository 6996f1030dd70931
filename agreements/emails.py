"""Emails about an agreement's signing: the request to sign, and the outcome for everyone."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import SignatureStatus


def _send(template, context, recipients):
    with translation.override(context["agreement"].language or settings.LANGUAGE_CODE):
        _send_now(template, context, recipients)


def _send_now(template, context, recipients):
    send_mail(
        subject=render_to_string(f"agreements/email/{template}_subject.txt", context).strip(),
        message=render_to_string(f"agreements/email/{template}_body.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def send_signature_request(slot) -> None:
    version = slot.version
    url = reverse("version_sign", args=[version.agreement_id, version.number])
    _send(
        "sign_request",
        {
            "slot": slot,
            "version": version,
            "agreement": version.agreement,
            "url": settings.SITE_URL + url,
        },
        [slot.signer.email],
    )


def send_outcome_emails(version, outcome: str) -> None:
    """'signed': everyone who signed gets the link to the signed PDF. 'declined': the others
    learn who declined and why."""
    signatures = list(version.signatures.select_related("signer"))
    url = settings.SITE_URL + reverse("version_detail", args=[version.agreement_id, version.number])
    declined = next((s for s in signatures if s.status == SignatureStatus.DECLINED), None)
    recipients = [s.signer.email for s in signatures if outcome == "signed" or s is not declined]
    if recipients:
        _send(
            f"outcome_{outcome}",
            {"version": version, "agreement": version.agreement, "declined": declined, "url": url},
            recipients,
        )


def send_review_reminder(agreement, due, kind) -> None:
    url = settings.SITE_URL + reverse("agreement_reviews", args=[agreement.pk])
    recipients = [lead.email for lead in (agreement.marketing_lead, agreement.sales_lead) if lead]
    if recipients:
        _send(
            f"review_{kind}",
            {"agreement": agreement, "due": due, "url": url},
            recipients,
        )
