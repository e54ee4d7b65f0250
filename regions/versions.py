"""A version counter of the reference data that public API reads derive their ETag from."""

from django.core.cache import cache

# Bumped by every write to provinces, regencies, agencies, SDGs and KIPP editions (signals in apps.py).
REFERENCE_VERSION_KEY = "api:reference-version"


def bump_reference_version(**kwargs) -> None:
    try:
        cache.incr(REFERENCE_VERSION_KEY)
    except ValueError:  # not set yet: the next read starts a version
        cache.set(REFERENCE_VERSION_KEY, 1, timeout=None)
