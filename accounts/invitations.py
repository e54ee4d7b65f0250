"""Bringing people in, and managing them, within the inviter's reach: every rule in one place.

    Reach of a national admin: every role everywhere.
    Reach of a provincial bureau of P: regional staff of P's regencies, bureau colleagues of P, and
    innovators of the agencies of P (its own and its regencies').
    Nobody else invites anyone.

A member is managed (listed, deactivated, moved to another role) by someone whose reach holds every
membership the member has; anyone else gets a 404, as for every record of another region.

    invitation, link = invite(inviter, name=..., email=..., role=..., regency=..., province=...)
    user = accept(invitation, username=..., password=...)
"""

from __future__ import annotations

import datetime
import difflib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.matching import normalised
from regions.models import Agency, Province, Regency

from .models import ApiToken, Invitation, Membership, Role, UserPreference, token_digest
from .roles import roles_of

User = get_user_model()


@dataclass(frozen=True)
class Reach:
    """Where someone may bring people in and manage them."""

    everywhere: bool
    province_ids: frozenset[int]

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.province_ids)

    def roles(self) -> list[tuple[str, str]]:
        if self.everywhere:
            return list(Role.choices)
        return [(value, label) for value, label in Role.choices if value != Role.NATIONAL_ADMIN]

    def regencies(self) -> QuerySet:
        regencies = Regency.objects.select_related("province").order_by("province__code", "code")
        return regencies if self.everywhere else regencies.filter(province_id__in=self.province_ids)

    def provinces(self) -> QuerySet:
        provinces = Province.objects.order_by("code")
        return provinces if self.everywhere else provinces.filter(pk__in=self.province_ids)

    def holds(self, role: str, regency: Regency | None, province: Province | None, agency=None) -> bool:
        if self.everywhere:
            return True
        if role == Role.REGIONAL_STAFF:
            return regency is not None and regency.province_id in self.province_ids
        if role == Role.PROVINCIAL_BUREAU:
            return province is not None and province.pk in self.province_ids
        if role == Role.INNOVATOR:
            return agency is not None and agency.province_id in self.province_ids
        return False

    def memberships(self) -> QuerySet:
        if self.everywhere:
            return Membership.objects.all()
        return Membership.objects.filter(
            Q(regency__province_id__in=self.province_ids)
            | Q(province_id__in=self.province_ids)
            | Q(agency__province_id__in=self.province_ids)
        )

    def invitations(self) -> QuerySet:
        invitations = Invitation.objects.select_related(
            "regency__province", "province", "agency", "invited_by"
        )
        if self.everywhere:
            return invitations
        return invitations.filter(
            Q(regency__province_id__in=self.province_ids)
            | Q(province_id__in=self.province_ids)
            | Q(agency__province_id__in=self.province_ids)
        )

    def members(self) -> QuerySet:
        """The people whose every membership is within reach (and who have at least one)."""
        within = self.memberships().values("pk")
        outside = Membership.objects.filter(user=OuterRef("pk")).exclude(pk__in=within)
        inside = self.memberships().filter(user=OuterRef("pk"))
        return User.objects.filter(Exists(inside), ~Exists(outside))


NOWHERE = Reach(everywhere=False, province_ids=frozenset())


def reach_of(user) -> Reach:
    roles = roles_of(user)
    if roles.is_national_admin:
        return Reach(everywhere=True, province_ids=frozenset())
    return Reach(everywhere=False, province_ids=roles.province_ids)


class InvitationRefused(ValueError):
    """The invitation cannot be made, for the reason given (in the user's language)."""


def link_of(secret: str) -> str:
    return settings.SITE_URL + reverse("invitation-accept", args=[secret])


def new_secret(invitation: Invitation) -> str:
    secret = secrets.token_urlsafe(32)
    invitation.digest = token_digest(secret)
    invitation.expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS)
    return secret


