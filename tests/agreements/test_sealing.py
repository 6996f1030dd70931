import asyncio
import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
import time_machine
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from weasyprint import HTML

from agreements.models.seal import OrganizationSealKey, SealKeySource
from agreements.models.version import ImmutableError
from agreements.signing.sealing import (
    SealError,
    SealStatus,
    get_or_create_seal_key,
    load_signer,
    seal_key_from_pkcs12,
    seal_pdf,
    verify_sealed_pdf,
)
from agreements.signing.sealing import certificates as sealing_certificates
from agreements.signing.sealing.keystore import decrypt_private_key
from organizations.models import Organization

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def contract_pdf():
    return HTML(
        string="<h1>Contract</h1><p>Marketing hands sales every MQL within a day.</p>"
    ).write_pdf()


@pytest.fixture
def seal_key(organization):
    return get_or_create_seal_key(organization)


@pytest.fixture
def sealed_pdf(contract_pdf, seal_key):
    return seal_pdf(contract_pdf, seal_key, reason="Signed by all signatories", location="Berlin")


@pytest.fixture
def globex_seal_key(db):
    globex = Organization.objects.create(name="Globex", slug="globex")
    return get_or_create_seal_key(globex)


def _ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def _certificate(
    common_name,
    public_key,
    signing_key,
    *,
    issuer=None,
    not_valid_before=NOW - timedelta(days=1),
    not_valid_after=NOW + timedelta(days=365),
    ca=False,
    digital_signature=True,
    extended_key_usage=None,
):
    """A certificate for `public_key`, issued by `issuer` (or self-signed) with `signing_key`."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_valid_before)
        .not_valid_after(not_valid_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=False,
                key_encipherment=not digital_signature and not ca,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if extended_key_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def _self_signed(private_key, common_name, **kwargs):
    return _certificate(common_name, private_key.public_key(), private_key, **kwargs)


def _issued(public_key, common_name, issuer, issuer_key, **kwargs):
    return _certificate(common_name, public_key, issuer_key, issuer=issuer, **kwargs)


def _pkcs12(private_key, certificate, *, others=(), password="correct horse"):
    return pkcs12.serialize_key_and_certificates(
        b"seal",
        private_key,
        certificate,
        list(others) or None,
        serialization.BestAvailableEncryption(password.encode()),
    )


def _pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _flip_byte(data, offset):
    flipped = bytearray(data)
    flipped[offset] ^= 0x01
    return bytes(flipped)


def _embedded_signature(pdf_bytes):
    (signature,) = PdfFileReader(BytesIO(pdf_bytes)).embedded_regular_signatures
    return signature


# Generated credentials


def test_generated_key_is_stored_encrypted_at_rest(seal_key):
    stored = OrganizationSealKey.objects.get(pk=seal_key.pk)

    assert stored.source == SealKeySource.GENERATED
    assert "BEGIN ENCRYPTED PRIVATE KEY" in stored.private_key_encrypted
    assert "BEGIN PRIVATE KEY" not in stored.private_key_encrypted
    with pytest.raises(TypeError):  # the PEM needs a password
        serialization.load_pem_private_key(stored.private_key_encrypted.encode(), password=None)
    certificate = x509.load_pem_x509_certificate(stored.certificate_pem.encode())
    assert decrypt_private_key(stored.private_key_encrypted).public_key() == (
        certificate.public_key()
    )
    assert stored.fingerprint_sha256 == certificate.fingerprint(hashes.SHA256()).hex()


def test_generated_ca_is_a_ten_year_root_named_after_the_organisation(seal_key):
    ca = x509.load_pem_x509_certificate(seal_key.ca_certificate_pem.encode())

    assert ca.subject.rfc4514_string() == "CN=Acme Corp SLA Portal CA,O=Acme Corp"
    assert ca.issuer == ca.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 3652


def test_generated_seal_certificate_is_a_ten_year_document_signing_certificate(seal_key):
    ca = x509.load_pem_x509_certificate(seal_key.ca_certificate_pem.encode())
    seal = x509.load_pem_x509_certificate(seal_key.certificate_pem.encode())

    assert seal.subject.rfc4514_string() == "CN=Acme Corp document seal,O=Acme Corp"
    assert seal.issuer == ca.subject
    seal.verify_directly_issued_by(ca)
    assert not seal.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = seal.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    extended = seal.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [
        x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # documentSigning
        ExtendedKeyUsageOID.EMAIL_PROTECTION,  # what NSS (pdfsig, Firefox) looks for
    ]
    authority_key_id = seal.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    ca_key_id = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert authority_key_id.value.key_identifier == ca_key_id.value.digest
    assert 3652 <= (seal.not_valid_after_utc - seal.not_valid_before_utc).days <= 3654
    assert ca.not_valid_after_utc >= seal.not_valid_after_utc + timedelta(days=365)
    assert seal_key.chain_pem == ""


def test_long_organisation_names_are_shortened_to_fit_certificate_names():
    credentials = sealing_certificates.generate_credentials("A" * 120)

    common_name = credentials.ca_certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert len(common_name[0].value) == 64
    assert common_name[0].value.endswith(" SLA Portal CA")


def test_get_or_create_seal_key_returns_the_same_key_every_time(organization, seal_key):
    assert get_or_create_seal_key(organization) == seal_key
    assert OrganizationSealKey.objects.filter(organization=organization).count() == 1


def test_get_or_create_seal_key_keeps_the_key_a_concurrent_request_stored_first(
    organization, monkeypatch
):
    generate = sealing_certificates.generate_credentials
    stored_first = []

    def generate_while_another_request_stores_its_key(name, **kwargs):
        monkeypatch.setattr(sealing_certificates, "generate_credentials", generate)
        stored_first.append(get_or_create_seal_key(organization))  # the other request
        return generate(name, **kwargs)

    monkeypatch.setattr(
        sealing_certificates, "generate_credentials", generate_while_another_request_stores_its_key
    )

    assert get_or_create_seal_key(organization) == stored_first[0]
    assert OrganizationSealKey.objects.filter(organization=organization).count() == 1


def test_seal_keys_cannot_be_edited(seal_key):
    seal_key.chain_pem = "tampered"

    with pytest.raises(ImmutableError):
        seal_key.save()


def test_seal_key_still_decrypts_after_secret_key_rotation_with_a_fallback(seal_key, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-installation"

    assert load_signer(seal_key).signing_cert.sha256.hex() == seal_key.fingerprint_sha256


def test_seal_key_does_not_decrypt_under_another_secret_key(seal_key, settings):
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-installation"
    settings.SECRET_KEY_FALLBACKS = []

    with pytest.raises(ImproperlyConfigured):
        load_signer(seal_key)


# Sealing and verifying


def test_sealed_pdf_is_intact_against_the_organisation_ca(sealed_pdf, seal_key):
    result = verify_sealed_pdf(sealed_pdf, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.INTACT == "intact"
    assert result.is_intact
    assert result.covers_whole_file
    assert result.signer_subject == "CN=Acme Corp document seal,O=Acme Corp"
    assert abs(result.signing_time - datetime.now(UTC)) < timedelta(minutes=1)
    assert not result.timestamped
    assert result.signer_fingerprint_sha256 == seal_key.fingerprint_sha256
    assert result.message == "The document is exactly as Acme Corp sealed it."


def test_verification_reports_the_hash_of_the_bytes_it_was_given(sealed_pdf, seal_key):
    result = verify_sealed_pdf(sealed_pdf, [seal_key.ca_certificate_pem])

    assert result.document_sha256 == hashlib.sha256(sealed_pdf).hexdigest()


def test_seal_is_one_invisible_pades_signature_carrying_the_ca_certificate(sealed_pdf, seal_key):
    signature = _embedded_signature(sealed_pdf)

    assert signature.field_name == "SLAPortalSeal"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Signed by all signatories"
    assert signature.sig_object["/Location"] == "Berlin"
    assert [float(x) for x in signature.sig_field["/Rect"]] == [0, 0, 0, 0]
    embedded = {c.chosen.sha256.hex() for c in signature.signed_data["certificates"]}
    ca = x509.load_pem_x509_certificate(seal_key.ca_certificate_pem.encode())
    assert ca.fingerprint(hashes.SHA256()).hex() in embedded


def test_sealed_pdf_is_intact_when_its_ca_is_one_of_several_roots(
    sealed_pdf, seal_key, globex_seal_key
):
    roots = [globex_seal_key.ca_certificate_pem, seal_key.ca_certificate_pem]

    assert verify_sealed_pdf(sealed_pdf, roots).status == SealStatus.INTACT


def test_sealed_pdf_is_untrusted_against_another_organisations_ca(sealed_pdf, globex_seal_key):
    result = verify_sealed_pdf(sealed_pdf, [globex_seal_key.ca_certificate_pem])

    assert result.status == SealStatus.UNTRUSTED
    assert result.covers_whole_file
    assert result.message == (
        "The document is unchanged since Acme Corp sealed it, "
        "but that is not an organisation this portal trusts."
    )


def test_sealed_pdf_is_untrusted_without_any_roots(sealed_pdf):
    assert verify_sealed_pdf(sealed_pdf, []).status == SealStatus.UNTRUSTED


def test_a_seal_is_untrusted_once_its_certificate_has_expired(sealed_pdf, seal_key):
    # Without a trusted timestamp nothing proves the seal predates the expiry (PAdES B-B).
    with time_machine.travel(NOW + timedelta(days=10 * 366)):
        result = verify_sealed_pdf(sealed_pdf, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.UNTRUSTED
    assert "may have expired" in result.message


def test_flipping_one_byte_in_the_signed_content_says_altered(sealed_pdf, seal_key):
    producer = sealed_pdf.index(b"WeasyPrint")  # inside the signed byte range, still parseable
    tampered = _flip_byte(sealed_pdf, producer)

    result = verify_sealed_pdf(tampered, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.ALTERED
    assert result.message == "The document has been modified after it was sealed."


def test_flipping_one_byte_in_the_page_content_says_altered(contract_pdf, sealed_pdf, seal_key):
    inside_first_stream = contract_pdf.index(b"stream\n") + 20
    tampered = _flip_byte(sealed_pdf, inside_first_stream)

    assert verify_sealed_pdf(tampered, [seal_key.ca_certificate_pem]).status == "altered"


def test_bytes_appended_after_sealing_say_altered(sealed_pdf, seal_key):
    result = verify_sealed_pdf(sealed_pdf + b"%% appended\n", [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.ALTERED
    assert not result.covers_whole_file
    assert result.message == "Something was added to the document after it was sealed."


def test_an_incremental_update_after_sealing_says_altered(sealed_pdf, seal_key):
    writer = IncrementalPdfFileWriter(BytesIO(sealed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    updated = BytesIO()
    writer.write(updated)

    result = verify_sealed_pdf(updated.getvalue(), [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.ALTERED
    assert not result.covers_whole_file


def test_a_damaged_signature_says_altered(sealed_pdf, seal_key):
    start = sealed_pdf.index(b"/Contents <") + len(b"/Contents <")
    damaged = sealed_pdf[:start] + b"ffff" + sealed_pdf[start + 4 :]

    result = verify_sealed_pdf(damaged, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.ALTERED
    assert "seal is damaged" in result.message


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.7\n", bytes(range(256)) * 4],
    ids=["empty", "text", "header-only", "binary-garbage"],
)
def test_unreadable_input_says_invalid(data, seal_key):
    result = verify_sealed_pdf(data, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.INVALID
    assert result.message == "This file is not a readable PDF document."
    assert result.signer_subject == ""
    assert result.signing_time is None


@pytest.mark.parametrize("keep", [1000, -100], ids=["first-kilobyte", "all-but-the-end"])
def test_a_truncated_sealed_pdf_says_invalid(keep, sealed_pdf, seal_key):
    truncated = sealed_pdf[:keep]

    assert verify_sealed_pdf(truncated, [seal_key.ca_certificate_pem]).status == "invalid"


def test_an_unsigned_pdf_says_unsigned(contract_pdf, seal_key):
    result = verify_sealed_pdf(contract_pdf, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.UNSIGNED
    assert result.message == "This document has not been sealed."


# Timestamps (PAdES B-T), against a local timestamp authority


@pytest.fixture(scope="module")
def timestamp_authority():
    """An RFC 3161 server on localhost: (url, root certificate PEM, reported time)."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _self_signed(root_key, "Test TSA Root", ca=True, digital_signature=False)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_certificate = _issued(
        tsa_key.public_key(),
        "Test TSA",
        root,
        root_key,
        extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    reported_time = NOW.replace(microsecond=0) - timedelta(minutes=2)  # a visibly slow clock
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(
            tsa_certificate.public_bytes(serialization.Encoding.DER)
        ),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        fixed_dt=reported_time,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            response = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", _pem(root), reported_time
    server.shutdown()
    server.server_close()


