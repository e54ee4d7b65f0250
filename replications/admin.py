from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import NationalAdminOnly
from accounts.roles import roles_of
from core.dates import check_programme_date

from . import reminders, services
from .models import (
    Commitment,
    Milestone,
    Notification,
    NotificationPreference,
    ProgressReport,
    Proposal,
    ProposalEvent,
    Reminder,
    ReminderSettings,
    Round,
    RoundEvent,
)


class SchedulesReminders:
    """Dates and statuses changed here move the object's next reminder, as they do on the pages."""

    def save_model(self, request, obj, form, change) -> None:
        reminders.schedule(obj)
        super().save_model(request, obj, form, change)


class ProgrammeDatesForm(forms.ModelForm):
    """Deadlines and due dates within the programme's years, as on the pages (``core/dates.py``)."""

    DATE_FIELDS = ("fgd_date", "deadline", "original_deadline", "due_on")

    def clean(self):
        cleaned = super().clean()
        if "reminder_offsets" in cleaned and not cleaned["reminder_offsets"]:
            cleaned["reminder_offsets"] = None  # left empty: the global reminder days, as on the round's form
        for name in self.DATE_FIELDS:
            try:
                check_programme_date(cleaned.get(name))
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


class ProposalScopedAdmin(admin.ModelAdmin):
    """Rows hanging off a proposal: staff who are not superusers see only those of proposals they may see."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(proposal__in=Proposal.objects.visible_to(request.user))


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Saved through the bureau's own service (services.save_round): its reminders rescheduled, a regency
    added or a later deadline recorded in the round's history and announced, as on the round's form."""

    form = ProgrammeDatesForm
    list_display = ["title", "province", "fgd_date", "deadline", "mentor", "next_reminder_at"]
    list_filter = ["province"]
    search_fields = ["title", "mentor", "province__name"]
    autocomplete_fields = ["province", "participants", "shortlist"]
    list_select_related = ["province"]
    date_hierarchy = "deadline"

    def get_queryset(self, request):
        roles = roles_of(request.user)
        rounds = super().get_queryset(request)
        return rounds if roles.is_national_admin else rounds.filter(province_id__in=roles.province_ids)

    def save_model(self, request, obj, form, change) -> None:
        services.save_round(form, request.user)  # the admin's save_related then sets the same m2m again


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = ProgrammeDatesForm
    extra = 0


class ProposalEventInline(admin.TabularInline):
    """The life-cycle history, read-only: steps are taken through replications.services, never typed in."""

    model = ProposalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "action", "actor", "from_status", "to_status", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(SchedulesReminders, SimpleHistoryAdmin):
    list_display = ["innovation", "regency", "round", "status", "letter_number", "submitted_at"]
    list_filter = ["status", "round__province", "round"]
    search_fields = ["innovation__name", "regency__name", "local_name", "letter_number"]
    autocomplete_fields = ["round", "regency", "innovation", "adopting_agency", "created_by"]
    list_select_related = ["innovation", "regency", "round"]
    inlines = [MilestoneInline, ProposalEventInline]

    def get_queryset(self, request):
        # Staff who are not superusers see only what the site would show them.
        return super().get_queryset(request).visible_to(request.user)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        for milestone in formset.save(commit=False):
            reminders.save_scheduled(milestone)
        for milestone in formset.deleted_objects:
            milestone.delete()


@admin.register(Commitment)
class CommitmentAdmin(ProposalScopedAdmin):
    list_display = ["proposal", "signed_on"]
    search_fields = ["proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal"]
    list_select_related = ["proposal__innovation", "proposal__regency"]


@admin.register(Milestone)
class MilestoneAdmin(SchedulesReminders, ProposalScopedAdmin):
    form = ProgrammeDatesForm
    list_display = ["title", "proposal", "due_on", "done_on"]
    list_filter = ["done_on"]
    search_fields = ["title", "proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal"]
    list_select_related = ["proposal__innovation", "proposal__regency"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ProposalScopedAdmin):
    list_display = ["proposal", "reported_on", "milestone", "author"]
    search_fields = ["summary", "proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal", "milestone", "author"]
    list_select_related = ["proposal__innovation", "proposal__regency", "milestone", "author"]


