"""The bank over the API: the search page's parameters and visibility, pagination limits, conditional
GET, one error body, and a fixed number of queries at any page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovations.models import SDG, KippAward, Tier
from innovations.signals import bump
from regions.models import Province
from tests.factories import AgencyFactory, InnovationFactory, edition, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    agency = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    gigi = InnovationFactory(
        name="Menyeting Gigi Emas", owner_agency=agency, summary="Pencegahan stunting di posyandu."
    )
    gigi.sdgs.set(SDG.objects.filter(number__in=[2, 3]))
    KippAward.objects.create(innovation=gigi, edition=edition(2020), tier=Tier.TOP_45)
    InnovationFactory(name="Kelas IMUD", owner_agency=agency, summary="Kelas ibu muda.")
    InnovationFactory(
        name="Draf Rahasia", owner_agency=agency, summary="Pencegahan stunting.", is_published=False
    )
    return {"agency": agency, "gigi": gigi}


def test_the_list_searches_and_counts_facets_like_the_page(client, bank):
    response = client.get("/api/v1/innovations/", {"q": "pencegahan", "kipp_year": "2020"})
    assert response.status_code == 200
    body = response.json()
    assert [item["name"] for item in body["results"]] == ["Menyeting Gigi Emas"]
    assert body["count"] == 1 and body["results"][0]["matched_words"] == ["pencegahan"]
    assert body["results"][0]["awards"] == [{"year": 2020, "group": "umum", "tier": "top45"}]
    facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in body["facets"]}
    assert facets["sdg"] == {"2": 1, "3": 1}


def test_drafts_stay_hidden_from_the_public_but_not_from_a_national_admin(client, bank, national_admin):
    names = [item["name"] for item in client.get("/api/v1/innovations/").json()["results"]]
    assert "Draf Rahasia" not in names
    assert client.get("/api/v1/innovations/draf-rahasia/").status_code == 404
    client.force_login(national_admin)
    assert client.get("/api/v1/innovations/draf-rahasia/").status_code == 200


def test_the_profile_has_awards_sdgs_and_replications(client, bank):
    body = client.get(f"/api/v1/innovations/{bank['gigi'].slug}/").json()
    assert body["sdgs"] == [2, 3] and body["awards"][0]["tier"] == "top45"
    assert body["replications"] == [] and body["page_url"] == "/inovasi/menyeting-gigi-emas/"


def test_page_sizes_go_up_to_the_hard_maximum_and_no_further(client, bank):
    for _ in range(3):
        InnovationFactory(owner_agency=bank["agency"])
    body = client.get("/api/v1/innovations/", {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"]
    assert len(client.get("/api/v1/regencies/", {"page_size": 100}).json()["results"]) == 100
    for bad in ["101", "0", "-1", "dua", "1.5"]:
        response = client.get("/api/v1/regencies/", {"page_size": bad})
        assert response.status_code == 400 and "page_size" in response.json()["errors"], bad


def test_unknown_facet_values_and_malformed_codes_are_refused(client, bank):
    unknown = client.get("/api/v1/innovations/", {"category": "astrologi"})
    assert unknown.status_code == 400 and "category" in unknown.json()["errors"]
    assert client.get("/api/v1/regencies/", {"province": "13x"}).status_code == 400
    assert client.get("/api/v1/innovations/", {"q": "stunting\x00"}).status_code == 400
    assert client.get("/api/v1/nothing-here/").json()["code"] == "not_found"


def test_errors_share_one_body_in_the_requesters_language(client, bank):
    missing = client.get("/api/v1/innovations/", {"page": 99})
    assert missing.status_code == 404
    assert set(missing.json()) == {"status", "code", "detail", "errors"}
    bad = client.get("/api/v1/kipp-awards/", {"year": "dua ribu"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid" and bad.json()["errors"]["year"] == ["Enter a whole number."]
    indonesian = client.get("/api/v1/kipp-awards/", {"year": "dua ribu"})
    assert indonesian.json()["errors"]["year"] == ["Masukkan keseluruhan angka bilangan."]


def test_a_conditional_get_answers_304_until_the_bank_changes(client, bank):
    first = client.get("/api/v1/innovations/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/api/v1/innovations/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/innovations/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    InnovationFactory(owner_agency=bank["agency"], name="Baru")
    again = client.get("/api/v1/innovations/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    # Reference data has its own version: renaming a province changes the provinces' ETag.
    provinces = client.get("/api/v1/provinces/")["ETag"]
    Province.objects.filter(code="13").first().save()
    assert client.get("/api/v1/provinces/", HTTP_IF_NONE_MATCH=provinces).status_code == 200


def test_a_304_costs_no_query(client, bank, django_assert_num_queries):
    etag = client.get("/api/v1/innovations/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/api/v1/innovations/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_clients_are_throttled_with_a_documented_429(client, bank, settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "100/minute"}
    assert [client.get("/api/v1/sdgs/").status_code for _ in range(3)] == [200, 200, 429]
    throttled = client.get("/api/v1/sdgs/")
    assert throttled.json()["code"] == "throttled" and int(throttled["Retry-After"]) > 0


def grow(count, agency):
    for _ in range(count):
        innovation = InnovationFactory(owner_agency=agency, summary="Pencegahan stunting di desa.")
        innovation.sdgs.set(SDG.objects.filter(number__in=[2, 3]))
        KippAward.objects.create(innovation=innovation, edition=edition(2020), tier=Tier.TOP_99)


LISTS = [
    "/api/v1/innovations/",
    "/api/v1/innovations/?q=pencegahan+stunting&sdg=3&kipp_year=2020",
    "/api/v1/sectors/",
    "/api/v1/sdgs/",
    "/api/v1/kipp-editions/",
    "/api/v1/kipp-awards/?year=2020",
    "/api/v1/provinces/",
    "/api/v1/regencies/?province=13",
    "/api/v1/agencies/",
]
# Measured: the queries each list makes with a new bank version (page size 10 and 100 alike).
EXPECTED = {
    "/api/v1/innovations/": 3,
    "/api/v1/innovations/?q=pencegahan+stunting&sdg=3&kipp_year=2020": 4,
    "/api/v1/sectors/": 0,
    "/api/v1/sdgs/": 2,
    "/api/v1/kipp-editions/": 2,
    "/api/v1/kipp-awards/?year=2020": 2,
    "/api/v1/provinces/": 2,
    "/api/v1/regencies/?province=13": 2,
    "/api/v1/agencies/": 2,
}


@pytest.mark.parametrize("url", LISTS)
def test_each_list_makes_the_same_number_of_queries_at_page_sizes_10_and_100(client, bank, url):
    grow(12, bank["agency"])
    client.get(url)  # reference choices (provinces, SDGs, KIPP years) are cached for the facets' labels
    counts = []
    for size in (10, 100):
        bump()  # cold facet counts and results: the most a list ever asks of the database
        separator = "&" if "?" in url else "?"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{url}{separator}page_size={size}").status_code == 200
        counts.append(len(captured))
    assert counts == [EXPECTED[url]] * 2, counts