def test_a_timestamped_seal_reports_the_timestamp_authoritys_time(
    contract_pdf, seal_key, timestamp_authority
):
    url, tsa_root, reported_time = timestamp_authority
    sealed = seal_pdf(contract_pdf, seal_key, reason="Signed", timestamp_url=url)

    result = verify_sealed_pdf(
        sealed, [seal_key.ca_certificate_pem], timestamp_roots_pem=[tsa_root]
    )

    assert result.status == SealStatus.INTACT
    assert result.timestamped
    assert result.signing_time == reported_time


def test_an_untrusted_timestamp_leaves_the_seal_intact_with_the_signers_own_time(
    contract_pdf, seal_key, timestamp_authority
):
    url, _, reported_time = timestamp_authority
    sealed = seal_pdf(contract_pdf, seal_key, reason="Signed", timestamp_url=url)

    result = verify_sealed_pdf(sealed, [seal_key.ca_certificate_pem])

    assert result.status == SealStatus.INTACT
    assert not result.timestamped
    assert result.signing_time != reported_time
    assert abs(result.signing_time - datetime.now(UTC)) < timedelta(minutes=1)


# Uploaded PKCS#12 bundles


def test_an_uploaded_bundle_replaces_the_key_and_seals_under_its_own_chain(
    organization, seal_key, contract_pdf
):
    root_key, intermediate_key, leaf_key = _ec_key(), _ec_key(), _ec_key()
    root = _self_signed(root_key, "Acme Root CA", ca=True, digital_signature=False)
    intermediate = _issued(
        intermediate_key.public_key(),
        "Acme Issuing CA",
        root,
        root_key,
        ca=True,
        digital_signature=False,
    )
    leaf = _issued(leaf_key.public_key(), "Acme e-seal", intermediate, intermediate_key)
    bundle = _pkcs12(leaf_key, leaf, others=[intermediate, root])

    uploaded = seal_key_from_pkcs12(organization, bundle, "correct horse")

    assert uploaded.source == SealKeySource.UPLOADED
    assert OrganizationSealKey.objects.get(organization=organization, active=True) == uploaded
    assert uploaded.ca_certificate_pem == _pem(root)
    assert uploaded.chain_pem == _pem(intermediate)
    assert "BEGIN PRIVATE KEY" not in uploaded.private_key_encrypted
    sealed = seal_pdf(contract_pdf, uploaded, reason="Signed")
    result = verify_sealed_pdf(sealed, [_pem(root)])
    assert result.status == SealStatus.INTACT
    assert result.signer_subject == "CN=Acme e-seal"
    old_root = seal_key.ca_certificate_pem
    assert verify_sealed_pdf(sealed, [old_root]).status == SealStatus.UNTRUSTED


