"""The admin site of Replikasi: its home starts from the national team's work (imports waiting or
failed, possible duplicates, innovations not reviewed for a year, failed reminders), and the technical
sections (periodic tasks, login attempts) are shown to superusers only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from innovations.models import (
    ChangeStatus,
    ImportStatus,
    Innovation,
    InnovationChange,
    InnovationImport,
    PossibleDuplicate,
)
from replications.models import Reminder

TECHNICAL_APPS = {"django_celery_beat", "axes"}
RECENT_FAILURES_DAYS = 30


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str


class ReplikasiAdminSite(admin.AdminSite):
    site_header = _("Administrasi Replikasi")
    site_title = "Replikasi"
    index_title = _("Bank inovasi dan program replikasi")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if request.user.is_superuser:
            return apps
        return [app for app in apps if app["app_label"] not in TECHNICAL_APPS]

    def index(self, request, extra_context=None):
        return super().index(request, {"work": work_for(self, request), **(extra_context or {})})


def changelist(model, **query) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def work_for(site: admin.AdminSite, request) -> list[WorkItem]:
    """What waits for this person, in the sections they may see; items with nothing to do are left out."""

    def may_view(model) -> bool:
        return site.is_registered(model) and site.get_model_admin(model).has_view_permission(request)

    items = []
    if may_view(InnovationImport):
        since = timezone.now() - datetime.timedelta(days=RECENT_FAILURES_DAYS)
        imports = InnovationImport.objects.aggregate(
            waiting=Count("pk", filter=Q(status=ImportStatus.CHECKED)),
            running=Count("pk", filter=Q(status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING])),
            failed=Count(
                "pk", filter=Q(status__in=[ImportStatus.FAILED, ImportStatus.REFUSED], created_at__gte=since)
            ),
        )
        items += [
            WorkItem(_("Impor menunggu konfirmasi"), imports["waiting"],
                     changelist(InnovationImport, status__exact=ImportStatus.CHECKED)),
            WorkItem(_("Impor sedang berjalan"), imports["running"], changelist(InnovationImport)),
            WorkItem(_("Impor gagal atau ditolak (30 hari terakhir)"), imports["failed"],
                     changelist(InnovationImport, status__exact=ImportStatus.REFUSED)),
        ]  # fmt: skip
    if may_view(PossibleDuplicate):
        count = PossibleDuplicate.objects.filter(resolved_at=None).count()
        items.append(
            WorkItem(_("Kemungkinan duplikat untuk diputuskan"), count,
                     changelist(PossibleDuplicate, resolved_at__isempty="1"))
        )  # fmt: skip
    if may_view(InnovationChange):
        waiting = InnovationChange.objects.filter(status=ChangeStatus.PENDING).count()
        items.append(
            WorkItem(_("Perubahan dari inovator menunggu tinjauan"), waiting, reverse("change-list"))
        )
    if may_view(Innovation):
        stale = Innovation.objects.visible_to(request.user).review_overdue().count()
        label = _("Inovasi belum ditinjau lebih dari setahun")
        items.append(WorkItem(label, stale, changelist(Innovation, tinjauan="lewat")))
    if may_view(Reminder):
        failed = Reminder.objects.filter(failed_at__isnull=False, sent_at=None).count()
        items.append(WorkItem(_("Pengingat gagal terkirim"), failed, changelist(Reminder, keadaan="failed")))
    return [item for item in items if item.count]
