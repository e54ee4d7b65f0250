from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation
from regions.models import Province, Regency


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

    def clean(self) -> None:
        if self.fgd_date and self.deadline and self.deadline < self.fgd_date:
            raise ValidationError({"deadline": _("Batas waktu tidak boleh sebelum tanggal FGD.")})

    def deadline_instant(self) -> datetime.datetime:
        """The deadline as an instant: the end of the deadline day in the hub province's time zone.

        Reads the round's province (a query unless it was selected with the round)."""
        return self.province.end_of_day(self.deadline)
