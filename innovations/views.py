"""Public pages of the bank: home, search, find by problem, profiles, regions, agencies, KIPP editions.

Every page shows what ``querysets.sees_drafts(user)`` allows, through ``visible_to(user)`` or, in a
prepared statement (regions.prepared), ``published_or_drafts()`` with the ``drafts`` argument; and it
makes a fixed number of queries whatever the page size (tests/innovations/test_query_counts.py).
"""

import functools
from typing import NamedTuple

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.roles import roles_of
from core.caching import cache_key, versioned_key
from core.db.prepared import Argument, InArray, Statement
from regions.models import Agency, Province, Regency

from . import filters, search
from .cards import cards_for
from .filters import FACET_NAMES, InnovationFilterSet, build_facets
from .listings import (
    Link,
    award_rows,
    edition_rows,
    most_replicated_rows,
    proposal_model,
    replication_count,
    replication_rows,
    winners_by_group_and_tier,
)
from .models import (
    PROPOSAL_COMPLETED_STATUS,
    PROPOSAL_DRAFT_STATUSES,
    Innovation,
    KippAward,
    KippEdition,
    SearchDocument,
)
from .querysets import published_or_drafts, sees_drafts
from .signals import BANK

PAGE_SIZE = 20
REPLICATIONS_PAGE_SIZE = 20
REPLICATIONS_PAGE = "replikasi"
MAX_PAGE_SIZE = 100
MAX_PAGE_NUMBER = 10**9


def visible_innovations(request):
    return Innovation.objects.visible_to(request.user)


def visible_documents(request):
    return SearchDocument.objects.visible_to(request.user)


