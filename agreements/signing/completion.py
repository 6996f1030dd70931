"""The signed PDF before its seal, made without laying the contract out again.

The contract PDF the signers saw keeps every byte of its pages: each signature image and signing
time is stamped into the slot the contract's layout recorded for it (versions/layout.py), the
certificate of completion is rendered on its own and appended, and the full audit trail is
attached as JSON beside the original contract. Its cost does not grow with the trail.
"""

from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from organizations.models import PaperSize
from slaportal.l10n import format_day

from ..models import SignatureStatus
from ..typography import is_chinese, page_counter_css
from ..versions.contract import (
    CHINESE_MARGIN_FONTS,
    MARGIN_FONTS,
    contract_lang,
    render_contract_html,
    render_pdf,
)
from ..versions.snapshot import document_from_snapshot, sha256_hex
from .consent import agreement_language
from .sealing import Attachment, SealError
from .signature_image import png_data_uri
from .stamping import stamp_pdf
from .trail import TrailSummary, summarise_trail

SIGNATURE_PADDING_PX = 3  # keeps the ink off the signature line


@dataclass(frozen=True)
class CompletedPdf:
    pdf: bytes
    attachments: list[Attachment]
    reason: str  # the seal's reason, as PDF readers show it


def completed_pdf(version) -> CompletedPdf:
    """The stamped contract with its certificate, and the files the seal must carry."""
    original = contract_the_signers_saw(version)
    signatures = list(version.signatures.select_related("signer").order_by("order"))
    trail = summarise_trail(version)
    with translation.override(agreement_language(version.agreement)):
        boxes = version.signature_boxes or _recovered_boxes(version)
        stamp_pages, onto_pages = _stamp_pages(boxes, signatures)
        stamps = None
        if stamp_pages:
            stamps = render_pdf(
                render_to_string(
                    "agreements/contract/stamps.html",
                    {
                        "contract_lang": contract_lang(version.agreement),
                        "page_width": boxes["page_size"][0],
                        "page_height": boxes["page_size"][1],
                        # A hair shorter than the page, so no stamp page spills onto a second.
                        "stamp_height": int(boxes["page_size"][1]) - 2,
                        "pages": stamp_pages,
                    },
                ),
                identifier=version.snapshot_sha256 + ":stamps",
                contract_css=False,
                tagged=False,  # drawn onto the contract's pages as artifacts (stamping.py)
            ).pdf
        certificate = render_pdf(
            certificate_html(version, signatures, trail),
            identifier=version.snapshot_sha256 + ":certificate",
            contract_css=False,
        ).pdf
        pdf = stamp_pdf(
            original,
            overlays=stamps,
            onto_pages=onto_pages,
            appendix=certificate,
            appendix_title=gettext("Certificate of completion"),
        )
        attachments = [
            Attachment(
                f"{version.document_id}.pdf",
                original,
                gettext("The contract PDF the signers saw, unchanged"),
                "/Source",
                "application/pdf",
            ),
            Attachment(
                trail.file_name,
                trail.data,
                gettext("The agreement's audit trail, every entry with its hash"),
                "/Supplement",
                "application/json",
            ),
        ]
        reason = f"{SignatureStatus.SIGNED.label} · {version.document_id}"
    return CompletedPdf(pdf, attachments, reason)


def contract_the_signers_saw(version) -> bytes:
    """The stored contract PDF, checked against the hash every signature recorded."""
    with version.pdf.open("rb") as handle:
        original = handle.read()
    if sha256_hex(original) != version.pdf_sha256:
        raise SealError(
            f"The stored contract PDF of version {version.number} does not match its recorded "
            "SHA-256; a signed PDF is never built around a document the signers did not see."
        )
    return original


def _recovered_boxes(version) -> dict:
    """Versions rendered before slots were recorded: lay the contract out once more to find
    them, trusted only when that layout reproduces the stored PDF byte for byte (rendering is
    deterministic per snapshot while the templates are unchanged). Otherwise no stamps: the
    certificate still carries every signature image."""
    rendered = render_pdf(
        render_contract_html(document_from_snapshot(version.snapshot), version),
        identifier=version.snapshot_sha256,
    )
    return rendered.signature_boxes if sha256_hex(rendered.pdf) == version.pdf_sha256 else {}


def _stamp_pages(boxes: dict, signatures) -> tuple[list[dict], list[int]]:
    """The overlay pages to render, and the contract page each one goes onto."""
    by_page: dict[int, list[dict]] = {}
    for signature in signatures:
        slot = (boxes.get("slots") or {}).get(str(signature.signer_id))
        if slot is None or not signature.image_png or signature.signed_at is None:
            continue
        x, y, width, height = slot["line"]
        pad = SIGNATURE_PADDING_PX
        signed_at = signature.signed_at.astimezone(UTC)
        by_page.setdefault(slot["page"], []).append(
            {
                "image": png_data_uri(signature.image_png),
                "image_box": [x, y + pad, width, max(height - 2 * pad, 1)],
                "date_box": slot.get("date"),
                "signed_at": f"{format_day(signed_at)} {signed_at:%H:%M} UTC",
            }
        )
    pages = sorted(by_page)
    return [{"stamps": by_page[page]} for page in pages], pages


def certificate_html(version, signatures=None, trail: TrailSummary | None = None) -> str:
    """The certificate of completion as HTML, in the active language."""
    if signatures is None:
        signatures = list(version.signatures.select_related("signer").order_by("order"))
    agreement = version.agreement
    paper = agreement.organization.paper_size
    return render_to_string(
        "agreements/contract/certificate_pdf.html",
        {
            "contract_lang": contract_lang(agreement),
            "doc": document_from_snapshot(version.snapshot),
            "version": version,
            "signatures": signatures,
            "trail": trail or summarise_trail(version),
            "verify_url": settings.SITE_URL + reverse("verify"),  # absolute: the PDF travels
            "page_size": "letter" if paper == PaperSize.LETTER else "A4",
            "page_counter": mark_safe(page_counter_css()),
            "margin_font": mark_safe(CHINESE_MARGIN_FONTS if is_chinese() else MARGIN_FONTS),
        },
    )
