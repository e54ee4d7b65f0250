"""Request rates per address and per user, kept in the cache, read from settings at request time."""

from django.conf import settings
from rest_framework import throttling


class RateFromSettings:
    """Rates read from settings.API_THROTTLE_RATES at request time (so tests and deployments can set them)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(RateFromSettings, throttling.UserRateThrottle):
    pass
