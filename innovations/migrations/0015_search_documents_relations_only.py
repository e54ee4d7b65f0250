"""An SDG linked or a KIPP award given rewrites only the document's SDG numbers and award keys, not its
text: recomputing the whole vector for each linked innovation made a 10,000-row import spend minutes
on text that had not changed. The innovation rows are locked first, as before (migration 0012), so a
concurrent edit of the same innovation waits and then reads this change."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION innovations_refresh_search_documents(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM innovations_innovation WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    UPDATE innovations_searchdocument d SET
        sdg_numbers = ARRAY(SELECT s.number FROM innovations_innovation_sdgs link
                            JOIN innovations_sdg s ON s.id = link.sdg_id
                            WHERE link.innovation_id = d.innovation_id ORDER BY s.number),
        award_keys = ARRAY(SELECT concat_ws(':', e.year, w.tier, w."group") FROM innovations_kippaward w
                           JOIN innovations_kippedition e ON e.id = w.edition_id
                           WHERE w.innovation_id = d.innovation_id ORDER BY 1)
    WHERE d.innovation_id = ANY(ids);
END
$$;
"""

# As migration 0012 wrote it: the whole document again.
BACKWARD = r"""
CREATE OR REPLACE FUNCTION innovations_refresh_search_documents(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM innovations_innovation WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    PERFORM innovations_refresh_search_document(i) FROM innovations_innovation i
    WHERE i.id = ANY(ids) AND EXISTS (SELECT FROM innovations_searchdocument d WHERE d.innovation_id = i.id);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("innovations", "0014_search_catch_up_schedule")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
