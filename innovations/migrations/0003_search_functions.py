"""Database functions of the Indonesian full-text search (see innovations/search_config.py).

`replikasi_lexemes(text)` turns text into a tsvector with the `indonesian` stemmer, spelling variants
folded and stop words removed. It is IMMUTABLE (its lists are literals), so it can back indexes and is
used both for the stored search vectors and for the queries.
"""

from django.db import migrations

from innovations.search_config import SPELLING_VARIANTS, STOP_WORDS


def stems(cursor, words: list[str]) -> dict[str, str]:
    cursor.execute(
        "SELECT w, array_to_string(tsvector_to_array(to_tsvector('pg_catalog.indonesian', w)), ' ') "
        "FROM unnest(%s::text[]) AS w",
        [words],
    )
    return dict(cursor.fetchall())


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_functions(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        stop = sorted({stem for stem in stems(cursor, STOP_WORDS).values() if stem})
        variant_stems = stems(cursor, [*SPELLING_VARIANTS, *SPELLING_VARIANTS.values()])
        folded = "to_tsvector('pg_catalog.indonesian', coalesce(doc, ''))::text"
        for variant, standard in SPELLING_VARIANTS.items():
            old, new = variant_stems[variant], variant_stems[standard]
            if old and new and old != new:
                folded = f"replace({folded}, {quote(quote(old))}, {quote(quote(new))})"
        stop_array = "ARRAY[" + ", ".join(quote(word) for word in stop) + "]::text[]"
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION replikasi_lexemes(doc text) RETURNS tsvector
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT ts_delete(({folded})::tsvector, {stop_array})
            $$;
            """
        )


class Migration(migrations.Migration):
    dependencies = [("innovations", "0002_load_reference_sdgs_and_kipp")]

    operations = [
        migrations.RunSQL(migrations.RunSQL.noop, "DROP FUNCTION IF EXISTS replikasi_lexemes(text);"),
        migrations.RunPython(create_functions, migrations.RunPython.noop),
    ]
