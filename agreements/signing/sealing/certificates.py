"""Sealing credentials: generated for an organisation, or read from an uploaded PKCS#12 bundle.

Pure cryptography, no Django: `keystore` stores what this module produces.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .errors import SealError

# RFC 9336 id-kp-documentSigning. pyHanko accepts any extended key usage by default; this one
# says what the certificate is for to other verifiers (Adobe, EU DSS).
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# NSS (poppler's pdfsig, Firefox's PDF viewer, Thunderbird) checks PDF signatures as S/MIME
# signatures and refuses a certificate whose extended key usage lacks emailProtection.
SEAL_KEY_PURPOSES = [DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]
# The seal certificate must outlive the archive period of what it seals (settings
# SEAL_CERTIFICATE_YEARS); its CA outlives it by this much, so the chain never ends first.
DEFAULT_SEAL_YEARS = 10
CA_EXTRA_YEARS = 1
# A CRL is good for a week; keystore issues a fresh one once a day (see CRL_REFRESH_AFTER there).
CRL_VALIDITY = timedelta(days=7)
# Certificates start a little in the past so a verifier whose clock lags still accepts them.
CLOCK_SKEW = timedelta(minutes=5)
# X.520 upper bound for common and organisation names (RFC 5280 ub-common-name).
MAX_NAME_LENGTH = 64
MIN_RSA_BITS = 2048
MAX_CHAIN_LENGTH = 8

# The key types pyHanko's SimpleSigner signs with (DSA left out: obsolete for PDF signatures).
PrivateKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
)


@dataclass(frozen=True)
class SealCredentials:
    private_key: PrivateKey
    certificate: x509.Certificate
    # The self-signed root above `certificate`, when known.
    ca_certificate: x509.Certificate | None
    # Certificates between `certificate` and the root, nearest first.
    intermediates: tuple[x509.Certificate, ...] = ()
    # The CA's key, for generated credentials only: it signs the CA's revocation lists.
    ca_private_key: PrivateKey | None = None


def generate_credentials(
    organization_name: str,
    *,
    now: datetime | None = None,
    seal_years: int = DEFAULT_SEAL_YEARS,
    crl_url: Callable[[x509.Certificate], str] | None = None,
) -> SealCredentials:
    """A fresh organisation CA and a document-seal certificate it issued.

    The CA's private key is returned too: it signs nothing but this CA's revocation lists (the
    keystore stores it encrypted like the seal key). ``crl_url`` gives, for the new CA
    certificate, the public URL of its CRL, written into the seal certificate as its CRL
    distribution point.
    """
    now = now or datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_certificate = _ca_certificate(
        organization_name, ca_key, now, _years(seal_years + CA_EXTRA_YEARS)
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    certificate = _seal_certificate(
        organization_name,
        seal_key.public_key(),
        ca_certificate,
        ca_key,
        now,
        _years(seal_years),
        crl_url(ca_certificate) if crl_url else None,
    )
    return SealCredentials(seal_key, certificate, ca_certificate, ca_private_key=ca_key)


def _years(years: int) -> timedelta:
    return timedelta(days=365 * years + years // 4 + 1)  # leap days, rounded up


def issue_crl(
    ca_certificate: x509.Certificate,
    ca_key: PrivateKey,
    *,
    number: int,
    now: datetime | None = None,
    validity: timedelta = CRL_VALIDITY,
) -> bytes:
    """A CRL (DER) of ``ca_certificate`` listing nothing revoked, good for ``validity``."""
    now = now or datetime.now(UTC)
    ca_key_id = ca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_certificate.subject)
        .last_update(now - CLOCK_SKEW)
        .next_update(now + validity)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id.value),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.DER)


def _name(common_name: str, organization_name: str) -> x509.Name:
    # Most significant first, so it reads "CN=..., O=..." in RFC 4514 form.
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization_name[:MAX_NAME_LENGTH]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _common_name(organization_name: str, suffix: str) -> str:
    """`<organisation> <suffix>`, shortening the organisation name to fit the X.520 bound."""
    room = MAX_NAME_LENGTH - len(suffix) - 1
    return f"{organization_name[:room].rstrip()} {suffix}"


def _ca_certificate(
    organization_name: str, ca_key: ec.EllipticCurvePrivateKey, now: datetime, validity: timedelta
) -> x509.Certificate:
    subject = _name(_common_name(organization_name, "SLA Portal CA"), organization_name)
    public_key = ca_key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _seal_certificate(
    organization_name: str,
    public_key: ec.EllipticCurvePublicKey,
    ca_certificate: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: datetime,
    validity: timedelta,
    crl_url: str | None,
) -> x509.Certificate:
    ca_key_id = ca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(_common_name(organization_name, "document seal"), organization_name))
        .issuer_name(ca_certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage(SEAL_KEY_PURPOSES), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id.value),
            critical=False,
        )
    )
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def _key_usage(**granted: bool) -> x509.KeyUsage:
    usages = {
        "digital_signature": False,
        "content_commitment": False,  # a.k.a. nonRepudiation
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "key_cert_sign": False,
        "crl_sign": False,
        "encipher_only": False,
        "decipher_only": False,
    }
    return x509.KeyUsage(**(usages | granted))


def credentials_from_pkcs12(
    data: bytes, password: str, *, now: datetime | None = None
) -> SealCredentials:
    """Read and check an uploaded bundle; raise SealError saying what is wrong with it."""
    private_key, certificate, others = _load_pkcs12(data, password)
    _check_key(private_key)
    _check_key_matches(private_key, certificate)
    _check_validity_period(certificate, now or datetime.now(UTC))
    _check_key_usage(certificate)
    ca_certificate, intermediates = _chain_above(certificate, others)
    return SealCredentials(private_key, certificate, ca_certificate, intermediates)


def _load_pkcs12(data: bytes, password: str):
    try:
        private_key, certificate, others = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError:
        raise SealError("This file is not a PKCS#12 bundle or the password is wrong.") from None
    if private_key is None:
        raise SealError("The bundle contains no private key.")
    if certificate is None:
        raise SealError("The bundle contains no certificate for its private key.")
    return private_key, certificate, others


def _check_key(private_key) -> None:
    if not isinstance(private_key, PrivateKey):
        raise SealError("The bundle's key type cannot sign PDFs; use an RSA or EC key.")
    if isinstance(private_key, rsa.RSAPrivateKey) and private_key.key_size < MIN_RSA_BITS:
        raise SealError(
            f"The bundle's RSA key has {private_key.key_size} bits; at least "
            f"{MIN_RSA_BITS} are needed."
        )


def _check_key_matches(private_key: PrivateKey, certificate: x509.Certificate) -> None:
    if _public_key_der(private_key.public_key()) != _public_key_der(certificate.public_key()):
        raise SealError("The bundle's private key does not belong to its certificate.")


def _public_key_der(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _check_validity_period(certificate: x509.Certificate, now: datetime) -> None:
    if certificate.not_valid_after_utc < now:
        raise SealError(f"The certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}.")
    if certificate.not_valid_before_utc > now:
        raise SealError(
            f"The certificate is not valid until {certificate.not_valid_before_utc:%Y-%m-%d}."
        )


def _check_key_usage(certificate: x509.Certificate) -> None:
    """Verification accepts digitalSignature or nonRepudiation; refuse what would never verify."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no restriction
    if not (usage.digital_signature or usage.content_commitment):
        raise SealError(
            "The certificate may not be used to sign documents "
            "(its key usage allows neither digital signature nor non-repudiation)."
        )


def _chain_above(
    certificate: x509.Certificate, others: list[x509.Certificate]
) -> tuple[x509.Certificate | None, tuple[x509.Certificate, ...]]:
    """Follow issuers through the bundle's other certificates: (root or None, intermediates).

    A self-signed seal certificate is its own root. Certificates off the path are ignored.
    """
    if _is_self_signed(certificate):
        return certificate, ()
    by_subject = {other.subject: other for other in others}
    chain = []
    current = certificate
    while current.issuer in by_subject and len(chain) < MAX_CHAIN_LENGTH:
        current = by_subject[current.issuer]
        if _is_self_signed(current):
            return current, tuple(chain)
        chain.append(current)
    return None, tuple(chain)


def _is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject


def fingerprint_sha256(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()
