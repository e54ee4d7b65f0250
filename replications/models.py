from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovations.models import Innovation, choice_label
from regions.models import Agency, Province, Regency

from .querysets import ProposalQuerySet


@deconstructible
class PrivateUploadPath:
    """Uploads get a random name under a private folder; the original name is never used on disk."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"private/{self.folder}/{uuid.uuid4().hex}.pdf"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadPath) and other.folder == self.folder


class KeepsReminderSchedule:
    """Every save recomputes ``next_reminder_at``, the instant the reminder sweep next looks at the row."""

    def save(self, *args, **kwargs) -> None:
        from .reminders import schedule

        schedule(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "next_reminder_at"}
        super().save(*args, **kwargs)


class Round(KeepsReminderSchedule, models.Model):
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

    @property
    def deadline_at(self) -> datetime.datetime:
        """The deadline as an instant: the end of the deadline day in the hub province's time zone."""
        return self.province.end_of_day(self.deadline)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Terverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    COMMITTED = "committed", _("Komitmen ditandatangani")
    IMPLEMENTING = "implementing", _("Dalam penerapan")
    REPLICATED = "replicated", _("Berhasil direplikasi")
    CANCELLED = "cancelled", _("Dibatalkan")


# A proposal in one of these no longer blocks a new one for the same regency, innovation and round.
CLOSED_STATUSES = [Status.REJECTED, Status.CANCELLED]
# Statuses whose fields the proposing region may still change.
EDITABLE_STATUSES = [Status.DRAFT, Status.RETURNED]


