"""Reference data of the bank: the 17 SDGs and the KIPP editions since 2014 (idempotent loaders)."""

SDGS = [
    (1, "Tanpa Kemiskinan", "No Poverty"),
    (2, "Tanpa Kelaparan", "Zero Hunger"),
    (3, "Kehidupan Sehat dan Sejahtera", "Good Health and Well-being"),
    (4, "Pendidikan Berkualitas", "Quality Education"),
    (5, "Kesetaraan Gender", "Gender Equality"),
    (6, "Air Bersih dan Sanitasi Layak", "Clean Water and Sanitation"),
    (7, "Energi Bersih dan Terjangkau", "Affordable and Clean Energy"),
    (8, "Pekerjaan Layak dan Pertumbuhan Ekonomi", "Decent Work and Economic Growth"),
    (9, "Industri, Inovasi dan Infrastruktur", "Industry, Innovation and Infrastructure"),
    (10, "Berkurangnya Kesenjangan", "Reduced Inequalities"),
    (11, "Kota dan Permukiman yang Berkelanjutan", "Sustainable Cities and Communities"),
    (12, "Konsumsi dan Produksi yang Bertanggung Jawab", "Responsible Consumption and Production"),
    (13, "Penanganan Perubahan Iklim", "Climate Action"),
    (14, "Ekosistem Lautan", "Life Below Water"),
    (15, "Ekosistem Daratan", "Life on Land"),
    (16, "Perdamaian, Keadilan dan Kelembagaan yang Tangguh", "Peace, Justice and Strong Institutions"),
    (17, "Kemitraan untuk Mencapai Tujuan", "Partnerships for the Goals"),
]

# year -> legal basis; only what a public source states is filled in.
KIPP_LEGAL_BASIS = {
    2020: (
        "Peraturan Menteri PANRB No. 5/2019 tentang Kompetisi Inovasi Pelayanan Publik di Lingkungan "
        "Kementerian/Lembaga, Pemerintah Daerah, BUMN, dan BUMD; Keputusan Menteri PANRB No. 44/2020 "
        "tentang Petunjuk Pelaksanaan KIPP Tahun 2020"
    ),
}
KIPP_FIRST_YEAR = 2014
KIPP_LAST_YEAR = 2024
OUTSTANDING_SINCE = 2019


def load_sdgs(sdg_model) -> int:
    created = 0
    for number, name, name_en in SDGS:
        _, was_created = sdg_model.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )
        created += was_created
    return created


def load_kipp_editions(edition_model) -> int:
    from innovations.models import top_tier_of

    created = 0
    for year in range(KIPP_FIRST_YEAR, KIPP_LAST_YEAR + 1):
        _, was_created = edition_model.objects.update_or_create(
            year=year,
            defaults={
                "number": year - KIPP_FIRST_YEAR + 1,
                "top_tier": str(top_tier_of(year)),
                "has_outstanding": year >= OUTSTANDING_SINCE,
                "legal_basis": KIPP_LEGAL_BASIS.get(year, ""),
            },
        )
        created += was_created
    return created
