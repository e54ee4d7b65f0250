"""The search's Indonesian analysis: lemmas learned with Sastrawi where Snowball splits or merges words,
variants, acronyms and synonyms linked both ways, and stop words that never break a phrase. Documents
and queries go through the same database function (replikasi_lexemes), so what meets in one meets in
the other."""

import pytest
from django.db import connection

from innovations import analysis
from innovations.models import SearchLemma, SearchSynonym
from innovations.search import prepare
from tests.factories import AgencyFactory, InnovationFactory, regency
from tests.innovations.conftest import use_bitmaps_from

pytestmark = pytest.mark.django_db


def lexemes(*texts: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(replikasi_lexemes(t)) FROM unnest(%s::text[]) WITH ORDINALITY AS x(t, n) "
            "ORDER BY n",
            [list(texts)],
        )
        return [row[0] for row in cursor.fetchall()]


def listed(client, query: str) -> list[str]:
    return [card.name for card in client.get("/inovasi/", {"q": query}).context["page"].object_list]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("menata", "tata"),
        ("menata", "penataan"),
        ("menumpuk", "tumpukan"),
        ("mengeluh", "keluhan"),
        ("keluh", "keluhan"),
        ("kelola", "pengelolaan"),
        ("mengurangi", "kekurangan"),
        ("memilah", "pemilahan"),
        ("mengolah", "pengolahan"),
        ("berencana", "perencanaan"),
    ],
)
def test_words_of_one_root_meet(one, other):
    first, second = lexemes(one, other)
    assert first == second and first


@pytest.mark.parametrize(
    ("one", "other"), [("memilah", "memilih"), ("mengolah", "olahraga"), ("pemilih", "pemilahan")]
)
def test_words_of_different_roots_stay_apart(one, other):
    first, second = lexemes(one, other)
    assert first != second


def test_lemmas_are_dictionary_words_not_cut_prefixes():
    assert lexemes("memilah", "mengolah", "berencana") == [["pilah"], ["olah"], ["rencana"]]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("antrian", "Antrean daring di loket."),
        ("antrean", "Antrian panjang di loket."),
        ("kampoeng", "Kampung wisata batik."),
        ("kampung", "Kampoeng Batik Laweyan."),
        ("KB", "Layanan keluarga berencana keliling."),
        ("keluarga berencana", "Layanan KB keliling."),
        ("PKL", "Penataan pedagang kaki lima."),
        ("pedagang kaki lima", "Penataan PKL di alun-alun."),
        ("UKM", "Pemasaran produk UMKM."),
        ("UMKMK", "Klinik UKM."),
        ("difabel", "Kantor ramah penyandang disabilitas."),
        ("penyandang disabilitas", "Kartu difabel."),
        ("sertifikat halal", "Sertifikasi halal usaha mikro."),
        ("sertifikasi halal", "Sertifikat halal gratis."),
        ("puskesmas", "Pusat kesehatan masyarakat tanpa antre."),
        ("pusat kesehatan masyarakat", "Pendaftaran daring puskesmas."),
        ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil keliling."),
        ("kependudukan dan pencatatan sipil", "Dukcapil keliling."),
    ],
)
def test_variants_acronyms_and_synonyms_find_each_other(client, search_path, query, text):
    InnovationFactory(name="Layanan Uji", summary=text)
    InnovationFactory(name="Lain", summary="Perpustakaan keliling desa.")
    assert listed(client, query)[0] == "Layanan Uji"


def test_a_stop_word_inside_a_phrase_is_not_ignored(client, search_path):
    InnovationFactory(name="Pelajar Pelopor Keselamatan", summary="Kecelakaan lalu lintas pelajar.")
    response = client.get("/inovasi/", {"q": "lalu lintas"})
    assert [card.name for card in response.context["page"].object_list] == ["Pelajar Pelopor Keselamatan"]
    assert response.context["ignored_words"] == []
    assert "Kata umum diabaikan" not in response.content.decode()
    assert prepare("yang lalu").lexemes_by_word == {"lalu": ("lalu",)}


def test_a_synonym_added_by_the_national_team_applies_to_texts_already_indexed(client, search_path):
    InnovationFactory(name="Samsat Keliling", summary="Bus sistem administrasi manunggal satu atap keliling.")
    assert listed(client, "samsat")[0] == "Samsat Keliling"
    assert listed(client, "manunggal")[0] == "Samsat Keliling"
    InnovationFactory(name="Pajak Kendaraan", summary="Bayar pajak kendaraan di SAMSAT.")
    SearchSynonym.objects.create(term="sistem administrasi manunggal satu atap", standard="samsat")
    analysis.apply_synonym("sistem administrasi manunggal satu atap", "samsat")
    assert set(listed(client, "samsat")) == {"Samsat Keliling", "Pajak Kendaraan"}


def test_a_word_learned_later_reanalyses_the_innovations_holding_it(client):
    use_bitmaps_from(1_000_000)
    agency = AgencyFactory(name="Dinas Pertanian", regency=regency("32.18"))
    InnovationFactory(name="Kebun Sekolah", owner_agency=agency, summary="Siswa berkebun di halaman sekolah.")
    assert not SearchLemma.objects.filter(word="berkebun").exists()
    learned, reanalysed = analysis.learn_bank()
    assert SearchLemma.objects.get(word="berkebun").lemma == "kebun"
    assert learned >= 1 and reanalysed == 1
    assert listed(client, "berkebun") == ["Kebun Sekolah"]


def test_words_the_dictionary_does_not_know_keep_the_snowball_stem():
    assert analysis.lemma("stunting") is None
    assert lexemes("stunting") == [["stunting"]]


def test_the_proposal_forms_suggestions_read_words_as_the_search_does(client):
    use_bitmaps_from(1_000_000)
    InnovationFactory(name="Sehat Tanpa Antre", summary="Antrean pendaftaran di pusat kesehatan masyarakat.")
    InnovationFactory(name="Taman Kota", summary="Anak tidak punya ruang bermain.")
    typed = client.get("/inovasi/saran/", {"q": "antrian puskesmas"}).json()["results"]
    assert [item["name"] for item in typed] == ["Sehat Tanpa Antre"]
    described = client.get("/inovasi/saran/", {"masalah": "antrian panjang di puskesmas"}).json()["results"]
    assert [item["name"] for item in described] == ["Sehat Tanpa Antre"]
    assert {"antrian", "puskesmas"} <= set(described[0]["matched"])
