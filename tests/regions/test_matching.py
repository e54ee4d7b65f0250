"""Finding the region a spreadsheet cell or a person names: Kemendagri codes and names in their usual
spellings; ambiguous, unknown and BPS codes refused with the closest candidates, never guessed."""

import pytest

from regions.matching import RegionMatcher, RegionNotFound
from regions.models import Province, Regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def matcher():
    return RegionMatcher()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("13.74", "13.74"),
        ("13", "13"),
        ("Kota Padang Panjang", "13.74"),
        ("KOTA PADANG PANJANG", "13.74"),
        ("  kota   padang  panjang ", "13.74"),
        ("Padang Panjang", "13.74"),
        ("Kab. Agam", "13.06"),
        ("Kab Agam", "13.06"),
        ("Kabupaten Agam", "13.06"),
        ("Agam", "13.06"),
        ("Sumatera Barat", "13"),
        ("Provinsi Sumatera Barat", "13"),
        ("Prov. Sumatera Barat", "13"),
        ("DKI Jakarta", "31"),
        ("DI Yogyakarta", "34"),
        ("Jakarta Selatan", "31.74"),
        ("Kota Administrasi Jakarta Selatan", "31.74"),
        ("Kota Jakarta Selatan", "31.74"),
        ("Kota Solok", "13.72"),
        ("Kabupaten Solok", "13.02"),
    ],
)
def test_codes_and_usual_spellings_find_their_region(matcher, text, code):
    assert matcher.find(text).code == code


def test_a_name_of_a_kabupaten_and_a_kota_is_refused_naming_both(matcher):
    with pytest.raises(RegionNotFound) as refused:
        matcher.find("Solok")
    assert {region.code for region in refused.value.candidates} == {"13.02", "13.72"}
    assert "Kabupaten Solok (13.02)" in refused.value.message


def test_a_name_of_a_province_and_its_capital_is_ambiguous_unless_the_column_wants_one_kind(matcher):
    with pytest.raises(RegionNotFound) as refused:
        matcher.find("Bengkulu")
    assert {region.code for region in refused.value.candidates} == {"17", "17.71"}
    assert matcher.find("Bengkulu", regencies=False).code == "17"
    assert matcher.find("Bengkulu", provinces=False).code == "17.71"


def test_a_misspelt_name_is_refused_with_the_closest_names(matcher):
    with pytest.raises(RegionNotFound) as refused:
        matcher.find("Kota Padang Panjangg")
    assert refused.value.candidates[0].code == "13.74"
    assert "Tidak ada wilayah bernama" in refused.value.message


def test_an_unknown_kemendagri_code_is_refused_with_codes_like_it(matcher):
    with pytest.raises(RegionNotFound) as refused:
        matcher.find("13.99")
    assert refused.value.candidates
    assert all(isinstance(region, Regency) for region in refused.value.candidates)


def test_a_bps_code_is_refused_with_a_clear_reason_and_no_guess(matcher):
    with pytest.raises(RegionNotFound) as refused:
        matcher.find("1374")
    assert refused.value.candidates == []
    assert "BPS" in refused.value.message
    assert "13.74" in refused.value.message  # the form to write instead, as an example


def test_a_district_code_is_refused(matcher):
    with pytest.raises(RegionNotFound, match="kecamatan"):
        matcher.find("13.74.01")


def test_a_province_code_where_a_regency_is_wanted_is_refused(matcher):
    with pytest.raises(RegionNotFound, match="Sumatera Barat"):
        matcher.find("13", provinces=False)


def test_an_empty_cell_is_refused(matcher):
    with pytest.raises(RegionNotFound, match="kosong"):
        matcher.find("   ")


def test_messages_follow_the_language():
    from django.utils import translation

    with translation.override("en"), pytest.raises(RegionNotFound) as refused:
        RegionMatcher().find("Solok")
    assert "Solok" in refused.value.message


def test_the_matcher_reads_the_regions_once(django_assert_num_queries):
    with django_assert_num_queries(2):
        matcher = RegionMatcher()
        for text in ["13.74", "Kab. Agam", "DKI Jakarta", "Jakarta Selatan"]:
            matcher.find(text)
    assert isinstance(matcher.find("13"), Province)
