"""The bank's own pages: search, find by problem, suggestions while typing, KIPP editions.

Every page shows what ``querysets.sees_drafts(user)`` allows, through ``visible_to(user)`` or, in a
prepared statement (regions.prepared), ``published_or_drafts()`` with the ``drafts`` argument; and it
makes a fixed number of queries whatever the page size (tests/innovations/test_query_counts.py).
"""

from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import export, ratelimit
from core.caching import cache_key, versioned_key
from core.files import private_file_response
from core.uploads import validate_pdf

from . import changes, filters, links, search
from .cards import cards_for
from .filters import FACET_NAMES, InnovationFilterSet, build_facets
from .listings import edition_rows, winners_by_group_and_tier
from .models import (
    ChangeStatus,
    Innovation,
    InnovationChange,
    KippEdition,
    ProposedDocument,
    SearchDocument,
)
from .querysets import sees_drafts
from .signals import BANK
from .spreadsheets import exporting

PAGE_SIZE = 20


def visible_innovations(request):
    return Innovation.objects.visible_to(request.user)


def visible_documents(request):
    return SearchDocument.objects.visible_to(request.user)


RESULTS_CACHE_SECONDS = 300


@require_safe
def innovation_list(request):
    """Search and browse: full-text query, facets with counts, sorting, pagination; all in the URL.

    One statement counts the results, counts every facet and picks the page (from the search index's
    bitmaps, search_index.gather, or for a rarer word from the documents, filters.gather). The page,
    the counts and both fragments of HTML are cached for everyone who sees the public bank, per bank
    version: a repeated search makes no SQL.
    """
    filterset = InnovationFilterSet.for_user(request.GET, request.user)
    public = not sees_drafts(request.user)
    page_number = request.GET.get("page")
    # What decides the facet sidebar, whose rendered HTML is cached too (templates/innovations/list.html).
    state = versioned_key("search", (BANK,), filterset.fingerprint(), "public" if public else "drafts")
    # One cache entry per page number asked for, however it was written ("02", "-5", "x").
    key = cache_key("results", state, filters.page_number(page_number)) if public else None
    found = cache.get(key) if key else None
    if found:
        filterset.restore(relaxed=found["relaxed"], count=found["count"])
    else:
        gathered = filterset.gather_page(page_number, PAGE_SIZE)
        terms = filterset.terms
        found = {
            # No result holds every word: the page says its results are the nearest.
            "relaxed": terms.is_relaxed and not holds_every_word(terms, gathered.rows),
            "count": gathered.count,
            "number": gathered.page_number,
            "rows": gathered.rows,
            "counts": gathered.counts,
            "sort": filterset.chosen_sort,
            "searched": bool(terms),
            "ignored_words": [word for word in terms.words if word not in terms.lexemes_by_word],
        }
        if key:
            cache.set(key, found, timeout=RESULTS_CACHE_SECONDS)
    # Built only when the facet sidebar or the results are rendered afresh (their HTML is cached in
    # templates/innovations/list.html): a page served from the cache makes no SQL at all.
    facets = SimpleLazyObject(lambda: build_facets(filterset, found["counts"]))
    number, rows = found["number"], found["rows"]

    def cards_page() -> Page:
        paginator = Paginator(SearchDocument.objects.none(), PAGE_SIZE)
        paginator.count = found["count"]
        documents = [CachedDocument(pk, matched) for pk, matched in rows]
        cards = cards_for(documents, filterset.terms, drafts=sees_drafts(request.user), snippets=True)
        return Page(cards, number, paginator)

    selected_pairs = [
        (name, value) for name in FACET_NAMES for value in filterset.data_cleaned.get(name) or []
    ]
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    selected = SimpleLazyObject(lambda: active_filters(facets, query_without_page))
    return render(
        request,
        "innovations/list.html",
        {
            "filterset": filterset,
            "state": state,
            "cache_seconds": RESULTS_CACHE_SECONDS,
            "query_text": filterset.query_text,
            "count": found["count"],
            "number": number,
            "page": SimpleLazyObject(cards_page),
            "facets": facets,
            "selected": selected,
            "selected_pairs": selected_pairs,
            "query_without_page": query_without_page.urlencode(),
            "sort": found["sort"],
            "searched": found["searched"],
            "ignored_words": found["ignored_words"],
            "partial_matches": found["relaxed"],
            "max_export_rows": export.MAX_ROWS,
        },
    )


def active_filters(facets, query) -> list[dict]:
    """Each selected facet value with its facet's name and the query string that drops it alone."""
    active = []
    for facet in facets:
        for value in facet.values:
            if value.selected:
                without = query.copy()
                without.setlist(facet.name, [v for v in query.getlist(facet.name) if v != value.value])
                active.append({"facet": facet.label, "label": value.label, "remove": without.urlencode()})
    return active


