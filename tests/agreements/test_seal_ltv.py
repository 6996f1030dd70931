"""A seal outsiders can check: the downloadable CA, its CRL, PAdES B-LT/B-LTA, kept old keys."""

import shutil
import subprocess
import threading
from datetime import timedelta
from io import BytesIO
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import time_machine
from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from agreements.models import OrganizationSealKey
from agreements.signing.sealing import (
    SealStatus,
    current_crl,
    get_or_create_seal_key,
    regenerate_seal_key,
    seal_key_from_pkcs12,
    seal_pdf,
    verify_sealed_pdf,
)
from agreements.signing.sealing.keystore import CRL_REFRESH_AFTER
from agreements.signing.sealing.verification import SEAL_KEY_USAGE
from organizations.models import Organization
from tests.agreements.test_sealing import _pkcs12, _self_signed
from tests.agreements.test_signed_pdf import signed_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def contract_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Contract</h1><p>Leads within a day.</p>").write_pdf()


@pytest.fixture
def seal_key(organization):
    return get_or_create_seal_key(organization)


@pytest.fixture
def globex(db):
    return Organization.objects.create(name="Globex", slug="globex")


def _ca_download(client, key, fmt="pem"):
    url = reverse(
        "seal_ca_certificate", args=[key.organization.slug, key.ca_fingerprint_sha256, fmt]
    )
    return client.get(url)


def _certificate(pem: bytes):
    (certificate,) = load_certs_from_pemder_data(pem)
    return certificate


def _dss(pdf_bytes):
    return DocumentSecurityStore.read_dss(PdfFileReader(BytesIO(pdf_bytes)))


def _validate(pdf_bytes, ca_pem: bytes, **context):
    reader = PdfFileReader(BytesIO(pdf_bytes))
    (signature,) = reader.embedded_regular_signatures
    validation_context = ValidationContext(
        trust_roots=[_certificate(ca_pem)], allow_fetching=False, **context
    )
    return validate_pdf_signature(
        signature,
        signer_validation_context=validation_context,
        key_usage_settings=SEAL_KEY_USAGE,
    )


# The CA certificate and its CRL, for anyone


def test_anyone_downloads_the_ca_certificate_as_pem_and_der(client, seal_key):
    pem = _ca_download(client, seal_key, "pem")
    der = _ca_download(client, seal_key, "der")

    assert pem.status_code == der.status_code == 200
    assert pem["Content-Type"] == "application/x-pem-file"
    assert der["Content-Type"] == "application/pkix-cert"
    assert pem.content.decode() == seal_key.ca_certificate_pem
    certificate = x509.load_der_x509_certificate(der.content)
    assert certificate == x509.load_pem_x509_certificate(pem.content)
    assert "attachment" in pem["Content-Disposition"]


def test_unknown_ca_certificates_and_crls_are_404(client, seal_key, globex):
    assert _ca_download(client, seal_key).status_code == 200
    wrong_slug = reverse(
        "seal_ca_certificate", args=[globex.slug, seal_key.ca_fingerprint_sha256, "pem"]
    )
    unknown = reverse("seal_ca_certificate", args=[seal_key.organization.slug, "0" * 64, "der"])
    assert client.get(wrong_slug).status_code == 404
    assert client.get(unknown).status_code == 404
    assert client.get(reverse("seal_crl", args=["0" * 64])).status_code == 404


def test_the_seal_certificate_points_to_the_public_crl_its_ca_signed(client, seal_key, settings):
    certificate = x509.load_pem_x509_certificate(seal_key.certificate_pem.encode())
    ca = x509.load_pem_x509_certificate(seal_key.ca_certificate_pem.encode())
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    (url,) = [name.value for point in points for name in point.full_name]
    path = reverse("seal_crl", args=[seal_key.ca_fingerprint_sha256])
    assert url == settings.SITE_URL + path

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    assert crl.is_signature_valid(ca.public_key())
    assert crl.issuer == ca.subject
    assert len(crl) == 0
    assert crl.next_update_utc - crl.last_update_utc >= timedelta(days=7)


