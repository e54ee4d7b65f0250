from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from regions.admin import NationalAdminOnly
from regions.roles import roles_of

from .models import (
    Commitment,
    Milestone,
    Notification,
    ProgressReport,
    Proposal,
    ProposalEvent,
    Reminder,
    Round,
)


class ProposalScopedAdmin(admin.ModelAdmin):
    """Rows hanging off a proposal: staff who are not superusers see only those of proposals they may see."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(proposal__in=Proposal.objects.visible_to(request.user))


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "fgd_date", "deadline", "mentor"]
    list_filter = ["province"]
    search_fields = ["title", "mentor", "province__name"]
    autocomplete_fields = ["province", "participants", "shortlist"]
    list_select_related = ["province"]
    date_hierarchy = "deadline"

    def get_queryset(self, request):
        roles = roles_of(request.user)
        rounds = super().get_queryset(request)
        return rounds if roles.is_national_admin else rounds.filter(province_id__in=roles.province_ids)


class MilestoneInline(admin.TabularInline):
    model = Milestone
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
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["innovation", "regency", "round", "status", "letter_number", "submitted_at"]
    list_filter = ["status", "round__province", "round"]
    search_fields = ["innovation__name", "regency__name", "local_name", "letter_number"]
    autocomplete_fields = ["round", "regency", "innovation", "adopting_agency", "created_by"]
    list_select_related = ["innovation", "regency", "round"]
    inlines = [MilestoneInline, ProposalEventInline]

    def get_queryset(self, request):
        # Staff who are not superusers see only what the site would show them.
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Commitment)
class CommitmentAdmin(ProposalScopedAdmin):
    list_display = ["proposal", "signed_on"]
    search_fields = ["proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal"]
    list_select_related = ["proposal__innovation", "proposal__regency"]


@admin.register(Milestone)
class MilestoneAdmin(ProposalScopedAdmin):
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


@admin.register(Reminder)
class ReminderAdmin(NationalAdminOnly):
    """Reminders name their recipients: national admins and superusers only."""

    list_display = ["key", "kind", "recipient", "due_at", "claimed_at", "sent_at", "attempts"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["key", "recipient__username", "recipient__email"]
    autocomplete_fields = ["recipient", "round", "proposal", "milestone"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at"]


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
