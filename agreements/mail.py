"""Email about an agreement, written in the agreement's own language and put in the outbox
(notifications/): it is sent after the surrounding transaction commits, and retried."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications.outbox import enqueue_email


def one_line(text: str) -> str:
    """A subject line: a title or organisation name typed with line breaks must not break the
    mail header (Django refuses such subjects with BadHeaderError)."""
    return " ".join(text.split())


def queue_agreement_mail(template: str, context: dict, recipients: list[str], *, key: str) -> int:
    """Render `agreements/email/<template>_subject.txt` and `_body.txt` in the language of
    `context["agreement"]`, and queue one email per recipient under the key
    `<key>:<recipient>` (queuing the same key twice sends once). Returns how many were new."""
    agreement = context["agreement"]
    with translation.override(agreement.language or settings.LANGUAGE_CODE):
        subject = one_line(render_to_string(f"agreements/email/{template}_subject.txt", context))
        body = render_to_string(f"agreements/email/{template}_body.txt", context)
    queued = 0
    for recipient in recipients:
        _email, created = enqueue_email(
            key=f"{key}:{recipient.lower()}",
            recipient=recipient,
            subject=subject,
            body=body,
            kind=template,
            agreement=agreement,
            version=context.get("version"),
        )
        queued += created
    return queued
