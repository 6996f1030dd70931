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