class ReminderStateFilter(admin.SimpleListFilter):
    title = _("keadaan")
    parameter_name = "keadaan"
    STATES = {
        "waiting": (_("menunggu"), Q(sent_at=None, failed_at=None, cancelled_at=None, claimed_at=None)),
        "claimed": (
            _("sedang dikirim"),
            Q(sent_at=None, failed_at=None, cancelled_at=None, claimed_at__isnull=False),
        ),
        "sent": (_("terkirim"), Q(sent_at__isnull=False)),
        "failed": (_("gagal"), Q(failed_at__isnull=False)),
        "cancelled": (_("dibatalkan"), Q(cancelled_at__isnull=False)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _condition) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.STATES:
            return queryset.filter(self.STATES[self.value()][1])
        return queryset


@admin.register(Reminder)
class ReminderAdmin(NationalAdminOnly):
    """Reminders name their recipients: national admins and superusers only. Rows are written by the sweep;
    here they are read, and failed ones sent again."""

    list_display = ["key", "kind", "recipient", "due_at", "sent_at", "failed_at", "attempts", "last_error"]
    list_filter = [ReminderStateFilter, "kind"]
    search_fields = ["key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    actions = ["send_again"]
    readonly_fields = [
        "key", "kind", "recipient", "round", "proposal", "milestone", "offset_days", "due_at", "queued_at",
        "claimed_at", "sent_at", "failed_at", "cancelled_at", "attempts", "last_error", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Kirim ulang pengingat yang gagal"))
    def send_again(self, request, queryset):
        count = queryset.filter(failed_at__isnull=False, sent_at=None).update(
            failed_at=None, queued_at=None, claimed_at=None, claim_token=None, attempts=0
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d pengingat akan dikirim pada sapuan berikutnya.",
                "%(count)d pengingat akan dikirim pada sapuan berikutnya.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(NationalAdminOnly):
    """The one row of global reminder settings; saving it reschedules open rounds, proposals, milestones."""

    list_display = ["__str__", "deadline_offsets", "review_after_days", "milestone_offsets", "send_hour"]

    def has_add_permission(self, request) -> bool:
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        reminders.reschedule_everything(obj)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(NationalAdminOnly):
    list_display = ["user", "overdue_summary", "review_waiting", "milestone_due"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(ProposalEvent)
class ProposalEventAdmin(ProposalScopedAdmin):
    list_display = ["created_at", "proposal", "action", "actor", "from_status", "to_status"]
    list_filter = ["action", "to_status"]
    search_fields = ["proposal__innovation__name", "proposal__regency__name", "actor__username", "note"]
    list_select_related = ["proposal__innovation", "proposal__regency", "actor"]
    readonly_fields = ["proposal", "action", "actor", "from_status", "to_status", "note", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(NationalAdminOnly):
    """In-app messages name their recipients: national admins and superusers only."""

    list_display = ["created_at", "user", "message", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "message"]
    autocomplete_fields = ["user", "proposal"]
    list_select_related = ["user"]


@admin.register(RoundEvent)
class RoundEventAdmin(admin.ModelAdmin):
    """A round's history (opened, regencies added, deadline extended), written by ``services.save_round``
    and read-only here; a bureau sees its province's rounds only."""

    list_display = ["created_at", "round", "kind", "actor", "from_deadline", "to_deadline"]
    list_filter = ["kind"]
    search_fields = ["round__title", "round__province__name", "actor__username"]
    list_select_related = ["round", "actor"]
    readonly_fields = ["round", "kind", "actor", "regencies", "from_deadline", "to_deadline", "created_at"]

    def get_queryset(self, request):
        roles = roles_of(request.user)
        events = super().get_queryset(request)
        return events if roles.is_national_admin else events.filter(round__province_id__in=roles.province_ids)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
