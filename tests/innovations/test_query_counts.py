"""Every public page makes a fixed number of SQL queries, whatever the page size and data size."""

import pytest
from django.urls import reverse

from innovations import views
from innovations.models import SDG, KippAward, Tier
from innovations.signals import bump
from portal import views as portal_views
from regions.models import AgencyLevel
from tests.factories import AgencyFactory, InnovationFactory, ProposalFactory, edition, regency

pytestmark = pytest.mark.django_db

BUDGET = 10


def grow_bank(count: int, agency) -> None:
    for _ in range(count):
        innovation = InnovationFactory(owner_agency=agency, summary="Pencegahan stunting di desa.")
        innovation.sdgs.set(SDG.objects.filter(number__in=[2, 3]))
        KippAward.objects.create(innovation=innovation, edition=edition(2020), tier=Tier.TOP_99)


def approve(proposals) -> None:
    """Public proposals for the replications tables (profile, province, regency, agency)."""
    from replications.models import Proposal, Status

    Proposal.objects.filter(pk__in=[proposal.pk for proposal in proposals]).update(
        status=Status.APPROVED, letter_number="B/1/2021", letter_date="2021-08-27", letter_file="x.pdf"
    )


def pages(agency, slug) -> dict[str, str]:
    return {
        "home": "/",
        "list": "/inovasi/",
        "search": "/inovasi/?q=pencegahan+stunting&category=health&sdg=3&kipp_year=2020",
        "problem": "/inovasi/cari-masalah/?problem=stunting+tinggi+di+desa",
        "profile": reverse("innovation-detail", args=[slug]),
        "province": reverse("province-detail", args=["13"]),
        "regency": reverse("regency-detail", args=["13.74"]),
        "agency": reverse("agency-detail", args=[agency.pk]),
        "editions": reverse("edition-list"),
        "edition": reverse("edition-detail", args=[2020]),
    }


def count_queries(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bump()  # measure with cold facet counts: the most a page ever asks of the database
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_each_page_makes_the_same_number_of_queries_at_any_size(
    client, settings, signed_in, staff_padang_panjang
):
    agency = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    AgencyFactory(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=agency)
    grow_bank(3, agency)
    slug = agency.innovations.first().slug
    if signed_in:
        client.force_login(staff_padang_panjang)
    urls = pages(agency, slug)
    client.get("/inovasi/")  # warm the facet-choice cache, as any running site has
    small = {name: count_queries(client, url, None) for name, url in urls.items()}

    grow_bank(30, agency)
    for number in range(3):  # the agency page lists its units
        AgencyFactory(name=f"Unit {number}", level=AgencyLevel.OFFICE, parent=agency)
    approve(
        ProposalFactory(innovation=innovation, adopting_agency=agency)
        for innovation in agency.innovations.all()
    )
    views.PAGE_SIZE = portal_views.PAGE_SIZE = 40
    try:
        large = {name: count_queries(client, url, None) for name, url in urls.items()}
    finally:
        views.PAGE_SIZE = portal_views.PAGE_SIZE = 20
    assert large == small
    assert max(small.values()) <= BUDGET, small


def test_a_repeated_public_search_is_served_from_the_cache_without_sql(client, django_assert_num_queries):
    InnovationFactory(summary="Pencegahan stunting di desa.")
    first = client.get("/inovasi/", {"q": "stunting", "page": "1"})
    # Warm: results, facet counts, the sidebar's and the cards' HTML all come from the cache.
    with django_assert_num_queries(0):
        again = client.get("/inovasi/", {"q": "stunting", "page": "1"})

    def results(response) -> str:
        html = response.content.decode()
        return html[html.index('<section class="results"') : html.index("</section>")]

    assert results(again) == results(first) and "Pencegahan" in results(again)


def test_a_cold_search_counts_facets_and_ranks_in_one_statement(client, django_assert_num_queries):
    InnovationFactory(summary="Pencegahan stunting di desa.")
    client.get("/inovasi/")  # facet choices cached, as on any running site
    bump()
    # The stemmer; one statement for the count, every facet and the page; the cards with their awards.
    with django_assert_num_queries(3):
        client.get("/inovasi/", {"q": "stunting", "category": "health"})
    bump()
    # No record holds both words: the same statements (ranked retrieval needs no second, relaxed
    # statement for the partial matches any more).
    with django_assert_num_queries(3):
        client.get("/inovasi/", {"q": "stunting sekolah"})
