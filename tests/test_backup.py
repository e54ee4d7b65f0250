"""A backup holds the whole site, and a restore gives it back: every table's rows and every uploaded
file, byte for byte, into a new database; an archive is never restored over a site that has data."""

import datetime

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from replications.models import Status
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province, regency

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "innovations_innovation",
    "replications_round",
    "replications_proposal",
    "regions_regency",
    "auth_user",
]


def counts(dbname: str) -> dict[str, int]:
    conf = connection.settings_dict
    params = {
        "dbname": dbname,
        "host": conf["HOST"] or conf["OPTIONS"].get("host"),
        "port": conf["PORT"] or None,
        "user": conf["USER"],
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


@pytest.fixture
def other_database():
    name = connection.settings_dict["NAME"] + "_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_new_database_holds_every_row_and_file(
    tmp_path, settings, other_database, reference_data, staff_padang_panjang
):
    proposal = ProposalFactory(
        round=RoundFactory(province=province("13")), regency=regency("13.74"),
        innovation=InnovationFactory(name="Menyeting Gigi Emas"), status=Status.DRAFT,
        letter_date=datetime.date(2021, 8, 27),
    )  # fmt: skip
    letter = b"%PDF-1.4 surat usulan Kota Padang Panjang"
    proposal.letter_file.save("surat.pdf", ContentFile(letter))
    archive = tmp_path / "replikasi.tar"
    call_command("backup", str(archive), verbosity=0)
    media = tmp_path / "restored-media"
    call_command("restore", str(archive), database=other_database, media=media, verbosity=0)
    assert counts(other_database) == counts(connection.settings_dict["NAME"])
    assert (media / proposal.letter_file.name).read_bytes() == letter


def test_a_restore_refuses_a_database_that_holds_data_or_files_that_exist(tmp_path, settings):
    archive = tmp_path / "replikasi.tar"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive), verbosity=0)  # the site's own database
    (tmp_path / "junk.tar").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(tmp_path / "junk.tar"), verbosity=0)
