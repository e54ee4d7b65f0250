from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation
from regions.models import Province, Regency

from ..querysets import RoundQuerySet


class Round(models.Model):
    """A province's replication round (program/putaran replikasi), run by its JIPP hub."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("provinsi penyelenggara")
    )
    title = models.CharField(_("judul"), max_length=200)
    fgd_date = models.DateField(_("tanggal FGD"), null=True, blank=True)
    deadline = models.DateField(
        _("batas waktu usulan"),
        help_text=_("Tanggal dalam zona waktu provinsi; berlaku sampai pukul 23.59.59."),
    )
    original_deadline = models.DateField(
        _("batas waktu semula"),
        editable=False,
        help_text=_("Batas waktu saat putaran dibuka; usulan yang diajukan sesudahnya tercatat terlambat."),
    )
    mentor = models.CharField(_("pendamping"), max_length=200, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    participants = models.ManyToManyField(
        Regency, blank=True, related_name="rounds", verbose_name=_("kabupaten/kota peserta")
    )
    shortlist = models.ManyToManyField(
        Innovation, blank=True, related_name="shortlisted_in", verbose_name=_("inovasi pilihan")
    )
    reminder_offsets = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)]),
        verbose_name=_("pengingat batas waktu (hari sebelumnya)"),
        null=True,
        blank=True,
        help_text=_(
            "Mis. 7,3,1,0 (0 = pada hari batas waktu). Kosongkan untuk memakai pengaturan pengingat global."
        ),
    )
    next_reminder_at = models.DateTimeField(_("pengingat berikutnya"), null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(_("pengingat dibuat sampai"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("putaran replikasi")
        verbose_name_plural = _("putaran replikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "title"], name="%(app_label)s_%(class)s_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(fgd_date__isnull=True) | Q(deadline__gte=F("fgd_date")),
                name="%(app_label)s_%(class)s_deadline_after_fgd",
            ),
            # Lateness is measured from the original deadline, which the deadline never precedes.
            models.CheckConstraint(
                condition=Q(deadline__gte=F("original_deadline")),
                name="%(app_label)s_%(class)s_deadline_not_before_original",
            ),
        ]
        indexes = [
            models.Index(fields=["deadline"], name="replications_round_deadline"),
            # The reminder sweep reads rounds with a reminder occasion due (replications.reminders).
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="replications_round_next_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A round opens with its deadline as the original one, however it is created (pages, API, admin,
        # demo data); an extension moves only ``deadline``. A deadline moved before the original one is a
        # correction, not an extension, and becomes the original (nothing submitted in time turns late).
        if self.original_deadline is None or self.deadline < self.original_deadline:
            self.original_deadline = self.deadline
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "original_deadline"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.fgd_date and self.deadline and self.deadline < self.fgd_date:
            raise ValidationError({"deadline": _("Batas waktu tidak boleh sebelum tanggal FGD.")})

    def deadline_instant(self) -> datetime.datetime:
        """The deadline as an instant: the end of the deadline day in the hub province's time zone.

        Reads the round's province (a query unless it was selected with the round)."""
        return self.province.end_of_day(self.deadline)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Still taking proposals and submissions (``RoundQuerySet.open`` in SQL)."""
        return (now or timezone.now()) <= self.deadline_instant()

    def is_extended(self) -> bool:
        return self.deadline > self.original_deadline


class RoundEventKind(models.TextChoices):
    OPEN = "open", _("Putaran dibuka")
    JOIN = "join", _("Peserta ditambahkan")
    EXTEND = "extend", _("Batas waktu diperpanjang")


class RoundEvent(models.Model):
    """What happened to a round that its regencies are told about: its opening and the regencies invited,
    regencies added later, and each extension of its deadline (from which date to which, by whom)."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="events", verbose_name=_("putaran")
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=RoundEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    regencies = models.ManyToManyField(
        Regency, blank=True, related_name="+", verbose_name=_("kabupaten/kota yang baru ikut")
    )
    from_deadline = models.DateField(_("batas waktu sebelumnya"), null=True, blank=True)
    to_deadline = models.DateField(_("batas waktu baru"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat putaran")
        verbose_name_plural = _("riwayat putaran")
        indexes = [models.Index(fields=["round", "created_at"], name="replications_round_timeline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RoundEventKind.values), name="%(app_label)s_%(class)s_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=RoundEventKind.EXTEND)
                | Q(from_deadline__isnull=False, to_deadline__gt=F("from_deadline")),
                name="%(app_label)s_%(class)s_extension_is_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_kind_display()}"
