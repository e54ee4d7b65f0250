from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation

from .implementation import Milestone
from .proposals import Proposal
from .rounds import Round


class ReminderKind(models.TextChoices):
    ROUND_DEADLINE = "round_deadline", _("Batas waktu putaran")
    OVERDUE_SUMMARY = "overdue_summary", _("Ringkasan keterlambatan")
    REVIEW_WAITING = "review_waiting", _("Usulan menunggu tinjauan")
    MILESTONE_DUE = "milestone_due", _("Tenggat tahapan")
    RECORD_REVIEW = "record_review", _("Tinjauan tahunan catatan inovasi")


def default_deadline_offsets() -> list[int]:
    return [7, 3, 1, 0]


def default_milestone_offsets() -> list[int]:
    return [3, 0, -1]


def validate_offsets(offsets: list[int]) -> None:
    if len(set(offsets)) != len(offsets):
        raise ValidationError(_("Setiap hari pengingat cukup disebut sekali."))


class ReminderSettings(models.Model):
    """The global reminder schedule, one row, edited by national admins in Django admin.

    A round may override the deadline offsets; everything else applies to every round and proposal.
    Saving it reschedules every open round, proposal and milestone (replications.reminders).
    """

    deadline_offsets = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)]),
        verbose_name=_("pengingat batas waktu putaran (hari sebelumnya)"),
        default=default_deadline_offsets,
        validators=[validate_offsets],
        help_text=_("Mis. 7,3,1,0 (0 = pada hari batas waktu). Putaran dapat mengganti daftar ini."),
    )
    review_after_days = models.PositiveSmallIntegerField(
        _("pengingat usulan belum ditinjau setelah (hari)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    milestone_offsets = ArrayField(
        models.SmallIntegerField(validators=[MinValueValidator(-30), MaxValueValidator(60)]),
        verbose_name=_("pengingat tenggat tahapan (hari sebelumnya)"),
        default=default_milestone_offsets,
        validators=[validate_offsets],
        help_text=_("Mis. 3,0,-1: tiga hari sebelumnya, pada harinya, dan sehari setelah terlambat."),
    )
    record_review_repeat_days = models.PositiveSmallIntegerField(
        _("ulangi pengingat tinjauan tahunan setiap (hari)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Inovator diingatkan setahun setelah tinjauan terakhir catatan inovasinya, lalu lagi setiap "
            "sekian hari sampai catatan ditinjau."
        ),
    )
    send_hour = models.PositiveSmallIntegerField(
        _("jam pengiriman (waktu setempat)"),
        default=8,
        validators=[MaxValueValidator(23)],
        help_text=_("Pengingat harian dikirim mulai jam ini dalam zona waktu provinsi (WIB, WITA atau WIT)."),
    )

    class Meta:
        verbose_name = _("pengaturan pengingat")
        verbose_name_plural = _("pengaturan pengingat")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="%(app_label)s_%(class)s_single_row"),
            models.CheckConstraint(condition=Q(send_hour__lte=23), name="%(app_label)s_%(class)s_send_hour"),
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan pengingat"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class ReminderQuerySet(models.QuerySet):
    def open(self) -> ReminderQuerySet:
        return self.filter(sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True)


class Reminder(models.Model):
    """A message that must be sent exactly once: claimed before sending, marked sent after.

    The key (kind:object:occasion:recipient) is unique, so materialising the same occasion twice
    inserts nothing. ``claim_token`` names the one task allowed to send it. The sweep sets it with
    ``queued_at``; a worker that starts the send sets ``claimed_at``. A send started longer ago than
    REMINDER_CLAIM_TIMEOUT belongs to a dead worker, and one queued longer ago than REMINDER_QUEUE_TIMEOUT
    and never started was lost by the broker: the next sweep takes either up again. Time spent waiting in
    the queue never counts as a dead worker's.
    """

    key = models.CharField(
        _("kunci"), max_length=200, unique=True, help_text=_("jenis:objek:kesempatan:penerima — unik.")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("penerima"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("putaran"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("usulan"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("tahapan"),
    )
    innovation = models.ForeignKey(
        Innovation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("inovasi"),
        help_text=_("Untuk tinjauan tahunan catatan inovasi."),
    )
    offset_days = models.SmallIntegerField(
        _("hari sebelum tenggat"),
        null=True,
        blank=True,
        help_text=_("Untuk pengingat batas waktu dan tahapan."),
    )
    due_at = models.DateTimeField(_("jatuh tempo"))
    queued_at = models.DateTimeField(
        _("diantrekan pada"),
        null=True,
        blank=True,
        help_text=_("Saat sapuan mengklaimnya dan mengantrekan pengirimannya."),
    )
    claimed_at = models.DateTimeField(
        _("diklaim pada"), null=True, blank=True, help_text=_("Saat pekerja mulai mengirimnya.")
    )
    claim_token = models.UUIDField(_("token klaim"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("gagal pada"),
        null=True,
        blank=True,
        help_text=_("Semua percobaan kirim gagal; lihat galat terakhir."),
    )
    cancelled_at = models.DateTimeField(
        _("dibatalkan pada"),
        null=True,
        blank=True,
        help_text=_("Tidak lagi perlu dikirim, mis. daerah sudah mengajukan usulan."),
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="%(app_label)s_%(class)s_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(claimed_at__isnull=False),
                name="%(app_label)s_%(class)s_sent_after_claim",
            ),
        ]
        indexes = [
            # The sweep claims open reminders by due time; sent, failed and cancelled ones leave this index.
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True),
                name="replications_reminder_open",
            )
        ]

    def __str__(self) -> str:
        return self.key
