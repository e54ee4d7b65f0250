"""Rebuild the search index (facet and lexeme bitmaps, postings) from the search documents.

    python manage.py rebuild_search_index

For operators: database triggers keep the index current on every write, so this is needed only
after the documents were written with the triggers off or deferred (a restore made with
`pg_restore --disable-triggers`, a bulk load under `SET replikasi.defer_search_index = on`). Safe
while the site runs: writers wait for it, readers see the old index until it commits.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from innovations.models import SearchFacet, SearchPosting, SearchTerm


class Command(BaseCommand):
    help = "Rebuild the search index (bitmaps and postings) from the search documents."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT innovations_rebuild_search_index()")
        self.stdout.write(
            f"search index rebuilt in {time.monotonic() - started:.1f} s: "
            f"{SearchFacet.objects.count()} facet values, "
            f"{SearchTerm.objects.exclude(bits=None).count()} of {SearchTerm.objects.count()} lexemes "
            f"with a bitmap, {SearchPosting.objects.count()} postings"
        )
