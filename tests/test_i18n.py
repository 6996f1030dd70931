"""Five languages: complete catalogues, the reader's language, and the agreement's own."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agreements.authoring import services as authoring_services
from agreements.authoring.sections import SECTIONS_BY_KEY
from agreements.versions import services as version_services
from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["de", "it", "tr", "zh_Hans"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_string_is_translated_in_every_language(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= set(
                PLACEHOLDER.findall(entry.msgid + entry.msgid_plural)
            ), entry.msgid


def test_a_new_visitor_gets_the_language_their_browser_asks_for(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert '<html lang="de">' in response.content.decode()


def test_the_chosen_language_is_remembered_on_the_account(client_for, marketing_lead, organization):
    client = client_for(marketing_lead)

    client.post(reverse("set_language"), {"language": "it", "next": "/"})

    marketing_lead.refresh_from_db()
    assert marketing_lead.language == "it"
    client.cookies.clear()  # another browser, same account
    client.force_login(marketing_lead)
    page = client.get(reverse("dashboard", args=[organization.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="it">' in page.content.decode()


def test_an_unknown_language_changes_nothing(client_for, marketing_lead):
    client_for(marketing_lead).post(reverse("set_language"), {"language": "xx"})

    marketing_lead.refresh_from_db()
    assert marketing_lead.language == ""


def test_the_agreement_is_previewed_in_its_own_language_whatever_the_interface(
    client_for, marketing_lead, sales_lead, organization
):
    agreement = factories.agreement_from_template(
        organization, marketing_lead, language="zh-hans", marketing_lead=marketing_lead
    )
    with translation.override("zh-hans"):
        heading = str(SECTIONS_BY_KEY["goal"].title)

    content = (
        client_for(marketing_lead)
        .get(reverse("agreement_preview", args=[agreement.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert heading in content and heading != "Shared goal"
    assert "Back to the editor" in content  # the interface stays English


def test_the_recommended_template_is_written_in_the_agreements_language(
    organization, marketing_lead
):
    agreement = authoring_services.agreement_create(
        organization=organization,
        actor=marketing_lead,
        title="Vereinbarung",
        recommended_template=True,
        language="de",
    )
    with translation.override("de"):
        expected = translation.gettext("Demo request")

    assert expected != "Demo request"
    assert agreement.handofftrigger_rows.filter(trigger=expected).exists()


GROUPED = {
    "en": "1,200,000",
    "de": "1.200.000",
    "it": "1.200.000",
    "tr": "1.200.000",
    "zh-hans": "1,200,000",  # CLDR: Chinese groups by thousands
}


@pytest.mark.parametrize("language", ["en", "de", "it", "tr", "zh-hans"])
def test_the_contract_pdf_is_written_in_the_agreements_language(
    language, organization, marketing_lead, sales_lead, django_capture_on_commit_callbacks
):
    agreement = factories.agreement_from_template(
        organization,
        marketing_lead,
        language=language,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()

    with version.pdf.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    with translation.override(language):
        headings = [str(SECTIONS_BY_KEY[key].title) for key in ("parties", "goal", "signatures")]
    for heading in headings:
        assert heading in text.replace(" ", "") or heading in text, (language, heading)
    assert GROUPED[language] in text


def test_api_errors_follow_accept_language(client, db):
    from funnel.engine import messages

    response = client.post(
        "/api/funnel/calculate",
        data={
            "revenue_target": "500000",
            "average_deal_size": "2000",
            "win_rate": "0",
            "sql_to_opportunity_rate": "82%",
            "mql_to_sql_rate": "1/3",
            "lead_to_mql_rate": "25%",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    with translation.override("de"):
        expected = messages.RATE_OUT_OF_RANGE.format(label=messages.FIELD_LABELS["win_rate"])

    assert response.status_code == 400
    assert response.json()["errors"]["win_rate"] == [expected]
    assert expected != "Win rate must be greater than 0% and at most 100%."
