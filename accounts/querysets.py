"""Reusable queries of the accounts app."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from .models import ApiToken

TOKEN_PREFIX = "rpk_"
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(secret: str) -> str:
    """SHA-256 of a token: tokens carry 256 random bits, so a fast hash is as safe as a slow one."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def issue(self, user, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user``; the secret is returned once and never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, prefix=secret[:12], digest=token_digest(secret))
        return token, secret

    def authenticate(self, secret: str) -> ApiToken | None:
        """The active token with this secret (one query), its last use recorded at most once a minute."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
            return None
        token = self.active().select_related("user__preference").filter(digest=token_digest(secret)).first()
        if token is not None:
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
                type(token).objects.filter(pk=token.pk).update(last_used_at=now)
                token.last_used_at = now
        return token
