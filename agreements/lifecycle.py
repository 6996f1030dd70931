"""The lifecycle of an agreement: which state may follow which, for the agreement, its versions,
their signature slots and their PDFs, and whose turn it is to sign. Nothing else decides these.

An agreement is drafted, submitted (a version is frozen and goes into signature), signed by
every slot or declined by one (back to draft), and revised (a signed agreement becomes a draft
again while its signed version stays in force until the next one is signed). Each frozen
version has two PDFs, the contract and the sealed signed copy, each queued, rendered by a
worker, and ready or failed.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from slaportal.errors import DomainError

from .models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    PdfStatus,
    Signature,
    SignatureStatus,
    SigningOrder,
    VersionState,
)
from .schedule import next_review_due

AGREEMENT_TRANSITIONS = {
    AgreementStatus.DRAFT: {AgreementStatus.IN_SIGNATURE},  # submitted
    AgreementStatus.IN_SIGNATURE: {
        AgreementStatus.DRAFT,  # a signatory declined: back to the editors
        AgreementStatus.SIGNED,  # every slot signed
    },
    AgreementStatus.SIGNED: {AgreementStatus.DRAFT},  # a revision starts from the signed one
}

VERSION_TRANSITIONS = {
    VersionState.IN_SIGNATURE: {VersionState.SIGNED, VersionState.DECLINED},
    VersionState.SIGNED: {VersionState.SUPERSEDED},  # a later version was signed
    VersionState.DECLINED: set(),
    VersionState.SUPERSEDED: set(),
}

SIGNATURE_TRANSITIONS = {
    SignatureStatus.PENDING: {SignatureStatus.SIGNED, SignatureStatus.DECLINED},
    SignatureStatus.SIGNED: set(),
    SignatureStatus.DECLINED: set(),
}

# Applies to both of a version's PDFs (`pdf_status` and `signed_pdf_status`).
PDF_NOT_STARTED = ""  # a signed PDF before its version is signed
PDF_TRANSITIONS = {
    PDF_NOT_STARTED: {PdfStatus.QUEUED},  # the last signature queues the signed PDF
    PdfStatus.QUEUED: {
        PdfStatus.RENDERING,  # a worker claimed it
        PdfStatus.QUEUED,  # the sweep re-sends work whose queue message was lost
    },
    PdfStatus.RENDERING: {
        PdfStatus.READY,
        PdfStatus.FAILED,
        PdfStatus.QUEUED,  # a transient error retried, or a crashed worker's claim swept
        PdfStatus.RENDERING,  # a killed worker's expired claim, taken over (claim_pdf)
    },
    PdfStatus.FAILED: {PdfStatus.QUEUED},  # "Try again"
    PdfStatus.READY: set(),
}

PDF_KINDS = ("pdf", "signed_pdf")


def _sources(transitions: dict, target) -> set:
    return {source for source, targets in transitions.items() if target in targets}


# --- agreements ---------------------------------------------------------------------------------


def move_agreement(agreement, status: str) -> None:
    """Move to `status` if the map allows it (the caller saves), or refuse with a DomainError."""
    if status not in AGREEMENT_TRANSITIONS.get(AgreementStatus(agreement.status), set()):
        raise DomainError(
            gettext("An agreement that is %(old)s cannot become %(new)s.")
            % {
                "old": agreement.get_status_display().lower(),
                "new": AgreementStatus(status).label.lower(),
            }
        )
    agreement.status = status


# --- versions -----------------------------------------------------------------------------------


def move_versions(versions, state: str, **fields) -> int:
    """Move each version of the queryset that may become `state`; returns how many moved."""
    return versions.filter(state__in=_sources(VERSION_TRANSITIONS, state)).update(
        state=state, **fields
    )


def complete_version(version, completed_at) -> int:
    """Every slot is signed: the version becomes signed and its signed PDF is queued, in one
    UPDATE. Returns how many versions moved (0 if it was not in signature)."""
    return move_versions(
        AgreementVersion.objects.filter(pk=version.pk, signed_pdf_status=PDF_NOT_STARTED),
        VersionState.SIGNED,
        completed_at=completed_at,
        signed_pdf_status=PdfStatus.QUEUED,
    )


def move_pdf(version_id: int, kind: str, status: str, *, only_from=None, **fields) -> int:
    """Conditionally move one of a version's PDFs (`kind` is "pdf" or "signed_pdf") to `status`,
    setting `fields` with it. Returns 1 when this call made the move, 0 when the PDF was not in
    a state it may leave for `status` (someone else claimed, finished or failed it first).
    `only_from` narrows the allowed starting states further."""
    if kind not in PDF_KINDS:
        raise ValueError(f"unknown PDF kind {kind!r}")
    allowed = _sources(PDF_TRANSITIONS, status)
    if only_from is not None:
        allowed &= set(only_from)
    return AgreementVersion.objects.filter(pk=version_id, **{f"{kind}_status__in": allowed}).update(
        **{f"{kind}_status": status}, **fields
    )


def refresh_next_review_due(agreement) -> date | None:
    """Recompute and store the agreement's `next_review_due` from its term, its cadence,
    whether a version is signed and which reviews are closed. Returns it."""
    due = None
    if agreement.versions.filter(state=VersionState.SIGNED).exists():
        closed = agreement.reviews.exclude(closed_at=None).values_list("due_on", flat=True)
        due = next_review_due(agreement, list(closed))
    Agreement.objects.filter(pk=agreement.pk).update(next_review_due=due)
    agreement.next_review_due = due
    return due


def lock_agreement(agreement_id: int) -> Agreement:
    """Lock an agreement's row. Every transaction that changes a version, its PDFs or its
    signature slots and writes to the trail takes this lock first: one order for all of them, so
    a worker finishing a PDF and a person signing never wait on each other in a circle."""
    return Agreement.objects.select_for_update().get(pk=agreement_id)


def claim_pdf(version_id: int, kind: str) -> int:
    """A worker claims one of a version's PDFs: a queued one, or one whose earlier claim has
    expired (its worker was killed: the claim is older than the task's hard time limit). Counts
    the attempt. Returns 1 when claimed, 0 when done, failed, or claimed by a live worker."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.PDF_CLAIM_EXPIRES_AFTER_SECONDS)
    status, started = f"{kind}_status", f"{kind}_started_at"
    return (
        AgreementVersion.objects.filter(pk=version_id)
        .filter(
            Q(**{status: PdfStatus.QUEUED})
            | Q(**{status: PdfStatus.RENDERING, f"{started}__lt": expired})
        )
        .update(
            **{status: PdfStatus.RENDERING, started: now},
            **{f"{kind}_attempts": F(f"{kind}_attempts") + 1},
        )
    )


# --- signature slots and whose turn it is -------------------------------------------------------


def move_signature(slot, status: str) -> None:
    """Sign or decline a pending slot (the caller records the evidence and saves)."""
    if status not in SIGNATURE_TRANSITIONS[SignatureStatus(slot.status)]:
        raise DomainError(
            gettext("You have already signed this version.")
            if slot.status == SignatureStatus.SIGNED
            else gettext("You have declined this version.")
        )
    slot.status = status


def slot_is_open(slot, version) -> bool:
    """The slot still waits for its signatory, on a version that can still be signed."""
    return slot.status == SignatureStatus.PENDING and version.state == VersionState.IN_SIGNATURE


def _earlier_pending(version, order):
    """Pending slots of `version` that come before `order` (values or OuterRefs)."""
    return Signature.objects.filter(
        version=version, status=SignatureStatus.PENDING, order__lt=order
    )


def signs_first(slot, version):
    """In a sequentially signed version, the pending slot that must sign before `slot`."""
    if version.signing_order != SigningOrder.SEQUENTIAL:
        return None
    return _earlier_pending(version, slot.order).select_related("signer").order_by("order").first()


def turn_filter() -> Q:
    """For a Signature queryset: the slot's turn has come (its version signs in any order, or
    no earlier slot of it is still pending). One SQL condition, no query per slot."""
    return ~Q(version__signing_order=SigningOrder.SEQUENTIAL) | ~Exists(
        _earlier_pending(OuterRef("version"), OuterRef("order"))
    )


def signers_whose_turn_it_is(version) -> list[Signature]:
    """The pending slots whose signatory may sign now (all of them, or the first in order)."""
    pending = [s for s in version.signatures.all() if s.status == SignatureStatus.PENDING]
    if version.signing_order == SigningOrder.SEQUENTIAL:
        return pending[:1]
    return pending
