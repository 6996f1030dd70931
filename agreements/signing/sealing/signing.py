"""Seal a PDF: one invisible PAdES signature over the whole document.

With the organisation's CA known, the seal is PAdES B-LT: the CA certificate and its current CRL
go into the document security store (DSS), so the seal can be checked offline, years later.
With a timestamp authority it is B-LTA: the signature is timestamped (B-T) and a document
timestamp is added after the DSS, protecting the validation data too.
"""

import logging
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import certifi
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError

from agreements.models.seal import OrganizationSealKey

from .embedded import Attachment, embed_attachment
from .keystore import current_crl, load_signer
from .loops import outside_event_loop

logger = logging.getLogger(__name__)

SEAL_FIELD_NAME = "SLAPortalSeal"
TIMESTAMP_FIELD_NAME = "SLAPortalArchiveTimestamp"
TIMESTAMP_TIMEOUT_SECONDS = 10


def seal_pdf(
    pdf_bytes: bytes,
    seal_key: OrganizationSealKey,
    *,
    reason: str,
    location: str = "",
    field_name: str = SEAL_FIELD_NAME,
    timestamp_url: str | None = None,
    timestamp_roots_pem: Sequence[str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """The PDF with a PAdES seal appended as incremental updates.

    B-LT when the seal key's CA is known (B-B otherwise), B-LTA with a TSA URL (B-T when the
    validation data cannot be gathered: logged, and sealed anyway). ``timestamp_roots_pem`` are
    the roots the TSA's certificate chains to, needed to embed its validation data (default:
    settings.SEAL_TIMESTAMP_ROOTS, else certifi's bundle).

    Raises pyHanko's errors as they are: a PDF it cannot read, a field name already signed, or
    (with `timestamp_url`) pyhanko.sign.timestamps.TimestampRequestError when the timestamp
    authority is unreachable, which a task may retry. ``attachments`` (the contract the signers saw,
    the audit trail) are embedded unchanged inside the sealed update.
    """
    timestamper = (
        HTTPTimeStamper(timestamp_url, timeout=TIMESTAMP_TIMEOUT_SECONDS) if timestamp_url else None
    )
    signer = load_signer(seal_key)

    def sign(validation_context: ValidationContext | None) -> bytes:
        long_term = validation_context is not None
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            embed_validation_info=long_term,
            validation_context=validation_context,
            # Verification accepts digitalSignature or nonRepudiation; demand neither here.
            signer_key_usage=set(),
            use_pades_lta=long_term and timestamper is not None,
            timestamp_field_name=TIMESTAMP_FIELD_NAME,
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
        for attachment in attachments:
            embed_attachment(writer, attachment)
        # No new_field_spec: pyHanko then creates the field without a widget box, i.e. invisible.
        output = outside_event_loop(
            lambda: signers.sign_pdf(writer, metadata, signer=signer, timestamper=timestamper)
        )
        return output.getvalue()

    validation_context = _validation_context(
        seal_key, timestamp_roots_pem if timestamper else (), timestamped=timestamper is not None
    )
    if validation_context is None:
        return sign(None)
    try:
        return sign(validation_context)
    except (SigningError, PathError, ValidationError):
        logger.warning(
            "Cannot gather validation data for the seal of organisation %s; sealing without it",
            seal_key.organization_id,
            exc_info=True,
        )
        return sign(None)


def _validation_context(
    seal_key: OrganizationSealKey, timestamp_roots_pem: Sequence[str] | None, *, timestamped: bool
) -> ValidationContext | None:
    """The CA as trust root, its CRL given: what the DSS will hold. No network access."""
    if not seal_key.ca_certificate_pem:
        return None
    roots = _certificates(seal_key.ca_certificate_pem)
    if timestamped:
        for pem in timestamp_roots_pem or [_default_timestamp_roots()]:
            roots += _certificates(pem)
    crl = current_crl(seal_key)
    return ValidationContext(
        trust_roots=roots,
        other_certs=_certificates(seal_key.chain_pem),
        crls=[crl] if crl else [],
        allow_fetching=False,
    )


def _default_timestamp_roots() -> str:
    path = settings.SEAL_TIMESTAMP_ROOTS or certifi.where()
    return Path(path).read_text(encoding="ascii", errors="ignore")


def _certificates(pem: str) -> list:
    return list(load_certs_from_pemder_data(pem.encode())) if pem.strip() else []
