"""The bank back out as spreadsheets in the import's own columns, from the admin and from the public
list: what is exported imports again with no change, in either language and either format; a changed
cell changes that field only and shows in the record's history; text a spreadsheet would run as a
formula is written as text."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from innovations.models import SDG, Affair, Innovation, InnovationLink, KippAward, Tier
from innovations.spreadsheets import importing, reading
from innovations.spreadsheets.columns import COLUMNS
from tests.factories import AgencyFactory, InnovationFactory, edition, regency

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/innovations/innovation/"
HOSTILE = '=HYPERLINK("http://contoh.invalid/curi","klik")'


def plan_of(data: bytes) -> importing.ImportPlan:
    return importing.plan_import(reading.read(data))


@pytest.fixture
def bank():
    """Two innovations using every column, one of them with text a spreadsheet would compute."""
    government = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    dinkes = AgencyFactory(
        name="Dinas Kesehatan", regency=regency("13.74"), level="office", parent=government
    )
    gigi = InnovationFactory(
        name="Menyeting Gigi Emas",
        long_name="Menyelamatkan Generasi dengan Gerakan Imunisasi Emas",
        owner_agency=dinkes,
        affair=Affair.HEALTH,
        is_digital=True,
        launch_year=2019,
        summary="- Imunisasi dijemput ke rumah.\n- Kader posyandu mencatat.",
        background="+62 warga belum terjangkau; @posyandu jadi pusat.",
        contact_name="dr. Sari",
        contact_email="sari@example.go.id",
        contact_phone="+62 752 123",
        last_reviewed_on=datetime.date(2024, 3, 15),
    )
    gigi.sdgs.set(SDG.objects.filter(number__in=[3, 6]))
    KippAward.objects.create(innovation=gigi, edition=edition(2021), tier=Tier.TOP_45)
    InnovationLink.objects.create(innovation=gigi, title="Video", url="https://example.go.id/video")
    InnovationLink.objects.create(innovation=gigi, title="Berita", url="https://example.go.id/berita")
    jabpri = InnovationFactory(
        name="SI-JABPRI", owner_agency=AgencyFactory(name="BKPSDM", regency=regency("13.77")),
        category="governance", summary=HOSTILE, is_published=False,
    )  # fmt: skip
    return gigi, jabpri


def admin_export(client, fmt: str, innovations, **headers) -> bytes:
    response = client.post(
        CHANGELIST,
        {"action": f"export_{fmt}", "_selected_action": [i.pk for i in innovations]},
        **headers,
    )
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith('attachment; filename="inovasi-')
    return response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_an_admin_export_imports_back_with_no_change(client, national_admin, bank, fmt, language):
    client.force_login(national_admin)
    data = admin_export(client, fmt, bank, HTTP_ACCEPT_LANGUAGE=language)
    plan = plan_of(data)
    assert [(row.name, row.action, row.errors, row.changes) for row in plan.rows] == [
        ("Menyeting Gigi Emas", "unchanged", [], []),
        ("SI-JABPRI", "unchanged", [], []),
    ]


def test_the_export_writes_every_column_in_the_users_language(client, national_admin, bank):
    client.force_login(national_admin)
    indonesian = load_workbook(io.BytesIO(admin_export(client, "xlsx", bank))).active
    header, gigi, jabpri = list(indonesian.values)
    assert list(header) == [column.header for column in COLUMNS]
    row = dict(zip(header, gigi, strict=True))
    assert row["wilayah"] == "13.74" and row["kategori"] == "Kesehatan" and row["urusan"] == "Kesehatan"
    assert row["sdg"] == "3, 6" and row["digital"] == "ya" and row["diterbitkan"] == "ya"
    assert row["penghargaan_kipp"] == "2021 top45 umum"
    assert row["tautan"] == "Video | https://example.go.id/video\nBerita | https://example.go.id/berita"
    assert row["terakhir_ditinjau"].date() == datetime.date(2024, 3, 15)
    english = load_workbook(io.BytesIO(admin_export(client, "xlsx", bank, HTTP_ACCEPT_LANGUAGE="en"))).active
    header, gigi, _ = list(english.values)
    row = dict(zip(header, gigi, strict=True))
    assert header[0] == "innovation_name" and row["category"] == "Health" and row["published"] == "yes"


def test_formula_like_text_is_exported_as_text_and_reads_back_unchanged(client, national_admin, bank):
    client.force_login(national_admin)
    sheet = load_workbook(io.BytesIO(admin_export(client, "xlsx", bank))).active
    summary = COLUMNS.index(next(c for c in COLUMNS if c.key == "summary")) + 1
    cell = sheet.cell(row=3, column=summary)
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix  # text, not a formula
    lines = admin_export(client, "csv", bank).decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(lines)))
    assert cells[2][summary - 1] == "'" + HOSTILE
    assert cells[1][summary - 1].startswith("'- Imunisasi")
    api = client.get("/api/v1/innovations/export/", {"format": "csv"}).content.decode("utf-8-sig")
    api_cells = [cell for row in csv.reader(io.StringIO(api)) for cell in row]
    assert "'" + HOSTILE in api_cells and HOSTILE not in api_cells


def test_a_changed_exported_cell_changes_that_field_only_and_shows_in_the_history(
    client, national_admin, bank
):
    gigi, _ = bank
    client.force_login(national_admin)
    workbook = load_workbook(io.BytesIO(admin_export(client, "xlsx", bank)))
    sheet = workbook.active
    phone = [c.key for c in COLUMNS].index("contact_phone") + 1
    sheet.cell(row=2, column=phone).value = "0752 999"
    edited = io.BytesIO()
    workbook.save(edited)
    plan = plan_of(edited.getvalue())
    assert [(row.action, importing.change_labels(row)) for row in plan.rows] == [
        ("changed", ["telepon narahubung"]),
        ("unchanged", []),
    ]
    importing.apply(plan, user=national_admin, source="bank.xlsx")
    latest, before = gigi.history.all()[:2]
    assert [change.field for change in latest.diff_against(before).changes] == ["contact_phone"]
    assert latest.history_user == national_admin
    assert latest.history_change_reason == "Impor dari bank.xlsx: telepon narahubung"
    page = client.get(f"{CHANGELIST}{gigi.pk}/history/").content.decode()
    assert "0752 999" in page and "bank.xlsx" in page


def test_the_public_export_follows_the_list_and_hides_drafts(client, bank):
    InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.", category="education")
    response = client.get("/inovasi/unduh/", {"format": "csv", "category": "health"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "nama_inovasi" and [row[0] for row in rows[1:]] == ["Menyeting Gigi Emas"]
    everything = client.get("/inovasi/unduh/", {"format": "xlsx"})
    names = [row[0] for row in list(load_workbook(io.BytesIO(everything.content)).active.values)[1:]]
    assert sorted(names) == ["Kelas IMUD", "Menyeting Gigi Emas"]  # the draft SI-JABPRI is not there
    refused = client.get("/inovasi/unduh/", {"format": "pdf"})
    assert refused.status_code == 400 and "csv atau xlsx" in refused.content.decode()
    page = client.get("/inovasi/", {"category": "health"}).content.decode()
    assert "/inovasi/unduh/?category=health&amp;format=xlsx" in page


def test_bulk_publish_unpublish_and_review_write_history(client, national_admin, bank):
    gigi, jabpri = bank
    client.force_login(national_admin)
    selected = {"_selected_action": [gigi.pk, jabpri.pk]}
    client.post(CHANGELIST, {"action": "publish", **selected})
    assert set(Innovation.objects.values_list("is_published", flat=True)) == {True}
    assert jabpri.history.first().history_change_reason == "Diterbitkan dari daftar admin"
    assert client.get("/inovasi/", {"q": "jabpri"}).context["count"] == 1
    client.post(CHANGELIST, {"action": "mark_reviewed", **selected})
    jabpri.refresh_from_db()
    assert jabpri.last_reviewed_on is not None
    client.post(CHANGELIST, {"action": "unpublish", **selected})
    assert not Innovation.objects.filter(is_published=True).exists()
    page = client.get(CHANGELIST, {"awards__edition__id__exact": edition(2021).pk}).content.decode()
    assert "Menyeting Gigi Emas" in page and "2021 Top 45" in page and "SI-JABPRI" not in page