def test_an_uploaded_self_signed_certificate_is_its_own_trust_root(organization, contract_pdf):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed(key, "Acme self-signed seal")

    uploaded = seal_key_from_pkcs12(organization, _pkcs12(key, certificate), "correct horse")

    assert uploaded.ca_certificate_pem == uploaded.certificate_pem
    sealed = seal_pdf(contract_pdf, uploaded, reason="Signed")
    assert verify_sealed_pdf(sealed, [uploaded.ca_certificate_pem]).status == SealStatus.INTACT


def test_a_bundle_without_its_root_is_stored_without_a_ca_certificate(organization):
    root_key, leaf_key = _ec_key(), _ec_key()
    root = _self_signed(root_key, "Somewhere Root CA", ca=True, digital_signature=False)
    leaf = _issued(leaf_key.public_key(), "Acme e-seal", root, root_key)

    uploaded = seal_key_from_pkcs12(organization, _pkcs12(leaf_key, leaf), "correct horse")

    assert uploaded.ca_certificate_pem == ""
    assert uploaded.chain_pem == ""


def _upload_error(organization, data, password="correct horse"):
    with pytest.raises(SealError) as error:
        seal_key_from_pkcs12(organization, data, password)
    return str(error.value)


def test_a_wrong_password_is_refused_with_a_clear_message(organization):
    key = _ec_key()
    bundle = _pkcs12(key, _self_signed(key, "Acme seal"))

    assert _upload_error(organization, bundle, password="wrong") == (
        "This file is not a PKCS#12 bundle or the password is wrong."
    )


