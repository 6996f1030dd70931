"""Submitting a draft: freeze a numbered version and have its PDF rendered."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from slaportal.errors import DomainError
from slaportal.queueing import enqueue_on_commit

from ..audit import audit_log
from ..authoring.document import load_document
from ..authoring.sections import SECTIONS_BY_KEY
from ..lifecycle import lock_agreement, move_agreement, move_pdf
from ..models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    PdfStatus,
    Signature,
    SignerRole,
)
from .snapshot import build_snapshot, canonical_json, sha256_hex
from .tasks import render_version_pdf


class IncompleteAgreement(DomainError):
    def __init__(self, missing: dict[str, list[str]]):
        self.missing = {key: problems for key, problems in missing.items() if problems}
        lines = [
            f"{SECTIONS_BY_KEY[key].number}. {SECTIONS_BY_KEY[key].title}: {'; '.join(problems)}"
            for key, problems in self.missing.items()
        ]
        super().__init__(
            _("The agreement is not complete yet. %(details)s") % {"details": " · ".join(lines)}
        )


def create_signature_slots(version: AgreementVersion, doc) -> list[Signature]:
    """One pending slot per signatory named in the frozen document, leads first."""
    slots = []
    roles = {"marketing": SignerRole.MARKETING_LEAD, "sales": SignerRole.SALES_LEAD}
    for order, (user, capacity, kind) in enumerate(doc.signatories(), start=1):
        role = roles.get(kind, SignerRole.FURTHER)
        slots.append(
            Signature(
                version=version,
                signer=user,
                role=role,
                capacity=capacity if role == SignerRole.FURTHER else role.label,
                order=order,
            )
        )
    return Signature.objects.bulk_create(slots)


def _enqueue_render(version_id: int) -> None:
    enqueue_on_commit(render_version_pdf, version_id)  # the sweep re-sends it if the broker is down


@transaction.atomic
def agreement_submit(*, agreement, actor) -> AgreementVersion:
    """Check completeness, freeze version N, move the agreement into signature, queue the PDF."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != AgreementStatus.DRAFT:
        raise DomainError(
            _("Only a draft can be submitted; this agreement is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    locked = Agreement.objects.select_related(
        "organization", "marketing_lead", "sales_lead", "recycle_track"
    ).get(pk=locked.pk)
    doc = load_document(locked)
    missing = doc.missing_by_section()
    if any(missing.values()):
        raise IncompleteAgreement(missing)
    number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    created_at = timezone.now()
    snapshot = build_snapshot(doc, number=number, created_at=created_at, created_by=actor)
    version = AgreementVersion.objects.create(
        agreement=locked,
        number=number,
        snapshot=snapshot,
        snapshot_sha256=sha256_hex(canonical_json(snapshot)),
        created_by=actor,
        created_at=created_at,
        signing_order=locked.signing_order,
    )
    create_signature_slots(version, doc)
    move_agreement(locked, AgreementStatus.IN_SIGNATURE)
    locked.save(update_fields=["status", "updated_at"])
    audit_log(
        locked,
        actor,
        "submitted",
        f"version {number}",
        version=number,
        snapshot_sha256=version.snapshot_sha256,
    )
    _enqueue_render(version.pk)
    return version


@transaction.atomic
def version_retry_render(*, version, actor) -> AgreementVersion:
    """Queue a failed rendering again. Only a failed version can be retried, and not one that
    failed for its size."""
    if AgreementVersion.objects.filter(pk=version.pk, pdf_too_large=True).exists():
        raise DomainError(
            _("This contract is too large to render; trying again would fail the same way.")
        )
    claimed = move_pdf(
        version.pk,
        "pdf",
        PdfStatus.QUEUED,
        only_from={PdfStatus.FAILED},
        pdf_error="",
        pdf_attempts=0,  # a person decided to try again: the automatic attempts start over
    )
    if not claimed:
        raise DomainError(_("Only a PDF that failed to render can be retried."))
    agreement = lock_agreement(version.agreement_id)
    audit_log(agreement, actor, "render_retried", f"version {version.number}")
    _enqueue_render(version.pk)
    return AgreementVersion.objects.get(pk=version.pk)
