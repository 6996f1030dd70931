"""System checks for configuration the settings module cannot refuse at import time."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def secret_key_is_set(app_configs, **kwargs):
    # settings.SECRET_KEY raises when empty; read the raw value instead.
    if getattr(settings._wrapped, "SECRET_KEY", ""):
        return []
    return [
        Error(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) for production, "
            "or DEBUG=true for local development.",
            id="slaportal.E001",
        )
    ]


@register()
def audit_hmac_key_is_known(app_configs, **kwargs):
    keys, current = settings.AUDIT_HMAC_KEYS, settings.AUDIT_HMAC_KEY_ID
    if "" in keys or not all(keys.values()):
        return [Error("AUDIT_HMAC_KEYS has an empty key id or secret.", id="slaportal.E002")]
    if current in keys:
        return []
    return [
        Error(
            f"AUDIT_HMAC_KEY_ID {current!r} names no key of AUDIT_HMAC_KEYS "
            f"({', '.join(sorted(keys)) or 'none'}).",
            id="slaportal.E003",
        )
    ]
