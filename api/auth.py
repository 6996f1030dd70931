"""Bearer-token authentication for /api/v1/: the token names the organisation every call is
scoped to, and its scopes say what the call may do."""

from django.conf import settings
from ninja.security import HttpBearer

from agreements.audit import set_channel
from slaportal.rate_limits import over_limit

from .errors import ApiError
from .tokens import find_token, touch


class TokenAuth(HttpBearer):
    """`Authorization: Bearer slap_...`. Which scope an operation needs is its `scope`."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        found = find_token(token)
        if found is None:
            raise ApiError(401, "This API token is not known. Check that it was copied whole.")
        request.api_token = found  # the call log names it, valid or not
        if found.revoked_at is not None:
            raise ApiError(401, "This API token was revoked. Ask an owner for a new one.")
        if not found.is_usable():
            raise ApiError(401, "This API token has expired. Ask an owner for a new one.")
        if not found.allows(self.scope):
            raise ApiError(
                403, f"This API token lacks the {self.scope!r} scope that this call needs."
            )
        if over_limit(
            "api",
            str(found.pk),
            limit=settings.API_RATE_LIMIT,
            window_seconds=settings.API_RATE_WINDOW_SECONDS,
        ):
            raise ApiError(
                429,
                "Too many calls with this token. Try again in a minute.",
                headers={"Retry-After": str(settings.API_RATE_WINDOW_SECONDS)},
            )
        touch(found)
        set_channel({"api_token": found.name, "api_token_id": found.pk})
        return found

    def __call__(self, request):
        # Without an Authorization header ninja answers a bare 401; say what is missing.
        if not request.headers.get("Authorization"):
            raise ApiError(401, "Send an API token: Authorization: Bearer slap_...")
        return super().__call__(request)


READ = TokenAuth("read")
WRITE = TokenAuth("write")
EVENTS = TokenAuth("events")
