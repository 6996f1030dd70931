"""Is this PDF an intact signed version issued by this portal?

The file's SHA-256 is looked up among the recorded hashes of signed PDFs: a match means it is
byte for byte what the portal issued. The PAdES seal is checked too and reported alongside; when
there is no match, a seal this portal's organisations made tells "altered" from "unknown".
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import audit_log
from ..models import Agreement, AgreementVersion, OrganizationSealKey
from ..versions.snapshot import sha256_hex
from .sealing import SealStatus, verify_sealed_pdf


@dataclass(frozen=True)
class Verdict:
    status: str  # "intact" | "altered" | "unknown" | "invalid"
    message: str
    document_sha256: str
    version: AgreementVersion | None = None
    signatures: list = field(default_factory=list)
    seal_message: str = ""

    @property
    def is_intact(self) -> bool:
        return self.status == "intact"


def verify_document(pdf_bytes: bytes, *, actor=None) -> Verdict:
    digest = sha256_hex(pdf_bytes)
    version = (
        AgreementVersion.objects.select_related("agreement__organization")
        .filter(signed_pdf_sha256=digest)
        .first()
    )
    if version:
        roots = OrganizationSealKey.objects.filter(organization=version.agreement.organization)
    else:
        roots = OrganizationSealKey.objects.all()
    seal = verify_sealed_pdf(
        pdf_bytes, [key.ca_certificate_pem for key in roots if key.ca_certificate_pem]
    )
    if seal.status == SealStatus.INVALID:
        return Verdict("invalid", seal.message, digest)
    if version:  # byte-identical to what was issued; the seal's own verdict is shown alongside
        _record_verification(version, actor)
        signatures = list(version.signatures.select_related("signer").order_by("order"))
        return Verdict(
            "intact",
            _("This is an intact signed version issued by SLA Portal."),
            digest,
            version=version,
            signatures=signatures,
            seal_message=seal.message,
        )
    if seal.status == SealStatus.ALTERED or (seal.status == SealStatus.INTACT and not version):
        return Verdict(
            "altered",
            _("This document was altered after it was signed and sealed. Do not rely on it."),
            digest,
            seal_message=seal.message,
        )
    return Verdict(
        "unknown",
        _("This document is not a signed version issued by SLA Portal."),
        digest,
        seal_message=seal.message,
    )


def _record_verification(version, actor) -> None:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=version.agreement_id)
        audit_log(agreement, actor, "verified", f"version {version.number} signed PDF")