def test_the_crl_is_reissued_with_a_higher_number_once_a_day(seal_key):
    first = x509.load_der_x509_crl(current_crl(seal_key))
    assert current_crl(seal_key) == first.public_bytes(serialization.Encoding.DER)  # cached

    with time_machine.travel(timezone.now() + CRL_REFRESH_AFTER + timedelta(minutes=1)):
        reloaded = OrganizationSealKey.objects.get(pk=seal_key.pk)
        second = x509.load_der_x509_crl(current_crl(reloaded))

    number = x509.CRLNumber
    assert (
        second.extensions.get_extension_for_class(number).value.crl_number
        == first.extensions.get_extension_for_class(number).value.crl_number + 1
    )
    assert second.last_update_utc > first.last_update_utc


def test_the_ca_key_is_stored_encrypted(seal_key):
    assert "BEGIN ENCRYPTED PRIVATE KEY" in seal_key.ca_private_key_encrypted
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(seal_key.ca_private_key_encrypted.encode(), None)


def test_seal_certificate_years_is_a_setting(organization, settings):
    settings.SEAL_CERTIFICATE_YEARS = 2
    key = get_or_create_seal_key(organization)
    seal = x509.load_pem_x509_certificate(key.certificate_pem.encode())
    ca = x509.load_pem_x509_certificate(key.ca_certificate_pem.encode())

    assert 730 <= (seal.not_valid_after_utc - seal.not_valid_before_utc).days <= 732
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 3 * 365


# PAdES B-LT


def test_a_seal_is_b_lt_with_the_ca_and_its_crl_in_the_dss(client, seal_key, contract_pdf):
    sealed = seal_pdf(contract_pdf, seal_key, reason="Signed")

    dss = _dss(sealed)
    assert dss is not None
    assert len(dss.crls) == 1
    embedded_crl = asn1_crl.CertificateList.load(dss.crls[0].get_object().data)
    assert embedded_crl.dump() == current_crl(seal_key)
    certificate_hashes = {
        x509.load_der_x509_certificate(stream.get_object().data).fingerprint(hashes.SHA256()).hex()
        for stream in dss.certs.values()
    }
    assert seal_key.ca_fingerprint_sha256 in certificate_hashes
    assert seal_key.fingerprint_sha256 in certificate_hashes

    ca_pem = _ca_download(client, seal_key).content
    status = _validate(sealed, ca_pem, crls=[dss.crls[0].get_object().data])
    assert status.intact and status.valid and status.trusted
    assert status.revocation_details is None  # checked against the CRL: not revoked
    assert verify_sealed_pdf(sealed, [ca_pem.decode()]).status == SealStatus.INTACT
    assert verify_sealed_pdf(sealed, [ca_pem.decode()]).covers_whole_file


def test_an_uploaded_bundle_without_a_ca_key_seals_without_a_crl(organization, contract_pdf):
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _self_signed(key, "Acme own seal")
    uploaded = seal_key_from_pkcs12(organization, _pkcs12(key, certificate), "correct horse")

    sealed = seal_pdf(contract_pdf, uploaded, reason="Signed")

    assert current_crl(uploaded) is None
    assert _dss(sealed) is not None and len(_dss(sealed).crls) == 0
    assert verify_sealed_pdf(sealed, [uploaded.ca_certificate_pem]).status == SealStatus.INTACT


# Replacing the key keeps the old one


def test_replacing_the_key_keeps_the_old_one_and_its_seals_still_verify(
    organization, seal_key, contract_pdf
):
    old_sealed = seal_pdf(contract_pdf, seal_key, reason="Signed")

    new = regenerate_seal_key(organization)
    newer_sealed = seal_pdf(contract_pdf, get_or_create_seal_key(organization), reason="Signed")

    assert get_or_create_seal_key(organization) == new != seal_key
    old = OrganizationSealKey.objects.get(pk=seal_key.pk)
    assert not old.active and old.retired_at is not None
    roots = [key.ca_certificate_pem for key in organization.seal_keys.all()]
    assert len(roots) == 2
    assert verify_sealed_pdf(old_sealed, roots).status == SealStatus.INTACT
    assert verify_sealed_pdf(newer_sealed, roots).status == SealStatus.INTACT
    assert current_crl(old) is not None  # the retired CA keeps publishing its CRL


