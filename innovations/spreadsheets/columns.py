"""The columns of an innovation row, described once: the import reads them, the template spreadsheet
and the export write them. Headers are Indonesian; the English ones are accepted too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column

LONG_TEXT = 20_000  # characters: a KIPP proposal's longest section runs to a few thousand

COLUMNS = [
    Column("name", "nama_inovasi", "innovation_name", _("nama inovasi"), 200, True, "Menyeting Gigi Emas"),
    Column("long_name", "nama_panjang", "long_name", _("nama panjang"), 400, False,
           "Menyelamatkan Generasi dengan Gerakan Imunisasi Emas"),
    Column("agency", "instansi", "agency", _("instansi pemilik"), 200, True, "Dinas Kesehatan"),
    Column("region", "wilayah", "region", _("wilayah"), 120, True, "13.74"),
    Column("category", "kategori", "category", _("kategori KIPP"), 40, True, "kesehatan"),
    Column("affair", "urusan", "government_affair", _("urusan pemerintahan"), 80, False, ""),
    Column("sdgs", "sdg", "sdgs", _("tujuan SDG"), 60, False, "3, 6"),
    Column("is_digital", "digital", "digital", _("inovasi digital"), 10, False, "tidak"),
    Column("launch_year", "tahun_mulai", "launch_year", _("tahun mulai"), 10, False, "2019"),
    Column("summary", "ringkasan", "summary", _("ringkasan"), LONG_TEXT, True,
           "Imunisasi dasar lengkap dijemput ke rumah warga."),
    Column("background", "latar_belakang", "background", _("latar belakang dan tujuan"), LONG_TEXT),
    Column("novelty", "kebaruan", "novelty", _("kebaruan"), LONG_TEXT),
    Column("implementation", "implementasi", "implementation", _("implementasi"), LONG_TEXT),
    Column("significance", "signifikansi", "significance", _("signifikansi"), LONG_TEXT),
    Column("results_before", "kondisi_sebelum", "results_before", _("kondisi sebelum inovasi"), LONG_TEXT),
    Column("results_after", "hasil_setelah", "results_after", _("hasil setelah inovasi"), LONG_TEXT),
    Column("adaptability", "adaptabilitas", "adaptability", _("adaptabilitas"), LONG_TEXT),
    Column("resources", "sumber_daya", "resources", _("sumber daya"), LONG_TEXT),
    Column("sustainability", "keberlanjutan", "sustainability", _("strategi keberlanjutan"), LONG_TEXT),
    Column("replication_prerequisites", "prasyarat_replikasi", "replication_prerequisites",
           _("prasyarat replikasi"), LONG_TEXT),
    Column("links", "tautan", "links", _("tautan"), 4000, False, "Video | https://example.go.id/video"),
    Column("contact_name", "narahubung", "contact_name", _("nama narahubung"), 200),
    Column("contact_email", "surel_narahubung", "contact_email", _("surel narahubung"), 254),
    Column("contact_phone", "telepon_narahubung", "contact_phone", _("telepon narahubung"), 40),
    Column("awards", "penghargaan_kipp", "kipp_awards", _("penghargaan KIPP"), 400, False, "2021 top45 umum"),
    Column("is_published", "diterbitkan", "published", _("diterbitkan"), 10, False, "ya"),
    Column("last_reviewed_on", "terakhir_ditinjau", "last_reviewed", _("terakhir ditinjau"), 20, False,
           "15/03/2024"),
]  # fmt: skip
