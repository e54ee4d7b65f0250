"""CSV and XLSX exports of the lists a requester may see, with the lists' own filters, in a fixed
number of queries whatever their length."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from innovations.models import KippAward, Tier
from replications.models import Proposal
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, edition, province, regency

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_innovation_export_follows_the_search_and_hides_drafts(client):
    gigi = InnovationFactory(name="Menyeting Gigi Emas", summary="Pencegahan stunting di posyandu.")
    KippAward.objects.create(innovation=gigi, edition=edition(2020), tier=Tier.TOP_45)
    InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.")
    InnovationFactory(name="Draf Rahasia", summary="Pencegahan stunting.", is_published=False)
    response = client.get("/api/v1/innovations/export/", {"format": "csv", "q": "pencegahan"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inovasi-')
    rows = csv_rows(response)
    assert rows[0][0] == "nama inovasi" and [row[0] for row in rows[1:]] == ["Menyeting Gigi Emas"]
    assert rows[1][4:6] == ["Sumatera Barat", "Kota Padang Panjang"]
    assert "2020 Top 45" in rows[1][8]
    english = client.get("/api/v1/innovations/export/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(english.content)).active
    values = list(sheet.values)
    assert values[0][0] == "innovation name" and sorted(v[0] for v in values[1:]) == [
        "Kelas IMUD",
        "Menyeting Gigi Emas",
    ]


def test_an_export_needs_a_known_format(client):
    for params in [{}, {"format": "pdf"}]:
        response = client.get("/api/v1/innovations/export/", params)
        assert response.status_code == 400 and "format" in response.json()["errors"]


def test_the_proposal_export_holds_only_what_the_requester_may_see(
    client, staff_padang_panjang, bureau_jateng
):
    mine = ProposalFactory(local_name="Gigi Emas Padang Panjang")
    ProposalFactory(round=RoundFactory(province=province("33")), regency=regency("33.01"), local_name="Jawa")
    client.force_login(staff_padang_panjang)
    rows = csv_rows(client.get("/api/v1/proposals/export/", {"format": "csv"}))
    assert [row[0] for row in rows[1:]] == [str(mine.pk)] and rows[1][5] == "Gigi Emas Padang Panjang"
    filtered = csv_rows(client.get("/api/v1/proposals/export/", {"format": "csv", "status": "submitted"}))
    assert filtered[1:] == []
    client.force_login(bureau_jateng)
    sheet = load_workbook(
        io.BytesIO(client.get("/api/v1/proposals/export/", {"format": "xlsx"}).content)
    ).active
    assert [row[5] for row in list(sheet.values)[1:]] == ["Jawa"]
    client.logout()
    assert client.get("/api/v1/proposals/export/", {"format": "csv"}).status_code == 401


@pytest.mark.parametrize(
    "url", ["/api/v1/innovations/export/?format=xlsx", "/api/v1/proposals/export/?format=csv"]
)
def test_an_export_makes_the_same_number_of_queries_for_10_and_100_rows(client, staff_padang_panjang, url):
    client.force_login(staff_padang_panjang)
    client.get("/api/v1/proposals/")  # the user's roles are cached after the first request
    counts = []
    for total in (10, 100):
        for _ in range(total - Proposal.objects.count()):
            ProposalFactory()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
