"""Creating, finding and revoking API tokens: plain functions the views, the management
command and the API's authentication share."""

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Scope

TOKEN_PREFIX = "slap_"
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8  # "slap_" and 8 characters that name the token


class TokenError(ValueError):
    """A token request that cannot be met, said in words a person can act on."""


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_scopes(scopes) -> list[str]:
    chosen = sorted({str(scope).strip() for scope in scopes if str(scope).strip()})
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if unknown:
        raise TokenError(
            f"Unknown scope(s): {', '.join(unknown)}. Choose from {', '.join(Scope.values)}."
        )
    if not chosen:
        raise TokenError("Choose at least one scope.")
    return chosen


@transaction.atomic
def create_token(
    *, organization, created_by, name: str, scopes, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret text, which is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise TokenError("Name the token, e.g. after the system that will use it.")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("The expiry must be in the future.")
    if ApiToken.objects.filter(organization=organization, name=name, revoked_at=None).exists():
        raise TokenError(f"A token named {name!r} exists already. Revoke it or pick another name.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        organization=organization,
        name=name,
        prefix=token[:PREFIX_LENGTH],
        token_sha256=_sha256(token),
        scopes=clean_scopes(scopes),
        created_by=created_by,
        expires_at=expires_at,
    )
    return row, token


def find_token(presented: str) -> ApiToken | None:
    """The token matching `presented` (revoked or expired ones too: the caller says which), or
    None. The hashes are compared in constant time."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) < PREFIX_LENGTH + 16:
        return None
    candidate = (
        ApiToken.objects.select_related("organization", "created_by")
        .filter(prefix=presented[:PREFIX_LENGTH])
        .first()
    )
    if candidate is None or not secrets.compare_digest(candidate.token_sha256, _sha256(presented)):
        return None
    return candidate


def touch(token: ApiToken, now=None) -> None:
    """Record the token's use, at most once a minute (one write, not one per call)."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke_token(token: ApiToken, *, by) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
