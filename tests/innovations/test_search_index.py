"""The search index (bitmaps of facet values and lexemes, postings with scores) follows every write to
the bank, bulk ones included, and always equals the index rebuilt from scratch."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from innovations.models import SDG, Group, Innovation, KippAward, KippEdition, SearchDocument, Tier
from regions.models import Agency, AgencyLevel, Province
from replications.models import Status
from tests.factories import AgencyFactory, InnovationFactory, ProposalFactory, edition, regency

from .conftest import use_bitmaps_from
from .index_state import assert_index_current, index_state

pytestmark = pytest.mark.django_db


def test_the_index_follows_every_write_to_the_bank():
    use_bitmaps_from(1)
    padang = AgencyFactory(name="Pemerintah Kota Padang", regency=regency("13.71"))
    gigi = InnovationFactory(
        name="Menyeting Gigi Emas", summary="Mencegah stunting di desa.", owner_agency=padang
    )
    imud = InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.", is_published=False)
    assert_index_current()
    assert index_state()["facets"]["published"] == [gigi.pk]

    gigi.summary = "Sanitasi air bersih untuk sekolah."
    gigi.save()
    imud.is_published = True
    imud.category = "education"
    imud.save()
    assert_index_current()

    gigi.sdgs.set(SDG.objects.filter(number__in=[3, 6]))
    award = KippAward.objects.create(innovation=gigi, edition=edition(2020), tier=Tier.TOP_45)
    assert_index_current()
    assert index_state()["facets"]["award:2020:top45:umum"] == [gigi.pk]

    KippAward.objects.filter(pk=award.pk).update(innovation=imud, group=Group.SPECIAL)  # moved
    KippEdition.objects.filter(year=2020).update(year=2030)
    assert_index_current()
    assert index_state()["facets"]["award:2030:top45:khusus"] == [imud.pk]
    assert "award:2020:top45:umum" not in index_state()["facets"]

    ProposalFactory(  # adopted: the replication count moves
        innovation=gigi,
        status=Status.COMMITTED,
        letter_number="B/1/2021",
        letter_date=datetime.date(2021, 8, 27),
        letter_file="private/letters/x.pdf",
    )
    Agency.objects.filter(pk=padang.pk).update(name="PDAM Kota Padang", level=AgencyLevel.BUMD)
    Province.objects.filter(code="13").update(name="Sumatera Barat Raya")
    assert_index_current()
    assert index_state()["facets"]["replicated:yes"] == [gigi.pk]
    assert index_state()["facets"]["level:bumd"] == [gigi.pk]

    Agency.objects.filter(pk=padang.pk).update(level=AgencyLevel.BUMN)  # the level alone
    assert index_state()["facets"]["level:bumn"] == [gigi.pk]

    award.delete()
    imud.sdgs.clear()
    Innovation.objects.filter(pk=imud.pk).delete()
    assert_index_current()


def test_an_innovation_with_awards_and_sdgs_is_deleted_with_its_place_in_the_index():
    use_bitmaps_from(1)
    gigi = InnovationFactory(name="Menyeting Gigi Emas", summary="Mencegah stunting di desa.")
    gigi.sdgs.set(SDG.objects.filter(number__in=[2, 3]))
    KippAward.objects.create(innovation=gigi, edition=edition(2020), tier=Tier.TOP_45)
    gigi.delete()
    assert not SearchDocument.objects.exists()
    assert index_state() == {"facets": {}, "terms": {}, "postings": set()}


def test_emptying_the_documents_empties_the_index():
    use_bitmaps_from(1)
    InnovationFactory(summary="Mencegah stunting di desa.")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
        cursor.execute("TRUNCATE innovations_searchdocument")
    assert index_state() == {"facets": {}, "terms": {}, "postings": set()}


def test_bulk_writes_update_the_index_in_one_statement():
    use_bitmaps_from(2)
    agency = AgencyFactory()
    Innovation.objects.bulk_create(
        [
            Innovation(
                name=f"Lumbung Pangan {number}",
                slug=f"lumbung-{number}",
                owner_agency=agency,
                category="food_security" if number % 2 else "health",
                summary="Cadangan pangan desa." if number % 3 else "Gizi balita.",
                is_published=number % 5 != 0,
            )
            for number in range(70)  # more than a single set_bit loop handles: masks
        ]
    )
    assert_index_current()
    Innovation.objects.filter(category="health").update(summary="Cadangan pangan kota.", is_published=True)
    assert_index_current()
    Innovation.objects.filter(name__startswith="Lumbung").delete()
    assert_index_current()
    assert index_state()["postings"] == set()


def test_a_lexeme_gets_its_bitmap_and_postings_once_enough_documents_hold_it():
    use_bitmaps_from(3)
    first = InnovationFactory(summary="Zebrakopi di taman kota.")
    InnovationFactory(summary="Zebrakopi kedua.")
    assert index_state()["terms"]["zebrakop"] == (2, None)
    third = InnovationFactory(summary="Zebrakopi ketiga.")
    documents, ids = index_state()["terms"]["zebrakop"]
    assert documents == 3 and len(ids) == 3 and {first.pk, third.pk} <= set(ids)
    assert {pk for lexeme, pk, _ in index_state()["postings"] if lexeme == "zebrakop"} == set(ids)
    assert_index_current()


def test_every_bitmap_grows_when_a_larger_innovation_id_arrives():
    use_bitmaps_from(1)
    InnovationFactory(summary="Perpustakaan keliling.")
    far = InnovationFactory(id=5000, summary="Perpustakaan desa.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT length(bits) FROM innovations_searchfacet "
            "UNION SELECT length(bits) FROM innovations_searchterm WHERE bits IS NOT NULL"
        )
        assert cursor.fetchall() == [(8192,)]
    assert far.pk in index_state()["terms"]["pustaka"][1]
    assert_index_current()


def test_a_deferred_bulk_load_is_indexed_by_the_operators_rebuild():
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('replikasi.defer_search_index', 'on', true)")
    loaded = InnovationFactory(summary="Bank sampah plastik.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('replikasi.defer_search_index', 'off', true)")
    assert "published" not in index_state()["facets"]
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "search index rebuilt" in out.getvalue()
    assert index_state()["facets"]["published"] == [loaded.pk]
    assert_index_current()
