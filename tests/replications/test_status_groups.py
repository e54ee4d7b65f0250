"""Each group of proposal statuses is defined once (replications.statuses); what cannot import it, the
replication-count trigger's SQL in migration 0002, is kept equal to it here."""

import importlib
import re

import pytest
from django.db import connection

from replications.models import Status

TRIGGER_MIGRATION = "replications.migrations.0002_replication_count_trigger"


def statuses_in(sql_list: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([a-z_]+)'", sql_list))


def test_the_trigger_migrations_adopted_literal_is_the_adopted_group():
    migration = importlib.import_module(TRIGGER_MIGRATION)
    assert statuses_in(migration.ADOPTED) == tuple(Status.ADOPTED)


@pytest.mark.django_db
def test_the_installed_trigger_function_counts_the_adopted_group():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('replications_recount_innovation(bigint)'::regprocedure)")
        source = cursor.fetchone()[0]
    listed = re.search(r"status IN \(([^)]*)\)", source, flags=re.IGNORECASE)
    assert listed is not None, source
    assert statuses_in(listed.group(1)) == tuple(Status.ADOPTED)


def test_the_groups_are_made_of_known_statuses_and_fit_together():
    groups = [
        Status.EDITABLE, Status.NOT_PROPOSED, Status.CLOSED, Status.LIVE, Status.WAITING_FOR_REVIEW,
        Status.IN_IMPLEMENTATION, Status.ADOPTED, Status.PUBLIC,
    ]  # fmt: skip
    assert all(set(group) <= set(Status) for group in groups)
    assert set(Status.LIVE) | set(Status.CLOSED) == set(Status)
    assert not set(Status.LIVE) & set(Status.CLOSED)
    assert set(Status.ADOPTED) < set(Status.PUBLIC)


def test_the_main_path_and_its_branches_cover_every_status_in_order():
    branches = {Status.RETURNED, *Status.CLOSED}
    assert set(Status.PATH) | branches == set(Status) and not set(Status.PATH) & branches
    assert list(Status.PATH) == [status for status in Status if status in Status.PATH]  # life-cycle order
