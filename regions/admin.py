from django.contrib import admin

from .models import Agency, Membership, Province, Regency, UserPreference
from .roles import roles_of


class NationalAdminOnly(admin.ModelAdmin):
    """Who works where, and their settings, are for national admins (and superusers) only."""

    def has_module_permission(self, request) -> bool:
        return roles_of(request.user).is_national_admin

    def has_view_permission(self, request, obj=None) -> bool:
        return roles_of(request.user).is_national_admin and super().has_view_permission(request, obj)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone"]
    list_filter = ["time_zone"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name", "province__name"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "regency", "province"]
    list_filter = ["level", "province"]
    search_fields = ["name", "regency__name", "province__name"]
    autocomplete_fields = ["parent", "province", "regency"]
    list_select_related = ["parent", "regency", "province"]


@admin.register(Membership)
class MembershipAdmin(NationalAdminOnly):
    list_display = ["user", "role", "regency", "province", "created_at"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "user__email", "regency__name", "province__name"]
    autocomplete_fields = ["user", "regency", "province"]
    list_select_related = ["user", "regency", "province"]


@admin.register(UserPreference)
class UserPreferenceAdmin(NationalAdminOnly):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
