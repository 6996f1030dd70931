import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD
from organizations.models import Membership, Role
from tests import factories


def test_sign_up_with_name_email_and_password(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nora New",
            "email": "Nora@Example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert user.email == "nora@example.com"
    assert user.full_name == "Nora New"
    assert client.get(reverse("home")).url == reverse("organization_create")


def test_sign_up_with_mismatched_passwords_keeps_the_input_and_says_why(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nora New",
            "email": "nora@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "something-else-entirely",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert 'value="nora@example.com"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_log_in_with_email_and_password(client, db):
    user = factories.UserFactory(email="lena@example.com")  # with a verified EmailAddress

    response = client.post(
        reverse("account_login"), {"login": "LENA@example.com", "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message(client, db):
    factories.UserFactory(email="lena@example.com")

    response = client.post(reverse("account_login"), {"login": "lena@example.com", "password": "x"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_emails_are_unique_whatever_their_case(db):
    factories.UserFactory(email="same@example.com")

    with pytest.raises(IntegrityError):
        factories.UserFactory(email="SAME@example.com")


def test_seed_demo_is_idempotent_and_its_leads_can_log_in(client, db):
    call_command("seed_demo", "--without-lead-events")
    call_command("seed_demo", "--without-lead-events")

    memberships = Membership.objects.select_related("user", "organization")
    assert {(m.user.email, m.role) for m in memberships} == {
        (MARKETING_LEAD.email, Role.OWNER),
        (SALES_LEAD.email, Role.EDITOR),
    }
    assert {m.organization.name for m in memberships} == {"Acme Corp"}
    for person in (MARKETING_LEAD, SALES_LEAD):
        assert client.login(email=person.email, password=DEMO_PASSWORD)
