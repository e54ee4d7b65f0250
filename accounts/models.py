"""Who works where in the programme (memberships and roles), what each user chose for themselves,
and their personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Agency, Province, Regency

from .querysets import TOKEN_PREFIX, ApiTokenQuerySet, token_digest

__all__ = [
    "TOKEN_PREFIX", "ApiToken", "Invitation", "Membership", "Role", "UserPreference", "language_of",
    "token_digest",
]  # fmt: skip


class Role(models.TextChoices):
    REGIONAL_STAFF = "regional_staff", _("Staf kabupaten/kota")
    PROVINCIAL_BUREAU = "provincial_bureau", _("Biro Organisasi provinsi")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional (KemenPANRB)")
    INNOVATOR = "innovator", _("Inovator (instansi pemilik inovasi)")


def place(*, regency=False, province=False, agency=False) -> dict:
    """The lookups of a role's place: the one it names set, the others empty."""
    return {"regency__isnull": not regency, "province__isnull": not province, "agency__isnull": not agency}


def role_and_place_constraints() -> list[models.CheckConstraint]:
    """A known role, tied to exactly the place it works for and to nothing else: staff a regency, a
    bureau a province, an innovator the agency that owns their innovations, a national admin none
    (memberships and invitations alike)."""
    return [
        models.CheckConstraint(condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_known"),
        models.CheckConstraint(
            condition=(
                Q(role=Role.REGIONAL_STAFF, **place(regency=True))
                | Q(role=Role.PROVINCIAL_BUREAU, **place(province=True))
                | Q(role=Role.NATIONAL_ADMIN, **place())
                | Q(role=Role.INNOVATOR, **place(agency=True))
            ),
            name="%(app_label)s_%(class)s_role_matches_place",
        ),
    ]


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("pengguna"),
    )
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("kabupaten/kota"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("provinsi"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("instansi"),
        help_text=_("Untuk inovator: instansi pemilik inovasinya."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            *role_and_place_constraints(),
            models.UniqueConstraint(
                fields=["user", "role", "regency", "province", "agency"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_unique",
            ),
        ]

    def __str__(self) -> str:
        place = self.regency or self.province or self.agency or _("nasional")
        return f"{self.user} · {self.get_role_display()} · {place}"

    def clean(self) -> None:
        errors = {}
        if self.role == Role.REGIONAL_STAFF and not self.regency_id:
            errors["regency"] = _("Staf kabupaten/kota harus terhubung ke satu kabupaten/kota.")
        if self.role == Role.PROVINCIAL_BUREAU and not self.province_id:
            errors["province"] = _("Biro provinsi harus terhubung ke satu provinsi.")
        if self.role != Role.REGIONAL_STAFF and self.regency_id:
            errors["regency"] = _("Hanya staf kabupaten/kota yang terhubung ke kabupaten/kota.")
        if self.role != Role.PROVINCIAL_BUREAU and self.province_id:
            errors["province"] = _("Hanya biro provinsi yang terhubung ke provinsi.")
        if self.role == Role.INNOVATOR and not self.agency_id:
            errors["agency"] = _("Inovator harus terhubung ke instansi pemilik inovasinya.")
        if self.role != Role.INNOVATOR and self.agency_id:
            errors["agency"] = _("Hanya inovator yang terhubung ke instansi.")
        if errors:
            raise ValidationError(errors)


class UserPreference(models.Model):
    """What a user chose for themselves: the language of the interface and of their emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("pengguna"),
    )
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")

    class Meta:
        verbose_name = _("preferensi pengguna")
        verbose_name_plural = _("preferensi pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="%(app_label)s_%(class)s_language_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


def language_of(user) -> str:
    """The language to write to this user in: their choice, else Indonesian."""
    preference = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return preference or settings.LANGUAGE_CODE


class ApiToken(models.Model):
    """A personal API token: named by its owner, shown once, stored as a digest, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(
        _("nama"), max_length=100, help_text=_("Untuk apa token ini, mis. “Portal provinsi”.")
    )
    prefix = models.CharField(_("awalan"), max_length=12, editable=False)
    digest = models.CharField(_("sidik SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_active_name_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class Invitation(models.Model):
    """A person asked to join the programme in one role and place, by someone allowed to (rules in
    accounts/invitations.py). The email carries a one-time link; only its digest is stored. Sending it
    again issues a new link (the old one stops working) and a new expiry."""

    name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("surel"))
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kabupaten/kota"),
    )  # fmt: skip
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("provinsi"),
    )  # fmt: skip
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("instansi"),
    )  # fmt: skip
    language = models.CharField(_("bahasa surel"), max_length=8, choices=settings.LANGUAGES, default="id")
    digest = models.CharField(_("sidik tautan"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("diundang oleh"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terakhir dikirim"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    accepted_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("akun yang dibuat"),
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            *role_and_place_constraints(),
            # One open invitation per address: a second one is a resend of the first.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def place(self):
        return self.regency or self.province or self.agency

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return _("diterima")
        if self.revoked_at:
            return _("dicabut")
        if self.expires_at <= timezone.now():
            return _("kedaluwarsa")
        return _("menunggu")
