"""Every list a user works from has XLSX and CSV buttons whose file holds the rows the page shows, with
the page's own filters, and nothing the page would not show."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from accounts.models import Invitation, Role
from replications.models import Status
from tests.factories import ProposalFactory, RoundFactory, member, province, regency

pytestmark = pytest.mark.django_db


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def submitted(**fields):
    return ProposalFactory(
        status=Status.SUBMITTED,
        letter_number="B/1",
        letter_date=datetime.date(2021, 8, 27),
        letter_file="private/letters/x.pdf",
        **fields,
    )


def test_the_members_file_holds_the_filtered_page(
    client, bureau_sumbar, staff_padang_panjang, staff_pariaman
):
    client.force_login(bureau_sumbar)
    query = {"kabupaten": regency("13.74").pk}
    page = client.get("/akun/anggota/", query)
    assert "format=xlsx" in page.content.decode()
    shown = [m.username for m in page.context["page"].object_list]
    assert shown == ["staf.padangpanjang"]
    rows = xlsx_rows(client.get("/akun/anggota/", {**query, "format": "xlsx"}))
    assert rows[0][:3] == ("Nama", "Nama pengguna", "Surel")
    assert [row[1] for row in rows[1:]] == shown
    assert rows[1][4] == "Kota Padang Panjang"
    everyone = csv_rows(client.get("/akun/anggota/", {"format": "csv"}))
    assert {row[1] for row in everyone[1:]} == {"biro.sumbar", "staf.padangpanjang", "staf.pariaman"}


def test_the_invitations_file_holds_only_the_bureaus_own_province(client, bureau_sumbar, bureau_jateng):
    client.force_login(bureau_sumbar)
    client.post("/akun/undangan/", {"name": "Rina", "email": "rina@padangpanjang.go.id", "role": Role.REGIONAL_STAFF,
                               "regency": regency("13.74").pk, "language": "id"})  # fmt: skip
    client.force_login(bureau_jateng)
    client.post("/akun/undangan/", {"name": "Budi", "email": "budi@semarang.go.id", "role": Role.REGIONAL_STAFF,
                               "regency": regency("33.74").pk, "language": "id"})  # fmt: skip
    assert Invitation.objects.count() == 2
    client.force_login(bureau_sumbar)
    rows = csv_rows(client.get("/akun/undangan/", {"format": "csv"}))
    assert [row[1] for row in rows[1:]] == ["rina@padangpanjang.go.id"]
    assert rows[1][3] == "Kota Padang Panjang"


def test_the_review_queue_file_holds_the_waiting_proposals_of_the_bureaus_province(client, bureau_sumbar):
    sumbar = RoundFactory(province=province("13"))
    waiting = submitted(round=sumbar, regency=regency("13.74"))
    submitted(round=RoundFactory(province=province("33")), regency=regency("33.74"))
    ProposalFactory(round=sumbar, regency=regency("13.77"))  # a draft waits for nobody
    client.force_login(bureau_sumbar)
    page = client.get("/tinjauan/")
    assert [p.pk for p in page.context["proposals"]] == [waiting.pk]
    rows = xlsx_rows(client.get("/tinjauan/", {"format": "xlsx"}))
    assert [(row[2], row[3]) for row in rows[1:]] == [("Kota Padang Panjang", waiting.innovation.name)]


def test_the_regions_file_holds_its_own_proposals_only(client, staff_padang_panjang):
    round_ = RoundFactory(province=province("13"))
    ours = ProposalFactory(round=round_, regency=regency("13.74"))
    ProposalFactory(round=round_, regency=regency("13.77"))
    client.force_login(staff_padang_panjang)
    assert "format=csv" in client.get("/wilayah-saya/").content.decode()
    rows = csv_rows(client.get("/wilayah-saya/", {"format": "csv"}))
    assert [(row[2], row[3], row[5]) for row in rows[1:]] == [
        ("Kota Padang Panjang", ours.innovation.name, "Draf")
    ]


def test_an_unknown_format_is_refused_with_the_choices(client, bureau_sumbar):
    client.force_login(bureau_sumbar)
    for url in ("/akun/anggota/", "/akun/undangan/", "/tinjauan/"):
        response = client.get(url, {"format": "pdf"})
        assert response.status_code == 400 and "csv atau xlsx" in response.content.decode()


def test_those_without_the_page_get_no_file(client, staff_padang_panjang):
    member("warga", Role.REGIONAL_STAFF, regency_code="13.77")
    client.force_login(staff_padang_panjang)
    assert client.get("/akun/anggota/", {"format": "csv"}).status_code == 404
    assert client.get("/tinjauan/", {"format": "csv"}).status_code == 403


def test_the_change_list_file_holds_the_waiting_changes(client, national_admin):
    from innovations.models import ChangeStatus, InnovationChange
    from tests.factories import InnovationFactory

    waiting = InnovationChange.objects.create(innovation=InnovationFactory(name="Kelas IMUD"), values={})
    InnovationChange.objects.create(innovation=InnovationFactory(), values={}, status=ChangeStatus.RETURNED)
    client.force_login(national_admin)
    assert "format=xlsx" in client.get("/tinjauan-perubahan/").content.decode()
    rows = xlsx_rows(client.get("/tinjauan-perubahan/", {"format": "xlsx"}))
    assert [row[0] for row in rows[1:]] == [waiting.innovation.name]


def test_the_round_page_offers_the_recaps_file(client, bureau_sumbar):
    round_ = RoundFactory(province=province("13"))
    client.force_login(bureau_sumbar)
    assert f"/putaran/{round_.pk}/rekap/?format=xlsx" in client.get(f"/putaran/{round_.pk}/").content.decode()
