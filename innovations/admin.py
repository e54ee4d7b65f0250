from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import NationalAdminOnly
from accounts.roles import roles_of
from core import export

from .models import (
    SDG,
    ImportStatus,
    Innovation,
    InnovationChange,
    InnovationDocument,
    InnovationImport,
    InnovationLink,
    KippAward,
    KippEdition,
    PossibleDuplicate,
    ProposedDocument,
    SearchLemma,
    SearchSynonym,
)
from .spreadsheets import exporting, jobs
from .spreadsheets.columns import COLUMNS
from .tasks import apply_search_synonym, check_import, run_import

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


class ReviewFilter(admin.SimpleListFilter):
    title = _("tinjauan")
    parameter_name = "tinjauan"

    def lookups(self, request, model_admin):
        return [("lewat", _("Belum ditinjau lebih dari setahun")), ("baru", _("Ditinjau dalam setahun"))]

    def queryset(self, request, queryset):
        if self.value() == "lewat":
            return queryset.review_overdue()
        if self.value() == "baru":
            return queryset.reviewed_within_a_year()
        return queryset


@admin.register(Innovation)
class InnovationAdmin(SimpleHistoryAdmin):
    """The bank as the national team curates it: the columns and filters of its review work, bulk
    publish / unpublish / mark reviewed, every change in the record's history, and the list out as a
    spreadsheet in the import's columns (it imports back with no change)."""

    list_display = [
        "name", "owner_agency", "province", "category", "kipp_awards", "is_published", "last_reviewed_on",
    ]  # fmt: skip
    list_filter = [
        "is_published", "category", "affair", "form", "stage", "is_digital", "owner_agency__level",
        "owner_agency__province", "sdgs", "awards__edition", "awards__tier", "awards__group",
        ReviewFilter,
    ]  # fmt: skip
    search_fields = ["name", "long_name", "summary", "owner_agency__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner_agency", "replicated_from", "sdgs"]
    list_select_related = ["owner_agency__province"]
    inlines = [KippAwardInline, InnovationLinkInline, InnovationDocumentInline]
    date_hierarchy = "created_at"
    actions = ["publish", "unpublish", "mark_reviewed", "export_xlsx", "export_csv"]

    def get_queryset(self, request):
        # Drafts only for national admins and superusers, as on the site.
        awards = KippAward.objects.select_related("edition").order_by("edition__year")
        innovations = super().get_queryset(request).visible_to(request.user)
        return innovations.prefetch_related(Prefetch("awards", awards))

    @admin.display(description=_("provinsi"), ordering="owner_agency__province__name")
    def province(self, innovation: Innovation) -> str:
        return innovation.owner_agency.province.name if innovation.owner_agency.province_id else "—"

    @admin.display(description=_("penghargaan KIPP"))
    def kipp_awards(self, innovation: Innovation) -> str:
        return ", ".join(f"{a.edition.year} {a.get_tier_display()}" for a in innovation.awards.all()) or "—"

    def changed(self, request, queryset, reason: str, **values) -> None:
        """Write ``values`` to each chosen innovation through save(), so each gets its history record
        and the search index takes the change in."""
        innovations = list(queryset.exclude(**values))
        with transaction.atomic():
            for innovation in innovations:
                for name, value in values.items():
                    setattr(innovation, name, value)
                innovation._change_reason = reason
                innovation.save(update_fields=[*values, "updated_at"])
        self.message_user(
            request,
            ngettext("%(count)d inovasi diubah.", "%(count)d inovasi diubah.", len(innovations))
            % {"count": len(innovations)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Terbitkan inovasi terpilih"), permissions=["change"])
    def publish(self, request, queryset) -> None:
        self.changed(request, queryset, _("Diterbitkan dari daftar admin"), is_published=True)

    @admin.action(description=_("Tarik inovasi terpilih dari terbitan"), permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        self.changed(request, queryset, _("Ditarik dari terbitan dari daftar admin"), is_published=False)

    @admin.action(description=_("Tandai inovasi terpilih sudah ditinjau hari ini"), permissions=["change"])
    def mark_reviewed(self, request, queryset) -> None:
        self.changed(request, queryset, _("Ditandai sudah ditinjau"), last_reviewed_on=timezone.localdate())

    @admin.action(description=_("Unduh inovasi terpilih sebagai XLSX (kolom templat impor)"))
    def export_xlsx(self, request, queryset):
        return exporting.response(export.XLSX, exporting.for_export(queryset)[: export.MAX_ROWS], "inovasi")

    @admin.action(description=_("Unduh inovasi terpilih sebagai CSV (kolom templat impor)"))
    def export_csv(self, request, queryset):
        return exporting.response(export.CSV, exporting.for_export(queryset)[: export.MAX_ROWS], "inovasi")


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]
    search_fields = ["name", "name_en"]


class WinnerInline(admin.TabularInline):
    model = KippAward
    extra = 0
    autocomplete_fields = ["innovation"]
    verbose_name = _("pemenang")
    verbose_name_plural = _("pemenang")


@admin.register(KippEdition)
class KippEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "top_tier", "has_outstanding"]
    search_fields = ["year", "legal_basis"]
    inlines = [WinnerInline]


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


class ImportUploadForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Berkas (XLSX atau CSV)"),
        help_text=_("Kolom sesuai templat; paling besar 20 MB. Diperiksa dulu, tidak ada yang ditulis."),
    )

    class Meta:
        model = InnovationImport
        fields = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 20 MB; bagi menjadi beberapa berkas."))
        return upload


