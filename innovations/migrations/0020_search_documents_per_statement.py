"""The search documents are written once per statement, not once per row: an ORM ``bulk_create`` or
``bulk_update`` of a thousand innovations writes their thousand documents in one INSERT, whose
statement trigger rewrites each facet bitmap once and queues the texts together (the per-row trigger
rewrote every facet bitmap once per innovation). A document left unchanged by an update is not
rewritten, so it neither touches the facets nor queues its text. The documents' table leaves room on
its pages, so a document whose facets alone change (an SDG linked) is updated in place.

The text part's batch also finds what each document gained and lost without sorting the documents'
whole vectors with each of their lexemes (a 10,000-document batch spilled gigabytes to disk)."""

from django.db import migrations

DOCUMENT_COLUMNS = """innovation_id, search_vector, is_published, name, category, owner_agency_id, province_code,
        regency_id, agency_level, replication_count, launch_year, created_at, sdg_numbers, award_keys"""

FORWARD = rf"""
-- Room on each page for a document's new version when only its facets change (its SDGs, awards,
-- publication, replications): such updates stay on the page and leave the GIN index alone.
ALTER TABLE innovations_searchdocument SET (fillfactor = 75);

CREATE OR REPLACE FUNCTION innovations_innovation_documents_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO innovations_searchdocument AS doc ({DOCUMENT_COLUMNS})
    SELECT inn.id,
        setweight(replikasi_lexemes(concat_ws(' ', inn.name, inn.long_name)), 'A')
        || setweight(replikasi_lexemes(concat_ws(' ', inn.summary, inn.background)), 'B')
        || setweight(replikasi_lexemes(concat_ws(' ', inn.novelty, inn.implementation, inn.significance,
                                                 inn.results_before, inn.results_after, inn.adaptability)), 'C')
        || setweight(replikasi_lexemes(concat_ws(' ', agency.name, parent.name, regency.name, province.name)), 'D'),
        inn.is_published, inn.name, inn.category, inn.owner_agency_id, coalesce(province.code, ''),
        agency.regency_id, agency.level, inn.replication_count, inn.launch_year, inn.created_at,
        ARRAY(SELECT s.number FROM innovations_innovation_sdgs link
              JOIN innovations_sdg s ON s.id = link.sdg_id WHERE link.innovation_id = inn.id ORDER BY s.number),
        ARRAY(SELECT concat_ws(':', e.year, w.tier, w."group") FROM innovations_kippaward w
              JOIN innovations_kippedition e ON e.id = w.edition_id WHERE w.innovation_id = inn.id
              ORDER BY 1)
    FROM now inn
    JOIN regions_agency agency ON agency.id = inn.owner_agency_id
    LEFT JOIN regions_agency parent ON parent.id = agency.parent_id
    LEFT JOIN regions_regency regency ON regency.id = agency.regency_id
    LEFT JOIN regions_province province ON province.id = agency.province_id
    ORDER BY inn.id
    ON CONFLICT (innovation_id) DO UPDATE SET
        search_vector = EXCLUDED.search_vector, is_published = EXCLUDED.is_published, name = EXCLUDED.name,
        category = EXCLUDED.category, owner_agency_id = EXCLUDED.owner_agency_id,
        province_code = EXCLUDED.province_code, regency_id = EXCLUDED.regency_id,
        agency_level = EXCLUDED.agency_level, replication_count = EXCLUDED.replication_count,
        launch_year = EXCLUDED.launch_year, created_at = EXCLUDED.created_at, sdg_numbers = EXCLUDED.sdg_numbers,
        award_keys = EXCLUDED.award_keys
    WHERE ({", ".join("doc." + c.strip() for c in DOCUMENT_COLUMNS.split(","))})
          IS DISTINCT FROM ({", ".join("EXCLUDED." + c.strip() for c in DOCUMENT_COLUMNS.split(","))});
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS innovations_innovation_search ON innovations_innovation;
CREATE TRIGGER innovations_innovation_documents_insert
AFTER INSERT ON innovations_innovation REFERENCING NEW TABLE AS now
FOR EACH STATEMENT EXECUTE FUNCTION innovations_innovation_documents_trigger();
CREATE TRIGGER innovations_innovation_documents_update
AFTER UPDATE ON innovations_innovation REFERENCING NEW TABLE AS now
FOR EACH STATEMENT EXECUTE FUNCTION innovations_innovation_documents_trigger();

CREATE OR REPLACE FUNCTION innovations_search_text_moves(
    old_ids integer[], old_vectors tsvector[], new_ids integer[], new_vectors tsvector[]
) RETURNS TABLE (id integer, lexeme text, gained boolean)
LANGUAGE sql IMMUTABLE AS $$
    -- The documents first (one row each, vectors and all), then their lexemes (id and lexeme only).
    WITH changed AS MATERIALIZED (
        SELECT id, was.vector AS old_vector, now.vector AS new_vector
        FROM unnest(old_ids, old_vectors) AS was(id, vector)
        FULL JOIN unnest(new_ids, new_vectors) AS now(id, vector) USING (id)
        WHERE was.vector IS DISTINCT FROM now.vector
    )
    SELECT c.id, held, false FROM changed c, unnest(tsvector_to_array(c.old_vector)) AS held
    UNION ALL
    SELECT c.id, held, true FROM changed c, unnest(tsvector_to_array(c.new_vector)) AS held
$$;
"""

