"""Is this PDF an intact signed version issued by this portal, or the original its signers saw?

The file's SHA-256 is looked up among the recorded hashes of signed PDFs: a match means it is
byte for byte what the portal issued. The PAdES seal is checked too and reported alongside; when
there is no match, a seal this portal's organisations made tells "altered" from "unknown". A
signed PDF carries the contract its signers saw; its hash is compared with the one each signature
recorded. A file that is that contract itself is recognised as the unsigned original.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import audit_log
from ..lifecycle import lock_agreement
from ..models import (
    AgreementVersion,
    OrganizationSealKey,
    SignatureStatus,
    VersionState,
)
from ..versions.snapshot import sha256_hex
from .sealing import SealStatus, embedded_source, verify_sealed_pdf


@dataclass(frozen=True)
class Verdict:
    status: str  # "intact" | "original" | "altered" | "unknown" | "invalid"
    message: str
    document_sha256: str
    version: AgreementVersion | None = None
    signatures: list = field(default_factory=list)
    seal_message: str = ""
    # The contract embedded in a signed PDF: its hash, and whether every signature recorded it
    # (None when the PDF carries none: signed before the original was embedded).
    original_sha256: str = ""
    original_matches: bool | None = None
    superseded_by: AgreementVersion | None = None  # a later signed version is in force
    # The organisation key whose CA vouches for the seal: its CA certificate can be downloaded.
    seal_key: OrganizationSealKey | None = None

    @property
    def is_intact(self) -> bool:
        return self.status == "intact"


def verify_document(pdf_bytes: bytes, *, actor=None) -> Verdict:
    """The verdict on a PDF. A verification by a signed-in person is written to the agreement's
    audit trail; anonymous visitors leave no trace (the page is public and rate-limited)."""
    digest = sha256_hex(pdf_bytes)
    version = _versions().filter(signed_pdf_sha256=digest).first()
    if version is None:
        original_of = _versions().filter(pdf_sha256=digest).first()
        if original_of is not None:
            return _original(original_of, digest)
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
        if actor is not None:
            _record_verification(version, actor)
        seal_key = _sealing_key(roots, seal) if seal.is_intact else None
        return _intact(version, digest, seal.message, embedded_source(pdf_bytes), seal_key)
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


def _sealing_key(keys, seal) -> OrganizationSealKey | None:
    """The key (current or retired) with the sealing certificate, if its CA is known."""
    for key in keys:
        if key.fingerprint_sha256 == seal.signer_fingerprint_sha256 and key.ca_fingerprint_sha256:
            return key
    return None


def _versions():
    return AgreementVersion.objects.select_related("agreement__organization")


def _signatures(version) -> list:
    signed = version.signatures.filter(status=SignatureStatus.SIGNED)
    return list(signed.select_related("signer").order_by("order"))


def _intact(version, digest, seal_message, original: bytes | None, seal_key=None) -> Verdict:
    signatures = _signatures(version)
    original_sha256 = sha256_hex(original) if original is not None else ""
    matches = None
    if original is not None:
        recorded = {signature.pdf_sha256 for signature in signatures} | {version.pdf_sha256}
        matches = recorded == {original_sha256}
    return Verdict(
        "intact",
        _("This is an intact signed version issued by SLA Portal."),
        digest,
        version=version,
        signatures=signatures,
        seal_message=seal_message,
        original_sha256=original_sha256,
        original_matches=matches,
        superseded_by=_later_signed_version(version),
        seal_key=seal_key,
    )


def _original(version, digest) -> Verdict:
    if version.state == VersionState.SIGNED or version.state == VersionState.SUPERSEDED:
        message = _(
            "This is the unsigned contract of version %(number)s: the document its signers saw "
            "and whose SHA-256 each signature recorded. It carries no signatures itself."
        )
    else:
        message = _(
            "This is the contract of version %(number)s as it was sent for signature. It carries "
            "no signatures itself."
        )
    return Verdict(
        "original",
        message % {"number": version.number},
        digest,
        version=version,
        signatures=_signatures(version),
        superseded_by=_later_signed_version(version),
    )


def _later_signed_version(version) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(
            agreement_id=version.agreement_id,
            number__gt=version.number,
            state=VersionState.SIGNED,
        )
        .order_by("-number")
        .first()
    )


def _record_verification(version, actor) -> None:
    with transaction.atomic():
        agreement = lock_agreement(version.agreement_id)
        audit_log(agreement, actor, "verified", f"version {version.number} signed PDF")
