"""The contract PDF the signers saw, carried unchanged inside the signed PDF.

It is embedded as an associated file with ``/AFRelationship /Source`` (PDF 2.0, PDF/A-3), in the
same incremental update the seal covers, so altering it breaks the seal.
"""

from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

SOURCE = "/Source"


@dataclass(frozen=True)
class Attachment:
    """A file carried inside a sealed PDF, in the update the seal covers."""

    name: str
    data: bytes
    description: str
    relationship: str  # PDF 2.0 /AFRelationship: SOURCE for the original, "/Supplement", ...
    mime_type: str


def embed_attachment(writer, attachment: Attachment) -> None:
    """Attach a file to the PDF being written, as an associated file of the document."""
    embedded = embed.EmbeddedFileObject.from_file_data(
        writer, attachment.data, mime_type=attachment.mime_type
    )
    spec = embed.FileSpec(
        file_spec_string=attachment.name,
        file_name=attachment.name,
        embedded_data=embedded,
        description=attachment.description,
        af_relationship=generic.NameObject(attachment.relationship),
    )
    embed.embed_file(writer, spec)


def embedded_source(pdf_bytes: bytes) -> bytes | None:
    """The bytes of the file embedded as the PDF's source, or None when there is none."""
    return embedded_file(pdf_bytes, SOURCE)


def embedded_file(pdf_bytes: bytes, relationship: str, name_suffix: str = "") -> bytes | None:
    """The first associated file with that relationship (and a name ending so), or None."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        associated = reader.root.get("/AF")
        for spec in associated.get_object() if associated is not None else ():
            spec = spec.get_object()
            if spec.get("/AFRelationship") == relationship and str(
                spec.get("/UF", spec.get("/F", ""))
            ).endswith(name_suffix):
                return spec["/EF"]["/F"].get_object().data
    except (PdfReadError, KeyError, TypeError, ValueError):
        return None
    return None
