"""Time a spreadsheet import of the national team's size: 10,000 innovations of realistic text, as
an XLSX file, read, planned and imported in one transaction, then the search index brought current.

    make bench-import                      # or: python manage.py bench_import --rows 10000

Runs in a database of its own (<site database>_bench_import), emptied of innovations first, and
imports the same file a second time to time the idempotent path (every row unchanged).
"""

from __future__ import annotations

import io
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from openpyxl import Workbook

from devtools.benchmarks import use_database
from devtools.management.commands.bench_bank import CATEGORIES, FIELD_WORDS, Corpus
from innovations.models import Category, Innovation, SearchBacklog, SearchDocument
from innovations.spreadsheets import importing, reading
from innovations.spreadsheets.columns import COLUMNS
from regions.models import Regency

TEXT_COLUMNS = {"summary": "ringkasan", "background": "latar_belakang", "novelty": "kebaruan",
                "implementation": "implementasi", "results_after": "hasil_setelah"}  # fmt: skip


class Command(BaseCommand):
    help = "Time the import of a large innovations spreadsheet (10,000 rows by default)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--database", default="", help="database name (default: <current>_bench_import)")

    def handle(self, *args, rows, database, **options):
        from django.conf import settings

        use_database(database or f"{settings.DATABASES['default']['NAME']}_bench_import", self.stdout)
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE innovations_innovation, regions_agency RESTART IDENTITY CASCADE")
        data = self.spreadsheet(rows)
        self.stdout.write(f"spreadsheet: {rows} rows, {len(data) / 2**20:.1f} MB of XLSX")
        for attempt in ("first import", "same file again"):
            timings = {}
            started = time.perf_counter()
            read = reading.read(data)
            timings["read"] = time.perf_counter() - started
            mark = time.perf_counter()
            plan = importing.plan_import(read)
            timings["plan"] = time.perf_counter() - mark
            mark = time.perf_counter()
            result = importing.apply(plan)  # commits, then brings the search index current
            timings["write + index"] = time.perf_counter() - mark
            total = time.perf_counter() - started
            self.stdout.write(
                f"{attempt}: {total:.1f} s in all ("
                + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
                + f"); rows {dict(plan.counts)}, created {result['created']}"
            )
        self.stdout.write(
            f"bank: {Innovation.objects.count()} innovations, {SearchDocument.objects.count()} search documents, "
            f"{SearchBacklog.objects.count()} texts waiting for the index"
        )

    def spreadsheet(self, count: int) -> bytes:
        rng = random.Random(14)
        corpus = Corpus(rng, tail=20_000)
        regencies = list(Regency.objects.values_list("code", flat=True))
        labels = {code: str(label) for code, label in Category.choices}
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("inovasi")
        headers = ["nama_inovasi", "instansi", "wilayah", "kategori", "sdg", "tahun_mulai", "diterbitkan",
                   *TEXT_COLUMNS.values()]  # fmt: skip
        sheet.append(headers)
        offices = ["Dinas Kesehatan", "Dinas Pendidikan", "Bappeda", "Dinas Kominfo", "RSUD"]
        for number in range(count):
            category = rng.choice(CATEGORIES)
            name, _long = corpus.name(rng, category)
            texts = [corpus.text(rng, rng.randint(*FIELD_WORDS[field]), category) for field in TEXT_COLUMNS]
            sheet.append([
                f"{name} {number}", rng.choice(offices), rng.choice(regencies), labels[category],
                f"{rng.randint(1, 17)}, {rng.randint(1, 17)}", rng.randint(2012, 2025), "ya", *texts,
            ])  # fmt: skip
        out = io.BytesIO()
        workbook.save(out)
        assert {c.header for c in COLUMNS} >= set(headers)
        return out.getvalue()
