"""Who a signed-in user is in the programme, from their memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from core.caching import cache_key

from .models import Membership, Role

ROLES_CACHE_SECONDS = 600


@dataclass(frozen=True)
class Roles:
    regency_ids: frozenset[int]
    province_ids: frozenset[int]
    is_national_admin: bool
    agency_ids: frozenset[int] = frozenset()  # innovator of the innovations these agencies own

    @property
    def is_regional_staff(self) -> bool:
        return bool(self.regency_ids)

    @property
    def is_provincial_bureau(self) -> bool:
        return bool(self.province_ids)

    @property
    def is_innovator(self) -> bool:
        return bool(self.agency_ids)


NOBODY = Roles(frozenset(), frozenset(), False)


def roles_key(user_id: int) -> str:
    return cache_key("roles", 2, user_id)  # 2: the roles with innovators' agencies


def roles_of(user) -> Roles:
    """The user's roles: kept on the user object for the request, and in the cache between requests.

    The cached entry is dropped whenever a membership of the user or the user itself changes
    (accounts/signals.py), so a revoked role ends at the next request.
    """
    if user is None or not user.is_authenticated:
        return NOBODY
    cached = getattr(user, "_replikasi_roles", None)
    if cached is None:
        cached = cache.get(roles_key(user.pk))
    if cached is None:
        memberships = list(
            Membership.objects.filter(user=user).values_list("role", "regency_id", "province_id", "agency_id")
        )
        cached = Roles(
            regency_ids=frozenset(r for role, r, _, _ in memberships if role == Role.REGIONAL_STAFF),
            province_ids=frozenset(p for role, _, p, _ in memberships if role == Role.PROVINCIAL_BUREAU),
            is_national_admin=user.is_superuser
            or any(role == Role.NATIONAL_ADMIN for role, *_ in memberships),
            agency_ids=frozenset(a for role, _, _, a in memberships if role == Role.INNOVATOR),
        )
        cache.set(roles_key(user.pk), cached, timeout=ROLES_CACHE_SECONDS)
    user._replikasi_roles = cached
    return cached


def forget_roles(user_id: int) -> None:
    cache.delete(roles_key(user_id))
