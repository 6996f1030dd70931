"""Seal a PDF: one invisible PAdES signature over the whole document."""

from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper

from agreements.models.seal import OrganizationSealKey

from .embedded import embed_source
from .keystore import load_signer
from .loops import outside_event_loop

SEAL_FIELD_NAME = "SLAPortalSeal"
TIMESTAMP_TIMEOUT_SECONDS = 10


def seal_pdf(
    pdf_bytes: bytes,
    seal_key: OrganizationSealKey,
    *,
    reason: str,
    location: str = "",
    field_name: str = SEAL_FIELD_NAME,
    timestamp_url: str | None = None,
    source: tuple[str, bytes, str] | None = None,
) -> bytes:
    """The PDF with a PAdES B-B seal appended as an incremental update (B-T with a TSA URL).

    Raises pyHanko's errors as they are: a PDF it cannot read, a field name already signed, or
    (with `timestamp_url`) pyhanko.sign.timestamps.TimestampRequestError when the timestamp
    authority is unreachable, which a task may retry. ``source`` (name, bytes, description) is
    embedded unchanged as the document the seal's PDF was made from, inside the sealed update.
    """
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = (
        HTTPTimeStamper(timestamp_url, timeout=TIMESTAMP_TIMEOUT_SECONDS) if timestamp_url else None
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    if source:
        embed_source(writer, *source)
    # No new_field_spec: pyHanko then creates the field without a widget box, i.e. invisible.
    signer = load_signer(seal_key)
    output = outside_event_loop(
        lambda: signers.sign_pdf(writer, metadata, signer=signer, timestamper=timestamper)
    )
    return output.getvalue()
