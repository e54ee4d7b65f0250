"""Learn the lemmas of the bank's words not learned yet (Sastrawi, about 20 ms a word) and re-analyse
the innovations holding them (innovations/analysis.py); the task innovations.learn_search_words does
the same from Celery.

    python manage.py learn_search_words
"""

from django.core.management.base import BaseCommand

from innovations import analysis
from innovations.tasks import catch_up


class Command(BaseCommand):
    help = "Learn the lemmas of the bank's new words and re-analyse the innovations holding them."

    def handle(self, *args, **options):
        learned, reanalysed = analysis.learn_bank()
        applied = catch_up()
        self.stdout.write(
            f"{learned} words learned, {reanalysed} innovations re-analysed, {applied} documents indexed"
        )
