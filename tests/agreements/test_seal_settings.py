"""Owners see and replace their organisation's sealing certificate."""

from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import OrganizationSealKey
from agreements.signing.sealing import get_or_create_seal_key
from organizations.models import OrganizationEvent
from tests.agreements.test_sealing import _pkcs12, _self_signed


def test_owner_uploads_a_pkcs12_bundle(client_for, marketing_lead, organization):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bundle = _pkcs12(key, _self_signed(key, "Acme seal"))

    response = client_for(marketing_lead).post(
        reverse("seal_settings", args=[organization.slug]),
        {"bundle": SimpleUploadedFile("seal.p12", bundle), "password": "correct horse"},
    )

    assert response.status_code == 302
    assert OrganizationSealKey.objects.get(organization=organization, active=True).source == (
        "uploaded"
    )
    assert OrganizationEvent.objects.filter(action="seal.replaced").exists()


def test_a_wrong_password_is_explained_next_to_the_file_and_nothing_changes(
    client_for, marketing_lead, organization
):
    existing = get_or_create_seal_key(organization)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bundle = _pkcs12(key, _self_signed(key, "Acme seal"))

    response = client_for(marketing_lead).post(
        reverse("seal_settings", args=[organization.slug]),
        {"bundle": SimpleUploadedFile("seal.p12", bundle), "password": "wrong"},
    )

    assert response.status_code == 400
    assert "password is wrong" in response.context["form"].errors["bundle"][0]
    assert OrganizationSealKey.objects.get(organization=organization).pk == existing.pk


def test_members_see_the_seal_settings_and_only_owners_change_them(
    client_for, sales_lead, outsider, organization
):
    url = reverse("seal_settings", args=[organization.slug])

    assert client_for(sales_lead).get(url).status_code == 200
    assert client_for(sales_lead).post(url, {"password": "x"}).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
