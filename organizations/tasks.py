from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Invitation


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_invitation_email(self, invitation_id: int) -> bool:
    """Email the invitation link. Returns False when the invitation is gone or no longer open."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
    }
    send_mail(
        # One line whatever the organisation's name holds: a line break would break the header.
        subject=" ".join(
            render_to_string("organizations/email/invitation_subject.txt", context).split()
        ),
        message=render_to_string("organizations/email/invitation_body.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True
