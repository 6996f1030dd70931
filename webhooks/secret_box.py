"""Endpoint secrets at rest: AES-256-GCM under a key derived from SECRET_KEY.

We must keep each secret readable (it signs every delivery), so it cannot be hashed; encrypting
it means a copy of the database alone does not let anyone forge our signatures. The key is
HKDF-SHA256 of SECRET_KEY for this one purpose (as the seal keys do); decryption also tries
SECRET_KEY_FALLBACKS, so rotating SECRET_KEY the Django way keeps webhooks working until the
fallback is dropped. After that, the owner rotates the endpoint's secret.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

KDF_INFO = b"slaportal webhook endpoint secret v1"
NONCE_BYTES = 12


class SecretUnreadable(Exception):
    """Encrypted under a SECRET_KEY this installation no longer has."""


def _key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KDF_INFO).derive(
        secret_key.encode()
    )


def seal(secret: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(_key(settings.SECRET_KEY)).encrypt(nonce, secret.encode(), KDF_INFO)
    return base64.b64encode(nonce + ciphertext).decode("ascii")


def unseal(sealed: str) -> str:
    raw = base64.b64decode(sealed)
    nonce, ciphertext = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret_key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return AESGCM(_key(secret_key)).decrypt(nonce, ciphertext, KDF_INFO).decode()
        except InvalidTag:
            continue
    raise SecretUnreadable(
        "The endpoint's secret cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS; "
        "rotate the secret."
    )
