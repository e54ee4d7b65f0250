from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .proposals import PrivateUploadPath, Proposal


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


class Milestone(models.Model):
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