def test_only_one_key_per_organisation_is_active(organization, seal_key):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationSealKey.objects.create(
            organization=organization,
            source="generated",
            certificate_pem=seal_key.certificate_pem,
            private_key_encrypted=seal_key.private_key_encrypted,
            fingerprint_sha256=seal_key.fingerprint_sha256,
        )


def test_an_older_signed_pdf_verifies_after_the_key_was_replaced(sealed, client, organization):
    regenerate_seal_key(organization)

    response = upload(client, signed_bytes(sealed))

    verdict = response.context["verdict"]
    assert verdict.status == "intact"
    assert "exactly as Acme Corp sealed it" in verdict.seal_message
    assert verdict.seal_key is not None and not verdict.seal_key.active
    link = reverse(
        "seal_ca_certificate",
        args=[organization.slug, verdict.seal_key.ca_fingerprint_sha256, "pem"],
    )
    assert link in response.content.decode()


def test_verify_links_the_ca_certificate_of_an_intact_document(sealed, client, organization):
    response = upload(client, signed_bytes(sealed))

    key = get_or_create_seal_key(organization)
    content = response.content.decode()
    assert 'data-testid="seal-ca"' in content
    for fmt in ("pem", "der"):
        link = reverse(
            "seal_ca_certificate", args=[organization.slug, key.ca_fingerprint_sha256, fmt]
        )
        assert link in content


# The settings page


def test_members_see_the_ca_downloads_and_only_owners_replace(
    client_for, sales_lead, marketing_lead, organization, seal_key
):
    url = reverse("seal_settings", args=[organization.slug])

    page = client_for(sales_lead).get(url)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-testid="seal-ca-download"' in content
    assert (
        reverse(
            "seal_ca_certificate", args=[organization.slug, seal_key.ca_fingerprint_sha256, "der"]
        )
        in content
    )
    assert "Replace certificate" not in content
    assert client_for(sales_lead).post(url, {"action": "regenerate"}).status_code == 403

    assert client_for(marketing_lead).post(url, {"action": "regenerate"}).status_code == 302
    page = client_for(marketing_lead).get(url)
    assert 'data-testid="retired-keys"' in page.content.decode()
    assert OrganizationSealKey.objects.filter(organization=organization).count() == 2


def test_an_upload_retires_the_previous_key(client_for, marketing_lead, organization, seal_key):
    key = ec.generate_private_key(ec.SECP256R1())
    bundle = _pkcs12(key, _self_signed(key, "Acme seal"))

    client_for(marketing_lead).post(
        reverse("seal_settings", args=[organization.slug]),
        {"bundle": SimpleUploadedFile("seal.p12", bundle), "password": "correct horse"},
    )

    assert OrganizationSealKey.objects.get(pk=seal_key.pk).active is False
    assert OrganizationSealKey.objects.get(organization=organization, active=True).source == (
        "uploaded"
    )


# PAdES B-LTA with a real RFC 3161 timestamp service (certomancer's Animator on a local port)

