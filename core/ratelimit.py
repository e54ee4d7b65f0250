"""Who a request comes from, and small limits per address or per account kept in the cache."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The client's address: the peer's (``REMOTE_ADDR``), or with ``settings.NUM_PROXIES`` trusted
    proxies in front, the address the outermost of them saw, counted from the right of
    ``X-Forwarded-For`` (entries further left are whatever the client wrote). DRF's rule, so the API
    throttles, the sign-in lockout (django-axes) and the site's own limits agree."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if settings.NUM_PROXIES and forwarded:
        return forwarded[-min(settings.NUM_PROXIES, len(forwarded))]
    return remote
