from celery import shared_task

from .emails import queue_invitation_email
from .models import Invitation


@shared_task(acks_late=True)
def send_invitation_email(invitation_id: int) -> bool:
    """Queue the invitation email in the outbox, once (invitation_create does this itself; the
    task remains for messages queued before the outbox existed). False when the invitation is
    gone or no longer open."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    queue_invitation_email(invitation)
    return True
