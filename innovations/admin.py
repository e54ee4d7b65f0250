from django.contrib import admin
from django.db import models

from .models import SDG, Innovation, InnovationDocument, InnovationLink, KippAward, KippEdition

# A link typed without a scheme is read as https:// (Django 6's default; silences its deprecation).
LINK_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class InnovationLinkInline(admin.TabularInline):
    model = InnovationLink
    extra = 0
    formfield_overrides = LINK_FIELDS


class InnovationDocumentInline(admin.TabularInline):
    model = InnovationDocument
    extra = 0


class KippAwardInline(admin.TabularInline):
    model = KippAward
    extra = 0
    autocomplete_fields = ["edition"]


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_agency", "category", "stage", "is_published", "last_reviewed_on"]
    list_filter = ["is_published", "category", "form", "stage", "is_digital", "owner_agency__level"]
    search_fields = ["name", "long_name", "summary", "owner_agency__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner_agency", "replicated_from", "sdgs"]
    list_select_related = ["owner_agency"]
    inlines = [KippAwardInline, InnovationLinkInline, InnovationDocumentInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # Drafts only for national admins and superusers, as on the site.
        return super().get_queryset(request).visible_to(request.user)


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]
    search_fields = ["name", "name_en"]


@admin.register(KippEdition)
class KippEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "top_tier", "has_outstanding"]
    search_fields = ["year", "legal_basis"]


@admin.register(KippAward)
class KippAwardAdmin(admin.ModelAdmin):
    list_display = ["innovation", "edition", "group", "tier"]
    list_filter = ["edition", "group", "tier"]
    search_fields = ["innovation__name"]
    autocomplete_fields = ["innovation", "edition"]
    list_select_related = ["innovation", "edition"]


@admin.register(InnovationLink)
class InnovationLinkAdmin(admin.ModelAdmin):
    formfield_overrides = LINK_FIELDS
    list_display = ["title", "url", "innovation"]
    search_fields = ["title", "url", "innovation__name"]
    autocomplete_fields = ["innovation"]


@admin.register(InnovationDocument)
class InnovationDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "innovation", "uploaded_at"]
    search_fields = ["title", "innovation__name"]
    autocomplete_fields = ["innovation"]
