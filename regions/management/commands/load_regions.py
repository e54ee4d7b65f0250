from django.core.management.base import BaseCommand
from django.db import transaction

from regions.models import Province, Regency
from regions.reference import load_regions


class Command(BaseCommand):
    help = "Load or correct the 38 provinces and 514 regencies/cities (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            result = load_regions(Province, Regency)
        self.stdout.write(
            f"provinces created: {result.provinces_created}, regencies created: {result.regencies_created}, "
            f"updated: {result.updated}; now {Province.objects.count()} provinces, "
            f"{Regency.objects.count()} regencies"
        )
