"""Where an organisation's sealing credentials live, and how the private key is kept at rest.

The private key is stored as encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, as
cryptography's BestAvailableEncryption chooses). Its password is not SECRET_KEY itself but 32 bytes
derived from it with HKDF-SHA256 (no salt, info `SEAL_KEY_KDF_INFO`), so the seal key is bound to
this installation's secret and to this one purpose. Decryption also tries SECRET_KEY_FALLBACKS, so
rotating SECRET_KEY the Django way keeps seals working until the fallback is dropped; after that,
keys encrypted under the old secret are lost and must be regenerated or uploaded again.

A generated CA's private key is kept the same way, because the CA must keep signing fresh
revocation lists (CRLs) for as long as its seals are checked: a CRL issued once at creation
would either go stale within days or claim "nothing revoked" for a decade. Storing it adds
little risk: whoever can decrypt it can decrypt the seal key beside it, and the CA is trusted
for that organisation's seals only. Uploaded bundles bring no CA key; their CA publishes its own
revocation data.
"""

from datetime import timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from agreements.models.seal import OrganizationSealKey, SealKeySource
from organizations.models import Organization

from . import certificates
from .certificates import PrivateKey, SealCredentials

SEAL_KEY_KDF_INFO = b"slaportal agreements organisation seal key v1"


# A CRL is reissued once it is this old, so the one served and embedded has days left to run.
CRL_REFRESH_AFTER = timedelta(days=1)


def active_seal_key(organization: Organization) -> OrganizationSealKey | None:
    return OrganizationSealKey.objects.filter(organization=organization, active=True).first()


def get_or_create_seal_key(organization: Organization) -> OrganizationSealKey:
    """The organisation's active seal key, generating one on first use.

    Key generation happens outside any transaction; if a concurrent request stored its key
    first, that one wins and ours is thrown away.
    """
    existing = active_seal_key(organization)
    if existing is not None:
        return existing
    credentials = _generate(organization)
    try:
        with transaction.atomic():
            return _create(organization, credentials, SealKeySource.GENERATED)
    except IntegrityError:
        return OrganizationSealKey.objects.get(organization=organization, active=True)


def seal_key_from_pkcs12(
    organization: Organization, data: bytes, password: str
) -> OrganizationSealKey:
    """Make an uploaded bundle the organisation's seal key; SealError if unusable.

    The previous key is retired, not deleted: PDFs it sealed still verify against its CA.
    """
    credentials = certificates.credentials_from_pkcs12(data, password)
    return _replace(organization, credentials, SealKeySource.UPLOADED)


def regenerate_seal_key(organization: Organization) -> OrganizationSealKey:
    """A new generated CA and seal certificate; the previous key is retired and kept."""
    return _replace(organization, _generate(organization), SealKeySource.GENERATED)


def _generate(organization: Organization) -> SealCredentials:
    return certificates.generate_credentials(
        organization.name, seal_years=settings.SEAL_CERTIFICATE_YEARS, crl_url=crl_url
    )


def _replace(
    organization: Organization, credentials: SealCredentials, source: SealKeySource
) -> OrganizationSealKey:
    with transaction.atomic():
        # Lock the organisation so concurrent replacements queue up instead of colliding.
        Organization.objects.select_for_update().get(pk=organization.pk)
        OrganizationSealKey.objects.filter(organization=organization, active=True).update(
            active=False, retired_at=timezone.now()
        )
        return _create(organization, credentials, source)


def _create(
    organization: Organization, credentials: SealCredentials, source: SealKeySource
) -> OrganizationSealKey:
    ca_certificate = credentials.ca_certificate
    ca_key = credentials.ca_private_key
    return OrganizationSealKey.objects.create(
        organization=organization,
        source=source,
        ca_certificate_pem=_pem(ca_certificate) if ca_certificate else "",
        ca_fingerprint_sha256=(
            certificates.fingerprint_sha256(ca_certificate) if ca_certificate else ""
        ),
        ca_private_key_encrypted=encrypt_private_key(ca_key) if ca_key else "",
        certificate_pem=_pem(credentials.certificate),
        chain_pem="".join(_pem(certificate) for certificate in credentials.intermediates),
        private_key_encrypted=encrypt_private_key(credentials.private_key),
        fingerprint_sha256=certificates.fingerprint_sha256(credentials.certificate),
    )


def crl_url(ca_certificate: x509.Certificate) -> str:
    """The public URL of a generated CA's CRL: by CA fingerprint, so renaming the organisation
    (its slug) does not break the distribution point written into its seal certificate."""
    fingerprint = certificates.fingerprint_sha256(ca_certificate)
    return settings.SITE_URL + reverse("seal_crl", args=[fingerprint])


def current_crl(seal_key: OrganizationSealKey) -> bytes | None:
    """The CA's CRL (DER), reissued when older than CRL_REFRESH_AFTER; None without a CA key.

    Nothing is ever listed as revoked: retiring a key is not a compromise, and revoking it
    would cast doubt on every PDF it sealed.
    """
    if not seal_key.ca_private_key_encrypted:
        return None
    now = timezone.now()
    if _fresh(seal_key, now):
        return bytes(seal_key.crl_der)
    with transaction.atomic():
        locked = OrganizationSealKey.objects.select_for_update().get(pk=seal_key.pk)
        if not _fresh(locked, now):  # otherwise a concurrent request just issued one
            number = locked.crl_number + 1
            crl = certificates.issue_crl(
                x509.load_pem_x509_certificate(locked.ca_certificate_pem.encode()),
                decrypt_private_key(locked.ca_private_key_encrypted),
                number=number,
                now=now,
            )
            OrganizationSealKey.objects.filter(pk=locked.pk).update(
                crl_der=crl, crl_number=number, crl_issued_at=now
            )
            locked.crl_der, locked.crl_number, locked.crl_issued_at = crl, number, now
    seal_key.crl_der, seal_key.crl_number = locked.crl_der, locked.crl_number
    seal_key.crl_issued_at = locked.crl_issued_at
    return bytes(locked.crl_der)


def _fresh(seal_key: OrganizationSealKey, now) -> bool:
    issued = seal_key.crl_issued_at
    return bool(seal_key.crl_der) and issued is not None and now - issued < CRL_REFRESH_AFTER


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
