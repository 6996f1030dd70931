"""The electronic-signature consent disclosure. Versioned: a signature records which text, by
version and by hash, the signer accepted. Change the text only together with the version.

The disclosure and the statement of intent are in the agreement's language, whatever the
signer's interface language: they belong to the contract being signed, and the certificate of
completion, in that language too, quotes the statement of intent as the signer accepted it."""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

CONSENT_VERSION = "2026-11"


def consent_text() -> str:
    return _(
        "I agree to sign this agreement electronically. I understand that my electronic "
        "signature is as binding as a handwritten one between the parties to this agreement, "
        "that the portal records my identity, the time, my IP address and browser, and a hash "
        "of the exact document I sign, and that I can download the signed document and its "
        "certificate of completion at any time."
    )


def consent_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def intent_text(version_number: int, capacity: str) -> str:
    return _("I have read version %(number)s of this agreement and sign it as %(capacity)s.") % {
        "number": version_number,
        "capacity": capacity,
    }


def agreement_language(agreement) -> str:
    return agreement.language or settings.LANGUAGE_CODE


def signing_statements(version, slot) -> tuple[str, str]:
    """(consent disclosure, statement of intent) a signatory accepts for `slot` on `version`,
    in the agreement's language: the role it signs in is translated into it too."""
    with translation.override(agreement_language(version.agreement)):
        intent = intent_text(version.number, slot.capacity_display) if slot else ""
        return consent_text(), intent
