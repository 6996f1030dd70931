"""Check a sealed PDF against the trust roots the caller knows, for people to read the answer.

Call from synchronous code (views, tasks): pyHanko's validate_pdf_signature runs its own event
loop.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    KeyUsageConstraints,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from .loops import outside_event_loop

logger = logging.getLogger(__name__)

# pyHanko's default demands nonRepudiation; generated seal certificates have both, and many
# uploaded document-signing certificates only have digitalSignature. One of the two suffices.
SEAL_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
EXPIRED = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}

NOT_A_PDF = "This file is not a readable PDF document."
NOT_SEALED = "This document has not been sealed."
SEAL_DAMAGED = "The document's seal is damaged: the file has been tampered with."


class SealStatus(StrEnum):
    INTACT = "intact"  # valid, covers the whole file, issued under one of the trust roots
    ALTERED = "altered"  # sealed, but changed afterwards or the signature does not hold
    UNTRUSTED = "untrusted"  # cryptographically intact, but not issued under a known root
    UNSIGNED = "unsigned"  # a readable PDF without any signature
    INVALID = "invalid"  # not a PDF, or unreadable


@dataclass(frozen=True)
class VerificationResult:
    status: SealStatus
    message: str
    document_sha256: str
    signer_subject: str = ""
    # Matches OrganizationSealKey.fingerprint_sha256: which key sealed, beyond "some trusted root".
    signer_fingerprint_sha256: str = ""
    # From a timestamp authority when `timestamped`, otherwise the signer's own clock.
    signing_time: datetime | None = None
    timestamped: bool = False
    # The seal covers everything but validation data added after it (a DSS, document
    # timestamps: PAdES B-LT/B-LTA), which cannot change what the document says.
    covers_whole_file: bool = False

    @property
    def is_intact(self) -> bool:
        return self.status == SealStatus.INTACT


def verify_sealed_pdf(
    pdf_bytes: bytes,
    trust_roots_pem: Sequence[str],
    *,
    timestamp_roots_pem: Sequence[str] = (),
) -> VerificationResult:
    """Judge the document's last signature. Never raises on bad `pdf_bytes`.

    Timestamp tokens are checked against `timestamp_roots_pem` (default: `trust_roots_pem`).
    An untrusted timestamp does not make the seal untrusted, it only leaves `timestamped`
    False; a broken one makes the document "altered".
    """
    document_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    signer_context = _validation_context(trust_roots_pem)
    timestamp_context = _validation_context(timestamp_roots_pem or trust_roots_pem)
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes))
    except Exception:  # verification boundary: whatever the bytes are, unreadable is a result
        logger.info("Unreadable PDF given for verification", exc_info=True)
        return VerificationResult(SealStatus.INVALID, NOT_A_PDF, document_sha256)
    try:
        signatures = reader.embedded_regular_signatures
        if not signatures:
            return VerificationResult(SealStatus.UNSIGNED, NOT_SEALED, document_sha256)
        # The signature added last is the only one that can cover the whole file.
        status = outside_event_loop(
            lambda: validate_pdf_signature(
                signatures[-1],
                signer_validation_context=signer_context,
                ts_validation_context=timestamp_context,
                key_usage_settings=SEAL_KEY_USAGE,
            )
        )
    except Exception:  # verification boundary: a readable PDF whose seal cannot be parsed
        logger.info("Unparseable signature given for verification", exc_info=True)
        return VerificationResult(SealStatus.ALTERED, SEAL_DAMAGED, document_sha256)
    return _result(status, document_sha256, _ends_with_a_revision(pdf_bytes))


def _ends_with_a_revision(pdf_bytes: bytes) -> bool:
    """Nothing follows the last revision's end-of-file marker (whitespace aside)."""
    return pdf_bytes.rstrip(b"\r\n\t \x00").endswith(b"%%EOF")


def _validation_context(roots_pem: Sequence[str]) -> ValidationContext:
    # No fetching: verification must not depend on (or leak to) the network. Revocation is
    # soft-fail: a seal whose CRL cannot be had here is judged on its chain alone.
    return ValidationContext(trust_roots=_certificates(roots_pem), allow_fetching=False)


def _certificates(pems: Sequence[str]) -> list[asn1_x509.Certificate]:
    return [
        certificate
        for pem in pems
        if pem.strip()
        for certificate in load_certs_from_pemder_data(pem.encode())
    ]


def _result(
    status: PdfSignatureStatus, document_sha256: str, ends_with_a_revision: bool
) -> VerificationResult:
    covers = _covers_document(status, ends_with_a_revision)
    verdict, message = _verdict(status, covers)
    timestamp = status.timestamp_validity
    timestamped = timestamp is not None and timestamp.trusted
    return VerificationResult(
        status=verdict,
        message=message,
        document_sha256=document_sha256,
        signer_subject=_subject(status),
        signer_fingerprint_sha256=status.signing_cert.sha256.hex(),
        signing_time=timestamp.timestamp if timestamped else status.signer_reported_dt,
        timestamped=timestamped,
        covers_whole_file=covers,
    )


def _covers_document(status: PdfSignatureStatus, ends_with_a_revision: bool) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
        and ends_with_a_revision
    )


def _verdict(status: PdfSignatureStatus, covers: bool) -> tuple[SealStatus, str]:
    """Like status.bottom_line, except that trusting the timestamp authority is not required."""
    if not status.intact:
        return SealStatus.ALTERED, "The document has been modified after it was sealed."
    if not status.valid or not _timestamp_sound(status) or not status.seed_value_ok:
        return SealStatus.ALTERED, SEAL_DAMAGED
    if not covers:
        return SealStatus.ALTERED, "Something was added to the document after it was sealed."
    if not status.trusted:
        return SealStatus.UNTRUSTED, _untrusted_message(status)
    return SealStatus.INTACT, f"The document is exactly as {_sealer(status)} sealed it."


def _timestamp_sound(status: PdfSignatureStatus) -> bool:
    timestamp = status.timestamp_validity
    return timestamp is None or (timestamp.intact and timestamp.valid)


def _untrusted_message(status: PdfSignatureStatus) -> str:
    sealer = _sealer(status)
    if status.trust_problem_indic in EXPIRED:
        return (
            f"The document is unchanged since {sealer} sealed it, "
            "but their certificate is not valid at this time (it may have expired)."
        )
    if status.trust_problem_indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return (
            f"The document is unchanged since {sealer} sealed it, "
            "but that is not an organisation this portal trusts."
        )
    return (
        f"The document is unchanged since {sealer} sealed it, "
        "but their certificate could not be trusted."
    )


def _subject(status: PdfSignatureStatus) -> str:
    """The signer's distinguished name as RFC 4514 writes it: `CN=...,O=...`."""
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    return certificate.subject.rfc4514_string()


def _sealer(status: PdfSignatureStatus) -> str:
    """Who sealed, for a sentence: the certificate's organisation, else its common name."""
    subject = status.signing_cert.subject
    names = subject.native
    return names.get("organization_name") or names.get("common_name") or subject.human_friendly
