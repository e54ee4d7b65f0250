"""The national team loads the bank from spreadsheets: every row planned (new, changed, unchanged,
error with its reason) before anything is written, then imported in one transaction, idempotently.
The files are real XLSX and CSV files, built here."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from innovations.models import Innovation, KippAward
from innovations.spreadsheets import importing, reading
from innovations.spreadsheets.columns import COLUMNS
from regions.models import Agency
from tests.factories import AgencyFactory, InnovationFactory, regency

from .index_state import assert_index_current, bitmaps_from
from .spreadsheet_files import HEADER, csv_file, xlsx

pytestmark = pytest.mark.django_db


def plan_of(data: bytes) -> importing.ImportPlan:
    return importing.plan_import(reading.read(data))


def full_row(**values) -> dict:
    row = {column.header: column.example for column in COLUMNS}
    return row | values


def test_a_complete_xlsx_row_is_planned_then_imported_with_its_agency_awards_sdgs_and_links(client):
    row = full_row()
    data = xlsx(list(row), list(row.values()))

    plan = plan_of(data)
    assert [(r.number, r.action, r.errors) for r in plan.rows] == [(2, "new", [])]
    assert plan.rows[0].notes == ["Instansi baru akan dibuat: Dinas Kesehatan (Kota Padang Panjang)."]
    assert not Innovation.objects.filter(name="Menyeting Gigi Emas").exists()  # a plan writes nothing

    importing.apply(plan)
    innovation = Innovation.objects.get(name="Menyeting Gigi Emas")
    assert innovation.owner_agency.regency == regency("13.74")
    assert innovation.category == "health" and innovation.launch_year == 2019 and innovation.is_published
    assert innovation.last_reviewed_on == datetime.date(2024, 3, 15)
    assert sorted(innovation.sdgs.values_list("number", flat=True)) == [3, 6]
    assert [(a.edition.year, a.tier, a.group) for a in KippAward.objects.filter(innovation=innovation)] == [
        (2021, "top45", "umum")
    ]
    assert list(innovation.links.values_list("title", "url")) == [("Video", "https://example.go.id/video")]
    response = client.get("/inovasi/", {"q": "imunisasi"})  # the public search finds it at once
    assert [i.name for i in response.context["page"].object_list] == ["Menyeting Gigi Emas"]


def test_the_same_file_twice_changes_nothing_and_a_changed_cell_changes_only_that_field():
    rows = [["Kelas IMUD", "Pemerintah Kota Pariaman", "Kota Pariaman", "Kesehatan", "Kelas ibu muda."],
            ["SI-JABPRI", "BKPSDM", "KOTA PADANG PANJANG", "governance", "Layanan jabatan pribadi."]]  # fmt: skip
    data = csv_file(HEADER, *[";".join(r).split(";") for r in rows])
    importing.apply(plan_of(data))
    imud = Innovation.objects.get(name="Kelas IMUD")
    updated_at = imud.updated_at

    again = plan_of(data)
    assert again.counts == {"unchanged": 2}
    importing.apply(again)
    imud.refresh_from_db()
    assert imud.updated_at == updated_at

    rows[0][4] = "Kelas ibu muda dan balita."
    rows[1][0] = "si jabpri"  # another spelling of the same name: the same innovation
    changed = plan_of(csv_file(HEADER, *rows, delimiter=",", bom=False))
    assert [(r.action, r.changes) for r in changed.rows] == [("changed", ["summary"]), ("changed", ["name"])]
    importing.apply(changed)
    imud.refresh_from_db()
    assert imud.summary == "Kelas ibu muda dan balita." and imud.category == "health"
    assert Innovation.objects.filter(name__iexact="si jabpri").count() == 1
    assert Agency.objects.filter(name="BKPSDM").count() == 1


def test_an_existing_agency_is_found_by_its_name_in_any_case_within_its_region():
    agency = AgencyFactory(name="Dinas Kesehatan", regency=regency("13.74"))
    other = AgencyFactory(name="dinas kesehatan", regency=regency("13.77"))
    plan = plan_of(xlsx(HEADER, ["Sehat", "DINAS  KESEHATAN", "13.74", "kesehatan", "Ringkas."]))
    assert plan.rows[0].agency == agency != other
    assert plan.rows[0].notes == []


def test_missing_extra_and_repeated_columns_refuse_the_file_naming_them():
    with pytest.raises(reading.SpreadsheetError, match="Kolom wajib tidak ada: ringkasan"):
        reading.read(xlsx(HEADER[:-1], ["A", "B", "13.74", "kesehatan"]))
    with pytest.raises(reading.SpreadsheetError, match="Kolom tidak dikenal: warna"):
        reading.read(xlsx([*HEADER, "warna"], ["A", "B", "13.74", "kesehatan", "R", "merah"]))
    with pytest.raises(reading.SpreadsheetError, match="Kolom ganda: instansi"):
        reading.read(csv_file([*HEADER, "agency"], ["A", "B", "13.74", "kesehatan", "R", "C"]))


def test_english_headers_are_accepted():
    english = ["innovation_name", "agency", "region", "category", "summary"]
    plan = plan_of(csv_file(english, ["Sehat", "Dinkes", "13.74", "health", "Ringkas."], delimiter=","))
    assert plan.rows[0].action == "new"


def test_a_file_that_is_no_spreadsheet_is_refused_by_its_content():
    with pytest.raises(reading.SpreadsheetError, match="bukan XLSX"):
        reading.read(b"%PDF-1.4\n\xff\xfe\x00binary")
    with pytest.raises(reading.SpreadsheetError, match="tidak dapat dibaca"):
        reading.read(b"PK\x03\x04 not really a zip")


@pytest.mark.parametrize(
    ("region", "reason"),
    [
        ("Solok", "Kabupaten Solok (13.02), Kota Solok (13.72)"),
        ("Kota Padang Panjangg", "Kota Padang Panjang (13.74)"),
        ("1374", "kode BPS"),
        ("99.99", "Yang paling mirip"),
    ],
)
def test_unknown_ambiguous_and_bps_regions_are_errors_naming_the_closest_candidates(region, reason):
    plan = plan_of(xlsx(HEADER, ["Sehat", "Dinkes", region, "kesehatan", "Ringkas."]))
    (row,) = plan.rows
    assert row.action == "error"
    assert reason in " ".join(row.errors)


def test_hostile_cells_are_refused_with_the_column_named_and_nothing_is_written():
    rows = [
        ['=HYPERLINK("http://evil")', "Dinkes", "13.74", "kesehatan", "Ringkas."],
        ["Sehat", "Dinkes", "13.74", "kesehatan", "Ringkas\x00an"],
        ["Sehat lagi", "Dinkes", "13.74", "kesehatan", "x" * 20_001],
        ["<b>Tebal</b>", "Dinkes", "13.74", "kesehatan", "<script>alert(1)</script>"],
    ]
    plan = plan_of(csv_file(HEADER, *rows))
    assert [r.action for r in plan.rows] == ["error", "error", "error", "new"]
    assert "nama inovasi berisi rumus" in plan.rows[0].errors[0]
    assert "ringkasan berisi karakter kendali" in plan.rows[1].errors[0]
    assert "ringkasan terlalu panjang: 20001 karakter" in plan.rows[2].errors[0]
    with pytest.raises(importing.ImportRefused):
        importing.apply(plan)
    assert not Innovation.objects.filter(name__in=["Sehat", "<b>Tebal</b>"]).exists()


def test_a_markup_cell_is_kept_as_text_and_shown_escaped(client):
    importing.apply(
        plan_of(xlsx(HEADER, ["<b>Tebal</b>", "Dinkes", "13.74", "kesehatan", "<script>x</script>"]))
    )
    innovation = Innovation.objects.get(name="<b>Tebal</b>")
    innovation.is_published = True
    innovation.save()
    body = client.get(f"/inovasi/{innovation.slug}/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x</script>" not in body


def test_dates_in_excel_serial_form_and_dd_mm_yyyy_are_read():
    header = [*HEADER, "terakhir_ditinjau"]
    rows = [["A", "Dinkes", "13.74", "kesehatan", "R", 45366], ["B", "Dinkes", "13.74", "kesehatan", "R", "15/03/2024"],
            ["C", "Dinkes", "13.74", "kesehatan", "R", datetime.datetime(2024, 3, 15)],
            ["D", "Dinkes", "13.74", "kesehatan", "R", "31/02/2024"]]  # fmt: skip
    plan = plan_of(xlsx(header, *rows))
    assert [r.values.get("last_reviewed_on") for r in plan.rows[:3]] == [datetime.date(2024, 3, 15)] * 3
    assert plan.rows[3].errors == ["terakhir ditinjau “31/02/2024” bukan tanggal (tulis dd/mm/yyyy)."]


def test_a_repeated_row_is_an_error_and_nearly_the_same_name_is_flagged_as_a_possible_duplicate():
    agency = AgencyFactory(name="Dinas Kesehatan", regency=regency("13.74"))
    InnovationFactory(name="Menyeting Gigi Emas", owner_agency=agency)
    other = AgencyFactory(name="Puskesmas Kebun Sikolos", regency=regency("13.74"))
    InnovationFactory(name="Kelas IMUD", owner_agency=other)
    rows = [["Kelas Ibu", "Dinas Kesehatan", "13.74", "kesehatan", "R"],
            ["KELAS  IBU", "dinas kesehatan", "13.74", "kesehatan", "R"],
            ["Menyeting Gigi Emass", "Dinas Kesehatan", "13.74", "kesehatan", "R"],
            ["Kelas I.M.U.D.", "Dinas Kesehatan", "13.74", "kesehatan", "R"]]  # fmt: skip
    plan = plan_of(xlsx(HEADER, *rows))
    assert plan.rows[1].errors == ["Baris ini inovasi yang sama dengan baris 2 (instansi dan nama sama)."]
    assert plan.rows[2].notes == ["⚠ Mungkin duplikat: “Menyeting Gigi Emas” di instansi yang sama."]
    assert plan.rows[3].notes == [
        "⚠ Mungkin duplikat: “Kelas IMUD” milik Puskesmas Kebun Sikolos di wilayah yang sama."
    ]


def test_an_error_in_the_last_of_ten_thousand_rows_writes_nothing():
    rows = [[f"Inovasi {n}", "Dinkes", "13.74", "kesehatan", "Ringkas."] for n in range(9_999)]
    rows.append(["Inovasi terakhir", "Dinkes", "Atlantis", "kesehatan", "Ringkas."])
    plan = plan_of(csv_file(HEADER, *rows))
    assert plan.counts == {"new": 9_999, "error": 1}
    assert plan.errors[0].number == 10_001
    with pytest.raises(importing.ImportRefused):
        importing.apply(plan)
    assert not Innovation.objects.filter(name__startswith="Inovasi ").exists()
    assert not Agency.objects.filter(name="Dinkes").exists()


def test_the_command_prints_the_plan_and_writes_only_with_commit(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_bytes(csv_file(HEADER, ["Sehat", "Dinkes", "13.74", "kesehatan", "Ringkas."]))
    out = StringIO()
    call_command("import_innovations", str(path), stdout=out)
    assert (
        "row 2: new Sehat" in out.getvalue()
        and "new: 1, changed: 0, unchanged: 0, error: 0" in out.getvalue()
    )
    assert not Innovation.objects.filter(name="Sehat").exists()
    call_command("import_innovations", str(path), "--commit", stdout=StringIO())
    assert Innovation.objects.filter(name="Sehat").exists()
    path.write_bytes(csv_file(HEADER, ["Sehat", "Dinkes", "Atlantis", "kesehatan", "Ringkas."]))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_innovations", str(path), "--commit", stdout=StringIO())


def test_the_search_index_equals_a_rebuilt_one_after_an_import():
    InnovationFactory(summary="Air bersih untuk desa.")
    bitmaps_from(1)
    rows = [
        [f"Air bersih {n}", "Dinkes", "13.74", "kesehatan", "Air bersih dan sanitasi desa."] for n in range(5)
    ]
    importing.apply(plan_of(xlsx([*HEADER, "sdg"], *[[*row, "6"] for row in rows])))
    assert_index_current()
