"""Contracts are tagged PDFs (PDF/UA-1), so screen readers read them in order: a structure tree
of headings, paragraphs, tables and links, the agreement's language as /Lang and its title as
the document title. The signed PDF keeps all of it, with the certificate's structure appended
and the signature stamps marked as artifacts."""

import io
import re
from collections import Counter

import pikepdf
import pytest
from pikepdf import Name, NumberTree

from agreements.models import PdfStatus
from agreements.signing.completion import certificate_html
from agreements.signing.stamping import stamp_pdf
from agreements.versions import services as version_services
from agreements.versions.contract import render_pdf
from tests.agreements.builders import template_agreement
from tests.agreements.test_signed_pdf import signed_bytes

PDF_LANG = {"en": "en", "de": "de", "zh-hans": "zh-Hans"}


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def is_object_reference(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.OBJR


def descendants(element) -> list:
    """The element and every structure element under it, in reading order (depth first)."""
    found, stack = [], [element]
    while stack:
        element = stack.pop()
        found.append(element)
        stack += reversed([kid for kid in kids(element) if is_element(kid)])
    return found


def elements(pdf: pikepdf.Pdf) -> list:
    return [e for root in kids(pdf.Root.StructTreeRoot) for e in descendants(root)]


def stored_contract(version) -> bytes:
    with version.pdf.open("rb") as handle:
        return handle.read()


def page_index(pdf: pikepdf.Pdf) -> dict:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


def marked_content_ids(page: pikepdf.Page) -> list[int]:
    return [
        int(operands[1].MCID)
        for operands, operator in pikepdf.parse_content_stream(page)
        if operator == pikepdf.Operator("BDC")
        and isinstance(operands[1], pikepdf.Dictionary)
        and "/MCID" in operands[1]
    ]


def assert_structure_is_consistent(pdf: pikepdf.Pdf) -> None:
    """Each element points at a page of this document, and each page's marked content and
    link annotations map, through the parent tree, to the element on that page that holds
    them."""
    pages = page_index(pdf)
    for element in elements(pdf):
        if "/Pg" in element:
            assert element.Pg.objgen in pages
    parents = NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    for number, page in enumerate(pdf.pages):
        mcids = marked_content_ids(page)
        if not mcids:
            continue
        owners = parents[int(page.obj.StructParents)]
        for mcid in mcids:
            assert pages[owners[mcid].Pg.objgen] == number, (number, mcid)
    for number, page in enumerate(pdf.pages):
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                owner = parents[int(annotation.StructParent)]
                objects = [k.Obj.objgen for k in kids(owner) if is_object_reference(k)]
                assert pages[owner.Pg.objgen] == number
                assert annotation.objgen in objects


def xmp_title(pdf: pikepdf.Pdf) -> str:
    with pdf.open_metadata() as xmp:
        return xmp.get("dc:title", "")


def xmp_ua_part(pdf: pikepdf.Pdf) -> str:
    xml = pdf.Root.Metadata.read_bytes().decode()
    match = re.search(r'pdfuaid:part="(\d)"', xml) or re.search(
        r"<pdfuaid:part>(\d)</pdfuaid:part>", xml
    )
    return match.group(1) if match else ""


@pytest.fixture
def contract_of(django_capture_on_commit_callbacks, organization, marketing_lead, sales_lead):
    def _contract(language):
        agreement = template_agreement(organization, marketing_lead, sales_lead, language)
        with django_capture_on_commit_callbacks(execute=True):
            version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
        version.refresh_from_db()
        assert version.pdf_status == PdfStatus.READY, version.pdf_error
        with version.pdf.open("rb") as handle:
            return agreement, open_pdf(handle.read())

    return _contract


@pytest.mark.parametrize("language", ["en", "de", "zh-hans"])
def test_the_contract_is_a_tagged_pdf_in_the_agreements_language(contract_of, language):
    agreement, pdf = contract_of(language)

    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == PDF_LANG[language]
    assert xmp_ua_part(pdf) == "1"
    # The title, not the file name, is what a reader shows and announces.
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    title = str(pdf.docinfo.Title)
    assert title.startswith(f"{agreement.title} · ")
    assert xmp_title(pdf) == title

    structure = elements(pdf)
    types = Counter(str(element.S) for element in structure)
    assert types["/Document"] == 1
    assert types["/H1"] == 1  # the cover's title
    assert types["/H2"] >= 14  # the contents and the thirteen sections
    assert types["/P"] > 20 and types["/Table"] > 5 and types["/TH"] > 10 and types["/TD"] > 50
    assert types["/Link"] >= 13  # the contents' entries
    # In reading order: the title first, then the headings page after page.
    headings = [element for element in structure if element.S in (Name.H1, Name.H2)]
    assert headings[0].S == Name.H1
    pages = page_index(pdf)
    on_pages = [pages[heading.Pg.objgen] for heading in headings]
    assert on_pages == sorted(on_pages)
    assert_structure_is_consistent(pdf)


def test_the_signed_pdf_stays_tagged_with_the_certificate_in_its_structure(sealed):
    contract = open_pdf(stored_contract(sealed))
    signed = open_pdf(signed_bytes(sealed))

    assert signed.Root.MarkInfo.Marked is True
    assert str(signed.Root.Lang) == "en"
    assert signed.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(signed.docinfo.Title) == str(contract.docinfo.Title)
    assert_structure_is_consistent(signed)
    # The certificate is a part of its own after the contract, on the appended pages.
    (document,) = kids(signed.Root.StructTreeRoot)
    certificate = kids(document)[-1]
    assert certificate.get("/S") == Name.Part
    pages = page_index(signed)
    certificate_pages = {
        pages[element.Pg.objgen] for element in descendants(certificate) if "/Pg" in element
    }
    assert min(certificate_pages) == len(contract.pages)
    assert Name.H1 in {element.S for element in descendants(certificate)}
    assert len(elements(signed)) > len(elements(contract))


def test_the_signature_stamps_are_artifacts(sealed):
    signed = open_pdf(signed_bytes(sealed))
    slot = sealed.signature_boxes["slots"][str(sealed.agreement.sales_lead_id)]
    page = signed.pages[slot["page"]]

    marked, stamps = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        if operator in (pikepdf.Operator("BDC"), pikepdf.Operator("BMC")):
            marked.append(operands[0])
        elif operator == pikepdf.Operator("EMC"):
            marked.pop()
        elif operator == pikepdf.Operator("Do") and str(operands[0]).startswith("/Stamp"):
            stamps += 1
            assert marked == [Name.Artifact]
    assert stamps == 1


def test_the_certificate_carries_its_language_and_title(sealed):
    pdf = open_pdf(render_pdf(certificate_html(sealed), identifier="c", contract_css=False).pdf)

    assert str(pdf.Root.Lang) == "en"
    assert str(pdf.docinfo.Title) == f"Certificate of completion · {sealed.document_id}"
    assert pdf.Root.MarkInfo.Marked is True


def test_a_certificate_appended_to_an_untagged_contract_brings_no_dangling_structure():
    page = '<html lang="en"><title>{0}</title><body><h1>{0}</h1><p>Text.</p></body></html>'
    legacy = render_pdf(page.format("Contract"), identifier="a", tagged=False).pdf
    certificate = render_pdf(page.format("Certificate"), identifier="b").pdf

    stamped = open_pdf(
        stamp_pdf(legacy, overlays=None, onto_pages=[], appendix=certificate, appendix_title="C")
    )

    assert "/StructTreeRoot" not in stamped.Root
    assert all("/StructParents" not in page.obj for page in stamped.pages)


def test_two_tagged_documents_join_into_one_consistent_structure():
    page = '<html lang="en"><title>{0}</title><body><h1>{0}</h1><table><tr><th>A</th></tr>'
    page += "<tr><td>{0}</td></tr></table><p><a href='https://example.com'>link</a></p></body>"
    contract = render_pdf(page.format("Contract"), identifier="a").pdf
    certificate = render_pdf(page.format("Certificate"), identifier="b").pdf

    joined = open_pdf(
        stamp_pdf(contract, overlays=None, onto_pages=[], appendix=certificate, appendix_title="C")
    )

    assert_structure_is_consistent(joined)
    keys = [int(page.obj.StructParents) for page in joined.pages]
    assert len(set(keys)) == len(keys)
    links = [a for page in joined.pages for a in page.obj.get("/Annots", ())]
    assert len({int(a.StructParent) for a in links} | set(keys)) == len(links) + len(keys)
    ids = [str(e.ID) for e in elements(joined) if "/ID" in e]
    assert len(ids) == len(set(ids)) == 2
