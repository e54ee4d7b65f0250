"""Indonesian full-text search on the real PostgreSQL: stemming, stop words, spelling variants,
partial matches, capitals, and a search vector kept current by the database on every write."""

import pytest

from innovations.models import Innovation, SearchDocument
from innovations.search import prepare
from regions.models import Agency, AgencyLevel
from tests.factories import AgencyFactory, InnovationFactory, regency

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    terms = prepare(query)
    return list(
        SearchDocument.objects.filter(is_published=True)
        .search(terms)
        .order_by_relevance()
        .values_list("name", flat=True)
    )


def test_stemming_finds_pencegahan_for_an_innovation_that_says_mencegah():
    InnovationFactory(name="Menyeting Gigi Emas", summary="Gerakan mencegah stunting di desa.")
    InnovationFactory(name="Pasar Rakyat", summary="Menata pedagang pasar tradisional.")
    assert found("pencegahan stunting") == ["Menyeting Gigi Emas"]


def test_stop_words_do_not_decide_the_ranking():
    InnovationFactory(
        name="A", summary="Dan yang di untuk dan yang di untuk dan yang. Antrean akta kelahiran."
    )
    InnovationFactory(name="B", summary="Layanan akta kelahiran tanpa antrean.")
    assert prepare("dan yang di untuk").lexemes == []
    assert found("akta kelahiran untuk yang di dan") == found("akta kelahiran")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("akte kelahiran", "Pelayanan akta kelahiran terintegrasi dana desa."),
        ("akta kelahiran", "Pengurusan akte kelahiran di kantor desa."),
        ("ijin usaha", "Perizinan usaha mikro dalam satu hari."),
        ("izin usaha", "Pengurusan ijin usaha lewat aplikasi."),
        ("praktek bidan", "Izin praktik bidan mandiri."),
        ("apotik", "Pengawasan apotek dan toko obat."),
    ],
)
def test_common_spelling_variants_find_each_other(query, text):
    InnovationFactory(name="Layanan Uji", summary=text)
    assert found(query) == ["Layanan Uji"]


def test_the_record_holding_every_word_comes_first_and_the_others_follow_by_what_they_hold():
    # Ranked retrieval replaced the every-word rule (which listed "Semua" alone): every word adds
    # evidence, so records holding some of the words follow, the more they hold the higher.
    InnovationFactory(name="Satu", summary="Penurunan stunting balita.")
    InnovationFactory(name="Semua", summary="Stunting turun karena cakupan imunisasi naik di desa terpencil.")
    InnovationFactory(name="Dua", summary="Imunisasi keliling untuk stunting.")
    assert found("stunting imunisasi desa terpencil") == ["Semua", "Dua", "Satu"]


def test_when_no_record_holds_every_word_partial_matches_rank_by_how_much_they_hold(client, search_path):
    InnovationFactory(name="Satu", summary="Penurunan stunting balita.")
    InnovationFactory(name="Tiga", summary="Stunting turun karena cakupan imunisasi naik di desa.")
    InnovationFactory(name="Dua", summary="Imunisasi keliling untuk stunting.")
    InnovationFactory(name="Lain", summary="Perpustakaan keliling.")
    response = client.get("/inovasi/", {"q": "stunting imunisasi desa terpencil"})
    assert [i.name for i in response.context["page"].object_list] == ["Tiga", "Dua", "Satu"]
    assert response.context["page"].paginator.count == 3
    assert "Tidak ada inovasi yang memuat semua kata pencarian" in response.content.decode()


def test_names_written_in_capitals_rank_like_any_other():
    InnovationFactory(name="PIKOBAR", summary="Pusat informasi dan koordinasi covid-19.")
    InnovationFactory(name="Pikobar Kota", summary="Pusat informasi dan koordinasi covid-19.")
    assert set(found("pikobar")) == {"PIKOBAR", "Pikobar Kota"}
    assert set(found("PIKOBAR")) == {"PIKOBAR", "Pikobar Kota"}


def test_agency_and_region_names_are_searchable():
    agency = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    InnovationFactory(name="Layanan A", summary="Layanan publik.", owner_agency=agency)
    assert found("padang panjang") == ["Layanan A"]
    assert found("sumatera barat") == ["Layanan A"]


def test_the_search_vector_stays_current_on_bulk_writes_and_on_agency_renames():
    agency = AgencyFactory(name="Pemerintah Kota Lama", regency=regency("13.74"))
    Innovation.objects.bulk_create(
        [
            Innovation(
                name="Bulk",
                slug="bulk",
                owner_agency=agency,
                category="health",
                summary="Gizi buruk.",
                is_published=True,
            )
        ]
    )
    assert found("gizi") == ["Bulk"]
    Innovation.objects.filter(slug="bulk").update(summary="Sanitasi air bersih.")
    assert found("gizi") == []
    assert found("sanitasi") == ["Bulk"]
    Agency.objects.filter(pk=agency.pk).update(name="Pemerintah Kota Baru Sekali")
    assert found("sekali") == ["Bulk"]
    office = Agency.objects.create(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=agency)
    Innovation.objects.filter(slug="bulk").update(owner_agency=office)
    assert found("dinas kesehatan sekali") == ["Bulk"]


def test_odd_input_is_reduced_to_plain_words():
    terms = prepare(
        "stunting\x00<script>alert(1)</script> ' OR 1=1 -- ; DROP TABLE x; \\ \" ðŸ˜€" + "a" * 5000
    )
    assert "stunting" in terms.lexemes
    assert all("'" not in lexeme and "\\" not in lexeme for lexeme in terms.lexemes)
    found(terms.text)