def counted_page(request, read) -> Page:
    """The requested page of a list that ``read(offset, limit)`` returns with the list's total.

    A reader takes the total from a window count over its rows, so a page costs one query whether or
    not it has rows. As Paginator.get_page(): a malformed number gives the first page, one past the
    end or below 1 the last (which costs a second read, once the total is known).
    """
    size = PAGE_SIZE
    try:
        # Past the end whatever the list's length, yet an offset PostgreSQL can still take.
        number = min(int(request.GET.get("page", 1)), MAX_PAGE_NUMBER)
    except ValueError:
        number = 1
    rows, total = read((number - 1) * size, size) if number >= 1 else ([], 0)
    if not rows and number != 1:  # an empty page holds no total: read it from the first row
        number = max(1, -(-read(0, 1)[1] // size))
        rows, total = read((number - 1) * size, size)
    paginator = Paginator([], size)
    paginator.count = total or 0
    return Page(rows, number, paginator)


def replication_page(request, of: str, value: int) -> Page:
    """A page of a replications table (listings.REPLICATIONS_OF), picked by the ``replikasi``
    parameter (cards use ``page``).

    Two queries, with rows or without: the count, then the page. (A window count, as the cards take,
    would join each of a province's thousand proposals to its innovation before the limit.)
    """
    drafts = sees_drafts(request.user)
    paginator = Paginator([], REPLICATIONS_PAGE_SIZE)
    paginator.count = replication_count(of, value, drafts=drafts)
    page = paginator.get_page(request.GET.get(REPLICATIONS_PAGE))
    offset = (page.number - 1) * REPLICATIONS_PAGE_SIZE
    page.object_list = replication_rows(of, value, offset, REPLICATIONS_PAGE_SIZE, drafts=drafts)
    return page


@functools.cache
def documents_statement(field: str, several: bool) -> Statement:
    """A page of the documents whose ``field`` holds the ``value`` argument (one of its values, when
    ``several``), by name, with their total: published ones, and drafts too when ``drafts`` says so.

    One value is compared with "=", not "= ANY": PostgreSQL then reads the (field, name) index in
    order, where for an array it walked the whole name index (6 ms against 66 ms for a province).
    """
    column = type(SearchDocument._meta.get_field(field))
    if several:
        chosen = InArray(F(field), Argument("value", ArrayField(column())))
    else:
        chosen = Q(**{field: Argument("value", column())})
    documents = SearchDocument.objects.filter(published_or_drafts(), chosen)
    return Statement(documents.order_by("name", "pk").values("pk", total=Window(Count("pk"))))


def card_page(request, field: str, *values):
    """A page of the innovation cards whose search document holds one of ``values`` in ``field``, by
    name: one query for the page and the total, one for the cards."""
    drafts = sees_drafts(request.user)
    statement = documents_statement(field, several=len(values) > 1)
    value = list(values) if len(values) > 1 else values[0]

    def read(offset: int, limit: int):
        rows = statement.rows(value=value, drafts=drafts, offset=offset, limit=limit)
        chosen = [CachedDocument(row["pk"], []) for row in rows]
        return cards_for(chosen, drafts=drafts), rows[0]["total"] if rows else 0

    return counted_page(request, read)


def query_without(request, parameter: str) -> str:
    """The query string less one page parameter: a pagination's links keep the page's other state."""
    query = request.GET.copy()
    query.pop(parameter, None)
    return query.urlencode()


HOME_CACHE_SECONDS = 300
RESULTS_CACHE_SECONDS = 300


@require_safe
def home(request):
    """What the bank holds, the newest KIPP winners and the most replicated innovations."""
    key = versioned_key("home-counts", (BANK,))
    counts = cache.get(key)
    if counts is None:
        counts = SearchDocument.objects.filter(is_published=True).aggregate(
            innovations=Count("pk"), agencies=Count("owner_agency_id", distinct=True)
        )
        proposals = proposal_model().objects.filter(innovation__is_published=True)
        counts |= proposals.aggregate(
            regions_replicating=Count(
                "regency", distinct=True, filter=~Q(status__in=PROPOSAL_DRAFT_STATUSES)
            ),
            replications_completed=Count("pk", filter=Q(status=PROPOSAL_COMPLETED_STATUS)),
        )
        cache.set(key, counts, timeout=HOME_CACHE_SECONDS)
    latest_awards = award_rows(limit=6)
    most_replicated = most_replicated_rows(limit=6)
    return render(
        request,
        "innovations/home.html",
        {"counts": counts, "latest_awards": latest_awards, "most_replicated": most_replicated},
    )


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
            "relaxed": terms.is_relaxed,
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


@require_safe
def find_by_problem(request):
    """A region describes its problem in its own words; innovations that address it come first."""
    form = ProblemForm(request.GET or None)
    matches, terms = [], search.SearchTerms(text="")
    if form.is_valid():
        terms = search.prepare(form.cleaned_data["problem"])
        documents = list(visible_documents(request).problem_matches(terms)[:20])
        matches = cards_for(documents, terms, drafts=sees_drafts(request.user))
    return render(
        request,
        "innovations/problem.html",
        {"form": form, "matches": matches, "terms": terms, "searched": form.is_bound and form.is_valid()},
    )


@require_safe
def innovation_detail(request, slug: str):
    drafts = roles_of(request.user).is_national_admin
    related_key = versioned_key("related", (BANK,), drafts, slug)
    related_ids = cache.get(related_key)
    innovations = visible_innovations(request)
    if related_ids is None:  # computed inside the profile's own query, then kept per bank version
        innovations = innovations.with_related_ids(drafts=drafts)
    innovation = get_object_or_404(
        innovations.with_place()
        .select_related("replicated_from")
        .prefetch_related(
            "sdgs",
            "links",
            "documents",
            Prefetch("awards", KippAward.objects.select_related("edition")),
        ),
        slug=slug,
    )
    replications = replication_page(request, "innovation", innovation.pk)
    if related_ids is None:
        related_ids = list(innovation.related_ids or [])
        cache.set(related_key, related_ids, timeout=RESULTS_CACHE_SECONDS)
    related_by_pk = (
        Innovation.objects.select_related("owner_agency")
        .only("name", "slug", "owner_agency__name")
        .in_bulk(related_ids)
    )
    related = [related_by_pk[pk] for pk in related_ids if pk in related_by_pk]
    return render(
        request,
        "innovations/detail.html",
        {
            "innovation": innovation,
            "replications": replications,
            "replications_query": query_without(request, REPLICATIONS_PAGE),
            "related": related,
            "propose_url": proposal_create_url() if roles_of(request.user).is_regional_staff else None,
        },
    )


def proposal_create_url() -> str | None:
    """Where regional staff start a proposal, once the replications app offers that page."""
    try:
        return reverse("proposal-create")
    except NoReverseMatch:
        return None


@require_safe
def province_detail(request, code: str):
    province = get_object_or_404(Province, code=code)
    page = card_page(request, "province_code", province.code)
    replications = replication_page(request, "province", province.pk)
    rounds = list(province.rounds.order_by("-deadline")[:20])
    per_regency = (
        visible_documents(request)
        .filter(regency_id=OuterRef("pk"))
        .order_by()
        .values("regency_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    regency_url = Link("regency-detail", "00.00")
    regencies = [
        {**regency, "url": regency_url(regency["code"])}
        for regency in province.regencies.annotate(innovation_count=Coalesce(Subquery(per_regency), 0))
        .order_by("code")
        .values("code", "name", "innovation_count")
    ]
    return render(
        request,
        "innovations/province.html",
        {
            "province": province,
            "page": page,
            "replications": replications,
            "rounds": rounds,
            "cards_query": query_without(request, "page"),
            "replications_query": query_without(request, REPLICATIONS_PAGE),
            "regencies": regencies,
        },
    )


@require_safe
def regency_detail(request, code: str):
    regency = get_object_or_404(Regency.objects.select_related("province"), code=code)
    page = card_page(request, "regency_id", regency.pk)
    replications = replication_page(request, "regency", regency.pk)
    rounds = list(regency.rounds.select_related("province").order_by("-deadline")[:20])
    return render(
        request,
        "innovations/regency.html",
        {
            "regency": regency,
            "page": page,
            "replications": replications,
            "rounds": rounds,
            "cards_query": query_without(request, "page"),
            "replications_query": query_without(request, REPLICATIONS_PAGE),
        },
    )


@require_safe
def agency_detail(request, pk: int):
    agency = get_object_or_404(Agency.objects.select_related("parent", "regency", "province"), pk=pk)
    children = list(agency.children.order_by("name"))
    # The agency's innovations and its units'.
    page = card_page(request, "owner_agency_id", agency.pk, *(child.pk for child in children))
    adopted = replication_page(request, "adopting agency", agency.pk)
    return render(
        request,
        "innovations/agency.html",
        {
            "agency": agency,
            "page": page,
            "children": children,
            "adopted": adopted,
            "cards_query": query_without(request, "page"),
            "replications_query": query_without(request, REPLICATIONS_PAGE),
        },
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
    find-by-problem ranking of a described problem (used by the proposal form)."""
    problem = search.clean_query(request.GET.get("masalah"))
    if problem:
        terms = search.prepare(problem)
        documents = list(visible_documents(request).problem_matches(terms)[:SUGGESTION_LIMIT])
        innovations = Innovation.objects.with_place().in_order_of(documents)
        return JsonResponse({"results": [suggestion(i, terms) for i in innovations]})
    text = search.clean_query(request.GET.get("q"))[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    terms = search.prepare(text)
    condition = Q(name__icontains=text)
    if terms:
        condition |= Q(search.matches(terms))
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