BACKWARD = r"""
ALTER TABLE innovations_searchdocument RESET (fillfactor);
DROP TRIGGER IF EXISTS innovations_innovation_documents_insert ON innovations_innovation;
DROP TRIGGER IF EXISTS innovations_innovation_documents_update ON innovations_innovation;
DROP FUNCTION IF EXISTS innovations_innovation_documents_trigger();
CREATE TRIGGER innovations_innovation_search
AFTER INSERT OR UPDATE ON innovations_innovation
FOR EACH ROW EXECUTE FUNCTION innovations_innovation_search_trigger();
"""


# Migration 0017's function, its moves read through innovations_search_text_moves(), its postings
# inserted in key order.
TEXT_APPLY = r"""
CREATE OR REPLACE FUNCTION innovations_search_text_apply(
    old_ids integer[], old_vectors tsvector[], new_ids integer[], new_vectors tsvector[]
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    size integer := coalesce((SELECT length(bits) FROM innovations_searchfacet WHERE key = 'all'), 1024);
    threshold integer := innovations_bitmap_min_documents();
    moved_ids integer[];
    moved_lexemes text[];
    moved_gained boolean[];
    change record;
    in_batch varbit;  -- bit n: document n is in this batch (built when first needed)
    scans text;
BEGIN
    SELECT array_agg(m.id), array_agg(m.lexeme), array_agg(m.gained)
    INTO moved_ids, moved_lexemes, moved_gained
    FROM innovations_search_text_moves(old_ids, old_vectors, new_ids, new_vectors) AS m;
    IF moved_ids IS NULL THEN
        RETURN;
    END IF;

    -- How many documents hold each lexeme.
    WITH delta AS (
        SELECT lexeme, sum(CASE WHEN gained THEN 1 ELSE -1 END)::integer AS delta
        FROM unnest(moved_lexemes, moved_gained) AS m(lexeme, gained)
        GROUP BY lexeme HAVING sum(CASE WHEN gained THEN 1 ELSE -1 END) <> 0
    ),
    counted AS (
        UPDATE innovations_searchterm t SET documents = greatest(t.documents + delta.delta, 0)
        FROM delta WHERE t.lexeme = delta.lexeme
        RETURNING t.lexeme
    )
    INSERT INTO innovations_searchterm (lexeme, documents)
    SELECT lexeme, delta FROM delta
    WHERE delta > 0 AND lexeme NOT IN (SELECT lexeme FROM counted);

    DELETE FROM innovations_searchposting p
    USING unnest(moved_ids, moved_lexemes, moved_gained) AS m(id, lexeme, gained), innovations_searchterm t
    WHERE NOT m.gained AND t.lexeme = m.lexeme AND t.bits IS NOT NULL
      AND p.term_id = t.id AND p.innovation_id = m.id;

    -- Bitmaps: the bits of documents that gained or lost the lexeme, each bitmap once; a lexeme that
    -- has just become frequent gets its bitmap and postings.
    FOR change IN
        WITH moves AS (SELECT * FROM unnest(moved_ids, moved_lexemes, moved_gained) AS m(id, lexeme, gained)),
             net AS (SELECT id, lexeme, gained FROM moves EXCEPT SELECT id, lexeme, NOT gained FROM moves),
             changed AS (
                 SELECT lexeme, array_agg(id) FILTER (WHERE gained) AS gained,
                        array_agg(id) FILTER (WHERE NOT gained) AS lost
                 FROM net GROUP BY lexeme
             ),
             holders AS (SELECT lexeme, array_agg(id) AS ids FROM moves WHERE gained GROUP BY lexeme)
        SELECT t.id, t.lexeme, t.bits IS NOT NULL AS indexed, t.documents >= threshold AS frequent,
               t.documents - coalesce(cardinality(h.ids), 0) AS holders_outside, c.gained, c.lost,
               h.ids AS holders
        FROM changed c JOIN innovations_searchterm t ON t.lexeme = c.lexeme
        LEFT JOIN holders h ON h.lexeme = c.lexeme
        ORDER BY t.id
    LOOP
        IF change.indexed THEN
            UPDATE innovations_searchterm
            SET bits = innovations_bits_set(innovations_bits_set(bits, change.lost, 0), change.gained, 1)
            WHERE id = change.id;
        ELSIF change.frequent THEN
            -- Just became frequent: the batch's holders are in hand. Those outside the batch (counted
            -- before it, fewer than the threshold) are looked up through the GIN index, never by a
            -- scan testing every document's vector; one waiting in the queue gets its bit in its batch.
            UPDATE innovations_searchterm SET bits = innovations_bits_set(innovations_bits_zero(size), change.holders, 1)
            WHERE id = change.id;
            IF change.holders_outside > 0 THEN
                IF in_batch IS NULL THEN
                    in_batch := innovations_bits_set(innovations_bits_zero(size), new_ids, 1);
                    scans := current_setting('enable_seqscan');
                END IF;
                PERFORM set_config('enable_seqscan', 'off', true);
                UPDATE innovations_searchterm SET bits = innovations_bits_set(bits,
                    ARRAY(SELECT innovation_id::integer FROM innovations_searchdocument
                          WHERE search_vector @@ innovations_lexeme_query(change.lexeme)
                            AND get_bit(in_batch, innovation_id::integer) = 0),
                    1)
                WHERE id = change.id;
                INSERT INTO innovations_searchposting (term_id, innovation_id, score)
                SELECT change.id, innovation_id, innovations_lexeme_score(search_vector, change.lexeme)
                FROM innovations_searchdocument
                WHERE search_vector @@ innovations_lexeme_query(change.lexeme)
                  AND get_bit(in_batch, innovation_id::integer) = 0
                ON CONFLICT (term_id, innovation_id) DO UPDATE SET score = EXCLUDED.score;
                PERFORM set_config('enable_seqscan', scans, true);
            END IF;
        END IF;
    END LOOP;

    -- The postings of what the documents hold now, for every bitmapped lexeme (those that have just
    -- become frequent included), scored from the vectors in hand. A document that waits in the queue
    -- outside this batch may have its posting already (read above as it is now).
    INSERT INTO innovations_searchposting (term_id, innovation_id, score)
    SELECT t.id, m.id, innovations_lexeme_score(v.vector, m.lexeme)
    FROM unnest(moved_ids, moved_lexemes, moved_gained) AS m(id, lexeme, gained)
    JOIN innovations_searchterm t ON t.lexeme = m.lexeme AND t.bits IS NOT NULL
    JOIN unnest(new_ids, new_vectors) AS v(id, vector) ON v.id = m.id
    WHERE m.gained
    ORDER BY t.id, m.id  -- in the postings' key order: the index is written page after page
    ON CONFLICT (term_id, innovation_id) DO UPDATE SET score = EXCLUDED.score;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("innovations", "0019_possible_duplicates")]

    # Backwards the text batch keeps this function (and innovations_search_text_moves), as correct as
    # migration 0017's.
    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunSQL(TEXT_APPLY, migrations.RunSQL.noop),
    ]
