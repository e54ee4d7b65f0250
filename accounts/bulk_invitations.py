"""Many invitations from one spreadsheet (name, email, region, role): every row checked first with
the same matching rules as the bank's import (regions by Kemendagri code or name, never guessed) and
the inviter's reach, then, once the person confirms the preview, all invited together or none.

    plan = plan_rows(core.spreadsheets.read(data, COLUMNS), inviter)
    plan.errors                     # rows that cannot be invited, with the reason
    invited = invite_all(plan.rows, inviter)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Column, Row
from regions.matching import RegionMatcher, RegionNotFound, normalised
from regions.models import Province, Regency

from . import invitations
from .models import Invitation, Role

COLUMNS = [
    Column("name", "nama", "name", gettext_lazy("nama lengkap"), 150, True, "Rina Marlina"),
    Column("email", "surel", "email", gettext_lazy("surel"), 254, True, "rina@pariamankota.go.id"),
    Column("region", "wilayah", "region", gettext_lazy("wilayah"), 120, False, "Kota Pariaman"),
    Column("role", "peran", "role", gettext_lazy("peran"), 60, True, "staf"),
    Column("language", "bahasa", "language", gettext_lazy("bahasa surel"), 10, False, "id"),
]
SHORT_ROLES = {
    "staf": Role.REGIONAL_STAFF, "staff": Role.REGIONAL_STAFF, "biro": Role.PROVINCIAL_BUREAU,
    "bureau": Role.PROVINCIAL_BUREAU, "admin": Role.NATIONAL_ADMIN, "admin nasional": Role.NATIONAL_ADMIN,
    "national admin": Role.NATIONAL_ADMIN,
}  # fmt: skip


@dataclass
class InvitationRow:
    number: int
    name: str = ""
    email: str = ""
    role: str = ""
    regency_id: int | None = None
    province_id: int | None = None
    place: str = ""
    language: str = "id"
    errors: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


@dataclass
class InvitationPlan:
    rows: list[InvitationRow]

    @property
    def errors(self) -> list[InvitationRow]:
        return [row for row in self.rows if row.errors]


def role_of(text: str) -> str:
    wanted = normalised(text)
    if wanted in SHORT_ROLES:
        return SHORT_ROLES[wanted]
    for code, label in Role.choices:
        for language in ("id", "en"):
            with translation.override(language):
                if wanted in (normalised(code), normalised(str(label))):
                    return code
    raise ValueError(
        _("Peran “%(value)s” tidak dikenal. Tulis staf, biro atau admin nasional.") % {"value": text}
    )


def plan_rows(rows: list[Row], inviter) -> InvitationPlan:
    reach = invitations.reach_of(inviter)
    matcher = RegionMatcher()
    users = get_user_model().objects
    planned, seen = [], {}
    for row in rows:
        plan = InvitationRow(row.number, errors=list(row.errors))
        cells = row.cells
        plan.name = " ".join(str(cells.get("name") or "").split())
        plan.email = str(cells.get("email") or "").strip().lower()
        for key, label in (("name", _("nama lengkap")), ("email", _("surel")), ("role", _("peran"))):
            if not cells.get(key) and not plan.errors:
                plan.errors.append(_("Kolom %(column)s wajib diisi.") % {"column": label})
        language = str(cells.get("language") or "id").strip().lower()[:2]
        plan.language = language if language in dict(settings.LANGUAGES) else "id"
        try:
            plan_place(plan, matcher, str(cells.get("role") or ""), str(cells.get("region") or ""))
        except ValueError as error:
            plan.errors.append(str(error))
        if plan.email:
            try:
                validate_email(plan.email)
            except ValidationError:
                plan.errors.append(_("Surel “%(value)s” tidak sah.") % {"value": plan.email})
        if plan.role and not plan.errors:
            regency = Regency(pk=plan.regency_id, province_id=plan.province_id) if plan.regency_id else None
            province = Province(pk=plan.province_id) if plan.role == Role.PROVINCIAL_BUREAU else None
            if not reach.holds(plan.role, regency, province):
                plan.errors.append(_("Anda tidak dapat mengundang orang ke peran dan wilayah ini."))
        if plan.email in seen:
            plan.errors.append(_("Surel ini sudah ada di baris %(row)s.") % {"row": seen[plan.email]})
        seen.setdefault(plan.email, plan.number)
        planned.append(plan)
    emails = [plan.email for plan in planned if plan.email]
    taken = {email.lower() for email in users.filter(email__in=emails).values_list("email", flat=True)}
    waiting = set(
        Invitation.objects.filter(email__in=emails, accepted_at=None, revoked_at=None).values_list(
            "email", flat=True
        )
    )
    for plan in planned:
        if plan.email in taken:
            plan.errors.append(_("Sudah ada akun dengan surel ini."))
        elif plan.email in waiting:
            plan.errors.append(_("Sudah ada undangan terbuka untuk surel ini."))
    return InvitationPlan(planned)


def plan_place(plan: InvitationRow, matcher: RegionMatcher, role_text: str, region_text: str) -> None:
    if not role_text:
        return
    plan.role = role_of(role_text)
    if plan.role == Role.INNOVATOR:
        one_by_one = _("Inovator diundang satu per satu dari halaman undangan (instansinya dipilih di sana).")
        raise ValueError(one_by_one)
    if plan.role == Role.NATIONAL_ADMIN:
        return
    if not region_text:
        raise ValueError(_("Kolom wilayah wajib diisi untuk peran ini."))
    try:
        region = matcher.find(region_text)
    except RegionNotFound as error:
        raise ValueError(_("Wilayah: %(reason)s") % {"reason": error.message}) from error
    if plan.role == Role.REGIONAL_STAFF and not isinstance(region, Regency):
        raise ValueError(
            _("Staf kabupaten/kota perlu kabupaten/kota, bukan provinsi (%(region)s).")
            % {"region": region.name}
        )
    if plan.role == Role.PROVINCIAL_BUREAU and not isinstance(region, Province):
        raise ValueError(
            _("Biro provinsi perlu provinsi, bukan kabupaten/kota (%(region)s).") % {"region": region.name}
        )
    plan.place = region.name
    if isinstance(region, Regency):
        plan.regency_id, plan.province_id = region.pk, region.province_id
    else:
        plan.province_id = region.pk


def invite_all(rows: list[InvitationRow], inviter) -> list[tuple[Invitation, str]]:
    """Every row invited in one transaction (InvitationRefused names the first row that cannot be)."""
    invited = []
    with transaction.atomic():
        for row in rows:
            regency = Regency.objects.get(pk=row.regency_id) if row.role == Role.REGIONAL_STAFF else None
            province = (
                Province.objects.get(pk=row.province_id) if row.role == Role.PROVINCIAL_BUREAU else None
            )
            try:
                invited.append(
                    invitations.invite(
                        inviter,
                        name=row.name,
                        email=row.email,
                        role=row.role,
                        regency=regency,
                        province=province,
                        language=row.language,
                    )  # fmt: skip
                )
            except invitations.InvitationRefused as refused:
                raise invitations.InvitationRefused(
                    _("Baris %(row)s: %(reason)s") % {"row": row.number, "reason": refused}
                ) from refused
    return invited
