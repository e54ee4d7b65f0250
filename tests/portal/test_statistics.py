"""The public statistics page: national numbers of the public statuses only, by province (a map and a
table), by year, the most replicated innovations and where they come from; its exports."""

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import member
from tests.portal.programme_world import COMMITTED, PUBLIC, build_world, grow_world

pytestmark = pytest.mark.django_db

URL = "/statistik/"


def public_rows(world, year=None):
    """The public's proposals, counted from the world's own rows."""
    return [
        proposal
        for proposal in world.proposals
        if proposal.status in PUBLIC
        and proposal.innovation.is_published
        and (year is None or proposal.round.deadline.year == year)
    ]


def by_province(proposals, statuses) -> Counter:
    return Counter(p.round.province.code for p in proposals if p.status in statuses)


def table_row(response, code: str) -> dict:
    table = response.context["table"]
    row = next(row for row in table["rows"] if row["code"] == code)
    return dict(zip(table["titles"], row["numbers"], strict=True))


def test_every_province_number_is_the_count_of_its_public_proposals(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    proposals = public_rows(world)
    table = response.context["table"]
    assert len(table["rows"]) == 38
    for code in ["13", "33", "73", "32", "11"]:
        row = table_row(response, code)
        assert row["Diusulkan"] == by_province(proposals, PUBLIC)[code]
        assert row["Berkomitmen"] == by_province(proposals, COMMITTED)[code]
        assert row["Selesai direplikasi"] == by_province(proposals, {"replicated"})[code]
        assert row["Disetujui"] == by_province(proposals, {"approved"})[code]
    # Sumatera Barat: Pariaman replicated, Padang committed; the draft innovation's replication is not public.
    assert table_row(response, "13")["Selesai direplikasi"] == 1
    assert table_row(response, "33")["Diusulkan"] == 3


def test_only_public_statuses_are_counted_and_named(client, world):
    response = client.get(URL)
    statuses = [status for _, status, _ in response.context["status_counts"]]
    assert set(statuses) == PUBLIC
    counted = Counter(p.status for p in public_rows(world))
    assert {status: count for _, status, count in response.context["status_counts"]} == {
        status: counted[status] for status in PUBLIC
    }
    table = response.context["table"]
    assert not {"Draf", "Diajukan", "Ditolak", "Dibatalkan", "Terverifikasi"} & set(table["titles"])
    headline = dict(response.context["headline"])
    assert headline == {
        "Diusulkan": len(public_rows(world)),
        "Berkomitmen": sum(p.status in COMMITTED for p in public_rows(world)),
        "Selesai direplikasi": sum(p.status == "replicated" for p in public_rows(world)),
    }


def test_the_trend_counts_each_year(client, world):
    years = {row["year"]: row for row in client.get(URL).context["years"]}
    for year in (2021, 2022):
        proposals = public_rows(world, year)
        assert years[year]["diusulkan"] == len(proposals)
        assert years[year]["berkomitmen"] == sum(p.status in COMMITTED for p in proposals)
        assert years[year]["selesai"] == sum(p.status == "replicated" for p in proposals)


def test_the_most_replicated_innovations_and_their_origins(client, world):
    response = client.get(URL)
    committed = Counter(p.innovation.name for p in public_rows(world) if p.status in COMMITTED)
    top = [(row["innovation_name"], row["replications"]) for row in response.context["most_replicated"]]
    assert top == sorted(committed.items(), key=lambda item: (-item[1], item[0]))
    assert top[0] == ("Menyeting Gigi Emas", 3)
    origins = {
        (row["province_name"], row["regency_name"]): row["replications"]
        for row in response.context["origins"]
    }
    owners = Counter(
        (p.innovation.owner_agency.province.name, getattr(p.innovation.owner_agency.regency, "name", None))
        for p in public_rows(world)
        if p.status in COMMITTED
    )
    assert origins == dict(owners)
    assert origins[("Jawa Barat", None)] == 1  # a provincial agency's innovation comes from its province
    html = response.content.decode()
    assert "Kota Padang Panjang" in html and reverse("regency-detail", args=["13.74"]) in html


def test_the_year_filter_counts_one_year(client, world):
    response = client.get(URL, {"tahun": "2021"})
    proposals = public_rows(world, 2021)
    assert table_row(response, "13")["Diusulkan"] == by_province(proposals, PUBLIC)["13"] == 2
    assert table_row(response, "33")["Diusulkan"] == 0
    assert response.context["year_error"] is None


@pytest.mark.parametrize("bad", ["abc", "20", "99999", "2021.5"])
def test_a_bad_year_is_said_and_every_year_is_shown(client, world, bad):
    response = client.get(URL, {"tahun": bad})
    assert response.status_code == 200
    assert "Tahun tidak dikenal" in response.content.decode()
    assert response.context["scope"].year is None
    assert table_row(response, "33")["Diusulkan"] == 3


def test_the_map_is_shaded_by_the_chosen_measure(client, world):
    response = client.get(URL, {"ukuran": "selesai"})
    shapes = {shape["code"]: shape for shape in response.context["province_map"]["shapes"]}
    assert len(shapes) == 38
    replicated = by_province(public_rows(world), {"replicated"})
    assert {code: shape["value"] for code, shape in shapes.items() if shape["value"]} == dict(replicated)
    assert shapes["11"]["step"] == 0 and shapes["13"]["step"] > 0
    links = {link["label"]: link for link in response.context["measure_links"]}
    assert links["Selesai direplikasi"]["current"] and not links["Berkomitmen"]["current"]


def test_a_bad_measure_falls_back_to_the_default(client, world):
    response = client.get(URL, {"ukuran": "<script>", "tahun": "2022"})
    assert response.status_code == 200
    assert response.context["measure"] == "berkomitmen"
    assert response.context["scope"].year == 2022
    assert "<script>" not in response.content.decode()


def test_each_province_is_a_link_to_its_page_with_its_numbers_in_its_title(client, world):
    html = client.get(URL).content.decode()
    assert 'aria-labelledby="national-map-caption"' in html
    assert html.count('class="map-province"') == 38
    url = reverse("province-detail", args=["13"])
    assert f'<a href="{url}" class="map-province" data-code="13">' in html
    assert "<title>Sumatera Barat — Diusulkan: 2; Berkomitmen: 2; Selesai direplikasi: 1</title>" in html
    assert "map-step-0" in html  # the legend


def test_the_public_page_shows_no_personal_data(client, world):
    staff = member("staf.padangpanjang", Role.REGIONAL_STAFF, regency_code="13.74")
    staff.first_name, staff.last_name = "Fitri", "Handayani"
    staff.save()
    for proposal in world.proposals:
        proposal.created_by = staff
        proposal.save()
    world.innovations["gigi"].contact_name = "Narahubung Rahasia"
    world.innovations["gigi"].contact_email = "narahubung@padangpanjang.example"
    world.innovations["gigi"].save()
    html = client.get(URL).content.decode()
    for personal in ["Fitri", "Handayani", "staf.padangpanjang", "@example", "Narahubung", "@padangpanjang"]:
        assert personal not in html
    assert "Inovasi Belum Terbit" not in html  # an unpublished innovation is not named either


def test_the_home_page_links_to_the_statistics(client, db):
    assert reverse("statistics") in client.get("/").content.decode()


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_carries_the_pages_rows(client, world):
    page = client.get(URL, {"tahun": "2022"})
    response = client.get(reverse("statistics-export"), {"format": "csv", "tahun": "2022"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "statistik-replikasi-2022" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    table = page.context["table"]
    assert header == ["Kode", "Provinsi", *table["titles"]]
    assert rows == [[row["code"], row["name"], *map(str, row["numbers"])] for row in table["rows"]]
    assert page.context["export_csv"] == reverse("statistics-export") + "?tahun=2022&format=csv"


def test_the_xlsx_export_carries_the_pages_rows_with_titles_in_english(client, world):
    from openpyxl import load_workbook

    client.cookies["django_language"] = "en"
    page = client.get(URL)
    response = client.get(reverse("statistics-export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    table = page.context["table"]
    assert header[1:] == ["Province", *table["titles"]]
    assert "Approved" in header and "Disetujui" not in header  # the page's language, the page's titles
    assert rows == [[row["code"], row["name"], *row["numbers"]] for row in table["rows"]]


@pytest.mark.parametrize("query", [{"format": "pdf"}, {"format": "csv", "tahun": "x"}])
def test_a_bad_export_request_is_a_clear_400(client, world, query):
    response = client.get(reverse("statistics-export"), query)
    assert response.status_code == 400
    assert response.content.decode()


def test_the_page_makes_the_same_queries_at_any_size(client, db, django_assert_num_queries):
    build_world(times=1)
    # By round and status, less those of unpublished innovations, the rounds' provinces and years; by
    # innovation, those innovations.
    with django_assert_num_queries(5):
        small = client.get(URL, {"tahun": "2021"})
    with django_assert_num_queries(0):  # kept until the programme changes
        assert client.get(URL, {"tahun": "2021"}).context["table"] == small.context["table"]
    grow_world(times=4)
    with django_assert_num_queries(5):
        large = client.get(URL, {"tahun": "2021"})
    # Each copy's innovation is published: Sumatera Barat's three public proposals count every time.
    assert table_row(large, "13")["Diusulkan"] == table_row(small, "13")["Diusulkan"] + 4 * 3
    with django_assert_num_queries(3):
        assert client.get(reverse("statistics-export"), {"format": "csv"}).status_code == 200