MAX_UPLOAD_BYTES = 20 * 2**20


@admin.register(InnovationImport)
class InnovationImportAdmin(NationalAdminOnly):
    """Upload, check, confirm, import: the national team's spreadsheets, each a Celery job with its
    report kept. A file is checked first (nothing written); a person confirms the plan."""

    list_display = ["filename", "status", "summary", "uploaded_by", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["filename", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    form = ImportUploadForm

    @admin.display(description=_("ringkasan"))
    def summary(self, job: InnovationImport) -> str:
        labels = {
            "new": _("baru"),
            "changed": _("berubah"),
            "unchanged": _("tetap"),
            "error": _("bermasalah"),
        }
        return ", ".join(f"{labels[key]} {job.counts[key]}" for key in labels if job.counts.get(key))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return roles_of(request.user).is_national_admin

    def has_delete_permission(self, request, obj=None) -> bool:
        return roles_of(request.user).is_national_admin and (
            obj is None or obj.status != ImportStatus.IMPORTING
        )

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        obj.filename, obj.data, obj.uploaded_by = upload.name[:200], upload.read(), request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: check_import.apply_async((obj.pk,), queue=settings.IMPORT_QUEUE))

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:innovations_innovationimport_preview", obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:innovations_innovationimport_preview", object_id)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("template.xlsx", view(self.template_file), name="innovations_innovationimport_template"),
            path("<int:pk>/preview/", view(self.preview), name="innovations_innovationimport_preview"),
            path("<int:pk>/status/", view(self.status), name="innovations_innovationimport_status"),
            path("<int:pk>/confirm/", view(self.confirm), name="innovations_innovationimport_confirm"),
            path("<int:pk>/errors.xlsx", view(self.errors_file), name="innovations_innovationimport_errors"),
            *super().get_urls(),
        ]

    def job(self, request, pk: int) -> InnovationImport:
        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(InnovationImport.objects.defer("data"), pk=pk)

    def preview(self, request, pk: int):
        job = self.job(request, pk)
        shown = [row for row in job.report if row["action"] != "unchanged"][:PREVIEW_ROWS]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": job.filename,
            "job": job,
            "rows": shown,
            "hidden_rows": len([r for r in job.report if r["action"] != "unchanged"]) - len(shown),
            "rows_done": jobs.rows_done(job),
            "running": job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING),
            "can_confirm": job.status == ImportStatus.CHECKED and job.rows_total > 0,
        }
        return TemplateResponse(request, "admin/innovations/import_preview.html", context)

    def status(self, request, pk: int):
        job = self.job(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "label": job.get_status_display(),
                "rows_total": job.rows_total,
                "rows_done": jobs.rows_done(job),
                "errors": job.counts.get("error", 0),
                "finished": job.status not in (ImportStatus.CHECKING, ImportStatus.IMPORTING),
            }
        )

    def confirm(self, request, pk: int):
        job = self.job(request, pk)
        if request.method != "POST" or not self.has_add_permission(request):
            raise Http404
        try:
            jobs.confirm(job.pk)
        except jobs.AlreadyImporting:
            messages.error(
                request, _("Impor lain sedang berjalan. Tunggu sampai selesai, lalu konfirmasi lagi.")
            )
        except ValueError:
            messages.error(request, _("Impor ini tidak menunggu konfirmasi."))
        else:
            transaction.on_commit(lambda: run_import.apply_async((job.pk,), queue=settings.IMPORT_QUEUE))
            messages.success(request, _("Impor dimulai. Halaman ini menunjukkan kemajuannya."))
        return redirect("admin:innovations_innovationimport_preview", job.pk)

    def errors_file(self, request, pk: int):
        job = self.job(request, pk)
        rows = ([row["row"], row["name"], "; ".join(row["errors"])] for row in job.report if row["errors"])
        return export.file_response(
            export.XLSX, f"galat-impor-{job.pk}", [_("baris"), _("nama inovasi"), _("masalah")], rows
        )

    def template_file(self, request):
        if not self.has_view_permission(request):
            raise Http404
        return export.file_response(
            export.XLSX, "templat-impor-inovasi", [c.header for c in COLUMNS], [[c.example for c in COLUMNS]]
        )


