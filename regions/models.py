import datetime
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Waktu Indonesia Barat)")
    WITA = "Asia/Makassar", _("WITA (Waktu Indonesia Tengah)")
    WIT = "Asia/Jayapura", _("WIT (Waktu Indonesia Timur)")


# Kemendagri province code -> time zone (Peraturan Presiden 41/1987 and the later provinces).
PROVINCE_TIME_ZONES = {
    **dict.fromkeys(["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], TimeZone.WIB),
    **dict.fromkeys(["31", "32", "33", "34", "35", "36"], TimeZone.WIB),
    **dict.fromkeys(["61", "62"], TimeZone.WIB),
    **dict.fromkeys(["51", "52", "53", "63", "64", "65"], TimeZone.WITA),
    **dict.fromkeys(["71", "72", "73", "74", "75", "76"], TimeZone.WITA),
    **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96"], TimeZone.WIT),
}


class Province(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    time_zone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"), name="%(app_label)s_%(class)s_code_two_digits"
            ),
            models.CheckConstraint(
                condition=Q(time_zone__in=TimeZone.values), name="%(app_label)s_%(class)s_time_zone_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def time_zone_abbreviation(self) -> str:
        return TimeZone(self.time_zone).name

    def end_of_day(self, day: datetime.date) -> datetime.datetime:
        """The last instant of ``day`` in this province: a deadline "by 30 August" ends here."""
        return datetime.datetime.combine(day, datetime.time.max, tzinfo=self.tzinfo)


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class Regency(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="%(app_label)s_%(class)s_code_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RegencyKind.values), name="%(app_label)s_%(class)s_kind_known"
            ),
            models.UniqueConstraint(fields=["province", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.province_id and self.code and not self.code.startswith(f"{self.province.code}."):
            raise ValidationError({"code": _("Kode kabupaten/kota harus diawali kode provinsinya.")})


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("Kementerian/Lembaga (K/L)")
    PROVINCIAL_GOVERNMENT = "provincial_government", _("Pemerintah provinsi")
    REGENCY_GOVERNMENT = "regency_government", _("Pemerintah kabupaten/kota")
    OFFICE = "office", _("Perangkat daerah (OPD)")
    UNIT = "unit", _("Unit pelayanan")
    BUMN = "bumn", _("BUMN")
    BUMD = "bumd", _("BUMD")
    POLICE = "police", _("Kepolisian")


class Agency(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=24, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("instansi induk"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("provinsi"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("kabupaten/kota"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=AgencyLevel.values), name="%(app_label)s_%(class)s_level_known"
            ),
            # An office (OPD) or a unit always hangs under the government or office that runs it.
            models.CheckConstraint(
                condition=~Q(level__in=[AgencyLevel.OFFICE, AgencyLevel.UNIT]) | Q(parent__isnull=False),
                name="%(app_label)s_%(class)s_office_has_parent",
            ),
            models.CheckConstraint(
                condition=~Q(level=AgencyLevel.REGENCY_GOVERNMENT) | Q(regency__isnull=False),
                name="%(app_label)s_%(class)s_regency_government_has_regency",
            ),
            models.CheckConstraint(
                condition=~Q(level=AgencyLevel.PROVINCIAL_GOVERNMENT)
                | Q(province__isnull=False, regency__isnull=True),
                name="%(app_label)s_%(class)s_provincial_government_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="%(app_label)s_%(class)s_not_own_parent"
            ),
            models.UniqueConstraint(
                fields=["parent", "name"], nulls_distinct=False, name="%(app_label)s_%(class)s_unique_name"
            ),
        ]

    def __str__(self) -> str:
        place = self.regency or self.province
        return agency_label(self.name, place.name if place else None)

    def save(self, *args, **kwargs) -> None:
        # The province always follows the regency, so region filters need one column, not two.
        if self.regency_id and not self.province_id:
            self.province_id = Regency.objects.values_list("province_id", flat=True).get(pk=self.regency_id)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.regency_id and self.province_id and self.regency.province_id != self.province_id:
            raise ValidationError({"regency": _("Kabupaten/kota ini tidak berada di provinsi yang dipilih.")})


def agency_label(name: str, place_name: str | None) -> str:
    """How an agency is named in lists: with its region, unless its name already says it."""
    if place_name and place_name not in name:
        return f"{name} ({place_name})"
    return name


class Role(models.TextChoices):
    REGIONAL_STAFF = "regional_staff", _("Staf kabupaten/kota")
    PROVINCIAL_BUREAU = "provincial_bureau", _("Biro Organisasi provinsi")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional (KemenPANRB)")


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
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_known"
            ),
            # Each role is tied to exactly the place it works for, and to nothing else.
            models.CheckConstraint(
                condition=(
                    Q(role=Role.REGIONAL_STAFF, regency__isnull=False, province__isnull=True)
                    | Q(role=Role.PROVINCIAL_BUREAU, regency__isnull=True, province__isnull=False)
                    | Q(role=Role.NATIONAL_ADMIN, regency__isnull=True, province__isnull=True)
                ),
                name="%(app_label)s_%(class)s_role_matches_place",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "regency", "province"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_unique",
            ),
        ]

    def __str__(self) -> str:
        place = self.regency or self.province or _("nasional")
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


TOKEN_PREFIX = "rpk_"
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(secret: str) -> str:
    """SHA-256 of a token: tokens carry 256 random bits, so a fast hash is as safe as a slow one."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def issue(self, user, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``; the secret is returned once and never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, prefix=secret[:12], digest=token_digest(secret))
        return token, secret

    def authenticate(self, secret: str) -> "ApiToken | None":
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
