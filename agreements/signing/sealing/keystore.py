"""Where an organisation's sealing credentials live, and how the private key is kept at rest.

The private key is stored as encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, as
cryptography's BestAvailableEncryption chooses). Its password is not SECRET_KEY itself but 32 bytes
derived from it with HKDF-SHA256 (no salt, info `SEAL_KEY_KDF_INFO`), so the seal key is bound to
this installation's secret and to this one purpose. Decryption also tries SECRET_KEY_FALLBACKS, so
rotating SECRET_KEY the Django way keeps seals working until the fallback is dropped; after that,
keys encrypted under the old secret are lost and must be regenerated or uploaded again.
"""

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from agreements.models.seal import OrganizationSealKey, SealKeySource
from organizations.models import Organization

from . import certificates
from .certificates import PrivateKey, SealCredentials

SEAL_KEY_KDF_INFO = b"slaportal agreements organisation seal key v1"


def get_or_create_seal_key(organization: Organization) -> OrganizationSealKey:
    """The organisation's seal key, generating one on first use.

    Key generation happens outside any transaction; if a concurrent request stored its key
    first, that one wins and ours is thrown away.
    """
    existing = OrganizationSealKey.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    credentials = certificates.generate_credentials(organization.name)
    try:
        with transaction.atomic():
            return _create(organization, credentials, SealKeySource.GENERATED)
    except IntegrityError:
        return OrganizationSealKey.objects.get(organization=organization)


def seal_key_from_pkcs12(
    organization: Organization, data: bytes, password: str
) -> OrganizationSealKey:
    """Replace the organisation's seal key with an uploaded bundle; SealError if unusable.

    PDFs sealed with the old key then verify only against its CA certificate, which this
    deletes: keep it elsewhere if old seals must stay verifiable.
    """
    credentials = certificates.credentials_from_pkcs12(data, password)
    with transaction.atomic():
        # Lock the organisation so concurrent replacements queue up instead of colliding.
        Organization.objects.select_for_update().get(pk=organization.pk)
        OrganizationSealKey.objects.filter(organization=organization).delete()
        return _create(organization, credentials, SealKeySource.UPLOADED)


def _create(
    organization: Organization, credentials: SealCredentials, source: SealKeySource
) -> OrganizationSealKey:
    ca_certificate = credentials.ca_certificate
    return OrganizationSealKey.objects.create(
        organization=organization,
        source=source,
        ca_certificate_pem=_pem(ca_certificate) if ca_certificate else "",
        certificate_pem=_pem(credentials.certificate),
        chain_pem="".join(_pem(certificate) for certificate in credentials.intermediates),
        private_key_encrypted=encrypt_private_key(credentials.private_key),
        fingerprint_sha256=certificates.fingerprint_sha256(credentials.certificate),
    )


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def encrypt_private_key(private_key: PrivateKey) -> str:
    encryption = serialization.BestAvailableEncryption(_encryption_password(settings.SECRET_KEY))
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode("ascii")


def decrypt_private_key(encrypted_pem: str) -> PrivateKey:
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return serialization.load_pem_private_key(
                encrypted_pem.encode("ascii"), password=_encryption_password(secret)
            )
        except ValueError:
            continue  # encrypted under another secret, or not at all
    raise ImproperlyConfigured(
        "A seal key cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS."
    )


def _encryption_password(secret_key: str) -> bytes:
    # A 256-bit password, so the PEM's own PBKDF2 iteration count adds nothing and costs nothing.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_KEY_KDF_INFO)
    return hkdf.derive(secret_key.encode())


def load_signer(seal_key: OrganizationSealKey) -> SimpleSigner:
    """A pyHanko signer that embeds the seal certificate, intermediates and CA certificate."""
    private_key = decrypt_private_key(seal_key.private_key_encrypted)
    return SimpleSigner(
        signing_cert=_asn1_certificates(seal_key.certificate_pem)[0],
        signing_key=asn1_keys.PrivateKeyInfo.load(
            private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            _asn1_certificates(seal_key.chain_pem + seal_key.ca_certificate_pem)
        ),
        embed_roots=True,  # verifiers then need nothing but the trust root itself
    )


def _asn1_certificates(pem: str) -> list[asn1_x509.Certificate]:
    return list(load_certs_from_pemder_data(pem.encode())) if pem.strip() else []
