"""The contract PDF the signers saw, carried unchanged inside the signed PDF.

It is embedded as an associated file with ``/AFRelationship /Source`` (PDF 2.0, PDF/A-3), in the
same incremental update the seal covers, so altering it breaks the seal.
"""

from io import BytesIO

from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

SOURCE = "/Source"


def embed_source(writer, name: str, data: bytes, description: str) -> None:
    """Attach ``data`` to the PDF being written as its source document."""
    embedded = embed.EmbeddedFileObject.from_file_data(writer, data, mime_type="application/pdf")
    spec = embed.FileSpec(
        file_spec_string=name,
        file_name=name,
        embedded_data=embedded,
        description=description,
        af_relationship=generic.NameObject(SOURCE),
    )
    embed.embed_file(writer, spec)


def embedded_source(pdf_bytes: bytes) -> bytes | None:
    """The bytes of the file embedded as the PDF's source, or None when there is none."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        associated = reader.root.get("/AF")
        for spec in associated.get_object() if associated is not None else ():
            spec = spec.get_object()
            if spec.get("/AFRelationship") == SOURCE:
                return spec["/EF"]["/F"].get_object().data
    except (PdfReadError, KeyError, TypeError, ValueError):
        return None
    return None
