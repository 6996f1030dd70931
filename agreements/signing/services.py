"""Signing a version: each signatory signs (or declines) their own slot, with evidence.

The version row is locked for every decision, so two signatories signing at the same moment
are both recorded and exactly one of them completes the agreement.
"""

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.verification import verified_email
from slaportal.errors import DomainError
from slaportal.queueing import enqueue_on_commit
from webhooks import payloads as webhook_payloads  # webhooks: events for the org's endpoints
from webhooks.events import emit as emit_webhook

from ..audit import anchor_head, audit_log
from ..lifecycle import (
    complete_version,
    lock_agreement,
    move_agreement,
    move_signature,
    move_versions,
    refresh_next_review_due,
    signs_first,
)
from ..models import (
    AgreementStatus,
    AgreementVersion,
    PdfStatus,
    Signature,
    SignatureMethod,
    SignatureStatus,
    VersionState,
)
from ..versions.snapshot import sha256_hex
from .consent import CONSENT_VERSION, consent_sha256
from .emails import queue_outcome_emails
from .tasks import build_signed_pdf, notify_signatories


def _comparable_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def typed_name_problem(typed_name: str, signer) -> str | None:
    """A typed signature is the signer's own full name (case and spacing aside), or refused."""
    if not typed_name.strip():
        return _("Type your name to sign.")
    if _comparable_name(typed_name) != _comparable_name(signer.display_name):
        return _(
            "Type your full name as your account shows it (%(name)s): a typed signature "
            "must be the signer's own name."
        ) % {"name": signer.display_name}
    return None


@dataclass(frozen=True)
class Evidence:
    """What the signing page saw and the signer did, as the view observed it."""

    pdf_sha256: str
    consent_text: str
    intent_text: str
    method: str
    image_png: bytes
    typed_name: str
    ip_address: str | None
    user_agent: str
    auth_method: str


def _locked_version(version) -> AgreementVersion:
    lock_agreement(version.agreement_id)  # the agreement first, as every such transaction does
    return (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .get(pk=version.pk)
    )


def _open_slot(version, signer) -> Signature:
    if version.state != VersionState.IN_SIGNATURE:
        raise DomainError(
            _("This version can no longer be signed: it is %(state)s.")
            % {"state": version.get_state_display().lower()}
        )
    if version.pdf_status != PdfStatus.READY:
        raise DomainError(_("The PDF of this version is not ready yet; it cannot be signed."))
    slot = Signature.objects.select_for_update().filter(version=version, signer=signer).first()
    if slot is None:
        raise DomainError(_("You are not a signatory of this version."))
    if slot.status == SignatureStatus.SIGNED:
        raise DomainError(_("You have already signed this version."))
    if slot.status == SignatureStatus.DECLINED:
        raise DomainError(_("You have declined this version."))
    first = signs_first(slot, version)
    if first:
        raise DomainError(
            _("This agreement is signed in order: %(name)s signs first.")
            % {"name": first.signer.display_name}
        )
    return slot


