from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Province, Regency


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
    list_display = ["name", "level", "parent", "regency", "province", "listed"]
    list_filter = ["listed", "level", "province"]
    actions = ["list_publicly"]
    search_fields = ["name", "regency__name", "province__name"]
    autocomplete_fields = ["parent", "province", "regency"]
    list_select_related = ["parent", "regency", "province"]

    @admin.action(description=_("Tampilkan di daftar publik"), permissions=["change"])
    def list_publicly(self, request, queryset):
        for agency in queryset.filter(listed=False):
            agency.listed = True
            agency.save(update_fields=["listed"])