def test_a_file_that_is_not_pkcs12_is_refused_with_a_clear_message(organization, contract_pdf):
    assert _upload_error(organization, contract_pdf) == (
        "This file is not a PKCS#12 bundle or the password is wrong."
    )


def test_an_expired_certificate_is_refused_with_its_expiry_date(organization):
    key = _ec_key()
    certificate = _self_signed(
        key,
        "Acme seal",
        not_valid_before=datetime(2017, 1, 1, tzinfo=UTC),
        not_valid_after=datetime(2020, 1, 1, tzinfo=UTC),
    )

    assert _upload_error(organization, _pkcs12(key, certificate)) == (
        "The certificate expired on 2020-01-01."
    )


def test_a_certificate_not_yet_valid_is_refused(organization):
    key = _ec_key()
    certificate = _self_signed(
        key,
        "Acme seal",
        not_valid_before=datetime(2099, 1, 1, tzinfo=UTC),
        not_valid_after=datetime(2100, 1, 1, tzinfo=UTC),
    )

    assert _upload_error(organization, _pkcs12(key, certificate)) == (
        "The certificate is not valid until 2099-01-01."
    )


def test_a_bundle_whose_certificate_is_for_another_key_is_refused(organization):
    key, other_key = _ec_key(), _ec_key()
    bundle = pkcs12.serialize_key_and_certificates(
        b"mismatched",
        key,
        None,
        [_self_signed(other_key, "Acme seal")],
        serialization.BestAvailableEncryption(b"correct horse"),
    )

    assert _upload_error(organization, bundle) == (
        "The bundle contains no certificate for its private key."
    )


