"""The signature receivers check: X-SLAPortal-Signature: v1=<hex HMAC-SHA256 of
"<X-SLAPortal-Timestamp>.<raw body>" under the endpoint's secret>. The timestamp is signed with
the body, so a captured request cannot be replayed later with a fresh timestamp."""

import hashlib
import hmac
import time

SCHEME = "v1"
TOLERANCE_SECONDS = 300  # what we advise receivers to accept between our clock and theirs


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={digest.hexdigest()}"


def is_valid(
    secret: str, header: str, timestamp: str, body: bytes, *, now: float | None = None
) -> bool:
    """What a receiver does: the timestamp is recent and the header is our HMAC of it and the
    body (compared in constant time)."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, sent, body), header or "")
