"""Measure the bank's pages at scale, in a database of their own.

    python manage.py bench_bank [--innovations 100000] [--proposals 50000] [--requests 200]

Creates (or reuses) the database `<name>_bench` on the same server, migrates it, fills it with
realistic Indonesian innovations spread over all 514 regencies, then serves each page through the
full Django stack in this process and prints, per page: p50 and p95 of the time in the server,
the p50 of its SQL and of the rest (framework, view, rendering),
the SQL queries each request made, and the ratio of the page's time to the time of its own SQL.
The budgets (DESIGN.md): ranked search with facets p95 <= 50 ms; a page within 3x its SQL.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils.text import slugify

from devtools.benchmarks import use_database

PROBLEMS = [
    "angka stunting tinggi pada balita",
    "anak putus sekolah dan anak tidak sekolah",
    "antrean panjang pengurusan akta kelahiran",
    "rendahnya cakupan imunisasi dasar",
    "sampah plastik menumpuk di pasar tradisional",
    "lamanya proses perizinan usaha mikro",
    "tingginya angka kematian ibu melahirkan",
    "keterlambatan pelayanan rujukan pasien",
    "data kependudukan tidak mutakhir",
    "rendahnya minat baca masyarakat desa",
    "banjir musiman di permukiman padat",
    "pungutan liar dalam pelayanan publik",
    "kemiskinan ekstrem di desa terpencil",
    "rendahnya pendapatan petani dan nelayan",
    "sulitnya akses air bersih",
    "pelayanan kesehatan jiwa yang terbatas",
]
SOLUTIONS = [
    "layanan jemput bola oleh petugas kelurahan",
    "aplikasi daring terintegrasi dengan data kependudukan",
    "kelas ibu hamil dan pendampingan gizi di posyandu",
    "gerakan masyarakat bersama kader desa",
    "pelayanan satu pintu di mal pelayanan publik",
    "bank sampah berbasis komunitas",
    "sistem informasi terpadu antar perangkat daerah",
    "pendampingan keluarga oleh tim lintas sektor",
    "kerja sama dengan dunia usaha dan perguruan tinggi",
    "pemanfaatan dana desa untuk layanan dasar",
    "pos pelayanan keliling ke desa terpencil",
    "pengaduan masyarakat melalui pesan singkat",
]
RESULTS = [
    "prevalensi stunting turun dari {a} persen menjadi {b} persen",
    "waktu layanan berkurang dari {a} hari menjadi {b} hari",
    "cakupan layanan naik dari {a} persen menjadi {b} persen",
    "jumlah pengaduan turun {a} persen dalam {b} bulan",
]
NAME_WORDS = [
    "Sehat",
    "Cerdas",
    "Gerak",
    "Layan",
    "Desa",
    "Mandiri",
    "Peduli",
    "Terpadu",
    "Siaga",
    "Bersih",
    "Cepat",
    "Emas",
    "Bunda",
    "Anak",
    "Tani",
    "Data",
    "Akta",
    "Izin",
    "Sigap",
    "Ramah",
]
NAME_PREFIXES = ["SI", "E", "GERAI", "PAK", "BU", "KAMPUNG", "POS", "LAYAN", "SAPA", "JEMPUT"]
QUERIES = [
    "stunting",
    "pencegahan stunting",
    "anak putus sekolah",
    "antrean akta kelahiran",
    "akte kelahiran dana desa",
    "ijin usaha mikro",
    "sampah plastik pasar",
    "imunisasi desa terpencil",
    "kematian ibu",
    "pelayanan kesehatan jiwa",
    "air bersih",
    "kemiskinan ekstrem petani",
]
FACET_SETS = [
    {},
    {"category": "health"},
    {"province": "13"},
    {"category": "education", "level": "office"},
    {"kipp_year": "2020"},
    {"sdg": "3", "replicated": "yes"},
]


class Command(BaseCommand):
    help = "Fill a separate database with a large realistic bank and measure the public pages."

    def add_arguments(self, parser):
        parser.add_argument("--innovations", type=int, default=100_000)
        parser.add_argument("--proposals", type=int, default=50_000)
        parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
        parser.add_argument("--database", default="", help="database name (default: <current>_bench)")
        parser.add_argument("--refill", action="store_true", help="empty and refill the bench database")

    def handle(self, *args, **options):
        name = options["database"] or f"{settings.DATABASES['default']['NAME']}_bench"
        use_database(name, self.stdout)
        call_command("migrate", verbosity=0)
        self.fill(options["innovations"], options["proposals"], options["refill"])
        cache.clear()
        # Measure as production runs: no DEBUG query log, no debug pages.
        settings.DEBUG = False
        self.measure(options["requests"])

    # --- the database --------------------------------------------------------------------------

    def fill(self, innovation_target: int, proposal_target: int, refill: bool) -> None:
        from innovations.models import Innovation

        if refill:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE replications_proposal, replications_round_participants, replications_round_shortlist, "
                    "replications_round, innovations_kippaward, innovations_innovation_sdgs, innovations_innovation, "
                    "regions_agency RESTART IDENTITY CASCADE"
                )
        have = Innovation.objects.count()
        if have >= innovation_target:
            self.stdout.write(f"{have} innovations already present: reusing them")
            return
        started = time.monotonic()
        rng = random.Random(2021)
        with transaction.atomic():  # a half-filled bench database is never reused
            with connection.cursor() as cursor:
                # The search index is built once at the end, not one document at a time.
                cursor.execute("SET LOCAL replikasi.defer_search_index = 'on'")
            agencies = self.ensure_agencies()
            self.insert_innovations(rng, agencies, innovation_target - have)
            self.insert_awards_and_sdgs(rng)
            self.insert_proposals(rng, proposal_target)
            with connection.cursor() as cursor:
                cursor.execute("SELECT innovations_rebuild_search_index()")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with connection.cursor() as cursor:
            connection.ensure_connection()
            cursor.execute("VACUUM ANALYZE innovations_innovation")
            # The fill rewrites every search document twice more (SDG links, awards): compact the
            # table, as a restored database or one whose autovacuum kept up holds it.
            cursor.execute("VACUUM (FULL, ANALYZE) innovations_searchdocument")
            for table in ("innovations_searchterm", "innovations_searchfacet", "innovations_searchposting"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(f"filled in {time.monotonic() - started:.0f} s")

    def ensure_agencies(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO regions_agency (name, level, regency_id, province_id)
                SELECT 'Pemerintah ' || r.name, 'regency_government', r.id, r.province_id FROM regions_regency r
                ON CONFLICT DO NOTHING;
                INSERT INTO regions_agency (name, level, parent_id, regency_id, province_id)
                SELECT office.name, 'office', a.id, a.regency_id, a.province_id
                FROM regions_agency a
                CROSS JOIN (VALUES ('Dinas Kesehatan'), ('Dinas Pendidikan'), ('Dinas Kependudukan dan Pencatatan Sipil'),
                                   ('Dinas Komunikasi dan Informatika'), ('Bappeda'), ('Dinas Lingkungan Hidup'))
                     AS office(name)
                WHERE a.level = 'regency_government'
                ON CONFLICT DO NOTHING;
                """
            )
            cursor.execute("SELECT id FROM regions_agency ORDER BY id")
            return [row[0] for row in cursor.fetchall()]

    def insert_innovations(self, rng: random.Random, agencies: list[int], count: int) -> None:
        categories = [
            "poverty",
            "education",
            "health",
            "food_security",
            "economy",
            "empowerment",
            "gender",
            "environment",
            "governance",
            "law",
        ]
        batch, done = [], 0
        columns = (
            "name, long_name, slug, owner_agency_id, category, affair, form, is_digital, stage, launch_year, summary, "
            "background, novelty, implementation, significance, results_before, results_after, adaptability, "
            "resources, sustainability, replication_prerequisites, contact_name, contact_email, contact_phone, "
            "is_published, last_reviewed_on, created_at, updated_at, replication_count"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM innovations_innovation")
            offset = cursor.fetchone()[0]
            for index in range(count):
                problem, solution = rng.choice(PROBLEMS), rng.choice(SOLUTIONS)
                result = rng.choice(RESULTS).format(a=rng.randint(20, 60), b=rng.randint(2, 19))
                name = f"{rng.choice(NAME_PREFIXES)}-{rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)} {offset + index + 1}"
                batch.append(
                    (
                        name,
                        f"{solution.capitalize()} untuk mengatasi {problem}",
                        slugify(name)[:200],
                        rng.choice(agencies),
                        rng.choice(categories),
                        "",
                        "public_service",
                        rng.random() < 0.6,
                        "implementation",
                        rng.randint(2012, 2025),
                        f"Inovasi ini mengatasi {problem} melalui {solution}.",
                        f"Sebelum inovasi, {problem} menjadi keluhan utama warga.",
                        f"Pertama kali {solution} diterapkan di daerah ini.",
                        f"Petugas menjalankan {solution} setiap pekan bersama kader.",
                        f"Hasilnya {result}.",
                        f"Sebelumnya {problem}.",
                        f"Setelah inovasi, {result}.",
                        "Dapat diterapkan daerah lain dengan anggaran kecil.",
                        "APBD dan dana desa.",
                        "Diatur dalam peraturan kepala daerah.",
                        "Komitmen kepala daerah dan data sasaran.",
                        "Narahubung",
                        "inovasi@example.go.id",
                        "0800000000",
                        rng.random() < 0.97,
                        None,
                    )
                )
                if len(batch) == 2000 or index == count - 1:
                    placeholders = ", ".join(
                        ["(" + ", ".join(["%s"] * 26) + ", now(), now(), 0)"] * len(batch)
                    )
                    cursor.execute(
                        f"INSERT INTO innovations_innovation ({columns}) VALUES {placeholders}",
                        [value for row in batch for value in row],
                    )
                    done += len(batch)
                    batch = []
                    self.stdout.write(f"  innovations: {done}/{count}", ending="\r")
        self.stdout.write("")

    def insert_awards_and_sdgs(self, rng: random.Random) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO innovations_innovation_sdgs (innovation_id, sdg_id)
                SELECT i.id, s.id FROM innovations_innovation i
                JOIN innovations_sdg s ON s.number IN (1 + i.id % 17, 1 + (i.id * 7) % 17)
                ON CONFLICT DO NOTHING;
                INSERT INTO innovations_kippaward (innovation_id, edition_id, "group", tier)
                SELECT i.id, e.id, CASE WHEN e.year >= 2020 AND i.id % 3 = 0 THEN 'replikasi' ELSE 'umum' END,
                       CASE WHEN i.id % 5 = 0 THEN e.top_tier ELSE 'top99' END
                FROM innovations_innovation i
                JOIN innovations_kippedition e ON e.year = 2014 + i.id % 11
                WHERE i.id % 90 = 0
                ON CONFLICT DO NOTHING;
                """
            )

    def insert_proposals(self, rng: random.Random, count: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM replications_proposal")
            if cursor.fetchone()[0] >= count:
                return
            cursor.execute(
                """
                INSERT INTO replications_round (province_id, title, fgd_date, deadline, mentor, notes, created_at)
                SELECT p.id, 'Putaran replikasi ' || p.name || ' ' || y, make_date(y, 8, 1), make_date(y, 8, 30),
                       'Perguruan tinggi mitra', '', now()
                FROM regions_province p CROSS JOIN generate_series(2019, 2025) AS y
                ON CONFLICT DO NOTHING
                """
            )
            cursor.execute(
                """
                INSERT INTO replications_proposal
                    (round_id, regency_id, innovation_id, local_name, problem, expected_results, letter_number,
                     letter_date, letter_file, status, submitted_at, created_at, updated_at)
                SELECT DISTINCT ON (ro.id, r.id, i.id)
                       ro.id, r.id, i.id, '', 'Masalah daerah', 'Hasil yang diharapkan', 'B/' || n || '/2021',
                       ro.deadline, 'private/letters/bench.pdf',
                       (ARRAY['submitted','verified','approved','committed','implementing','replicated'])[1 + n %% 6],
                       now(), now(), now()
                FROM generate_series(1, %s) AS n
                JOIN regions_regency r ON r.id = 1 + (n * 7919) %% 514
                JOIN replications_round ro ON ro.province_id = r.province_id AND ro.deadline = make_date(2019 + n %% 7, 8, 30)
                JOIN innovations_innovation i ON i.id = 1 + (n::bigint * 104729) %% (SELECT max(id) FROM innovations_innovation)
                ON CONFLICT DO NOTHING
                """,
                [count],
            )

    # --- the measurement -----------------------------------------------------------------------

    @contextmanager
    def sql_timer(self, record: list[float]):
        def wrapper(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                record.append(time.perf_counter() - started)

        with connection.execute_wrapper(wrapper):
            yield

    def measure(self, requests: int) -> None:
        from django.db.models import Count

        from innovations.models import Innovation, KippEdition, SearchDocument
        from innovations.signals import bump

        client = Client(HTTP_HOST="localhost")
        rng = random.Random(7)
        slugs = list(Innovation.objects.published().order_by("?").values_list("slug", flat=True)[:200])
        years = list(KippEdition.objects.values_list("year", flat=True))
        busiest_agencies = list(
            SearchDocument.objects.filter(is_published=True)
            .values("owner_agency_id")
            .annotate(count=Count("pk"))
            .order_by("-count", "owner_agency_id")
            .values_list("owner_agency_id", flat=True)[:5]
        )
        pages: dict[str, Callable[[], str]] = {
            "search+facets cold": lambda: (
                "/inovasi/?" + self.query(rng.choice(QUERIES), rng.choice(FACET_SETS))
            ),
            "search+facets warm": lambda: (
                "/inovasi/?" + self.query(rng.choice(QUERIES), rng.choice(FACET_SETS))
            ),
            "list cold": lambda: "/inovasi/?" + self.query("", rng.choice(FACET_SETS)),
            "list warm": lambda: "/inovasi/?" + self.query("", rng.choice(FACET_SETS)),
            "find by problem": lambda: (
                "/inovasi/cari-masalah/?problem=" + "+".join(rng.choice(PROBLEMS).split())
            ),
            "profile cold": lambda: f"/inovasi/{rng.choice(slugs)}/",
            "province page": lambda: f"/wilayah/{rng.choice(['13', '33', '32', '73', '91'])}/",
            "regency page": lambda: f"/wilayah/{rng.choice(['13.74', '33.71', '32.18', '73.72'])}/",
            "agency page": lambda: f"/instansi/{rng.choice(busiest_agencies)}/",
            "KIPP edition": lambda: f"/kipp/{rng.choice(years)}/",
            "KIPP editions": lambda: "/kipp/",
            "home": lambda: "/",
            # The framework's own floor: every middleware, no view work and no SQL.
            "floor (/healthz)": lambda: "/healthz",
        }
        self.stdout.write(
            f"\n{Innovation.objects.count():,} innovations; {requests} requests per page, in-process; "
            "cold: caches emptied before each request, warm: every URL requested once before; "
            f"load average {load_average()}\n"
        )
        header = f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'app p50':>8} {'queries':>8} {'page/SQL':>9}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, make_url in pages.items():
            urls = [make_url() for _ in range(requests)]
            # Warm-up: every URL once, so "warm" rows read what a running site has cached.
            for url in urls if "cold" not in name else urls[:5]:
                client.get(url)
            totals, sql_totals, query_counts = [], [], set()
            for url in urls:
                if "cold" in name:
                    bump()  # facet counts and ranked pages computed afresh, as on a first visit
                record: list[float] = []
                with self.sql_timer(record):
                    started = time.perf_counter()
                    response = client.get(url)
                    totals.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                sql_totals.append(sum(record))
                query_counts.add(len(record))
            p50, p95 = percentile(totals, 50), percentile(totals, 95)
            ratios = [t / s for t, s in zip(totals, sql_totals, strict=True) if s]
            # The time the request spent outside SQL: framework, view, rendering.
            app = [t - s for t, s in zip(totals, sql_totals, strict=True)]
            ratio = f"{statistics.median(ratios):>8.2f}x" if ratios else f"{'-':>9}"
            self.stdout.write(
                f"{name:<20} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {percentile(sql_totals, 50) * 1000:>8.1f} "
                f"{percentile(app, 50) * 1000:>8.1f} {'/'.join(map(str, sorted(query_counts))):>8} {ratio}"
            )

        # Figures move with the machine's load: say what it was when they were taken.
        self.stdout.write(f"load average at the end: {load_average()}")

    @staticmethod
    def query(q: str, facets: dict[str, str]) -> str:
        from urllib.parse import urlencode

        return urlencode({**({"q": q} if q else {}), **facets})


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())
