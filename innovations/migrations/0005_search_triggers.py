"""Triggers that keep `innovations_innovation.search_vector` current on every write, bulk ones included.

Weights: A name and long name; B the problem (summary, background); C the solution and its results
(novelty, implementation, significance, before/after, adaptability); D who and where (the owner
agency, its parent, its regency and province). Renaming an agency or a region re-indexes the
innovations it owns.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION innovations_search_document(inn innovations_innovation) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT
        setweight(replikasi_lexemes(concat_ws(' ', inn.name, inn.long_name)), 'A')
        || setweight(replikasi_lexemes(concat_ws(' ', inn.summary, inn.background)), 'B')
        || setweight(replikasi_lexemes(concat_ws(' ', inn.novelty, inn.implementation, inn.significance,
                                                 inn.results_before, inn.results_after, inn.adaptability)), 'C')
        || setweight(replikasi_lexemes(coalesce((
               SELECT concat_ws(' ', agency.name, parent.name, regency.name, province.name)
               FROM regions_agency agency
               LEFT JOIN regions_agency parent ON parent.id = agency.parent_id
               LEFT JOIN regions_regency regency ON regency.id = agency.regency_id
               LEFT JOIN regions_province province ON province.id = agency.province_id
               WHERE agency.id = inn.owner_agency_id), '')), 'D')
$$;

CREATE OR REPLACE FUNCTION innovations_innovation_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := innovations_search_document(NEW);
    RETURN NEW;
END
$$;

CREATE TRIGGER innovations_innovation_search
BEFORE INSERT OR UPDATE ON innovations_innovation
FOR EACH ROW EXECUTE FUNCTION innovations_innovation_search_trigger();

-- A renamed or moved agency, or a renamed region, re-indexes what it owns.
CREATE OR REPLACE FUNCTION innovations_reindex_owned_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'regions_agency' THEN
        UPDATE innovations_innovation SET search_vector = NULL
        WHERE owner_agency_id = NEW.id
           OR owner_agency_id IN (SELECT id FROM regions_agency WHERE parent_id = NEW.id);
    ELSIF TG_TABLE_NAME = 'regions_regency' THEN
        UPDATE innovations_innovation SET search_vector = NULL
        WHERE owner_agency_id IN (SELECT id FROM regions_agency WHERE regency_id = NEW.id);
    ELSE
        UPDATE innovations_innovation SET search_vector = NULL
        WHERE owner_agency_id IN (SELECT id FROM regions_agency WHERE province_id = NEW.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER innovations_agency_reindex
AFTER UPDATE OF name, parent_id, regency_id, province_id ON regions_agency
FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
EXECUTE FUNCTION innovations_reindex_owned_trigger();

CREATE TRIGGER innovations_regency_reindex
AFTER UPDATE OF name ON regions_regency
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION innovations_reindex_owned_trigger();

CREATE TRIGGER innovations_province_reindex
AFTER UPDATE OF name ON regions_province
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION innovations_reindex_owned_trigger();

UPDATE innovations_innovation SET search_vector = NULL;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS innovations_province_reindex ON regions_province;
DROP TRIGGER IF EXISTS innovations_regency_reindex ON regions_regency;
DROP TRIGGER IF EXISTS innovations_agency_reindex ON regions_agency;
DROP FUNCTION IF EXISTS innovations_reindex_owned_trigger();
DROP TRIGGER IF EXISTS innovations_innovation_search ON innovations_innovation;
DROP FUNCTION IF EXISTS innovations_innovation_search_trigger();
DROP FUNCTION IF EXISTS innovations_search_document(innovations_innovation);
"""


class Migration(migrations.Migration):
    dependencies = [("innovations", "0004_search_vector"), ("regions", "0002_load_reference_regions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
