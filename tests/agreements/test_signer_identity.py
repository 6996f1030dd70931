"""A typed signature is the signer's own name; who signed is frozen as it was at signing."""

import pytest
from django.urls import reverse

from agreements.signing import services
from agreements.signing.completion import certificate_html
from slaportal.errors import DomainError
from tests.agreements.test_signing import evidence_for, sign


@pytest.mark.parametrize("typed", ["Maria Marketing", "  maria   MARKETING ", "MARIA MARKETING"])
def test_a_typed_signature_that_is_the_signers_name_is_accepted(submitted, marketing_lead, typed):
    slot = services.signature_sign(
        version=submitted,
        signer=marketing_lead,
        evidence=evidence_for(submitted, method="typed", typed_name=typed),
    )

    assert slot.status == "signed"
    assert slot.typed_name == typed.strip()


@pytest.mark.parametrize("typed", ["Sam Sales", "Maria", "Maria Marketing Jr", "M. Marketing"])
def test_a_typed_signature_with_another_name_is_refused(submitted, marketing_lead, typed):
    with pytest.raises(DomainError, match=r"Type your full name as your account shows it"):
        services.signature_sign(
            version=submitted,
            signer=marketing_lead,
            evidence=evidence_for(submitted, method="typed", typed_name=typed),
        )
    assert submitted.signatures.get(signer=marketing_lead).status == "pending"


def test_the_sign_page_says_why_next_to_the_name_field(submitted, sales_lead, client_for):
    client = client_for(sales_lead)
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])

    response = client.post(
        url,
        {
            "consent": "on",
            "method": "typed",
            "typed_name": "Maria Marketing",  # the other lead's name
            "pdf_sha256": submitted.pdf_sha256,
        },
    )

    assert response.status_code == 400
    assert (
        "Type your full name as your account shows it (Sam Sales)"
        in (response.context["sign_form"].errors["typed_name"][0])
    )
    assert submitted.signatures.get(signer=sales_lead).status == "pending"


def test_the_certificate_prints_the_signer_as_they_were_at_signing(
    submitted, marketing_lead, sales_lead
):
    sign(submitted, marketing_lead)
    sign(submitted, sales_lead)
    marketing_lead.full_name = "Maria Renamed"
    marketing_lead.email = "renamed@example.com"
    marketing_lead.save()
    submitted.refresh_from_db()

    signatures = list(submitted.signatures.select_related("signer").order_by("order"))
    html = certificate_html(submitted, signatures)

    assert signatures[0].signer_name == "Maria Marketing"
    assert signatures[0].signer_email == "maria@example.com"
    assert "Maria Marketing &lt;maria@example.com&gt;" in html
    assert "Maria Renamed" not in html and "renamed@example.com" not in html
