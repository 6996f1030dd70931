"""No English in a translated contract: the catalogue's phrases, looked for in both PDFs.

For each language an agreement is built from the recommended template, submitted, rendered,
signed by both leads from the signing page (whose interface is English, as a signer's may be)
and sealed with its certificate of completion. Every English msgid of that language's catalogue
longer than one word whose translation differs from it is then looked for in the text of the
contract PDF and of the signed PDF. Placeholders (`%(name)s`) match any short text, so a
sentence whose English pattern leaked is found whatever was filled in. The English contract is
the control: there the same phrases must be found.
"""

import io
import re
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import to_locale
from pypdf import PdfReader

from agreements.models import PdfStatus
from agreements.versions import services as version_services
from tests.agreements.builders import template_agreement
from tests.agreements.test_signing import data_url, signature_png

# Phrases that stay English in every language: the product's and other proper names.
PROPER_NAMES = {"SLA Portal"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
LETTERS = re.compile(r"[^\W\d_]")


def _words(text: str) -> int:
    return sum(1 for token in text.split() if LETTERS.search(token))


class Phrase:
    """A msgid as a regular expression over whitespace-normalised text: placeholders match any
    short text. `clue`, its longest literal part, is looked for first (regular expressions for
    a thousand phrases in four texts would take seconds)."""

    def __init__(self, english: str):
        english = _normalised(english)
        self.literals = [part.replace("%%", "%") for part in PLACEHOLDER.split(english)]
        self.clue = max(self.literals, key=len).strip()
        start = r"(?<!\w)" if re.match(r"\w", english) else ""
        end = r"(?!\w)" if re.search(r"\w$", english) else ""
        body = ".{1,80}?".join(re.escape(literal) for literal in self.literals)
        self.regex = re.compile(start + body + end)

    def search(self, text: str) -> str | None:
        if self.clue not in text:
            return None
        match = self.regex.search(text)
        return match.group(0) if match else None


def _phrase(english: str) -> Phrase | None:
    """The phrase to look for, or None when it is one word (or fewer) or a proper name."""
    english = _normalised(english)
    if english in PROPER_NAMES or _words(" ".join(PLACEHOLDER.split(english))) < 2:
        return None
    return Phrase(english)


@cache
def catalogue(language: str) -> dict[str, Phrase]:
    """{msgid: phrase} for every phrase of the language's catalogue that must not show in
    English: translated differently from the English, longer than one word, no proper name."""
    path = Path(settings.LOCALE_PATHS[0], to_locale(language), "LC_MESSAGES", "django.po")
    phrases = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        translations = {_normalised(text) for text in translations}
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            if _normalised(english) in translations:
                continue  # the same in this language ("MQL → SQL", "CRM")
            if phrase := _phrase(english):
                phrases[english] = phrase
    return phrases


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("\xad", "").split())


def pdf_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text as poppler and as pypdf extract it, whitespace normalised, each also with
    a word broken at a line end joined again (without its hyphen, and with it: "hand-off")."""
    path = tmp_path / "extract.pdf"
    path.write_bytes(pdf)
    poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pypdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    texts = []
    for text in (poppler, pypdf):
        texts.append(_normalised(text))
        texts.append(_normalised(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)))
        texts.append(_normalised(re.sub(r"(\w-)\s*\n\s*(\w)", r"\1\2", text)))
    return texts


def english_found(phrases: dict[str, Phrase], texts: list[str]) -> dict[str, str]:
    """{msgid: the text it matched} for the phrases found in any of the texts."""
    found = {}
    for english, phrase in phrases.items():
        for text in texts:
            if match := phrase.search(text):
                found[english] = match
                break
    return found


def sign_from_the_page(client, version, signer) -> None:
    client.force_login(signer)
    url = reverse("version_sign", args=[version.agreement_id, version.number])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "consent": "on",
            "method": "drawn",
            "signature_png": data_url(signature_png()),
            "pdf_sha256": version.pdf_sha256,
        },
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302, response.content[:2000]


@pytest.fixture
def signed_in(organization, marketing_lead, sales_lead, client, django_capture_on_commit_callbacks):
    """language -> (contract PDF, signed PDF) of a template agreement in that language."""

    def build(language):
        agreement = template_agreement(organization, marketing_lead, sales_lead, language)
        with django_capture_on_commit_callbacks(execute=True):
            version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
        version.refresh_from_db()
        assert version.pdf_status == PdfStatus.READY, version.pdf_error
        with django_capture_on_commit_callbacks(execute=True):
            for lead in (marketing_lead, sales_lead):
                sign_from_the_page(client, version, lead)
        version.refresh_from_db()
        assert version.signed_pdf_status == PdfStatus.READY, version.signed_pdf_error
        with version.pdf.open("rb") as contract, version.signed_pdf.open("rb") as signed:
            return contract.read(), signed.read()

    return build


@pytest.mark.parametrize("language", ["de", "it", "tr", "zh-hans"])
def test_no_english_phrase_in_the_contract_or_its_certificate(language, signed_in, tmp_path):
    contract, signed = signed_in(language)
    phrases = catalogue(language)

    leaks = {
        name: english_found(phrases, pdf_texts(pdf, tmp_path))
        for name, pdf in (("contract", contract), ("signed PDF", signed))
    }

    report = [
        f"{name}: {english!r} as {text!r}"
        for name, found in leaks.items()
        for english, text in sorted(found.items())
    ]
    assert not report, f"English in the {language} PDFs:\n" + "\n".join(report)


def test_the_detector_finds_the_english_of_an_english_contract(signed_in, tmp_path):
    contract, signed = signed_in("en")
    phrases = catalogue("de")

    in_contract = english_found(phrases, pdf_texts(contract, tmp_path))
    in_signed = english_found(phrases, pdf_texts(signed, tmp_path))

    assert len(in_contract) > 100, sorted(in_contract)
    assert set(in_contract) <= set(in_signed)
    for english in (
        "Service-level agreement between %(m)s and %(s)s",
        "Total for the term",
        "Each stage is rounded up to a whole number.",
        # long sentences wrapped over several lines
        "Pipeline to build before the term starts: the leads, MQLs and SQLs the first "
        "months' deals need, one sales cycle ahead. They count towards the totals, not as "
        "monthly obligations before the agreement applies.",
    ):
        assert english in in_contract, english
    for english in (
        "Certificate of completion",
        "Consent to sign version %(version)s electronically given",
        "Version %(version)s signed by every signatory",
        "%(methods)s login as %(email)s",
    ):
        assert english in in_signed and english not in in_contract, english
