"""What the search index holds, read back from its tables, and the check that it equals the index
rebuilt from the documents (shared by the index's tests)."""

from django.db import connection, transaction

from innovations.models import SearchDocument


def index_state() -> dict:
    """What the index holds: documents per facet key, documents per lexeme and each lexeme's postings."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, ARRAY(SELECT i FROM generate_series(0, length(bits) - 1) AS i "
            "WHERE get_bit(bits, i) = 1) FROM innovations_searchfacet"
        )
        facets = {key: ids for key, ids in cursor.fetchall() if ids}
        cursor.execute(
            "SELECT lexeme, documents, CASE WHEN bits IS NOT NULL THEN ARRAY(SELECT i FROM "
            "generate_series(0, length(bits) - 1) AS i WHERE get_bit(bits, i) = 1) END "
            "FROM innovations_searchterm WHERE documents > 0"
        )
        terms = {lexeme: (documents, ids) for lexeme, documents, ids in cursor.fetchall()}
        cursor.execute(
            "SELECT t.lexeme, p.innovation_id, p.score FROM innovations_searchposting p "
            "JOIN innovations_searchterm t ON t.id = p.term_id"
        )
        postings = set(cursor.fetchall())
        cursor.execute(
            "SELECT DISTINCT length(bits) FROM innovations_searchfacet "
            "UNION SELECT length(bits) FROM innovations_searchterm WHERE bits IS NOT NULL"
        )
        lengths = {length for (length,) in cursor.fetchall()}
    assert len(lengths) <= 1, f"bitmaps of different lengths: {lengths}"
    return {"facets": facets, "terms": terms, "postings": postings}


def rebuilt_state() -> dict:
    """The index rebuilt from the documents, read, then rolled back."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT innovations_rebuild_search_index()")
            state = index_state()
            raise Rollback
    except Rollback:
        return state


def assert_index_current() -> None:
    """The index equals the one rebuilt from the documents, and both agree with the documents read
    without any of the index's functions. A lexeme keeps its bitmap and postings once it has them, even
    after its documents fall below the threshold (a rebuild would drop them): those must be exact too."""
    current, rebuilt = index_state(), rebuilt_state()
    kept = {
        lexeme
        for lexeme, (_, ids) in current["terms"].items()
        if ids is not None and rebuilt["terms"].get(lexeme, (0, None))[1] is None
    }
    assert current["facets"] == rebuilt["facets"]
    assert {
        lexeme: (n, None if lexeme in kept else ids) for lexeme, (n, ids) in current["terms"].items()
    } == (rebuilt["terms"])
    assert {p for p in current["postings"] if p[0] not in kept} == rebuilt["postings"]
    kept_postings = {(lexeme, pk) for lexeme, pk, _ in current["postings"] if lexeme in kept}
    assert kept_postings == {(lexeme, pk) for lexeme in kept for pk in current["terms"][lexeme][1]}
    documents = SearchDocument.objects.order_by("pk")
    expected = {
        "all": list(documents.values_list("pk", flat=True)),
        "published": list(documents.filter(is_published=True).values_list("pk", flat=True)),
        **{
            f"category:{category}": list(documents.filter(category=category).values_list("pk", flat=True))
            for category in documents.values_list("category", flat=True)
        },
    }
    assert {key: current["facets"].get(key) for key in expected} == {
        key: ids or None for key, ids in expected.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, count(*), array_agg(innovation_id ORDER BY innovation_id) "
            "FROM innovations_searchdocument, unnest(tsvector_to_array(search_vector)) AS lexeme GROUP BY 1"
        )
        held = {lexeme: (count, ids) for lexeme, count, ids in cursor.fetchall()}
    assert {lexeme: documents for lexeme, (documents, _) in current["terms"].items()} == {
        lexeme: count for lexeme, (count, _) in held.items()
    }
    for lexeme, (_, ids) in current["terms"].items():
        assert ids is None or ids == held[lexeme][1], lexeme


def bitmaps_from(documents: int) -> None:
    """Bitmaps and postings for every lexeme held by ``documents`` documents, writers queueing their text."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('replikasi.bitmap_min_documents', %s, false)", [str(documents)])
        cursor.execute("SELECT innovations_rebuild_search_index()")
