"""Signing's answers to what the versions package announces."""

from django.dispatch import receiver

from ..versions.signals import contract_pdf_ready
from .tasks import notify_signatories


@receiver(contract_pdf_ready, dispatch_uid="signing-invite-signatories")
def invite_signatories(sender, version_id, **kwargs):
    notify_signatories.delay(version_id)
