from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .proposals import Proposal
from .reminders import ReminderKind


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
