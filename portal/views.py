"""Pages that compose the bank and the programme: the home page, an innovation's profile with where
it has been replicated, and the pages of a province, a regency and an agency.

Every page shows what ``innovations.querysets.sees_drafts(user)`` allows, through ``visible_to(user)``
or, in a prepared statement (core.db.prepared), ``published_or_drafts()`` with the ``drafts``
argument; and it makes a fixed number of queries whatever the page size
(tests/innovations/test_query_counts.py).
"""

import functools
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.roles import roles_of
from core.caching import versioned_key
from core.db.prepared import Argument, InArray, Statement
from innovations.cards import cards_for
from innovations.listings import Link, award_rows, most_replicated_rows
from innovations.models import (
    PROPOSAL_COMPLETED_STATUS,
    PROPOSAL_DRAFT_STATUSES,
    Innovation,
    InnovationChange,
    KippAward,
    SearchDocument,
)
from innovations.querysets import published_or_drafts, sees_drafts
from innovations.signals import BANK
from innovations.views import RESULTS_CACHE_SECONDS, CachedDocument
from regions.models import Agency, Province, Regency
from replications.models import Proposal
from replications.statuses import Status

from .listings import replication_count, replication_rows

PAGE_SIZE = 20
REPLICATIONS_PAGE_SIZE = 20
REPLICATIONS_PAGE = "replikasi"
MAX_PAGE_NUMBER = 10**9
HOME_CACHE_SECONDS = 300


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


@require_safe
def home(request):
    """What the bank holds, the newest KIPP winners and the most replicated innovations."""
    key = versioned_key("home-counts", (BANK,))
    counts = cache.get(key)
    if counts is None:
        counts = SearchDocument.objects.filter(is_published=True).aggregate(
            innovations=Count("pk"), agencies=Count("owner_agency_id", distinct=True)
        )
        proposals = Proposal.objects.filter(innovation__is_published=True)
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
        "portal/home.html",
        {"counts": counts, "latest_awards": latest_awards, "most_replicated": most_replicated},
    )


@require_safe
def innovation_detail(request, slug: str):
    drafts = sees_drafts(request.user)
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
        "portal/innovation.html",
        {
            "innovation": innovation,
            "replications": replications,
            "replications_query": query_without(request, REPLICATIONS_PAGE),
            "related": related,
            "propose_url": proposal_create_url() if roles_of(request.user).is_regional_staff else None,
        },
    )


def proposal_create_url() -> str:
    """Where regional staff start a proposal."""
    return reverse("proposal-create")


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
        "portal/province.html",
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
        "portal/regency.html",
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
    agency = get_object_or_404(Agency.objects.listed().select_related("parent", "regency", "province"), pk=pk)
    children = list(agency.children.listed().order_by("name"))
    # The agency's innovations and its units'.
    page = card_page(request, "owner_agency_id", agency.pk, *(child.pk for child in children))
    adopted = replication_page(request, "adopting agency", agency.pk)
    return render(
        request,
        "portal/agency.html",
        {
            "agency": agency,
            "page": page,
            "children": children,
            "adopted": adopted,
            "cards_query": query_without(request, "page"),
            "replications_query": query_without(request, REPLICATIONS_PAGE),
        },
    )


@login_required
@require_safe
def landing(request):
    """Where each role's work is, right after signing in: regional staff their region, innovators
    their innovations, bureaus their review queue, national admins the admin's overview of the work
    waiting."""
    roles = roles_of(request.user)
    if roles.is_regional_staff:
        return redirect("my-region")
    if roles.is_innovator and not (roles.is_provincial_bureau or roles.is_national_admin):
        return redirect("my-innovations")
    if roles.is_provincial_bureau:
        return redirect("review-queue")
    if roles.is_national_admin and request.user.is_staff:
        return redirect("admin:index")
    if roles.is_national_admin:
        return redirect("review-queue")
    return redirect("home")


@login_required
@require_safe
def my_innovations(request):
    """An innovator's desk: the innovations their agency owns, and every region that proposed to
    replicate each one, with where it stands (drafts and withdrawn proposals are the regions' own)."""
    roles = roles_of(request.user)
    if not roles.is_innovator:
        raise Http404
    innovations = list(
        Innovation.objects.filter(owner_agency_id__in=roles.agency_ids)
        .select_related("owner_agency")
        .order_by("name")
    )
    replications = defaultdict(list)
    for proposal in (
        Proposal.objects.filter(innovation__in=innovations)
        .exclude(status__in=(*Status.NOT_PROPOSED, *Status.CLOSED))
        .select_related("regency__province", "round", "commitment")
        .order_by("regency__name", "pk")
    ):
        replications[proposal.innovation_id].append(proposal)
    latest_changes = {
        change.innovation_id: change  # the newest change of each innovation, one row each
        for change in InnovationChange.objects.filter(innovation__in=innovations)
        .order_by("innovation_id", "-created_at", "-pk")
        .distinct("innovation_id")
    }
    for innovation in innovations:
        innovation.replication_list = replications[innovation.pk]
        innovation.latest_change = latest_changes.get(innovation.pk)
    return render(request, "portal/my_innovations.html", {"innovations": innovations})