TSA_CONFIG = """
keysets:
  tsa:
    path-prefix: {keys}
    keys:
      root: {{path: root.key.pem}}
      tsa: {{path: tsa.key.pem}}
pki-architectures:
  testing:
    keyset: tsa
    entity-defaults: {{country-name: DE, organization-name: Test Time Authority}}
    entities:
      root: {{common-name: Test TSA Root}}
      tsa: {{common-name: Test TSA}}
    certs:
      root:
        subject: root
        issuer: root
        validity: {{valid-from: "2000-01-01T00:00:00+0000", valid-to: "2200-01-01T00:00:00+0000"}}
        extensions:
          - {{id: basic_constraints, critical: true, value: {{ca: true}}}}
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [key_cert_sign, crl_sign]}}
      tsa:
        issuer: root
        validity: {{valid-from: "2000-01-01T00:00:00+0000", valid-to: "2200-01-01T00:00:00+0000"}}
        extensions:
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature]}}
          - {{id: extended_key_usage, critical: true, value: [time_stamping]}}
    services:
      time-stamping:
        tsa: {{signing-key: tsa, signing-cert: tsa}}
"""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def timestamp_service(tmp_path_factory):
    """(URL, root PEM) of an RFC 3161 service over HTTP on a free local port."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig

    keys = tmp_path_factory.mktemp("tsa-keys")
    for name in ("root", "tsa"):
        key = ec.generate_private_key(ec.SECP256R1())
        (keys / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    config = CertomancerConfig.from_yaml(TSA_CONFIG.format(keys=keys), key_search_dir=str(keys))
    animator = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    server = make_server("127.0.0.1", 0, animator, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    arch = config.get_pki_arch("testing")
    root_pem = arch.get_cert("root").dump()
    root_pem = x509.load_der_x509_certificate(root_pem).public_bytes(serialization.Encoding.PEM)
    yield f"http://127.0.0.1:{server.server_port}/testing/tsa/tsa", root_pem.decode()
    server.shutdown()
    server.server_close()


def test_with_a_timestamp_authority_the_seal_is_b_lta(
    client, seal_key, contract_pdf, timestamp_service
):
    tsa_url, tsa_root = timestamp_service

    sealed = seal_pdf(
        contract_pdf,
        seal_key,
        reason="Signed",
        timestamp_url=tsa_url,
        timestamp_roots_pem=[tsa_root],
    )

    reader = PdfFileReader(BytesIO(sealed))
    (signature,) = reader.embedded_regular_signatures
    (archive_timestamp,) = reader.embedded_timestamp_signatures
    # The document timestamp comes after the DSS, so it protects the validation data too.
    assert archive_timestamp.signed_revision > signature.signed_revision
    dss = _dss(sealed)
    assert len(dss.crls) == 1
    ca_pem = _ca_download(client, seal_key).content
    tsa_root_cert = _certificate(tsa_root.encode())
    roots = [_certificate(ca_pem), tsa_root_cert]

    status = validate_pdf_signature(
        signature,
        signer_validation_context=ValidationContext(
            trust_roots=roots, crls=[dss.crls[0].get_object().data], allow_fetching=False
        ),
        key_usage_settings=SEAL_KEY_USAGE,
    )
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    archive = validate_pdf_timestamp(
        archive_timestamp,
        validation_context=ValidationContext(trust_roots=[tsa_root_cert], allow_fetching=False),
    )
    assert archive.intact and archive.valid and archive.trusted

    # The long-term view: the DSS alone (certificates and CRL) plus the two trust roots, with
    # revocation checking required rather than soft-fail, nothing from the network.
    from_dss = dss.as_validation_context(
        {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "require"}
    )
    strict = validate_pdf_signature(
        signature, signer_validation_context=from_dss, key_usage_settings=SEAL_KEY_USAGE
    )
    assert strict.intact and strict.valid and strict.trusted

    result = verify_sealed_pdf(sealed, [ca_pem.decode()], timestamp_roots_pem=[tsa_root])
    assert result.status == SealStatus.INTACT
    assert result.timestamped and result.covers_whole_file


# Third-party readers: poppler's pdfsig with the downloaded CA in an NSS database


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="needs pdfsig (poppler-utils) and certutil (libnss3-tools)",
)
def test_pdfsig_trusts_the_seal_once_the_downloaded_ca_is_imported(
    client, seal_key, contract_pdf, tmp_path
):
    sealed = tmp_path / "sealed.pdf"
    sealed.write_bytes(seal_pdf(contract_pdf, seal_key, reason="Signed"))
    ca = tmp_path / "ca.der"
    ca.write_bytes(_ca_download(client, seal_key, "der").content)
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, timeout=60
    )
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "Acme seal CA", "-t", "C,C,C", "-i", ca],
        check=True,
        timeout=60,
    )

    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", sealed],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout

    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." in report, report
