"""Accepting an invitation and signing both need a verified email address (issue 16, item 6)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from accounts.verification import verified_email
from agreements.models import PdfStatus, Signature, SignatureStatus
from agreements.signing import services as signing_services
from agreements.versions import services as version_services
from organizations import services as organization_services
from organizations.demo import seed_demo
from organizations.models import Membership, Role
from slaportal.errors import DomainError
from tests import factories
from tests.agreements.test_signing import data_url, evidence_for, signature_png

CONFIRM_LINK = re.compile(r"/accounts/confirm-email/([^/\s]+)/")


@pytest.fixture
def submitted(organization, marketing_lead, sales_lead, django_capture_on_commit_callbacks):
    agreement = factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    return version


def unverify(user):
    EmailAddress.objects.filter(user=user).update(verified=False)


def sign_form(version, name="Maria Marketing"):
    return {
        "consent": "on",
        "method": "typed",
        "typed_name": name,
        "signature_png": data_url(signature_png()),
        "pdf_sha256": version.pdf_sha256,
    }


def switch_to_unverified_address(user, email):
    """As if the user made a new, unconfirmed address their primary one."""
    EmailAddress.objects.filter(user=user).update(primary=False)
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    user.email = email
    user.save(update_fields=["email"])


def confirm_by_email(client, email):
    """Ask for the verification email from the page's button, then open the link it carries."""
    mail.outbox.clear()
    response = client.post(reverse("account_email"), {"email": email, "action_send": ""})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [email]
    key = CONFIRM_LINK.search(message.body).group(1)
    assert client.post(reverse("account_confirm_email", args=[key])).status_code == 302


def test_an_unverified_user_is_asked_to_verify_before_accepting_an_invitation(
    client_for, organization
):
    invitation = factories.InvitationFactory(organization=organization, email="new@example.com")
    newbie = factories.UserFactory(email="new@example.com", verified_email=False)
    client = client_for(newbie)
    url = reverse("invitation_accept", args=[invitation.token])

    page = client.get(url).content.decode()
    response = client.post(url)

    assert "Verify your email address new@example.com before accepting" in page
    assert 'name="action_send"' in page and reverse("account_email") in page
    assert "Accept invitation" not in page
    assert response.status_code == 400
    assert "Verify your email address new@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=newbie).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_after_confirming_the_address_the_invitation_is_accepted(client_for, organization):
    invitation = factories.InvitationFactory(
        organization=organization, email="new@example.com", role=Role.VIEWER
    )
    newbie = factories.UserFactory(email="new@example.com", verified_email=False)
    client = client_for(newbie)
    url = reverse("invitation_accept", args=[invitation.token])

    confirm_by_email(client, "new@example.com")
    response = client.post(url)

    assert response.url == reverse("dashboard", args=[organization.slug])
    assert Membership.objects.get(user=newbie).role == Role.VIEWER


def test_a_new_unverified_primary_address_cannot_accept_its_invitation(client_for, organization):
    invitation = factories.InvitationFactory(organization=organization, email="boss@example.com")
    user = factories.UserFactory(email="me@example.com")  # verified, but not the invited address
    switch_to_unverified_address(user, "boss@example.com")

    response = client_for(user).post(reverse("invitation_accept", args=[invitation.token]))

    assert response.status_code == 400
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(DomainError, match=r"Verify your email address boss@example\.com"):
        organization_services.invitation_accept(invitation=invitation, user=user)


def test_an_unverified_signer_sees_why_and_cannot_sign(submitted, client_for, marketing_lead):
    unverify(marketing_lead)
    client = client_for(marketing_lead)
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])

    page = client.get(url)
    response = client.post(url, sign_form(submitted))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Verify your email address maria@example.com before signing." in content
    assert 'id="sign-form"' not in content and 'name="action_send"' in content
    assert response.status_code == 400
    assert "Verify your email address maria@example.com before signing." in (
        response.content.decode()
    )
    slot = Signature.objects.get(version=submitted, signer=marketing_lead)
    assert slot.status == SignatureStatus.PENDING and slot.signed_at is None
    actions = list(submitted.agreement.audit_entries.values_list("action", flat=True))
    assert "signed" not in actions


def test_signature_sign_refuses_an_unverified_signer(submitted, marketing_lead):
    unverify(marketing_lead)

    with pytest.raises(DomainError, match="before signing"):
        signing_services.signature_sign(
            version=submitted, signer=marketing_lead, evidence=evidence_for(submitted)
        )


def test_a_changed_unverified_primary_address_cannot_sign(submitted, client_for, marketing_lead):
    switch_to_unverified_address(marketing_lead, "maria.new@example.com")
    assert EmailAddress.objects.filter(user=marketing_lead, verified=True).exists()

    response = client_for(marketing_lead).post(
        reverse("version_sign", args=[submitted.agreement_id, submitted.number]),
        sign_form(submitted),
    )

    assert response.status_code == 400
    assert "Verify your email address maria.new@example.com" in response.content.decode()
    assert Signature.objects.get(version=submitted, signer=marketing_lead).signed_at is None


def test_after_confirming_the_address_signing_records_it(submitted, client_for, marketing_lead):
    switch_to_unverified_address(marketing_lead, "maria.new@example.com")
    client = client_for(marketing_lead)
    url = reverse("version_sign", args=[submitted.agreement_id, submitted.number])

    confirm_by_email(client, "maria.new@example.com")
    assert 'id="sign-form"' in client.get(url).content.decode()
    response = client.post(url, sign_form(submitted))

    assert response.status_code == 302
    slot = Signature.objects.get(version=submitted, signer=marketing_lead)
    assert slot.status == SignatureStatus.SIGNED
    assert slot.signer_email == "maria.new@example.com"


def test_the_evidence_names_the_verified_address(submitted, marketing_lead):
    slot = signing_services.signature_sign(
        version=submitted, signer=marketing_lead, evidence=evidence_for(submitted)
    )

    assert slot.signer_email == verified_email(marketing_lead) == "maria@example.com"


def test_the_demo_users_are_verified_and_seeding_twice_changes_nothing(db):
    demo = seed_demo()
    seed_demo()

    for user in (demo.marketing_lead, demo.sales_lead):
        assert verified_email(user) == user.email
        assert EmailAddress.objects.filter(user=user).count() == 1
        assert EmailAddress.objects.get(user=user).primary


def test_a_new_signup_is_sent_the_verification_link_and_starts_unverified(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nora New",
            "email": "nora@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )

    assert response.status_code == 302
    address = EmailAddress.objects.get(email="nora@example.com")
    assert not address.verified and address.primary
    assert [message.to for message in mail.outbox] == [["nora@example.com"]]
    assert CONFIRM_LINK.search(mail.outbox[0].body)


def test_an_anonymous_visitor_is_not_verified(db):
    assert verified_email(AnonymousUser()) == ""
