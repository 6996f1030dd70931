"""Fixed-window request limits on the shared cache (Redis, or the database cache on the embedded
default), so every gunicorn worker counts the same requests."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def over_limit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for ``key`` in ``scope``; True once more than ``limit`` came within the
    current window of ``window_seconds``. When the cache cannot be reached the request is let
    through (logged): a limit must not take the page down with the cache."""
    name = f"rate:{scope}:{key}"
    try:
        if cache.add(name, 1, timeout=window_seconds):
            return limit < 1
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add() and incr(): a new window's first request
            cache.add(name, 1, timeout=window_seconds)
            return limit < 1
    except Exception as exc:
        logger.warning("Rate limit %s not counted: the cache is unavailable (%s)", scope, exc)
        return False
    return count > limit
