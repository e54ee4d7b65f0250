"""Request rates per address and per user, kept in the cache, read from settings at request time."""

from django.conf import settings
from rest_framework import throttling

from core.ratelimit import client_address


class RateFromSettings:
    """Rates read from settings.API_THROTTLE_RATES at request time (so tests and deployments can set them)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_ident(self, request) -> str:
        """The client's address as the whole site sees it (never a forged X-Forwarded-For)."""
        return client_address(request)


class AnonThrottle(RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(RateFromSettings, throttling.UserRateThrottle):
    pass
