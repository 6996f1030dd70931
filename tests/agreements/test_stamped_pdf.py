"""The signed PDF is the contract the signers saw, stamped: its pages are not laid out again,
the signatures land in the slots the contract's layout recorded, the certificate is appended
and summarises the trail, and the whole trail travels inside the file as JSON."""

import io
import json
import subprocess
from datetime import UTC

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from agreements.audit import audit_log
from agreements.models import AgreementVersion
from agreements.signing.completion import completed_pdf
from agreements.signing.sealing import embedded_file, embedded_source
from agreements.signing.trail import VERSION_EVENTS_SHOWN
from agreements.versions.snapshot import sha256_hex
from organizations.models import PaperSize
from tests.agreements.test_signed_pdf import signed_bytes

CSS_PX_TO_PT = 0.75


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def raster(pdf: bytes, page_number: int, tmp_path, name: str) -> Image.Image:
    """One page at 72 dpi (one pixel per PDF point), through poppler."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            "-f",
            str(page_number),
            "-l",
            str(page_number),
            "-png",
            str(source),
            str(tmp_path / name),
        ],
        check=True,
    )
    (image_path,) = tmp_path.glob(f"{name}-*.png")
    return Image.open(image_path).convert("RGB")


def test_the_contract_pages_keep_their_numbering_and_the_certificate_follows(sealed):
    original = embedded_source(signed_bytes(sealed))
    contract_pages = page_texts(original)
    signed_pages = page_texts(signed_bytes(sealed))

    count = sealed.page_count
    assert len(contract_pages) == count
    assert len(signed_pages) > count
    # The signers saw "Page 9 of 9": the signed copy's contract pages still say so.
    assert f"Page {count} of {count}" in signed_pages[count - 1]
    for before, after in zip(contract_pages[: count - 1], signed_pages[: count - 1], strict=True):
        assert before == after
    assert signed_pages[count].startswith("Certificate of completion Agreement Acme SLA")
    assert f"Page 1 of {len(signed_pages) - count}" in signed_pages[count]


def test_pages_without_a_signature_slot_keep_their_exact_content(sealed):
    with (
        pikepdf.open(io.BytesIO(embedded_source(signed_bytes(sealed)))) as original,
        pikepdf.open(io.BytesIO(signed_bytes(sealed))) as signed,
    ):
        stamped = {slot["page"] for slot in sealed.signature_boxes["slots"].values()}
        for index, page in enumerate(original.pages):
            before = page.Contents.read_bytes()
            after = signed.pages[index].Contents.read_bytes()
            if index in stamped:
                # The page's own drawing is kept whole, its graphics state saved and restored
                # around it; the stamp is drawn after it.
                assert after.startswith(b"q\n" + before + b"\nQ\n") and b" Do" in after[-80:]
            else:
                assert after == before


def test_the_signatures_and_times_land_inside_their_slots_and_nowhere_else(sealed, tmp_path):
    boxes = sealed.signature_boxes
    (page_index,) = {slot["page"] for slot in boxes["slots"].values()}
    before = raster(embedded_source(signed_bytes(sealed)), page_index + 1, tmp_path, "before")
    after = raster(signed_bytes(sealed), page_index + 1, tmp_path, "after")

    changed = (
        ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v > 40 else 0)
    )
    assert changed.getbbox() is not None  # something was stamped

    def inside(rect):
        x, y, w, h = (value * CSS_PX_TO_PT for value in rect)
        region = changed.crop((int(x), int(y), int(x + w) + 1, int(y + h) + 1))
        return region.getbbox() is not None

    for signer, slot in boxes["slots"].items():
        assert inside(slot["line"]), f"no signature drawn in signer {signer}'s line"
        assert inside(slot["date"]), f"no signing time written in signer {signer}'s date slot"
    # Blank out every slot: no other pixel of the page may have changed.
    for slot in boxes["slots"].values():
        for rect in (slot["line"], slot["date"]):
            x, y, w, h = (value * CSS_PX_TO_PT for value in rect)
            changed.paste(0, (int(x) - 1, int(y) - 1, int(x + w) + 2, int(y + h) + 2))
    assert changed.getbbox() is None


def test_the_signing_times_are_printed_in_utc(sealed):
    signature_page = page_texts(signed_bytes(sealed))[sealed.page_count - 1]
    for signature in sealed.signatures.all():
        moment = signature.signed_at.astimezone(UTC)
        assert f"{moment:%H:%M} UTC" in signature_page


def test_the_full_trail_is_attached_as_json_and_its_hash_is_on_the_certificate(sealed):
    data = embedded_file(signed_bytes(sealed), "/Supplement", ".json")
    trail = json.loads(data)
    entries = list(sealed.agreement.audit_entries.order_by("sequence"))
    sealed_entry = entries[-1]  # written after the file was built
    assert sealed_entry.action == "sealed"
    recorded = [(row["sequence"], row["entry_hash"]) for row in trail["entries"]]
    assert recorded == [(entry.sequence, entry.entry_hash) for entry in entries[:-1]]
    assert trail["head_when_completed"] == {
        "sequence": sealed.audit_head_sequence,
        "entry_hash": sealed.audit_head_hash,
    }
    certificate = " ".join(page_texts(signed_bytes(sealed))[sealed.page_count :])
    assert sha256_hex(data) in certificate.replace(" ", "") or sha256_hex(data)[:32] in certificate


def test_the_certificate_summarises_a_long_trail_instead_of_listing_it(sealed, marketing_lead):
    agreement = sealed.agreement
    for _ in range(VERSION_EVENTS_SHOWN + 15):
        audit_log(agreement, marketing_lead, "viewed", f"version {sealed.number}")
    for _ in range(200):
        audit_log(agreement, marketing_lead, "edited", "goal")
    version = AgreementVersion.objects.get(pk=sealed.pk)

    built = completed_pdf(version)

    total = agreement.audit_entries.count()
    pages = page_texts(built.pdf)[version.page_count :]
    certificate = " ".join(pages)
    assert len(pages) <= 3
    assert f"{total} entries" in certificate
    assert "earlier events of this version are in the attached trail" in certificate
    (trail,) = [a for a in built.attachments if a.relationship == "/Supplement"]
    assert len(json.loads(trail.data)["entries"]) == total


def test_a_version_rendered_before_slots_were_recorded_is_stamped_after_a_fresh_layout(sealed):
    AgreementVersion.objects.filter(pk=sealed.pk).update(signature_boxes={})
    version = AgreementVersion.objects.get(pk=sealed.pk)

    built = completed_pdf(version)

    signature_page = page_texts(built.pdf)[version.page_count - 1]
    moment = version.signatures.first().signed_at.astimezone(UTC)
    assert f"{moment:%H:%M} UTC" in signature_page


def test_when_the_layout_has_moved_the_signatures_are_only_on_the_certificate(sealed):
    AgreementVersion.objects.filter(pk=sealed.pk).update(signature_boxes={})
    version = AgreementVersion.objects.get(pk=sealed.pk)
    # Laid out today, the contract would not come out as the signers saw it.
    version.agreement.organization.paper_size = PaperSize.LETTER
    version.agreement.organization.save()

    built = completed_pdf(version)

    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        contract_page = pdf.pages[sealed.page_count - 1]
        assert not isinstance(contract_page.Contents, pikepdf.Array)  # nothing stamped on it
        certificate_images = [
            name for page in pdf.pages[sealed.page_count :] for name in page.get_images()
        ]
    assert len(certificate_images) == version.signatures.count()


def test_a_stored_contract_that_no_longer_matches_its_hash_is_never_signed(sealed):
    AgreementVersion.objects.filter(pk=sealed.pk).update(pdf_sha256="0" * 64)
    version = AgreementVersion.objects.get(pk=sealed.pk)
    from agreements.signing.sealing import SealError

    with pytest.raises(SealError, match="does not match its recorded SHA-256"):
        completed_pdf(version)
