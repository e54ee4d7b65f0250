"""Ranked retrieval: every word of a query adds evidence, weighted by its rarity in the bank and by the
part of the record holding it; find by problem keeps only records above a relevance floor; the "why
it matched" line names where the record holds each word. Both ways of answering (the search index's
postings, the documents) give the same order (search_path)."""

import pytest

from innovations.models import SearchDocument
from innovations.search import PROBLEM_RANK_WEIGHTS, prepare
from tests.factories import AgencyFactory, InnovationFactory, regency
from tests.innovations.conftest import use_bitmaps_from

pytestmark = pytest.mark.django_db


def listed(client, query: str) -> list[str]:
    return [card.name for card in client.get("/inovasi/", {"q": query}).context["page"].object_list]


def test_a_record_lacking_one_typed_word_is_still_found_first(client, search_path):
    InnovationFactory(
        name="Rumah Kompos Pasar",
        summary="Sampah sayur di pasar tradisional menumpuk.",
        implementation="Sampah organik diolah di rumah kompos menjadi pupuk.",
    )
    for place in ("Sukasari", "Cibiru", "Antapani", "Arcamanik"):
        InnovationFactory(
            name=f"Warga {place} Membuat Biopori", summary="Warga membuat lubang biopori bersama."
        )
    # No record holds "warga", "membuat", "sampah", "organik" and "kompos" together: the kompos record,
    # holding the rarer words, comes first instead of vanishing.
    assert listed(client, "warga membuat kompos dari sampah organik")[0] == "Rumah Kompos Pasar"


def test_a_rare_word_outweighs_a_common_one(client, search_path):
    for number in range(6):
        InnovationFactory(
            name=f"Pelayanan Warga {number}", summary="Pelayanan administrasi warga di kelurahan."
        )
    InnovationFactory(
        name="Kartu Difabel", summary="Pendataan penyandang disabilitas untuk bantuan alat bantu."
    )
    # "warga" is in six records' name and problem; "disabilitas" in one record's problem only.
    assert listed(client, "warga disabilitas")[0] == "Kartu Difabel"


def test_a_word_in_the_name_outweighs_the_same_word_in_the_agency(client, search_path):
    bulog = AgencyFactory(name="Badan Urusan Logistik", regency=regency("32.12"))
    InnovationFactory(
        name="Lumbung Pangan Digital", owner_agency=bulog, summary="Stok beras gudang tercatat."
    )
    InnovationFactory(name="Urusan Akta Sehari", summary="Akta terbit dalam sehari.")
    assert listed(client, "urusan")[0] == "Urusan Akta Sehari"


def test_the_cards_say_in_which_part_of_the_record_each_word_was_found(client, search_path):
    InnovationFactory(
        name="Akta Lahir Langsung",
        summary="Orang tua menunda pengurusan akta.",
        implementation="Data kelahiran daring.",
    )
    card = client.get("/inovasi/", {"q": "akta kelahiran"}).content.decode()
    assert "Cocok dengan: akta, kelahiran" in card
    assert "(di nama: akta, kelahiran)" in card


def test_find_by_problem_cuts_off_records_sharing_only_generic_words(client):
    use_bitmaps_from(1_000_000)  # the index counts each word's records at once (rarity)
    InnovationFactory(
        name="Akta Lahir dari Rumah Sakit",
        summary="Warga sulit mengurus akta kelahiran anak.",
        implementation="Rumah sakit mengirim data kelahiran ke dinas.",
    )
    for number in range(8):
        InnovationFactory(name=f"Pelayanan Kelurahan {number}", summary="Warga mengurus surat di kelurahan.")
    response = client.get("/inovasi/cari-masalah/", {"problem": "warga sulit mengurus akta kelahiran"})
    names = [card.name for card in response.context["matches"]]
    assert names == ["Akta Lahir dari Rumah Sakit"]


def test_find_by_problem_keeps_every_record_that_holds_enough_of_the_problem():
    use_bitmaps_from(1_000_000)
    InnovationFactory(
        name="Jemput Bola Imunisasi", summary="Cakupan imunisasi dasar rendah di desa terpencil."
    )
    InnovationFactory(name="Pengingat Imunisasi", summary="Orang tua lupa jadwal imunisasi anak.")
    InnovationFactory(name="Taman Kota", summary="Anak tidak punya ruang bermain.")
    terms = prepare("cakupan imunisasi rendah di desa")
    found = list(
        SearchDocument.objects.filter(is_published=True).problem_matches(terms).values_list("name", flat=True)
    )
    assert found == ["Jemput Bola Imunisasi", "Pengingat Imunisasi"]
    assert PROBLEM_RANK_WEIGHTS  # the problem ranking's own weights (problem over name)