@require_safe
def innovation_export(request):
    """The list's results as a spreadsheet in the import's columns (XLSX or CSV), with the list's own
    query, filters and order, drafts only for those who see them."""
    fmt = request.GET.get("format", "")
    if fmt not in export.CONTENT_TYPES:
        return HttpResponseBadRequest(_("Pilih format unduhan: csv atau xlsx."))
    filterset = InnovationFilterSet.for_user(request.GET, request.user)
    pks = list(filterset.results().values_list("pk", flat=True)[: export.MAX_ROWS])
    innovations = exporting.for_export(visible_innovations(request)).in_order_of(
        [CachedDocument(pk, []) for pk in pks]
    )
    return exporting.response(fmt, innovations, "inovasi")


def holds_every_word(terms: search.SearchTerms, rows) -> bool:
    """Whether the first result holds every word of the query."""
    held = {search.lexeme_of(item) for item in (rows[0][1] if rows else [])}
    return bool(rows) and all(set(lexemes) & held for lexemes in terms.lexemes_by_word.values())


class CachedDocument(NamedTuple):
    """A search result as the cached page keeps it: what cards.cards_for reads of a search document."""

    pk: int
    matched: list[str]


class ProblemForm(forms.Form):
    problem = forms.CharField(
        label=_("Uraikan masalah daerah Anda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Contoh: angka stunting tinggi dan cakupan imunisasi rendah di desa terpencil."),
    )


def problem_search_refused(request) -> bool:
    """The problem searches are the heaviest: anonymous use is limited per address."""
    return not request.user.is_authenticated and ratelimit.PROBLEM_SEARCH.hit(
        ratelimit.client_address(request)
    )


@require_safe
def find_by_problem(request):
    """A region describes its problem in its own words; innovations that address it come first."""
    form = ProblemForm(request.GET or None)
    matches, terms = [], search.SearchTerms(text="")
    if form.is_valid():
        if problem_search_refused(request):
            return ratelimit.too_many_requests(request, ratelimit.PROBLEM_SEARCH)
        terms = search.prepare(form.cleaned_data["problem"])
        documents = list(visible_documents(request).problem_matches(terms)[:20])
        matches = cards_for(documents, terms, drafts=sees_drafts(request.user))
    return render(
        request,
        "innovations/problem.html",
        {"form": form, "matches": matches, "terms": terms, "searched": form.is_bound and form.is_valid()},
    )


@require_safe
def edition_list(request):
    editions = edition_rows(drafts=sees_drafts(request.user))
    return render(request, "innovations/editions.html", {"editions": editions})


@require_safe
def edition_detail(request, year: int):
    edition = get_object_or_404(KippEdition, year=year)
    groups = winners_by_group_and_tier(edition.pk, drafts=sees_drafts(request.user))
    return render(request, "innovations/edition.html", {"edition": edition, "groups": groups})


SUGGESTION_LIMIT = 10


