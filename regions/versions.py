"""Version counters that public API reads derive their ETag and Last-Modified from."""

from django.core.cache import cache

# Bumped by every write to provinces, regencies, agencies, SDGs and KIPP editions (signals in apps.py).
REFERENCE_VERSION_KEY = "api:reference-version"


def bump_version(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet: the next read starts a version
        cache.set(key, 1, timeout=None)


def bump_reference_version(**kwargs) -> None:
    bump_version(REFERENCE_VERSION_KEY)
