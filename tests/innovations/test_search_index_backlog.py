"""Text written to the bank waits in a queue for the search index's catch-up, which applies it in
batches; facet values and visibility never wait, and a search never misses a record whose text waits."""

import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from innovations.models import Innovation, SearchBacklog
from innovations.tasks import catch_up
from tests import workers
from tests.factories import InnovationFactory

from .index_state import assert_index_current, bitmaps_from, index_state

ROOT = Path(__file__).resolve().parents[2]


def holders(lexeme: str) -> list[int] | None:
    documents_and_ids = index_state()["terms"].get(lexeme)
    return documents_and_ids[1] if documents_and_ids else None


@pytest.mark.django_db
def test_text_waits_for_the_catch_up_while_facets_and_visibility_change_at_once():
    kept = InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.")
    bitmaps_from(1)
    gigi = InnovationFactory(name="Menyeting Gigi Emas", summary="Mencegah stunting di desa.")

    assert gigi.pk in index_state()["facets"]["published"]
    assert holders("stunting") is None
    assert SearchBacklog.objects.get(pk=gigi.pk).vector is None  # the index holds no text of it yet

    kept.is_published = False
    kept.summary = "Kelas ibu hamil."
    kept.save()
    assert kept.pk not in index_state()["facets"]["published"]  # a draft never shows, even for a moment
    assert holders("muda") == [kept.pk]  # the text the index holds until the catch-up

    assert catch_up() == 2
    assert not SearchBacklog.objects.exists()
    assert holders("stunting") == [gigi.pk]
    assert holders("muda") is None
    assert_index_current()


@pytest.mark.django_db
def test_the_catch_up_applies_a_long_queue_in_batches_and_ends_equal_to_a_rebuild():
    first = [InnovationFactory(summary=f"Air bersih untuk desa nomor {n}.") for n in range(4)]
    bitmaps_from(2)
    added = [InnovationFactory(summary=f"Sanitasi sekolah dan air bersih {n}.") for n in range(3)]
    for innovation in first[:2]:
        innovation.summary = "Pelayanan kesehatan ibu dan anak."
        innovation.save()
        innovation.summary = "Pelayanan kesehatan ibu dan anak di puskesmas."  # edited twice while waiting
        innovation.save()
    first[2].delete()
    short_lived = InnovationFactory(summary="Sanitasi sementara.")
    short_lived.delete()
    Innovation.objects.filter(pk__in=[i.pk for i in added]).update(summary="Ketahanan pangan desa.")

    assert SearchBacklog.objects.count() == 7  # the edited, the deleted, the added; the short-lived too
    assert catch_up(batch=2) == 7
    assert_index_current()
    assert catch_up() == 0


@pytest.mark.django_db
def test_a_bulk_insert_and_a_bulk_update_write_their_documents_together_and_end_current():
    InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.")
    bitmaps_from(2)
    agency = Innovation.objects.get().owner_agency
    created = Innovation.objects.bulk_create(
        [Innovation(name=f"Air Bersih {n}", slug=f"air-bersih-{n}", owner_agency=agency, category="health",
                    summary="Air bersih untuk desa.", is_published=n % 2 == 0) for n in range(6)]
    )  # fmt: skip
    published = index_state()["facets"]["published"]
    assert [i.pk in published for i in created] == [True, False] * 3  # facets at once, text queued
    assert SearchBacklog.objects.count() == 6
    for innovation in created:
        innovation.summary = "Sanitasi sekolah."
    Innovation.objects.bulk_update(created, ["summary"])
    assert catch_up() == 6
    assert holders("sanitasi") == sorted(i.pk for i in created)
    assert_index_current()


@pytest.mark.django_db
def test_an_update_that_changes_nothing_the_search_reads_leaves_the_document_alone():
    gigi = InnovationFactory(name="Menyeting Gigi Emas", summary="Mencegah stunting di desa.")
    catch_up()

    def document_version():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM innovations_searchdocument WHERE innovation_id = %s", [gigi.pk]
            )
            return cursor.fetchone()[0]

    before = document_version()
    gigi.contact_phone = "0752 123"
    gigi.save()
    assert document_version() == before and not SearchBacklog.objects.exists()
    gigi.summary = "Mencegah stunting di kota."
    gigi.save()
    assert document_version() != before and SearchBacklog.objects.filter(pk=gigi.pk).exists()


@pytest.mark.django_db
def test_a_word_only_waiting_records_hold_finds_them(client):
    InnovationFactory(name="Kelas IMUD", summary="Kelas ibu muda.")
    bitmaps_from(1)
    InnovationFactory(name="Kebun Kelor", summary="Kelor untuk gizi balita.")

    response = client.get("/inovasi/", {"q": "kelor"})
    assert [i.name for i in response.context["page"].object_list] == ["Kebun Kelor"]


@pytest.mark.django_db(transaction=True)
def test_a_committed_edit_reaches_the_index_through_a_real_worker(reference_data, settings, tmp_path):
    settings.SEARCH_INDEX_QUEUE = queue = f"test-search-{uuid.uuid4().hex}"
    bitmaps_from(1)  # this connection's setting; the worker's connections read the database's
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
            "SET replikasi.bitmap_min_documents = 1"
        )
    log = tmp_path / "worker.log"
    worker = workers.start_worker(workers.worker_env(), [queue], pool="solo", stderr=log.open("w"))
    try:
        gigi = InnovationFactory(name="Menyeting Gigi Emas", summary="Mencegah stunting di desa.")
        deadline = time.monotonic() + 60
        while SearchBacklog.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not SearchBacklog.objects.exists(), log.read_text()[-3000:]
        assert holders("stunting") == [gigi.pk]
        assert_index_current()
    finally:
        workers.stop(worker)
        workers.forget(queue)
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                "RESET replikasi.bitmap_min_documents"
            )
