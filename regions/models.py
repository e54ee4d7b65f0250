import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


class AgencyQuerySet(models.QuerySet):
    def listed(self) -> "AgencyQuerySet":
        """The agencies public pages and the API show: not an office typed into a proposal's form until
        a proposal naming it is approved or a national admin lists it (``Agency.listed``)."""
        return self.filter(listed=True)

    def government_of(self, regency: Regency) -> "Agency | None":
        """The regency's own government (Pemerintah Kota …): the one named so, else the oldest one."""
        governments = self.filter(regency=regency, level=AgencyLevel.REGENCY_GOVERNMENT, parent=None)
        named = governments.filter(name=f"Pemerintah {regency.name}").first()
        return named or governments.order_by("pk").first()


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
    listed = models.BooleanField(
        _("tampil di daftar publik"),
        default=True,
        help_text=_(
            "Instansi yang diketik staf dalam usulan baru tampil setelah usulannya disetujui atau "
            "setelah dicentang di sini."
        ),
    )

    objects = AgencyQuerySet.as_manager()

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