PREVIEW_ROWS = 500


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(NationalAdminOnly):
    """Pairs an import found nearly alike, for a person to decide: merge them by hand (edit or delete
    one), or mark the pair as two different innovations."""

    list_display = ["innovation", "similar_to", "reason", "found_by", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["innovation__name", "similar_to__name"]
    list_select_related = ["innovation", "similar_to", "found_by"]
    readonly_fields = [
        "innovation",
        "similar_to",
        "reason",
        "found_by",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    actions = ["resolve"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return roles_of(request.user).is_national_admin

    @admin.action(description=_("Tandai bukan duplikat (sudah diputuskan)"), permissions=["change"])
    def resolve(self, request, queryset) -> None:
        count = queryset.filter(resolved_at=None).update(resolved_at=timezone.now(), resolved_by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d pasangan diputuskan.", "%(count)d pasangan diputuskan.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(InnovationChange)
class InnovationChangeAdmin(NationalAdminOnly):
    """Changes proposed by innovators; reviewed as a diff on /tinjauan-perubahan/ (linked from here)."""

    list_display = ["innovation", "proposed_by", "status", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["innovation__name", "proposed_by__username"]
    list_select_related = ["innovation", "proposed_by", "reviewed_by"]
    readonly_fields = [
        "innovation", "proposed_by", "values", "before", "note", "status", "review_note", "reviewed_by",
        "reviewed_at", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("change-review", object_id)


@admin.register(ProposedDocument)
class ProposedDocumentAdmin(NationalAdminOnly):
    """Documents held aside in innovators' proposed changes; published with their change."""

    list_display = ["title", "change", "uploaded_at"]
    search_fields = ["title", "change__innovation__name"]
    list_select_related = ["change__innovation"]
    readonly_fields = ["change", "title", "file", "uploaded_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SearchSynonym)
class SearchSynonymAdmin(NationalAdminOnly):
    """Variants, acronyms and synonyms of the search, kept by the national team. A change applies to new
    queries at once and to the innovations holding the term once the task has re-analysed them."""

    list_display = ["term", "standard"]
    search_fields = ["term", "standard"]

    def save_model(self, request, obj, form, change):
        before = SearchSynonym.objects.filter(pk=obj.pk).values_list("term", flat=True).first()
        super().save_model(request, obj, form, change)
        for term in {obj.term, before} - {None}:
            transaction.on_commit(
                lambda term=term: apply_search_synonym.delay(term, obj.standard), robust=True
            )
        messages.info(request, _("Inovasi yang memuat istilah ini sedang dianalisis ulang untuk pencarian."))

    def delete_model(self, request, obj):
        term, standard = obj.term, obj.standard
        super().delete_model(request, obj)
        transaction.on_commit(lambda: apply_search_synonym.delay(term, standard), robust=True)


@admin.register(SearchLemma)
class SearchLemmaAdmin(NationalAdminOnly):
    """The words the search has learned and their lemmas (Sastrawi), to look up why two words meet or
    not. Learned by ``manage.py learn_search_words``, never typed: a hand-made row would not reach the
    documents already analysed. To join two words, add a synonym."""

    list_display = ["word", "lemma"]
    search_fields = ["word", "lemma"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