def test_a_bundle_pairing_a_key_with_a_foreign_certificate_is_refused(organization, monkeypatch):
    # cryptography refuses to write such a bundle, but other tools may not check.
    key, other_key = _ec_key(), _ec_key()
    foreign_certificate = _self_signed(other_key, "Acme seal")
    monkeypatch.setattr(
        pkcs12, "load_key_and_certificates", lambda data, password: (key, foreign_certificate, [])
    )

    assert _upload_error(organization, b"bundle") == (
        "The bundle's private key does not belong to its certificate."
    )


def test_a_bundle_without_a_private_key_is_refused(organization):
    key = _ec_key()
    bundle = pkcs12.serialize_key_and_certificates(
        b"certificates only",
        None,
        None,
        [_self_signed(key, "Acme seal")],
        serialization.BestAvailableEncryption(b"correct horse"),
    )

    assert _upload_error(organization, bundle) == "The bundle contains no private key."


def test_a_certificate_not_allowed_to_sign_is_refused(organization):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed(key, "Acme encryption only", digital_signature=False)

    assert "may not be used to sign documents" in _upload_error(
        organization, _pkcs12(key, certificate)
    )


def test_a_weak_rsa_key_is_refused(organization):
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)

    assert _upload_error(organization, _pkcs12(key, _self_signed(key, "Acme seal"))) == (
        "The bundle's RSA key has 1024 bits; at least 2048 are needed."
    )


def test_a_refused_upload_keeps_the_existing_key(organization, seal_key):
    _upload_error(organization, b"junk")

    assert OrganizationSealKey.objects.get(organization=organization) == seal_key
