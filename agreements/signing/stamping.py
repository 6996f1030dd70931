"""Stamping onto an existing PDF: overlay pages laid over chosen pages, more pages appended.

The contract's own pages keep their content streams, fonts and numbering; each overlay page is
added as a form XObject drawn after the page's content, so nothing the signers saw moves.
"""

from io import BytesIO

import pikepdf


def stamp_pdf(
    pdf: bytes,
    *,
    overlays: bytes | None,
    onto_pages: list[int],
    appendix: bytes,
    appendix_title: str,
) -> bytes:
    """``pdf`` with the i-th page of ``overlays`` drawn over its page ``onto_pages[i]`` and the
    pages of ``appendix`` added at the end, with an outline entry ``appendix_title``."""
    with (
        pikepdf.open(BytesIO(pdf)) as document,
        pikepdf.open(BytesIO(appendix)) as extra,
    ):
        if overlays:
            with pikepdf.open(BytesIO(overlays)) as stamps:
                if len(stamps.pages) != len(onto_pages):
                    raise ValueError(
                        f"{len(stamps.pages)} stamp pages for {len(onto_pages)} contract pages"
                    )
                for stamp, index in zip(stamps.pages, onto_pages, strict=True):
                    document.pages[index].add_overlay(stamp)
        first_appended = len(document.pages)
        document.pages.extend(extra.pages)
        with document.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(appendix_title, first_appended))
        output = BytesIO()
        document.save(output, deterministic_id=True)
        return output.getvalue()
