"""Keep innovations_innovation.replication_count equal to the number of its proposals that reached a
commitment or beyond (committed, implementing, replicated), on every write, bulk ones included."""

from django.db import migrations

ADOPTED = "('committed', 'implementing', 'replicated')"

FORWARD = f"""
CREATE OR REPLACE FUNCTION replications_recount_innovation(innovation bigint) RETURNS void
LANGUAGE sql AS $$
    UPDATE innovations_innovation SET replication_count = (
        SELECT count(*) FROM replications_proposal
        WHERE innovation_id = innovation AND status IN {ADOPTED}
    ) WHERE id = innovation;
$$;

CREATE OR REPLACE FUNCTION replications_proposal_recount_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM replications_recount_innovation(OLD.innovation_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.innovation_id <> OLD.innovation_id
                                          OR NEW.status IS DISTINCT FROM OLD.status) THEN
        PERFORM replications_recount_innovation(NEW.innovation_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER replications_proposal_recount
AFTER INSERT OR DELETE OR UPDATE OF status, innovation_id ON replications_proposal
FOR EACH ROW EXECUTE FUNCTION replications_proposal_recount_trigger();

UPDATE innovations_innovation i SET replication_count = (
    SELECT count(*) FROM replications_proposal p WHERE p.innovation_id = i.id AND p.status IN {ADOPTED}
);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS replications_proposal_recount ON replications_proposal;
DROP FUNCTION IF EXISTS replications_proposal_recount_trigger();
DROP FUNCTION IF EXISTS replications_recount_innovation(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("replications", "0001_initial"), ("innovations", "0006_replication_count")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
