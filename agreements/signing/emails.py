"""Emails about an agreement's signing: the request to sign, and the outcome for everyone.
Both are queued in the outbox, in the transaction of the change that causes them."""

from django.conf import settings
from django.urls import reverse

from ..mail import queue_agreement_mail
from ..models import SignatureStatus


def queue_signature_request(slot) -> None:
    version = slot.version
    url = reverse("version_sign", args=[version.agreement_id, version.number])
    queue_agreement_mail(
        "sign_request",
        {
            "slot": slot,
            "version": version,
            "agreement": version.agreement,
            "url": settings.SITE_URL + url,
        },
        [slot.signer.email],
        key=f"invite:{version.pk}:{slot.pk}",
    )


def queue_outcome_emails(version, outcome: str) -> None:
    """'signed': everyone who signed gets the link to the signed PDF. 'declined': the others
    learn who declined and why."""
    signatures = list(version.signatures.select_related("signer"))
    url = settings.SITE_URL + reverse("version_detail", args=[version.agreement_id, version.number])
    declined = next((s for s in signatures if s.status == SignatureStatus.DECLINED), None)
    recipients = [s.signer.email for s in signatures if outcome == "signed" or s is not declined]
    if recipients:
        queue_agreement_mail(
            f"outcome_{outcome}",
            {"version": version, "agreement": version.agreement, "declined": declined, "url": url},
            recipients,
            key=f"outcome:{outcome}:{version.pk}",
        )
