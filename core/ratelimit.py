"""Who a request comes from, and small limits per address or per account kept in the cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.caching import cache_key


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


PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD_SECONDS |= {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    """At most N events per period for one requester (an address, an account, an email address),
    the rate read from ``settings.RATE_LIMITS[name]`` at request time. A fixed window in the cache:
    the first event opens it, it closes a period later."""

    name: str

    def rate(self) -> tuple[int, int]:
        count, _, period = settings.RATE_LIMITS[self.name].partition("/")
        return int(count), PERIOD_SECONDS[period]

    def key(self, who: str) -> str:
        return cache_key("ratelimit", self.name, hashlib.sha256(str(who).lower().encode()).hexdigest())

    def hit(self, who: str) -> bool:
        """Count one event; True when it goes past the limit."""
        allowed, seconds = self.rate()
        key = self.key(who)
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the window closed between add and incr
            cache.set(key, count := 1, timeout=seconds)
        return count > allowed

    def exceeded(self, who: str) -> bool:
        """Past the limit already, without counting."""
        return (cache.get(self.key(who)) or 0) >= self.rate()[0]


def too_many_requests(request, limit: Limit):
    """The 429 page, with how long to wait."""
    seconds = limit.rate()[1]
    response = render(request, "too_many_requests.html", {"minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def too_many_requests_json(limit: Limit, **body) -> JsonResponse:
    """The 429 of a JSON endpoint, with how long to wait."""
    detail = _("Terlalu banyak permintaan; tunggu sebentar, lalu coba lagi.")
    response = JsonResponse({"detail": detail, **body}, status=429)
    response["Retry-After"] = str(limit.rate()[1])
    return response


SIGN_IN_ADDRESS = Limit("sign-in-address")
PASSWORD_RESET_ADDRESS = Limit("password-reset-address")
PASSWORD_RESET_EMAIL = Limit("password-reset-email")
PASSWORD_CHANGE = Limit("password-change")
PROBLEM_SEARCH = Limit("problem-search")
