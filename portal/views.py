"""Pages that compose the bank and the programme: the home page, an innovation's profile with where
it has been replicated, and the pages of a province, a regency and an agency.

Every page shows what ``innovations.querysets.sees_drafts(user)`` allows, through ``visible_to(user)``
or, in a prepared statement (core.db.prepared), ``published_or_drafts()`` with the ``drafts``
argument; and it makes a fixed number of queries whatever the page size
(tests/innovations/test_query_counts.py).
"""

import functools
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.roles import roles_of
from core import export
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
from regions.signals import REFERENCE
from replications.models import Proposal
from replications.signals import ROUNDS
from replications.statuses import Status

from . import maps, statistics
from .forms import StatisticsFilterForm
from .listings import replication_count, replication_rows
from .statistics import COMMITTED, COMPLETED, MEASURES, PROPOSED, Scope

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
    innovations = innovations.annotate(replicated_in=statistics.public_replication_provinces())
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
    where_replicated = [
        {**row, "details": [{"label": _("Replikasi"), "value": row["replications"]}]}
        for row in statistics.innovation_province_rows(innovation.replicated_in)
    ]
    return render(
        request,
        "portal/innovation.html",
        {
            "innovation": innovation,
            "replications": replications,
            "replications_query": query_without(request, REPLICATIONS_PAGE),
            "related": related,
            "replication_map": maps.province_map(
                where_replicated, "replications", label=_("Replikasi inovasi ini menurut provinsi")
            ),
            "where_replicated": [row for row in where_replicated if row["replications"]],
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


def measure_labels() -> dict[str, str]:
    return {PROPOSED: _("Diusulkan"), COMMITTED: _("Berkomitmen"), COMPLETED: _("Selesai direplikasi")}


def status_labels(scope: Scope) -> list[str]:
    labels = dict(Proposal._meta.get_field("status").choices)
    return [str(labels[status]) for status in scope.statuses]


def province_table(scope: Scope, rows: list[dict]) -> dict:
    """The province table of a statistics page, as the page and its export show it: the titles of the
    number columns, and each province's numbers in that order."""
    measures = measure_labels()
    titles = []
    if not scope.public:
        titles += [_("Putaran"), _("Kabupaten/kota peserta")]
    titles += [*status_labels(scope), *measures.values()]
    if not scope.public:
        titles += [_("Tingkat penyelesaian (persen)"), _("Tahapan terlambat")]

    def numbers(row: dict) -> list:
        cells = [row["rounds"], row["regencies"]] if not scope.public else []
        cells += [*row["by_status"], *(row[measure] for measure in MEASURES)]
        if not scope.public:
            cells += [row["completion_rate"], row["overdue"]]
        return cells

    keys = MEASURES if scope.public else (*MEASURES, "rounds", "regencies", "overdue")
    total = statistics.totals(rows, keys)
    if not scope.public:
        total["completion_rate"] = statistics.completion_rate(total)
    return {
        "titles": titles,
        "rows": [
            {
                "code": row["code"],
                "name": row["name"],
                # A national admin goes on to the province's own dashboard, anyone else to its public page.
                "url": row["url"] if scope.public else reverse("province-dashboard", args=[row["code"]]),
                "numbers": numbers(row),
            }
            for row in rows
        ],
        "total": numbers(total),
        "totals": total,
    }


def programme_numbers(scope: Scope) -> dict[str, list[dict]]:
    """Every number of a statistics page: the provinces', the years', the most replicated innovations
    and their origins. The public's are kept per bank, rounds and reference version (any proposal,
    innovation, round or region written makes new ones), as the home page's counts are; the national
    admins' are always read."""
    key = versioned_key("statistics", (BANK, ROUNDS, REFERENCE), scope.year) if scope.public else None
    numbers = cache.get(key) if key else None
    if numbers is None:
        numbers = statistics.numbers(scope)
        if key:
            cache.set(key, numbers, timeout=HOME_CACHE_SECONDS)
    return numbers


def statistics_page(request, *, public: bool, template: str, export_url: str):
    """The public statistics page and the national dashboard: the same numbers, the dashboard's of
    every status and with the rounds, completion and overdue milestones."""
    form = StatisticsFilterForm(request.GET)
    scope = Scope(public=public, year=form.year())
    measure = form.measure()
    numbers = programme_numbers(scope)
    rows, years = numbers["provinces"], numbers["years"]
    measures = measure_labels()
    for row in rows:
        row["details"] = [{"label": measures[key], "value": row[key]} for key in MEASURES]
    table = province_table(scope, rows)
    largest_year = max((row[PROPOSED] for row in years), default=0)
    for row in years:
        row["bars"] = {key: (100 * row[key] // largest_year if largest_year else 0) for key in MEASURES}
    year_query = {"tahun": scope.year} if scope.year is not None else {}
    measure_links = [
        {
            "label": label,
            "url": "?" + urlencode({**year_query, "ukuran": key}),
            "current": key == measure,
        }
        for key, label in measures.items()
    ]
    year_choices = sorted({row["year"] for row in years} | ({scope.year} if scope.year else set()))
    return render(
        request,
        template,
        {
            "scope": scope,
            "year_error": form.year_error(),
            "year_choices": year_choices,
            "measure": measure,
            "measure_links": measure_links,
            "status_counts": list(
                zip(status_labels(scope), scope.statuses, table["totals"]["by_status"], strict=True)
            ),
            "totals": table["totals"],
            "headline": [(label, table["totals"][key]) for key, label in measures.items()],
            "table": table,
            "province_map": maps.province_map(
                rows,
                measure,
                label=_("Provinsi menurut jumlah usulan: %(measure)s") % {"measure": measures[measure]},
            ),
            "years": years,
            "measure_titles": measures,
            "most_replicated": numbers["most_replicated"],
            "origins": numbers["origins"],
            "export_csv": f"{export_url}?{urlencode({**year_query, 'format': export.CSV})}",
            "export_xlsx": f"{export_url}?{urlencode({**year_query, 'format': export.XLSX})}",
        },
    )


def province_export(request, *, public: bool, name: str):
    """The page's province table as a spreadsheet, with the page's year filter."""
    fmt = request.GET.get("format", "")
    if fmt not in export.CONTENT_TYPES:
        return HttpResponseBadRequest(_("Pilih format unduhan: csv atau xlsx."))
    form = StatisticsFilterForm(request.GET)
    if form.year_error():
        return HttpResponseBadRequest(form.year_error())
    scope = Scope(public=public, year=form.year())
    rows = statistics.province_rows(scope) if public else statistics.national_province_rows(scope)
    table = province_table(scope, rows)
    header = [_("Kode"), _("Provinsi"), *table["titles"]]
    lines = [[row["code"], row["name"], *row["numbers"]] for row in table["rows"]]
    suffix = f"-{scope.year}" if scope.year is not None else ""
    return export.file_response(fmt, f"{name}{suffix}", header, lines)


def require_national_admin(request) -> None:
    """The national dashboard is the national admins' alone: anyone else is told it does not exist."""
    if not roles_of(request.user).is_national_admin:
        raise Http404


@require_safe
def statistics_view(request):
    """The programme's national numbers for everyone: only public statuses, no personal data."""
    return statistics_page(
        request, public=True, template="portal/statistics.html", export_url=reverse("statistics-export")
    )


@require_safe
def statistics_export(request):
    return province_export(request, public=True, name="statistik-replikasi")


@require_safe
def national_dashboard(request):
    require_national_admin(request)
    return statistics_page(
        request,
        public=False,
        template="portal/national_dashboard.html",
        export_url=reverse("national-dashboard-export"),
    )


@require_safe
def national_dashboard_export(request):
    require_national_admin(request)
    return province_export(request, public=False, name="dasbor-nasional")