@require_safe
def suggest(request):
    """Innovations for what is being typed, for search-as-you-type fields (JSON): names containing the
    text first, then records holding every typed word (stemmed). With ``masalah=`` instead, the
    find-by-problem ranking of a described problem (used by the proposal form), as long as that form
    allows and limited like it."""
    raw_problem = request.GET.get("masalah") or ""
    longest = ProblemForm.base_fields["problem"].max_length
    if len(raw_problem) > longest:
        detail = _("Uraian masalah paling banyak %(count)d karakter.") % {"count": longest}
        return JsonResponse({"detail": detail, "results": []}, status=400)
    problem = search.clean_query(raw_problem)
    if problem:
        if problem_search_refused(request):
            return ratelimit.too_many_requests_json(ratelimit.PROBLEM_SEARCH, results=[])
        terms = search.prepare(problem)
        documents = list(visible_documents(request).problem_matches(terms)[:SUGGESTION_LIMIT])
        innovations = Innovation.objects.with_place().in_order_of(documents)
        return JsonResponse({"results": [suggestion(i, terms) for i in innovations]})
    text = search.clean_query(request.GET.get("q"))[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    terms = search.prepare(text)
    condition = Q(name__icontains=text)
    if terms:  # while typing, records holding every word typed so far
        condition |= Q(search.matches(terms.strict()))
    documents = (
        visible_documents(request)
        .filter(condition)
        .annotate(name_match=Q(name__icontains=text))
        .order_by(F("name_match").desc(), "-replication_count", "name")[:SUGGESTION_LIMIT]
    )
    innovations = Innovation.objects.with_place().in_order_of(list(documents))
    return JsonResponse({"results": [suggestion(i) for i in innovations]})


def suggestion(innovation, terms: search.SearchTerms | None = None) -> dict:
    item = {
        "id": innovation.pk,
        "slug": innovation.slug,
        "name": innovation.name,
        "agency": str(innovation.owner_agency),
    }
    if terms is not None:
        item["matched"] = terms.words_for(innovation.matched)
    return item


class ChangeForm(forms.ModelForm):
    links = forms.CharField(
        label=_("Tautan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Satu per baris: judul | alamat, mis. “Video | https://contoh.go.id/video”."),
    )
    remove_documents = forms.ModelMultipleChoiceField(
        label=_("Dokumen yang dihapus"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_title = forms.CharField(label=_("Judul dokumen baru"), max_length=200, required=False)
    document_file = forms.FileField(
        label=_("Dokumen baru (PDF)"),
        required=False,
        validators=[validate_pdf],
        help_text=_("Mis. SK inovasi atau laporan hasil; diperiksa isinya, bukan namanya."),
    )
    note = forms.CharField(
        label=_("Catatan untuk tim nasional"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Apa yang berubah dan mengapa, mis. “data hasil 2024 sudah keluar”."),
    )

    class Meta:
        model = Innovation
        fields = changes.FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_documents"].queryset = self.instance.documents.order_by("pk")

    def clean(self):
        data = super().clean()
        if data.get("document_file") and not data.get("document_title"):
            self.add_error("document_title", _("Beri judul dokumen baru ini."))
        return data

    def clean_links(self) -> list[list[str]]:
        try:
            return [list(pair) for pair in links.parse(self.cleaned_data["links"])]
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


@login_required
@require_http_methods(["GET", "POST"])
def propose_change(request, slug: str):
    """An innovator proposes changes to their innovation's public record; nothing is published until
    the national team reviews them."""
    innovation = get_object_or_404(Innovation.objects.select_related("owner_agency"), slug=slug)
    if not changes.may_propose(request.user, innovation):
        raise Http404
    pending = changes.pending_of(innovation)
    copy = Innovation.objects.get(pk=innovation.pk)  # the form writes onto its instance; the record stays
    initial = {"links": changes.links_text(changes.current_links(innovation))}
    initial |= {**(pending.values if pending else {}), "note": pending.note if pending else ""}
    if isinstance(initial["links"], list):
        initial["links"] = changes.links_text(initial["links"])
    form = ChangeForm(request.POST or None, request.FILES or None, instance=copy, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in [*changes.FIELDS, changes.LINKS]}
        values[changes.REMOVED_DOCUMENTS] = sorted(document.pk for document in data["remove_documents"])
        document = (data["document_title"], data["document_file"]) if data.get("document_file") else None
        try:
            changes.propose(innovation, request.user, values, data["note"], document=document)
        except changes.NothingChanged as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Usulan perubahan dikirim ke tim nasional untuk ditinjau."))
            return redirect("my-innovations")
    return render(
        request, "innovations/change_form.html", {"form": form, "innovation": innovation, "pending": pending}
    )


@login_required
@require_POST
def confirm_accurate(request, slug: str):
    innovation = get_object_or_404(Innovation, slug=slug)
    if not changes.may_propose(request.user, innovation):
        raise Http404
    changes.confirm_accurate(innovation, request.user)
    messages.success(
        request, _("Terima kasih: catatan %(name)s tercatat masih akurat.") % {"name": innovation.name}
    )
    return redirect("my-innovations")


@login_required
@require_safe
def change_list(request):
    if not changes.may_review(request.user):
        raise Http404
    waiting = InnovationChange.objects.filter(status=ChangeStatus.PENDING).select_related(
        "innovation__owner_agency", "proposed_by"
    )
    if "format" in request.GET:
        rows = (
            [c.innovation.name, str(c.innovation.owner_agency), c.proposer_name(), c.created_at]
            for c in waiting[: export.MAX_ROWS]
        )
        return export.page_file(request.GET["format"], "perubahan-inovasi", CHANGE_COLUMNS, rows)
    return render(request, "innovations/change_list.html", {"changes": waiting})


CHANGE_COLUMNS = [_("Inovasi"), _("Instansi"), _("Diusulkan oleh"), _("Diusulkan pada")]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk inovator"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "return" and not data.get("note"):
            self.add_error("note", _("Tulis catatan yang menjelaskan apa yang perlu diperbaiki."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def change_review(request, pk: int):
    """The proposed change as a diff against the published record: publish it, or return it with a note."""
    if not changes.may_review(request.user):
        raise Http404
    change = get_object_or_404(
        InnovationChange.objects.select_related("innovation__owner_agency", "proposed_by"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and change.status != ChangeStatus.PENDING:
        messages.error(request, _("Usulan perubahan ini sudah ditinjau."))
        return redirect("change-list")
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            changes.review(change, request.user, publish=publish, note=form.cleaned_data["note"])
        except changes.AlreadyReviewed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Perubahan diterbitkan.") if publish else _("Perubahan dikembalikan.")
            )
        return redirect("change-list")
    context = {"change": change, "rows": changes.diff(change), "form": form}
    return render(request, "innovations/change_review.html", context)


@login_required
@require_safe
def proposed_document(request, pk: int, document_pk: int):
    """A document held aside in a proposed change: for the reviewers and the innovators who proposed it."""
    document = get_object_or_404(
        ProposedDocument.objects.select_related("change__innovation"), pk=document_pk, change_id=pk
    )
    innovation = document.change.innovation
    if not (changes.may_review(request.user) or changes.may_propose(request.user, innovation)):
        raise Http404
    return private_file_response(document.file, f"{innovation.slug}-{document.pk}.pdf")