@transaction.atomic
def signature_sign(*, version, signer, evidence: Evidence) -> Signature:
    version = _locked_version(version)
    slot = _open_slot(version, signer)
    signer_email = verified_email(signer)  # the evidence names only an address proved to be theirs
    if not signer_email:
        raise DomainError(
            _("Verify your email address %(email)s before signing.") % {"email": signer.email}
        )
    if evidence.pdf_sha256 != version.pdf_sha256:
        raise DomainError(
            _(
                "The document you were shown is not this version's PDF. "
                "Reload the page and sign again."
            )
        )
    if evidence.method not in SignatureMethod.values:
        raise DomainError(_("Choose whether to draw or type your signature."))
    if evidence.method == SignatureMethod.TYPED:
        refusal = typed_name_problem(evidence.typed_name, signer)
        if refusal:
            raise DomainError(refusal)
    now = timezone.now()
    move_signature(slot, SignatureStatus.SIGNED)
    slot.signed_at = now
    slot.pdf_sha256 = evidence.pdf_sha256
    slot.ip_address = evidence.ip_address
    slot.user_agent = evidence.user_agent[:500]
    slot.auth_method = evidence.auth_method
    slot.consent_version = CONSENT_VERSION
    slot.consent_sha256 = consent_sha256(evidence.consent_text)
    slot.intent_text = evidence.intent_text
    slot.method = evidence.method
    slot.typed_name = (
        evidence.typed_name.strip() if evidence.method == SignatureMethod.TYPED else ""
    )
    slot.signer_name = signer.display_name
    slot.signer_email = signer_email
    slot.signer_job_title = signer.job_title or ""
    slot.image_png = evidence.image_png
    slot.image_sha256 = sha256_hex(evidence.image_png)
    slot.save()
    agreement = lock_agreement(version.agreement_id)
    target = f"version {version.number}"
    audit_log(
        agreement,
        signer,
        "consented",
        target,
        consent_version=CONSENT_VERSION,
        consent_sha256=slot.consent_sha256,
    )
    audit_log(
        agreement,
        signer,
        "signed",
        target,
        role=slot.role,
        method=slot.method,
        pdf_sha256=slot.pdf_sha256,
        image_sha256=slot.image_sha256,
        ip=slot.ip_address,
        user_agent=slot.user_agent,
    )
    if not version.signatures.exclude(status=SignatureStatus.SIGNED).exists():
        _complete(version, agreement, now)
    else:
        version_id = version.pk
        transaction.on_commit(lambda: notify_signatories.delay(version_id))
    emit_webhook(agreement.organization_id, "signature.signed", webhook_payloads.signature, slot)
    return slot


def _complete(version, agreement, now) -> None:
    """Every slot is signed: the version is signed, the one signed before it superseded."""
    superseded = list(agreement.versions.filter(state=VersionState.SIGNED).exclude(pk=version.pk))
    move_versions(
        AgreementVersion.objects.filter(pk__in=[old.pk for old in superseded]),
        VersionState.SUPERSEDED,
    )
    complete_version(version, now)
    move_agreement(agreement, AgreementStatus.SIGNED)
    agreement.save(update_fields=["status", "updated_at"])
    refresh_next_review_due(agreement)
    completed = audit_log(
        agreement,
        None,
        "completed",
        f"version {version.number}",
        superseded=[old.number for old in superseded],
    )
    anchor_head(version, completed)  # the trail's head, printed on the certificate
    version_id = version.pk
    enqueue_on_commit(build_signed_pdf, version_id)  # the sweep re-sends it if the broker is down


@transaction.atomic
def signature_decline(*, version, signer, reason: str, ip_address=None, user_agent="") -> Signature:
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why you decline, so the others know what to change."))
    version = _locked_version(version)
    slot = _open_slot(version, signer)
    now = timezone.now()
    move_signature(slot, SignatureStatus.DECLINED)
    slot.declined_at = now
    slot.decline_reason = reason
    slot.ip_address = ip_address
    slot.user_agent = user_agent[:500]
    slot.save()
    move_versions(AgreementVersion.objects.filter(pk=version.pk), VersionState.DECLINED)
    agreement = lock_agreement(version.agreement_id)
    move_agreement(agreement, AgreementStatus.DRAFT)  # back to the editors, to fix and resubmit
    agreement.save(update_fields=["status", "updated_at"])
    audit_log(agreement, signer, "declined", f"version {version.number}", reason=reason)
    queue_outcome_emails(version, "declined")  # in the outbox with the decline itself
    emit_webhook(agreement.organization_id, "signature.declined", webhook_payloads.signature, slot)
    return slot


def record_viewed(*, version, signer) -> bool:
    """Note in the trail that `signer` opened `version` for signing: once per day (UTC), so
    reloading the page does not bury the trail in repeats. True when an entry was written."""
    target = f"version {version.number}"
    with transaction.atomic():
        agreement = lock_agreement(version.agreement_id)
        midnight = datetime.combine(timezone.now().astimezone(UTC).date(), time.min, tzinfo=UTC)
        already = agreement.audit_entries.filter(
            action="viewed", actor=signer, target=target, created_at__gte=midnight
        )
        if already.exists():
            return False
        audit_log(agreement, signer, "viewed", target)
    return True
