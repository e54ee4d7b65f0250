from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Commitment, Milestone, ProgressReport, Proposal, Reminder, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "fgd_date", "deadline", "mentor"]
    list_filter = ["province"]
    search_fields = ["title", "mentor", "province__name"]
    autocomplete_fields = ["province", "participants", "shortlist"]
    list_select_related = ["province"]
    date_hierarchy = "deadline"


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["innovation", "regency", "round", "status", "letter_number", "submitted_at"]
    list_filter = ["status", "round__province", "round"]
    search_fields = ["innovation__name", "regency__name", "local_name", "letter_number"]
    autocomplete_fields = ["round", "regency", "innovation", "adopting_agency", "created_by"]
    list_select_related = ["innovation", "regency", "round"]
    inlines = [MilestoneInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "signed_on"]
    search_fields = ["proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal"]
    list_select_related = ["proposal__innovation", "proposal__regency"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "proposal", "due_on", "done_on"]
    list_filter = ["done_on"]
    search_fields = ["title", "proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal"]
    list_select_related = ["proposal__innovation", "proposal__regency"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reported_on", "milestone", "author"]
    search_fields = ["summary", "proposal__innovation__name", "proposal__regency__name"]
    autocomplete_fields = ["proposal", "milestone", "author"]
    list_select_related = ["proposal__innovation", "proposal__regency", "milestone", "author"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "recipient", "due_at", "claimed_at", "sent_at", "attempts"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["key", "recipient__username", "recipient__email"]
    autocomplete_fields = ["recipient", "round", "proposal", "milestone"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at"]
