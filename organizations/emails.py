"""The invitation email, rendered now (in the inviter's language) and queued in the outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.outbox import enqueue_email


def queue_invitation_email(invitation) -> bool:
    """Queue the invitation link for sending after commit. False if it was queued before."""
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
    }
    _email, created = enqueue_email(
        key=f"org-invite:{invitation.pk}",
        recipient=invitation.email,
        # One line whatever the organisation's name holds: a line break would break the header.
        subject=" ".join(
            render_to_string("organizations/email/invitation_subject.txt", context).split()
        ),
        body=render_to_string("organizations/email/invitation_body.txt", context),
        kind="invitation",
    )
    return created
