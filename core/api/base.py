"""The base viewsets: what every endpoint shares, and conditional GET for public reads."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

from core.caching import Version, cache_key

from .errors import NotModified
from .pagination import Pagination
from .throttling import AnonThrottle, UserThrottle

CHANGED_AT_SECONDS = 86400 * 30


class ApiViewSet(viewsets.GenericViewSet):
    """Pagination, throttling and filter backends of every API endpoint; authentication comes from
    ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]`` (personal tokens first, so a request without
    credentials gets 401, not 403)."""

    pagination_class = Pagination
    throttle_classes = [AnonThrottle, UserThrottle]
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = "[0-9]+"

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer depends on who asks, and a token names them: caches keep one per token."""
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        return response


class PublicReadMixin:
    """``ETag`` and ``Last-Modified`` on public reads, with 304 for a matching conditional GET
    (``django.utils.cache.get_conditional_response``).

    The validators come from the cache versions that every write of the data behind the endpoint
    bumps (``versions``), so answering 304 costs no SQL. Who is asking (``audience``: what they may see)
    and their language are part of the ETag.
    """

    versions: tuple[Version, ...] = ()

    def audience(self, request) -> str:
        """A name for what this requester may see; endpoints whose answer depends on it override it."""
        return "public"

    def validators(self, request) -> tuple[str, int]:
        current = [version.current() for version in self.versions]
        seen_key = cache_key(
            "api-changed-at", *(f"{v.name}{n}" for v, n in zip(self.versions, current, strict=True))
        )
        changed_at = cache.get_or_set(
            seen_key, lambda: timezone.now().timestamp(), timeout=CHANGED_AT_SECONDS
        )
        raw = repr((current, self.audience(request), translation.get_language(), request.get_full_path()))
        return f'"{hashlib.sha1(raw.encode()).hexdigest()}"', int(changed_at)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return
        request.etag, request.last_modified = self.validators(request)
        answer = get_conditional_response(request, etag=request.etag, last_modified=request.last_modified)
        if answer is not None and answer.status_code == 304:
            raise NotModified

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(request, "etag", None) and response.status_code in (200, 304):
            response["ETag"] = request.etag
            response["Last-Modified"] = http_date(request.last_modified)
            response["Cache-Control"] = (
                "private, no-cache" if request.user.is_authenticated else "public, no-cache"
            )
            response["Vary"] = "Accept-Language, Authorization, Cookie"
        return response


class PublicReadViewSet(PublicReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A read-only endpoint anyone may call."""
