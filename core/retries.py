"""How long a task waits before trying again (emails to a refusing or slow mail server)."""

from __future__ import annotations

import random

from django.conf import settings


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter: base × 2^retries, scaled by a random factor in [0.5, 1)."""
    return settings.REMINDER_RETRY_BACKOFF * 2**retries * (0.5 + random.random() / 2)
