"""Word-level Indonesian analysis for the search: stop words matched as written, variants, acronyms and
synonyms read as their standard word (innovations_searchsynonym, a phrase adding its standard word),
then each word's lemma learned with Sastrawi (innovations_searchlemma), Snowball for a word not
learned. The same function builds documents and queries; every document is re-analysed here."""

from pathlib import Path

from django.db import migrations, models

STOP_WORDS = (  # noqa: SIM905 (the list as this migration wrote it; search_config.py holds the current one)
    "ada adalah agar akan antara apa apabila atau bagaimana bagi bahwa begitu belum bila bisa dalam dan "
    "dari demi dengan di hanya harus hingga ia ini itu jika juga kami karena ke kepada kita lagi lebih "
    "maka mana masih namun oleh pada para pun saat sana sangat sebagai secara sehingga sejak selain semua "
    "seperti serta setiap siapa sini sudah supaya tak tanpa telah tentang tersebut tiap tidak untuk via "
    "yaitu yakni yang"
).split()

SPELLING_VARIANTS = {
    "akte": "akta", "ijin": "izin", "praktek": "praktik", "apotik": "apotek", "propinsi": "provinsi",
    "resiko": "risiko", "nasehat": "nasihat", "jadual": "jadwal", "kwalitas": "kualitas", "analisa": "analisis",
    "aktifitas": "aktivitas", "obyek": "objek", "kordinasi": "koordinasi", "sertipikat": "sertifikat",
    "tehnologi": "teknologi", "sistim": "sistem",
}
SYNONYMS = {
    "antrian": "antrean", "kampoeng": "kampung", "keluarga berencana": "kb", "pedagang kaki lima": "pkl",
    "ukm": "umkm", "umkmk": "umkm", "difabel": "disabilitas", "sertifikasi": "sertifikat",
    "pusat kesehatan masyarakat": "puskesmas", "kependudukan dan pencatatan sipil": "dukcapil",
}
LEMMAS = Path(__file__).resolve().parents[1] / "data" / "lemmas.tsv"


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


FUNCTIONS = r"""
-- A text with each phrase of innovations_searchsynonym followed by its standard word.
CREATE OR REPLACE FUNCTION innovations_expand_phrases(doc text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    phrase record;
BEGIN
    FOR phrase IN SELECT term, standard FROM innovations_searchsynonym WHERE strpos(term, ' ') > 0 LOOP
        doc := regexp_replace(doc, '\m' || replace(phrase.term, ' ', '\s+') || '\M',
                              '\& ' || phrase.standard, 'g');
    END LOOP;
    RETURN doc;
END
$$;

CREATE OR REPLACE FUNCTION innovations_quote_lexeme(lexeme text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''
$$;

-- The phrases of innovations_searchsynonym a text holds, with their standard words (a query's).
CREATE OR REPLACE FUNCTION innovations_phrases_in(doc text) RETURNS TABLE (term text, standard text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT term, standard FROM innovations_searchsynonym
    WHERE strpos(term, ' ') > 0 AND lower(doc) ~ ('\m' || replace(term, ' ', '\s+') || '\M')
$$;

CREATE OR REPLACE FUNCTION replikasi_lexemes(doc text) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH words AS (
        SELECT w.lexeme AS word, w.positions
        FROM unnest(to_tsvector('simple', innovations_expand_phrases(lower(coalesce(doc, ''))))) AS w
        WHERE w.lexeme <> ALL (STOP_WORDS)
    ),
    analysed AS (
        SELECT coalesce(nullif(l.lemma, ''), (ts_lexize('indonesian_stem', s.word))[1], s.word) AS lexeme, p
        FROM (SELECT coalesce(syn.standard, w.word) AS word, w.positions FROM words w
              LEFT JOIN innovations_searchsynonym syn ON syn.term = w.word) AS s
        LEFT JOIN innovations_searchlemma l ON l.word = s.word,
        unnest(s.positions) AS p
    )
    SELECT coalesce(string_agg(innovations_quote_lexeme(lexeme) || ':' || positions, ' '), '')::tsvector
    FROM (SELECT lexeme, string_agg(p::text, ',' ORDER BY p) AS positions FROM analysed
          WHERE lexeme <> '' GROUP BY lexeme) AS g
$$;
"""


def install(apps, schema_editor):
    Synonym = apps.get_model("innovations", "SearchSynonym")
    Lemma = apps.get_model("innovations", "SearchLemma")
    Synonym.objects.bulk_create(
        [Synonym(term=term, standard=standard) for term, standard in {**SPELLING_VARIANTS, **SYNONYMS}.items()],
        ignore_conflicts=True,
    )
    rows = [line.split("\t") for line in LEMMAS.read_text().splitlines() if line and not line.startswith("#")]
    Lemma.objects.bulk_create([Lemma(word=w, lemma=l) for w, l in rows], ignore_conflicts=True)
    stop = "ARRAY[" + ", ".join(quote(word) for word in STOP_WORDS) + "]::text[]"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS.replace("STOP_WORDS", stop))
        # Every document re-analysed (only those whose vector changes are rewritten and queued).
        cursor.execute("UPDATE innovations_innovation SET name = name")


class Migration(migrations.Migration):
    dependencies = [("innovations", "0023_search_lexeme_field")]

    operations = [
        migrations.CreateModel(
            name="SearchLemma",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False, verbose_name="kata")),
                ("lemma", models.TextField(blank=True, verbose_name="kata dasar")),
            ],
            options={"verbose_name": "kata dasar pencarian", "verbose_name_plural": "kata dasar pencarian"},
        ),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "term",
                    models.CharField(
                        help_text="Kata atau frasa seperti ditulis orang, mis. “antrian”, “pedagang kaki lima”.",
                        max_length=100,
                        unique=True,
                        verbose_name="istilah",
                    ),
                ),
                (
                    "standard",
                    models.CharField(
                        help_text="Satu kata yang mewakilinya, mis. “antrean”, “pkl”.",
                        max_length=40,
                        verbose_name="kata baku",
                    ),
                ),
            ],
            options={
                "verbose_name": "sinonim pencarian",
                "verbose_name_plural": "sinonim pencarian",
                "ordering": ["term"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(term__regex="^[a-z0-9]+(-[a-z0-9]+)*( [a-z0-9]+(-[a-z0-9]+)*)*$"),
                        name="innovations_searchsynonym_term_plain_words",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(standard__regex="^[a-z0-9]+$"),
                        name="innovations_searchsynonym_standard_one_word",
                    ),
                ],
            },
        ),
        # Not reversible: the function it replaces was built by migration 0003 from that migration's own
        # lists, and a migration runs no other migration's code (tests/test_layers.py).
        migrations.RunPython(install),
    ]
