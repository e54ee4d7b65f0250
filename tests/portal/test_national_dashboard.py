"""The national dashboard: provinces compared on every status, rounds, completion and overdue
milestones, for national admins alone; its year filter and exports."""

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import member
from tests.portal.programme_world import COMMITTED, PROPOSED_NATIONALLY, grow_world

pytestmark = pytest.mark.django_db

URL = "/dasbor/nasional/"
EXPORT = "/dasbor/nasional/unduh/"


@pytest.fixture
def admin_client(client, national_admin):
    client.force_login(national_admin)
    return client


def row_of(response, code: str) -> dict:
    table = response.context["table"]
    row = next(row for row in table["rows"] if row["code"] == code)
    return dict(zip(table["titles"], row["numbers"], strict=True))


def in_year(world, year=None):
    return [p for p in world.proposals if year is None or p.round.deadline.year == year]


@pytest.mark.parametrize("who", [None, "staff_padang_panjang", "bureau_sumbar", "no_membership_user"])
@pytest.mark.parametrize("url", [URL, EXPORT + "?format=csv"])
def test_anyone_but_a_national_admin_gets_404(client, world, request, who, url):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 404


def test_a_non_staff_national_admin_sees_it_and_a_link_to_it(client, world):
    admin = member("admin.nasional", Role.NATIONAL_ADMIN)
    client.force_login(admin)
    response = client.get(reverse("review-queue"))  # where a national admin who is not staff lands
    assert reverse("national-dashboard") in response.content.decode()
    page = client.get(URL)
    assert page.status_code == 200
    # Each province leads on to its own dashboard, which a national admin may read.
    first = page.context["table"]["rows"][0]
    assert first["url"] == reverse("province-dashboard", args=[first["code"]])
    assert client.get(first["url"]).status_code == 200


def test_every_status_of_every_province_is_counted(admin_client, world):
    response = admin_client.get(URL)
    assert response.status_code == 200
    labels = {"draft": "Draf", "submitted": "Diajukan", "returned": "Dikembalikan", "verified": "Terverifikasi",
              "approved": "Disetujui", "rejected": "Ditolak", "committed": "Komitmen ditandatangani",
              "implementing": "Dalam penerapan", "replicated": "Berhasil direplikasi", "cancelled": "Dibatalkan"}  # fmt: skip
    for code in ["13", "33", "73", "32", "91"]:
        row = row_of(response, code)
        counted = Counter(p.status for p in world.proposals if p.round.province.code == code)
        assert {status: row[label] for status, label in labels.items()} == {s: counted[s] for s in labels}
        assert row["Diusulkan"] == sum(counted[s] for s in PROPOSED_NATIONALLY)
        assert row["Berkomitmen"] == sum(counted[s] for s in COMMITTED)
        assert row["Selesai direplikasi"] == counted["replicated"]
    # The unpublished innovation's replication counts here, unlike on the public page.
    assert row_of(response, "13")["Berhasil direplikasi"] == 2
    assert row_of(response, "33")["Diusulkan"] == 5  # all but the returned one


def test_rounds_regencies_completion_and_overdue_milestones(admin_client, world):
    response = admin_client.get(URL)
    for code in ["13", "33", "73", "32"]:
        row = row_of(response, code)
        rounds = {r for (province_code, _), r in world.rounds.items() if province_code == code}
        assert row["Putaran"] == len(rounds)
        assert row["Kabupaten/kota peserta"] == len(
            {regency for r in rounds for regency in r.participants.all()}
        )
        mine = [p for p in world.proposals if p.round.province.code == code]
        committed = sum(p.status in COMMITTED for p in mine)
        replicated = sum(p.status == "replicated" for p in mine)
        expected_rate = round(100 * replicated / committed) if committed else None
        assert row["Tingkat penyelesaian (persen)"] == expected_rate
        assert row["Tahapan terlambat"] == world.overdue.get(code, 0)
    assert row_of(response, "73")["Tingkat penyelesaian (persen)"] == 100
    assert row_of(response, "32")["Tingkat penyelesaian (persen)"] == 0
    assert row_of(response, "11")["Tingkat penyelesaian (persen)"] is None
    totals = response.context["totals"]
    assert totals["overdue"] == 3
    assert totals["completion_rate"] == round(100 * 4 / 7)
    html = response.content.decode()
    assert "selesai direplikasi dibagi berkomitmen" in html  # the rate is defined on the page


def test_trends_and_most_replicated_count_every_innovation(admin_client, world):
    response = admin_client.get(URL)
    years = {row["year"]: row for row in response.context["years"]}
    for year in (2021, 2022):
        proposals = in_year(world, year)
        assert years[year]["diusulkan"] == sum(p.status in PROPOSED_NATIONALLY for p in proposals)
        assert years[year]["berkomitmen"] == sum(p.status in COMMITTED for p in proposals)
        assert years[year]["selesai"] == sum(p.status == "replicated" for p in proposals)
    top = {row["innovation_name"]: row["replications"] for row in response.context["most_replicated"]}
    assert top == dict(Counter(p.innovation.name for p in world.proposals if p.status in COMMITTED))
    assert top["Inovasi Belum Terbit"] == 1


def test_the_year_filter_and_a_bad_year(admin_client, world):
    response = admin_client.get(URL, {"tahun": "2022"})
    assert row_of(response, "13")["Diusulkan"] == 0
    assert row_of(response, "33")["Putaran"] == 1
    assert response.context["totals"]["overdue"] == 3  # every overdue milestone is of a 2022 proposal
    assert admin_client.get(URL, {"tahun": "2021"}).context["totals"]["overdue"] == 0
    bad = admin_client.get(URL, {"tahun": "dua ribu"})
    assert bad.status_code == 200
    assert "Tahun tidak dikenal" in bad.content.decode()
    assert row_of(bad, "13")["Diusulkan"] == 4


def test_the_exports_carry_the_pages_rows_and_year(admin_client, world):
    from openpyxl import load_workbook

    page = admin_client.get(URL, {"tahun": "2021"})
    table = page.context["table"]
    response = admin_client.get(EXPORT, {"format": "csv", "tahun": "2021"})
    assert "dasbor-nasional-2021" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Kode", "Provinsi", *table["titles"]]
    expected = [[row["code"], row["name"], *row["numbers"]] for row in table["rows"]]
    assert rows == [[str(cell) if cell is not None else "" for cell in row] for row in expected]
    response = admin_client.get(EXPORT, {"format": "xlsx", "tahun": "2021"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == expected
    assert page.context["export_xlsx"] == EXPORT + "?tahun=2021&format=xlsx"


def test_the_dashboard_makes_the_same_queries_at_any_size(admin_client, world, django_assert_num_queries):
    admin_client.get(URL)  # the session saved, the roles, language and unread count cached
    # The session and the user; by round and status, the rounds; by innovation, those innovations;
    # the rounds' participants, the overdue milestones.
    with django_assert_num_queries(8):
        assert admin_client.get(URL).status_code == 200
    grow_world(times=4)
    with django_assert_num_queries(8):
        assert admin_client.get(URL, {"tahun": "2022"}).status_code == 200
    with django_assert_num_queries(6):  # the session and the user; the table's four
        assert admin_client.get(EXPORT, {"format": "xlsx"}).status_code == 200
