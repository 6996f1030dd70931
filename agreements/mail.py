"""Email about an agreement, written in the agreement's own language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def one_line(text: str) -> str:
    """A subject line: a title or organisation name typed with line breaks must not break the
    mail header (Django refuses such subjects with BadHeaderError)."""
    return " ".join(text.split())


def send_agreement_mail(template: str, context: dict, recipients: list[str]) -> None:
    """Render `agreements/email/<template>_subject.txt` and `_body.txt` in the language of
    `context["agreement"]`, and send them."""
    with translation.override(context["agreement"].language or settings.LANGUAGE_CODE):
        send_mail(
            subject=one_line(render_to_string(f"agreements/email/{template}_subject.txt", context)),
            message=render_to_string(f"agreements/email/{template}_body.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