def agency_named(name: str, region: Regency | Province):
    """The agency of that name (without case, spacing or punctuation) in the region, or ValueError
    naming the region's agencies closest to it."""

    def compact(text: str) -> str:
        return "".join(normalised(text).split())

    agencies = Agency.objects.filter(regency=region) if isinstance(region, Regency) else (
        Agency.objects.filter(province=region, regency=None)
    )  # fmt: skip
    by_name = {compact(agency.name): agency for agency in agencies.order_by("pk")}
    found = by_name.get(compact(name))
    if found is None:
        closest = difflib.get_close_matches(compact(name), list(by_name), n=3, cutoff=0.5)
        names = ", ".join(by_name[key].name for key in closest) or _("tidak ada yang mirip")
        raise ValueError(
            _("Instansi “%(name)s” tidak ada di %(region)s. Yang paling mirip: %(names)s.")
            % {"name": name, "region": region.name, "names": names}
        )
    return found


def invite(
    inviter, *, name: str, email: str, role: str, regency=None, province=None, agency=None, language="id"
):
    """A new invitation and the secret of its link; InvitationRefused if the inviter's reach does not
    hold the role and place, the address already has an account, or an invitation to it is open."""
    if not reach_of(inviter).holds(role, regency, province, agency):
        raise InvitationRefused(_("Anda tidak dapat mengundang orang ke peran dan wilayah ini."))
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationRefused(
            _("Sudah ada akun dengan surel %(email)s; ubah perannya di daftar anggota.") % {"email": email}
        )
    invitation = Invitation(
        name=name, email=email, role=role, regency=regency, province=province, agency=agency,
        language=language, invited_by=inviter,
    )  # fmt: skip
    secret = new_secret(invitation)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        message = _("Sudah ada undangan terbuka untuk %(email)s; kirim ulang dari daftar undangan.")
        raise InvitationRefused(message % {"email": email}) from error
    return invitation, secret


def renew(invitation: Invitation) -> str:
    """A new link for an invitation not yet accepted or revoked (the old link stops working)."""
    secret = new_secret(invitation)
    invitation.save(update_fields=["digest", "expires_at"])
    return secret


def revoke(invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def find(secret: str) -> Invitation | None:
    invitations = Invitation.objects.select_related("regency", "province", "agency")
    return invitations.filter(digest=token_digest(secret)).first()


def refusal(invitation: Invitation | None) -> str:
    """Why this link no longer opens the way in, or "" when it does."""
    if invitation is None:
        return _("Tautan undangan ini tidak dikenal. Mungkin sudah diganti oleh undangan yang dikirim ulang.")
    if invitation.accepted_at:
        return _("Undangan ini sudah dipakai. Silakan masuk dengan nama pengguna dan kata sandi Anda.")
    if invitation.revoked_at:
        return _("Undangan ini sudah dicabut. Hubungi yang mengundang Anda bila perlu.")
    if invitation.expires_at <= timezone.now():
        return _("Undangan ini kedaluwarsa. Minta yang mengundang Anda untuk mengirimnya ulang.")
    return ""


class InvitationClosed(ValueError):
    pass


def accept(invitation: Invitation, *, username: str, password: str):
    """The invitee's account, with the invited role and place and their language; the link is used up.
    InvitationClosed if another request used, revoked or outlived it first."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        reason = refusal(locked)
        if reason:
            raise InvitationClosed(reason)
        first_name, _space, last_name = locked.name.partition(" ")
        user = User.objects.create_user(
            username=username, email=locked.email, password=password, first_name=first_name[:150],
            last_name=last_name[:150],
        )  # fmt: skip
        Membership.objects.create(
            user=user,
            role=locked.role,
            regency=locked.regency,
            province=locked.province,
            agency=locked.agency,
        )
        UserPreference.objects.create(user=user, language=locked.language)
        locked.accepted_at, locked.accepted_by = timezone.now(), user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return user


def deactivate(member) -> None:
    """The member can no longer sign in: their sessions end at their next request (an inactive user
    is signed out by Django's backend) and their API tokens are revoked at once. Their history stays."""
    with transaction.atomic():
        member.is_active = False
        member.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=member, revoked_at__isnull=True).update(revoked_at=timezone.now())


def reactivate(member) -> None:
    member.is_active = True
    member.save(update_fields=["is_active"])


def change_role(
    member, membership: Membership, *, role: str, regency=None, province=None, agency=None
) -> None:
    membership.role, membership.regency, membership.province, membership.agency = (
        role,
        regency,
        province,
        agency,
    )
    membership.full_clean()
    membership.save()
