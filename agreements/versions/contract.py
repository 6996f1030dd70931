"""Rendering the contract: the same template for the browser preview and the PDF."""

import hashlib
from typing import NamedTuple

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from funnel.engine import messages
from organizations.models import PaperSize

from ..authoring.funnel_plan import funnel_context
from ..authoring.sections import SECTIONS
from ..typography import is_chinese, page_counter_css
from .appendix import ChangesAppendix, changes_appendix
from .layout import signature_boxes

CONTRACT_CSS = "css/contract.css"
# The page header's and footer's faces: Chinese sets its full-width punctuation in the SC face.
MARGIN_FONTS = '"DejaVu Sans", "Noto Sans CJK SC", sans-serif'
CHINESE_MARGIN_FONTS = '"Noto Sans CJK SC", "DejaVu Sans", sans-serif'
# Tagged PDF (structure tree in reading order, /Lang and /Title from <html lang> and <title>,
# the title shown instead of the file name), so screen readers can read the contract.
ACCESSIBLE_VARIANT = "pdf/ua-1"


RATE_LABELS = {
    "win_rate": gettext_lazy("Win rate"),
    "sql_to_opportunity_rate": gettext_lazy("SQL → opportunity"),
    "mql_to_sql_rate": gettext_lazy("MQL → SQL"),
    "lead_to_mql_rate": gettext_lazy("Lead → MQL"),
}


def contract_lang(agreement) -> str:
    """The agreement's language as a BCP 47 tag (`zh-Hans`): the PDF's /Lang, hyphenation,
    Turkish capitals and the CJK face all follow it."""
    code = agreement.language or settings.LANGUAGE_CODE
    language, _sep, script = code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else code


def contract_context(doc, *, version=None, toc=False) -> dict:
    return {
        "contract_lang": contract_lang(doc.agreement),
        "funnel": funnel_context(doc),
        "plan_warnings": doc.plan_warnings(),
        "months_rule": gettext(messages.MONTHLY_RULE),
        "rate_labels": RATE_LABELS,
        "doc": doc,
        "sections": SECTIONS,
        "titles": {section.key: section.title for section in SECTIONS},
        "version": version,
        "toc": toc,
        # CSS in the page's <style>: "Seite " counter(page) " von " counter(pages).
        "page_counter": mark_safe(page_counter_css()),
        "margin_font": mark_safe(CHINESE_MARGIN_FONTS if is_chinese() else MARGIN_FONTS),
    }


def changes_since_previous(version) -> ChangesAppendix | None:
    """The appendix of a revision: what changed since the version before it."""
    previous = (
        type(version)
        .objects.filter(agreement_id=version.agreement_id, number__lt=version.number)
        .only("number", "snapshot")
        .order_by("-number")
        .first()
    )
    if previous is None:
        return None
    return changes_appendix(previous.number, previous.snapshot, version.number, version.snapshot)


def in_agreement_language(render):
    """Render in the agreement's own language, whatever the reader's interface language is."""

    def wrapper(doc, *args, **kwargs):
        with translation.override(doc.agreement.language or settings.LANGUAGE_CODE):
            return render(doc, *args, **kwargs)

    return wrapper


@in_agreement_language
def render_contract_html(doc, version) -> str:
    paper = doc.agreement.organization.paper_size
    context = contract_context(doc, version=version, toc=True)
    context["changes"] = changes_since_previous(version) if version.pk else None
    context["page_size"] = "letter" if paper == PaperSize.LETTER else "A4"
    return render_to_string("agreements/contract/pdf.html", context)


class RenderedPdf(NamedTuple):
    pdf: bytes
    pages: int
    signature_boxes: dict  # where each signatory's line and date slot landed (layout.py)


def render_pdf(
    html: str, *, identifier: str, contract_css: bool = True, tagged: bool = True
) -> RenderedPdf:
    """WeasyPrint the HTML: the PDF bytes, its page count and its signature slots.

    The PDF identifier is derived from the snapshot, so rendering the same snapshot twice gives
    the same document metadata. Documents with their own styles (the certificate, the
    signature stamps) skip the contract's stylesheet. Documents people read are `tagged`
    (ACCESSIBLE_VARIANT); the signature stamps are not: they are drawn onto tagged pages.
    """
    from weasyprint import CSS, HTML  # heavy import: only where a PDF is made

    stylesheets = [CSS(filename=finders.find(CONTRACT_CSS))] if contract_css else []
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=stylesheets)
    pdf = document.write_pdf(
        pdf_identifier=hashlib.md5(identifier.encode()).hexdigest().encode(),
        pdf_variant=ACCESSIBLE_VARIANT if tagged else None,
    )
    return RenderedPdf(pdf, len(document.pages), signature_boxes(document))
