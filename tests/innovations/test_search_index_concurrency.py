"""An award given while another connection edits the same innovation's text: both changes reach the
search document and its index, whichever commits first (two real database connections)."""

import threading
import time

import pytest
from django.db import connection, transaction

from innovations.models import Innovation, KippAward, SearchDocument, Tier
from tests.factories import InnovationFactory, edition

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_another_connection_waits_for_a_lock(seconds: float = 10) -> None:
    with connection.cursor() as cursor:
        for _ in range(int(seconds / 0.05)):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction otherwise reads one snapshot
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the other connection never waited for this transaction")


def test_an_award_given_during_a_text_edit_is_not_lost(reference_data):
    innovation = InnovationFactory(summary="Pencegahan stunting di desa.")
    award_written = threading.Event()
    errors = []

    def give_award():
        try:
            with transaction.atomic():
                KippAward.objects.create(innovation=innovation, edition=edition(2021), tier=Tier.TOP_99)
                award_written.set()
                wait_until_another_connection_waits_for_a_lock()  # the edit, blocked by this transaction
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    def edit_text():
        try:
            award_written.wait(timeout=10)
            Innovation.objects.filter(pk=innovation.pk).update(summary="Air bersih untuk sekolah.")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=give_award), threading.Thread(target=edit_text)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    document = SearchDocument.objects.get(pk=innovation.pk)
    assert document.award_keys == ["2021:top99:umum"]
    assert "'bersih'" in str(document.search_vector)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT get_bit(bits, %s) FROM innovations_searchfacet WHERE key = 'award:2021:top99:umum'",
            [innovation.pk],
        )
        assert cursor.fetchone() == (1,)