class Proposal(KeepsReminderSchedule, models.Model):
    """A regency's request (usulan replikasi) to replicate one innovation through one of its agencies."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("putaran")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("kabupaten/kota pengusul")
    )
    innovation = models.ForeignKey(
        Innovation, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("inovasi")
    )
    local_name = models.CharField(
        _("nama lokal"),
        max_length=200,
        blank=True,
        help_text=_("Nama yang diberikan daerah untuk replikasinya."),
    )
    adopting_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_proposals",
        verbose_name=_("perangkat daerah pelaksana"),
    )
    problem = models.TextField(_("permasalahan yang diatasi"), blank=True)
    expected_results = models.TextField(_("hasil yang diharapkan"), blank=True)
    letter_number = models.CharField(_("nomor surat"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    letter_file = models.FileField(
        _("berkas surat (PDF)"), upload_to=PrivateUploadPath("letters"), blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("pengingat berikutnya"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("riwayat usulan"), excluded_fields=["next_reminder_at"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usulan replikasi")
        verbose_name_plural = _("usulan replikasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="%(app_label)s_%(class)s_status_known"
            ),
            # One live proposal per regency × innovation × round; a rejected or cancelled one frees the slot.
            models.UniqueConstraint(
                fields=["round", "regency", "innovation"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="%(app_label)s_%(class)s_one_live_per_round",
            ),
            # Past draft, a proposal carries its official letter: number, date and the signed PDF.
            models.CheckConstraint(
                condition=Q(status__in=[*EDITABLE_STATUSES, Status.CANCELLED])
                | (~Q(letter_number="") & Q(letter_date__isnull=False) & ~Q(letter_file="")),
                name="%(app_label)s_%(class)s_letter_before_submit",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "status"], name="replications_proposal_region"),
            models.Index(fields=["round", "status"], name="replications_proposal_round"),
            # The review queue and the review-waiting reminder read submitted proposals, oldest first.
            models.Index(
                fields=["submitted_at"], condition=Q(status="submitted"), name="replications_proposal_waiting"
            ),
            # The reminder sweep reads proposals whose review-waiting reminder is due.
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="replications_proposal_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regency} · {self.innovation}"

    def get_status_display(self) -> str:
        return choice_label(Status, self.status)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def clean(self) -> None:
        errors = {}
        if self.round_id and self.regency_id and self.regency.province_id != self.round.province_id:
            errors["regency"] = _("Kabupaten/kota ini tidak berada di provinsi penyelenggara putaran.")
        if self.adopting_agency_id and self.regency_id and self.adopting_agency.regency_id != self.regency_id:
            errors["adopting_agency"] = _("Perangkat daerah pelaksana harus milik kabupaten/kota pengusul.")
        if errors:
            raise ValidationError(errors)


class Action(models.TextChoices):
    CREATE = "create", _("Dibuat")
    SUBMIT = "submit", _("Diajukan")
    RETURN = "return", _("Dikembalikan untuk diperbaiki")
    VERIFY = "verify", _("Diverifikasi")
    REJECT = "reject", _("Ditolak")
    APPROVE = "approve", _("Disetujui")
    COMMIT = "commit", _("Komitmen dicatat")
    START = "start", _("Penerapan dimulai")
    COMPLETE = "complete", _("Replikasi selesai")
    CANCEL = "cancel", _("Dibatalkan")


class ProposalEvent(models.Model):
    """One step of a proposal's life cycle: who moved it, when, from which status to which, and why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("usulan")
    )
    action = models.CharField(_("tindakan"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    from_status = models.CharField(_("dari status"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=16, choices=Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        indexes = [models.Index(fields=["proposal", "created_at"], name="replications_event_timeline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="%(app_label)s_%(class)s_action_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.get_action_display()}"


class Notification(models.Model):
    """An in-app message for one user, written in their language when the event happened."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("pengguna"),
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("usulan")
    )
    message = models.TextField(_("pesan"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            # The unread count in the navigation.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="replications_notice_unread"
            ),
            models.Index(fields=["user", "-created_at"], name="replications_notice_list"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.message[:40]}"


class ReviewMark(models.Model):
    """When a reviewer last opened a proposal, so the queue can say what changed since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_marks")
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tanda tinjauan")
        verbose_name_plural = _("tanda tinjauan")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="%(app_label)s_%(class)s_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.proposal} · {self.seen_at:%Y-%m-%d %H:%M}"


class Commitment(models.Model):
    """The signed commitment (komitmen) or MoU that follows an approved proposal."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="commitment", verbose_name=_("usulan")
    )
    signed_on = models.DateField(_("tanggal penandatanganan"))
    document = models.FileField(
        _("dokumen komitmen (PDF)"), upload_to=PrivateUploadPath("commitments"), blank=True
    )
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("komitmen")
        verbose_name_plural = _("komitmen")

    def __str__(self) -> str:
        return f"{self.proposal} · {self.signed_on:%Y-%m-%d}"


class Milestone(KeepsReminderSchedule, models.Model):
    """One dated step of the action plan (rencana aksi)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("usulan")
    )
    title = models.CharField(_("tahapan"), max_length=200)
    due_on = models.DateField(_("tenggat"))
    done_on = models.DateField(_("selesai pada"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    next_reminder_at = models.DateTimeField(_("pengingat berikutnya"), null=True, blank=True, editable=False)
    reminded_until = models.DateTimeField(_("pengingat dibuat sampai"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["proposal", "position", "due_on"]
        verbose_name = _("tahapan rencana aksi")
        verbose_name_plural = _("tahapan rencana aksi")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "title"], name="%(app_label)s_%(class)s_unique_title")
        ]
        indexes = [
            # Milestone reminders read open milestones by due date.
            models.Index(
                fields=["due_on"], condition=Q(done_on__isnull=True), name="replications_milestone_open"
            ),
            # The reminder sweep reads milestones with a reminder occasion due (replications.reminders).
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="replications_milestone_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A progress report (laporan kemajuan): what was done, with evidence."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reports", verbose_name=_("usulan")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("tahapan"),
    )
    reported_on = models.DateField(_("tanggal laporan"))
    summary = models.TextField(_("uraian kemajuan"))
    evidence = models.FileField(_("bukti (PDF)"), upload_to=PrivateUploadPath("evidence"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelapor"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("laporan kemajuan")
        verbose_name_plural = _("laporan kemajuan")

    def __str__(self) -> str:
        return f"{self.proposal} · {self.reported_on:%Y-%m-%d}"


class ReminderKind(models.TextChoices):
    ROUND_DEADLINE = "round_deadline", _("Batas waktu putaran")
    OVERDUE_SUMMARY = "overdue_summary", _("Ringkasan keterlambatan")
    REVIEW_WAITING = "review_waiting", _("Usulan menunggu tinjauan")
    MILESTONE_DUE = "milestone_due", _("Tenggat tahapan")


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


class NotificationPreference(models.Model):
    """Which reminders a user wants. The round deadline reminder cannot be turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("pengguna"),
    )
    overdue_summary = models.BooleanField(
        _("ringkasan daerah yang terlambat mengusulkan"),
        default=True,
        help_text=_("Untuk biro provinsi: sehari setelah batas waktu putaran."),
    )
    review_waiting = models.BooleanField(
        _("usulan yang menunggu tinjauan"),
        default=True,
        help_text=_("Untuk biro provinsi: usulan yang belum ditinjau setelah beberapa hari."),
    )
    milestone_due = models.BooleanField(
        _("tenggat tahapan rencana aksi"),
        default=True,
        help_text=_("Untuk staf daerah: tahapan yang segera jatuh tempo atau terlambat."),
    )

    # Kinds a user may turn off; each is a field above named after its ReminderKind.
    OPTIONAL_KINDS = [ReminderKind.OVERDUE_SUMMARY, ReminderKind.REVIEW_WAITING, ReminderKind.MILESTONE_DUE]

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")

    def __str__(self) -> str:
        return f"{self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.OPTIONAL_KINDS or getattr(self, kind)


class ReminderQuerySet(models.QuerySet):
    def open(self) -> ReminderQuerySet:
        return self.filter(sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True)


class Reminder(models.Model):
    """A message that must be sent exactly once: claimed before sending, marked sent after.

    The key (kind:object:occasion:recipient) is unique, so materialising the same occasion twice
    inserts nothing. ``claim_token`` names the one worker allowed to send it; a claim older than
    REMINDER_CLAIM_TIMEOUT belongs to a dead worker and is taken up again.
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
    offset_days = models.SmallIntegerField(
        _("hari sebelum tenggat"),
        null=True,
        blank=True,
        help_text=_("Untuk pengingat batas waktu dan tahapan."),
    )
    due_at = models.DateTimeField(_("jatuh tempo"))
    claimed_at = models.DateTimeField(_("diklaim pada"), null=True, blank=True)
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
