"""Which part of a record holds a lexeme: the best weight it is held with (A name, B problem, C solution
and results, D agency and region), for the search's "why it matched" line."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION innovations_lexeme_field(vector tsvector, lexeme text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN vector @@ (innovations_lexeme_query(lexeme)::text || ':A')::tsquery THEN 'A'
        WHEN vector @@ (innovations_lexeme_query(lexeme)::text || ':B')::tsquery THEN 'B'
        WHEN vector @@ (innovations_lexeme_query(lexeme)::text || ':C')::tsquery THEN 'C'
        ELSE 'D'
    END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("innovations", "0022_proposed_documents")]

    operations = [
        migrations.RunSQL(FORWARD, "DROP FUNCTION IF EXISTS innovations_lexeme_field(tsvector, text);"),
    ]
