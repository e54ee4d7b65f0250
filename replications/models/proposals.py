from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovations.models import Innovation, choice_label
from regions.models import Agency, Regency

from ..querysets import ProposalQuerySet
from ..statuses import Action, Status
from .rounds import Round


@deconstructible(path="replications.models.PrivateUploadPath")
class PrivateUploadPath:
    """Uploads get a random name under a private folder; the original name is never used on disk."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"private/{self.folder}/{uuid.uuid4().hex}.pdf"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadPath) and other.folder == self.folder


class Proposal(models.Model):
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
                condition=~Q(status__in=list(Status.CLOSED)),
                name="%(app_label)s_%(class)s_one_live_per_round",
            ),
            # Past draft, a proposal carries its official letter: number, date and the signed PDF.
            models.CheckConstraint(
                condition=Q(status__in=[*Status.EDITABLE, Status.CANCELLED])
                | (~Q(letter_number="") & Q(letter_date__isnull=False) & ~Q(letter_file="")),
                name="%(app_label)s_%(class)s_letter_before_submit",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "status"], name="replications_proposal_region"),
            models.Index(fields=["round", "status"], name="replications_proposal_round"),
            # The statistics pages count proposals by status and round, and by status and innovation,
            # from this index alone (portal/statistics.py).
            models.Index(fields=["status", "round", "innovation"], name="replications_proposal_counts"),
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

    def clean(self) -> None:
        errors = {}
        if self.round_id and self.regency_id and self.regency.province_id != self.round.province_id:
            errors["regency"] = _("Kabupaten/kota ini tidak berada di provinsi penyelenggara putaran.")
        if self.adopting_agency_id and self.regency_id and self.adopting_agency.regency_id != self.regency_id:
            errors["adopting_agency"] = _("Perangkat daerah pelaksana harus milik kabupaten/kota pengusul.")
        if errors:
            raise ValidationError(errors)


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
