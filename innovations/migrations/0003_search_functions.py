"""Database functions of the Indonesian full-text search.

`replikasi_lexemes(text)` turns text into a tsvector with the `indonesian` stemmer, spelling variants
folded and stop words removed. It is IMMUTABLE (its lists are literals), so it can back indexes and is
used both for the stored search vectors and for the queries.
"""

from django.db import migrations

# The lists as they were when this migration was written (innovations/search_config.py holds the
# current ones; tests/innovations/test_search_config.py checks the database function follows them).
STOP_WORDS = (  # noqa: SIM905 (a readable block of words)
    "ada adalah agar akan antara apa apabila atau bagaimana bagi bahwa begitu belum bila bisa dalam dan "
    "dari demi dengan di hanya harus hingga ia ini itu jika juga kami karena ke kepada kita lagi lalu lebih "
    "maka mana masih namun oleh pada para pun saat sana sangat sebagai secara sehingga sejak selain semua "
    "seperti serta setiap siapa sini sudah supaya tak tanpa telah tentang tersebut tiap tidak untuk via "
    "yaitu yakni yang"
).split()

SPELLING_VARIANTS = {
    "akte": "akta",
    "ijin": "izin",
    "praktek": "praktik",
    "apotik": "apotek",
    "propinsi": "provinsi",
    "resiko": "risiko",
    "nasehat": "nasihat",
    "jadual": "jadwal",
    "kwalitas": "kualitas",
    "analisa": "analisis",
    "aktifitas": "aktivitas",
    "obyek": "objek",
    "kordinasi": "koordinasi",
    "sertipikat": "sertifikat",
    "tehnologi": "teknologi",
    "sistim": "sistem",
}


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
