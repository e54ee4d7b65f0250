from django.contrib import admin

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
    list_display = ["name", "level", "parent", "regency", "province"]
    list_filter = ["level", "province"]
    search_fields = ["name", "regency__name", "province__name"]
    autocomplete_fields = ["parent", "province", "regency"]
    list_select_related = ["parent", "regency", "province"]
