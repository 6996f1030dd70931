"""Fixed-window request limits on the shared cache (Redis, or the database cache on the embedded
default), so every gunicorn worker counts the same requests."""

from django.core.cache import cache


def over_limit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for ``key`` in ``scope``; True once more than ``limit`` came within the
    current window of ``window_seconds``."""
    name = f"rate:{scope}:{key}"
    if cache.add(name, 1, timeout=window_seconds):
        return limit < 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr(): this is a new window's first request
        cache.add(name, 1, timeout=window_seconds)
        return limit < 1
    return count > limit
