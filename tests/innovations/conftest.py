import pytest
from django.db import connection


def use_bitmaps_from(documents: int) -> None:
    """Give a bitmap and postings to every lexeme held by at least ``documents`` documents, from now
    on and for what the bank holds already, each write applying its text to the index at once instead
    of queueing it for the catch-up task (the settings end with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('replikasi.search_index_sync', 'on', false)")
        cursor.execute("SELECT set_config('replikasi.bitmap_min_documents', %s, false)", [str(documents)])
        cursor.execute("SELECT innovations_rebuild_search_index()")


@pytest.fixture(params=["documents", "bitmaps", "bitmaps-walking-indexes"])
def search_path(request, db, monkeypatch):
    """Run a search test every way: reading the documents (no lexeme has a bitmap); reading the search
    index (every lexeme has one), with the few results of a test read by id; and reading the index
    while walking the sort's index, as for many results. Counts and pages must not tell them apart."""
    use_bitmaps_from(1_000_000 if request.param == "documents" else 1)
    if request.param == "bitmaps-walking-indexes":
        monkeypatch.setattr("innovations.search_index.FEW_RESULTS", -1)
    return request.param
