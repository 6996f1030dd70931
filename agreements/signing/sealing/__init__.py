"""The cryptographic seal on signed agreement PDFs.

Each organisation seals with its own certificate: generated on first use (an organisation CA and
a document-seal certificate it issued) or uploaded by an owner as PKCS#12; replacing it retires
the old key and keeps it. `seal_pdf` adds one PAdES signature over the whole file, B-LT (the CA
and its CRL in the DSS) or B-LTA with a timestamp authority; `verify_sealed_pdf` says, in plain
English, whether a file is still exactly what was sealed and whether one of the given trust
roots vouches for the sealer.
"""

from .certificates import SealCredentials, credentials_from_pkcs12, generate_credentials
from .embedded import Attachment, embedded_file, embedded_source
from .errors import SealError
from .keystore import (
    active_seal_key,
    current_crl,
    get_or_create_seal_key,
    load_signer,
    regenerate_seal_key,
    seal_key_from_pkcs12,
)
from .signing import SEAL_FIELD_NAME, seal_pdf
from .verification import SealStatus, VerificationResult, verify_sealed_pdf

__all__ = [
    "SEAL_FIELD_NAME",
    "Attachment",
    "SealCredentials",
    "SealError",
    "SealStatus",
    "VerificationResult",
    "active_seal_key",
    "credentials_from_pkcs12",
    "current_crl",
    "embedded_file",
    "embedded_source",
    "generate_credentials",
    "get_or_create_seal_key",
    "load_signer",
    "regenerate_seal_key",
    "seal_key_from_pkcs12",
    "seal_pdf",
    "verify_sealed_pdf",
]
