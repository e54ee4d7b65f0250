"""Who a signed-in user is in the programme, read once per request from their memberships."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, Role


@dataclass(frozen=True)
class Roles:
    regency_ids: frozenset[int]
    province_ids: frozenset[int]
    is_national_admin: bool

    @property
    def is_regional_staff(self) -> bool:
        return bool(self.regency_ids)

    @property
    def is_provincial_bureau(self) -> bool:
        return bool(self.province_ids)


NOBODY = Roles(frozenset(), frozenset(), False)


def roles_of(user) -> Roles:
    """The user's roles, cached on the user object so a request asks the database once."""
    if user is None or not user.is_authenticated:
        return NOBODY
    cached = getattr(user, "_replikasi_roles", None)
    if cached is None:
        memberships = list(
            Membership.objects.filter(user=user).values_list("role", "regency_id", "province_id")
        )
        cached = Roles(
            regency_ids=frozenset(r for role, r, _ in memberships if role == Role.REGIONAL_STAFF),
            province_ids=frozenset(p for role, _, p in memberships if role == Role.PROVINCIAL_BUREAU),
            is_national_admin=user.is_superuser
            or any(role == Role.NATIONAL_ADMIN for role, _, _ in memberships),
        )
        user._replikasi_roles = cached
    return cached
