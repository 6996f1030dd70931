"""Stamping onto an existing PDF: overlay pages laid over chosen pages, more pages appended.

The contract's own pages keep their content streams, fonts and numbering; each overlay page is
added as a form XObject drawn after the page's content, so nothing the signers saw moves.

The contract is a tagged PDF (PDF/UA). The overlays are drawn as artifacts: the signature
images and times repeat what the appended certificate states in words. A tagged appendix
brings its structure tree along, as a part after the contract's, so a screen reader reads the
certificate too; an untagged one (or an untagged contract, rendered before contracts were
tagged) is appended without structure.
"""

from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, Rectangle


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
                    overlay_as_artifact(document.pages[index], stamp)
        first_appended = len(document.pages)
        append_pages(document, extra)
        with document.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(appendix_title, first_appended))
        output = BytesIO()
        document.save(output, deterministic_id=True)
        return output.getvalue()


def overlay_as_artifact(page: pikepdf.Page, overlay: pikepdf.Page) -> None:
    """Draw ``overlay`` over ``page`` as pikepdf's add_overlay does, inside an /Artifact marked
    content sequence: in a tagged PDF, content outside the structure tree must say so."""
    form = overlay.as_form_xobject()
    name = page.add_resource(form, Name.XObject, prefix="Stamp")
    placement = page.calc_form_xobject_placement(form, name, Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)  # the page's graphics state ends before the stamp
    page.contents_add(b"Q\n/Artifact BMC\n" + placement + b"\nEMC\n")
    page.contents_coalesce()


def is_tagged(pdf: pikepdf.Pdf) -> bool:
    return "/StructTreeRoot" in pdf.Root


def append_pages(document: pikepdf.Pdf, extra: pikepdf.Pdf) -> None:
    """Add the pages of ``extra`` at the end of ``document``, with their structure when both
    are tagged."""
    first = len(document.pages)
    document.pages.extend(extra.pages)
    appended = [page.obj for page in document.pages[first:]]
    if is_tagged(document) and is_tagged(extra):
        _graft_structure(document, extra, appended)
    else:
        _untag(appended)


def _graft_structure(document: pikepdf.Pdf, extra: pikepdf.Pdf, appended: list) -> None:
    """Hang the structure of ``extra`` (whose pages are ``appended``) under the document's
    /Document element, its own /Document becoming a /Part, and renumber its parent tree keys
    after the document's."""
    root = document.Root.StructTreeRoot
    parents = NumberTree(root.ParentTree)
    offset = max(parents.keys(), default=-1) + 1
    for page in appended:
        _shift_parent_keys(page, offset)
    # Copied after the pages: pikepdf maps each page the structure points to onto its copy.
    extra_root = document.copy_foreign(extra.Root.StructTreeRoot)
    tops = _kids(root)
    container = tops[0] if len(tops) == 1 else root  # WeasyPrint's single /Document
    grafted = _kids(extra_root)
    for element in grafted:
        if element.get("/S") == Name.Document:
            element.S = Name.Part
        element.P = container
        _prefix_ids(element, "appendix-")
    container.K = Array([*_kids(container), *grafted])
    for key, parent in NumberTree(extra_root.ParentTree).items():
        parents[key + offset] = parent
    root.ParentTreeNextKey = max(parents.keys()) + 1


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _shift_parent_keys(page, offset: int) -> None:
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _prefix_ids(element, prefix: str) -> None:
    """Element IDs (table header cells) are unique per PDF; two PDFs' IDs may collide, so the
    appended ones, and the table cells' /Headers pointing at them, get a prefix."""
    stack = [element]
    while stack:
        element = stack.pop()
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array(
                [pikepdf.String(prefix + str(header)) for header in attributes.Headers]
            )
        stack += [kid for kid in _kids(element) if _is_element(kid)]


def _is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem


def _untag(pages: list) -> None:
    """Pages without a structure tree to point into: no parent tree keys."""
    for page in pages:
        if "/StructParents" in page:
            del page.StructParents
        for annotation in page.get("/Annots", ()):
            if "/StructParent" in annotation:
                del annotation.StructParent
