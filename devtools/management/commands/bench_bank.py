"""Measure the bank's pages and writes at scale, in a database of its own.

    python manage.py bench_bank [--innovations 100000] [--proposals 50000] [--requests 200]
                                [--edits 30] [--inserts 1000] [--pages NAME] [--refill]

Creates (or reuses) the database `<name>_bench` on the same server, migrates it, fills it with
innovations of realistic Indonesian text (Corpus: a long-tailed vocabulary) spread over all 514
regencies, then serves each page through the full Django stack in this process and prints, per
page: p50 and p95 of the time in the server, the p50 of its SQL and of the rest (framework, view,
rendering) and the SQL queries each request made. Searches are timed for the officers' broad
queries and for rare words apart; a plain peer (a stored `indonesian` tsvector with GIN,
`ts_rank_cd`, one GROUP BY per facet, table bench_peer) runs the same queries in the same run, and
the ratio of its p95 to ours is printed. Then the writes: one summary edited through the ORM
(p50/p95), and --inserts innovations inserted in one statement (seconds, WAL written, growth of the
search's tables; rolled back afterwards). Budgets: README, "Benchmark".
"""

from __future__ import annotations

import csv
import gc
import itertools
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils.text import slugify

from devtools.benchmarks import sql_timer, use_database

DATA = Path(__file__).resolve().parents[2] / "data"
REGENCIES = Path(__file__).resolve().parents[3] / "regions" / "data" / "regencies.csv"
# What officers type into the bank (an outside review's sample): broad, common words.
OFFICER_QUERIES = [
    "pelayanan kesehatan",
    "rumah sakit",
    "air bersih",
    "sekolah",
    "pelayanan publik",
    "administrasi kependudukan",
    "stunting",
    "posyandu",
    "akta kelahiran",
    "perizinan usaha",
    "sampah",
    "pengaduan masyarakat",
    "ibu hamil",
    "dana desa",
    "imunisasi",
    "puskesmas",
    "bantuan sosial",
    "kemiskinan",
    "pendidikan anak",
    "petani",
]
# Rarer words: chosen at measuring time from the corpus's tail, held by 50 to 2,000 documents.
RARE_QUERIES = 20
RARE_DOCUMENTS = (50, 2000)
PROBLEMS = [
    "angka stunting tinggi pada balita",
    "anak putus sekolah dan anak tidak sekolah",
    "antrean panjang pengurusan akta kelahiran",
    "rendahnya cakupan imunisasi dasar",
    "sampah plastik menumpuk di pasar tradisional",
    "lamanya proses perizinan usaha mikro",
    "tingginya angka kematian ibu melahirkan",
    "sulitnya akses air bersih",
]
FACET_SETS = [
    {},
    {"category": "health"},
    {"province": "13"},
    {"category": "education", "level": "office"},
    {"kipp_year": "2020"},
    {"sdg": "3", "replicated": "yes"},
]
CATEGORIES = [
    "poverty", "education", "health", "food_security", "economy",
    "empowerment", "gender", "environment", "governance", "law",
]  # fmt: skip
# Words per field of a record, as in the KIPP records the corpus imitates (min, max).
FIELD_WORDS = {
    "summary": (50, 90),
    "background": (100, 170),
    "novelty": (50, 90),
    "implementation": (100, 170),
    "significance": (40, 70),
    "results_before": (30, 50),
    "results_after": (30, 50),
    "adaptability": (30, 50),
}


PEER_VECTOR = """
    setweight(to_tsvector('indonesian', concat_ws(' ', i.name, i.long_name)), 'A')
    || setweight(to_tsvector('indonesian', concat_ws(' ', i.summary, i.background)), 'B')
    || setweight(to_tsvector('indonesian', concat_ws(' ', i.novelty, i.implementation, i.significance,
                                                i.results_before, i.results_after, i.adaptability)), 'C')
    || setweight(to_tsvector('indonesian', concat_ws(' ', a.name, parent.name, r.name, p.name)), 'D')"""


class Corpus:
    """Indonesian public-service text with a long-tailed vocabulary.

    Content words are drawn with Zipf frequencies (rank r has weight 1/r) from the hand-written list
    of devtools/data/vocabulary_id.txt, then the words of regency names, then some 40,000 generated
    words of Indonesian syllables standing for the names, acronyms and local terms that make a real
    bank's tail: a few thousand words are common and tens of thousands rare. A record leans on its
    category's topic words, a third of its content words are function words, and each record has a
    name of its own (an acronym) that few others share.
    """

    SYLLABLES = [c + v for c in "bcdgjklmnprstw" for v in "aiueo"] + ["ng" + v for v in "aiu"]
    ENDINGS = ["", "", "", "n", "k", "r", "ng", "t", "s", "l", "h", "m"]

    def __init__(self, rng: random.Random, tail: int = 40_000) -> None:
        sections: dict[str, list[str]] = {}
        current = ""
        for line in (DATA / "vocabulary_id.txt").read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                current = line.strip("[]")
                continue
            sections.setdefault(current, []).append(line)
        self.function = sections["function"]
        common = list(dict.fromkeys(sections["common"]))
        # Phrases take the rank of every eighth common word: "rumah sakit" is as frequent as a word.
        for index, phrase in enumerate(sections["phrase"]):
            common.insert(min(len(common), 8 * index + 3), phrase)
        known = {word for item in common for word in item.split()}
        places = []
        with REGENCIES.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                for word in row["name"].lower().split():
                    if word not in known and word not in ("kabupaten", "kota"):
                        known.add(word)
                        places.append(word)
        generated: list[str] = []
        while len(generated) < tail:
            word = "".join(rng.choice(self.SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
            word += rng.choice(self.ENDINGS)
            if word not in known:
                known.add(word)
                generated.append(word)
        self.tail = generated
        self.ranked = common + places + generated
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(self.ranked) + 1)))
        self.topics = {
            name.split(":", 1)[1]: words for name, words in sections.items() if name.startswith("topic:")
        }
        self.topic_cumulative = {
            name: list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
            for name, words in self.topics.items()
        }
        self.function_cumulative = list(
            itertools.accumulate(1 / rank for rank in range(1, len(self.function) + 1))
        )

    def words(self, rng: random.Random, count: int, category: str) -> list[str]:
        content = round(count * 2 / 3)
        topical = content // 4
        drawn = rng.choices(self.ranked, cum_weights=self.cumulative, k=content - topical)
        drawn += rng.choices(self.topics[category], cum_weights=self.topic_cumulative[category], k=topical)
        drawn += rng.choices(self.function, cum_weights=self.function_cumulative, k=count - content)
        rng.shuffle(drawn)
        return drawn

    def text(self, rng: random.Random, count: int, category: str) -> str:
        words = self.words(rng, count, category)
        sentences, start = [], 0
        while start < len(words):
            length = rng.randint(8, 16)
            sentence = " ".join(words[start : start + length])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start += length
        return " ".join(sentences)

    def name(self, rng: random.Random, category: str) -> tuple[str, str]:
        acronym = rng.choice(self.tail[: len(self.tail) // 2] + self.tail).upper()
        words = [word.capitalize() for word in self.words(rng, 6, category) if " " not in word][:3]
        return f"{acronym} {' '.join(words[:2])}".strip(), f"{acronym} " + " ".join(words)


class Command(BaseCommand):
    help = "Fill a separate database with a large realistic bank and measure its pages and writes."

    def add_arguments(self, parser):
        parser.add_argument("--innovations", type=int, default=100_000)
        parser.add_argument("--proposals", type=int, default=50_000)
        parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
        parser.add_argument("--database", default="", help="database name (default: <current>_bench)")
        parser.add_argument("--refill", action="store_true", help="empty and refill the bench database")
        parser.add_argument("--edits", type=int, default=30, help="single edits timed")
        parser.add_argument("--inserts", type=int, default=1000, help="innovations inserted in one go")
        parser.add_argument("--pages", default="", help="only the page rows whose name holds this")

    def handle(self, *args, **options):
        name = options["database"] or f"{settings.DATABASES['default']['NAME']}_bench"
        use_database(name, self.stdout)
        call_command("migrate", verbosity=0)
        self.corpus = Corpus(random.Random(1945))
        self.fill(options["innovations"], options["proposals"], options["refill"])
        self.ensure_peer()
        cache.clear()
        # Measure as production runs: no DEBUG query log, no debug pages.
        settings.DEBUG = False
        self.measure(options["requests"], options["pages"])
        self.measure_writes(options["edits"], options["inserts"])

    # --- the database --------------------------------------------------------------------------

    @staticmethod
    def has_function(name: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT FROM pg_proc WHERE proname = %s)", [name])
            return cursor.fetchone()[0]

    def fill(self, innovation_target: int, proposal_target: int, refill: bool) -> None:
        from innovations.models import Innovation

        if refill:
            with connection.cursor() as cursor:
                cursor.execute(
                    "DROP TABLE IF EXISTS bench_peer; "
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
        # A search index that can be built once at the end (the bitmap index of migration 0012) is.
        deferred = self.has_function("innovations_rebuild_search_index")
        with transaction.atomic():  # a half-filled bench database is never reused
            if deferred:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL replikasi.defer_search_index = 'on'")
            agencies = self.ensure_agencies()
            self.insert_innovations(rng, agencies, innovation_target - have)
            self.insert_awards_and_sdgs(rng)
            self.insert_proposals(rng, proposal_target)
            if deferred:
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
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'innovations\\_search%%' "
                "AND tablename <> 'innovations_searchdocument'"
            )
            for (table,) in cursor.fetchall():
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

    COLUMNS = (
        "name", "long_name", "slug", "owner_agency_id", "category", "affair", "form", "is_digital", "stage",
        "launch_year", "summary", "background", "novelty", "implementation", "significance",
        "results_before", "results_after", "adaptability", "resources", "sustainability",
        "replication_prerequisites", "contact_name", "contact_email", "contact_phone", "is_published",
        "last_reviewed_on",
    )  # fmt: skip

    def innovation_row(self, rng: random.Random, agencies: list[int], number: int) -> tuple:
        """One innovation's values, in the order of COLUMNS: realistic text (Corpus)."""
        category = rng.choice(CATEGORIES)
        name, long_name = self.corpus.name(rng, category)
        texts = [self.corpus.text(rng, rng.randint(*span), category) for span in FIELD_WORDS.values()]
        return (
            name, long_name, f"{slugify(name)[:180]}-{number}", rng.choice(agencies), category, "",
            "public_service", rng.random() < 0.6, "implementation", rng.randint(2012, 2025), *texts,
            "APBD dan dana desa.", "Diatur dalam peraturan kepala daerah.", "Komitmen kepala daerah.",
            "Narahubung", "inovasi@example.go.id", "0800000000", rng.random() < 0.97, None,
        )  # fmt: skip

    def insert_innovations(self, rng: random.Random, agencies: list[int], count: int) -> None:
        batch, done = [], 0
        columns = ", ".join([*self.COLUMNS, "created_at", "updated_at", "replication_count"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM innovations_innovation")
            offset = cursor.fetchone()[0]
            for index in range(count):
                batch.append(self.innovation_row(rng, agencies, offset + index + 1))
                if len(batch) == 1000 or index == count - 1:
                    row = "(" + ", ".join(["%s"] * len(self.COLUMNS)) + ", now(), now(), 0)"
                    cursor.execute(
                        f"INSERT INTO innovations_innovation ({columns}) VALUES {', '.join([row] * len(batch))}",
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
                INSERT INTO replications_round (province_id, title, fgd_date, deadline, original_deadline, mentor,
                                                notes, created_at)
                SELECT p.id, 'Putaran replikasi ' || p.name || ' ' || y, make_date(y, 8, 1), make_date(y, 8, 30),
                       make_date(y, 8, 30), 'Perguruan tinggi mitra', '', now()
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

    def ensure_peer(self) -> None:
        """The plain peer a typical Django project would run, in a table of its own: a stored
        `indonesian` tsvector (weights A-D as the bank's) with a GIN index, ranked by ts_rank_cd."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_peer') IS NOT NULL")
            if cursor.fetchone()[0]:
                return
            started = time.monotonic()
            cursor.execute(
                f"""
                CREATE TABLE bench_peer AS
                SELECT i.id, i.is_published, i.category, coalesce(p.code, '') AS province_code,
                       a.level AS agency_level, i.replication_count,
                       ARRAY(SELECT s.number FROM innovations_innovation_sdgs l
                             JOIN innovations_sdg s ON s.id = l.sdg_id WHERE l.innovation_id = i.id) AS sdg_numbers,
                       {PEER_VECTOR} AS vector
                FROM innovations_innovation i
                JOIN regions_agency a ON a.id = i.owner_agency_id
                LEFT JOIN regions_agency parent ON parent.id = a.parent_id
                LEFT JOIN regions_regency r ON r.id = a.regency_id
                LEFT JOIN regions_province p ON p.id = a.province_id;
                ALTER TABLE bench_peer ADD PRIMARY KEY (id);
                CREATE INDEX bench_peer_vector ON bench_peer USING gin (vector);
                ANALYZE bench_peer;
                """
            )
            self.stdout.write(f"peer table built in {time.monotonic() - started:.0f} s")

    def peer_statements(self, q: str, facets: dict[str, str]) -> list[tuple[str, list]]:
        """What the peer runs for one search page: the ranked page, the count, one GROUP BY per facet."""
        where, params = ["p.is_published"], []
        if q:
            where.append("p.vector @@ websearch_to_tsquery('indonesian', %s)")
            params.append(q)
        for name, column in (
            ("category", "p.category"),
            ("province", "p.province_code"),
            ("level", "p.agency_level"),
        ):
            if facets.get(name):
                where.append(f"{column} = %s")
                params.append(facets[name])
        if facets.get("sdg"):
            where.append("%s::smallint = ANY(p.sdg_numbers)")
            params.append(facets["sdg"])
        if facets.get("replicated"):
            where.append(
                "p.replication_count > 0" if facets["replicated"] == "yes" else "p.replication_count = 0"
            )
        if facets.get("kipp_year"):
            where.append(
                "EXISTS (SELECT FROM innovations_kippaward w JOIN innovations_kippedition e ON e.id = w.edition_id "
                "WHERE w.innovation_id = p.id AND e.year = %s)"
            )
            params.append(int(facets["kipp_year"]))
        condition = " AND ".join(where)
        order = (
            "ts_rank_cd(p.vector, websearch_to_tsquery('indonesian', %s)) DESC, p.id" if q else "p.id DESC"
        )
        awards = (
            "FROM bench_peer p JOIN innovations_kippaward w ON w.innovation_id = p.id "
            "JOIN innovations_kippedition e ON e.id = w.edition_id"
        )
        return [
            (
                f"SELECT p.id FROM bench_peer p WHERE {condition} ORDER BY {order} LIMIT 20",
                params + ([q] if q else []),
            ),
            (f"SELECT count(*) FROM bench_peer p WHERE {condition}", params),
            *(
                (f"SELECT {column}, count(*) FROM bench_peer p WHERE {condition} GROUP BY 1", params)
                for column in ("p.category", "p.province_code", "p.agency_level", "p.replication_count > 0")
            ),
            (
                f"SELECT unnest(p.sdg_numbers), count(*) FROM bench_peer p WHERE {condition} GROUP BY 1",
                params,
            ),
            *(
                (f"SELECT {column}, count(DISTINCT p.id) {awards} WHERE {condition} GROUP BY 1", params)
                for column in ("e.year", "w.tier", "w.group")
            ),
        ]

    def time_peer(self, q: str, facets: dict[str, str]) -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in self.peer_statements(q, facets):
                cursor.execute(sql, params)
                cursor.fetchall()
        return time.perf_counter() - started

    def rare_queries(self) -> list[str]:
        """Words of the corpus's tail held by RARE_DOCUMENTS documents, some after a common word."""
        low, high = RARE_DOCUMENTS
        chosen = []
        with connection.cursor() as cursor:
            for word in self.corpus.tail[500:30000:97]:
                cursor.execute(
                    "SELECT count(*) FROM bench_peer WHERE vector @@ plainto_tsquery('indonesian', %s)",
                    [word],
                )
                if low <= cursor.fetchone()[0] <= high:
                    chosen.append(word)
                if len(chosen) == RARE_QUERIES:
                    break
        # A third after a common word, as "posyandu <a village's name>".
        return [f"{OFFICER_QUERIES[i]} {w}" if i % 3 == 2 else w for i, w in enumerate(chosen)]

    def measure(self, requests: int, only: str = "") -> None:
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
        rare = self.rare_queries()
        self.stdout.write(
            f"rare queries ({RARE_DOCUMENTS[0]}-{RARE_DOCUMENTS[1]} documents): {', '.join(rare)}"
        )
        searches = {"broad": OFFICER_QUERIES, "rare": rare}
        # The peer is timed on the same queries and facets, request for request.
        peer_times: dict[str, list[float]] = {"broad": [], "rare": []}
        pages: dict[str, Callable[[], tuple[str, str, dict]]] = {
            "search broad cold": lambda: ("broad", rng.choice(OFFICER_QUERIES), rng.choice(FACET_SETS)),
            "search rare cold": lambda: ("rare", rng.choice(rare), rng.choice(FACET_SETS)),
            "search broad warm": lambda: ("", rng.choice(OFFICER_QUERIES), rng.choice(FACET_SETS)),
            "list cold": lambda: ("", "", rng.choice(FACET_SETS)),
            "list warm": lambda: ("", "", rng.choice(FACET_SETS)),
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
        header = f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'app p50':>8} {'queries':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        page_p95: dict[str, float] = {}
        gc.freeze()  # as replikasi/wsgi.py does once the site is loaded
        for name, make in pages.items():
            if only and only not in name:
                continue
            made = [make() for _ in range(requests)]
            urls = [m if isinstance(m, str) else "/inovasi/?" + self.query(m[1], m[2]) for m in made]
            # Warm-up: every URL once, so "warm" rows read what a running site has cached.
            for url in urls if "cold" not in name else urls[:5]:
                client.get(url)
            totals, sql_totals, query_counts = [], [], set()
            for made_one, url in zip(made, urls, strict=True):
                if "cold" in name:
                    bump()  # facet counts and ranked pages computed afresh, as on a first visit
                record: list[float] = []
                with sql_timer(record):
                    started = time.perf_counter()
                    response = client.get(url)
                    totals.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                sql_totals.append(sum(record))
                query_counts.add(len(record))
                if not isinstance(made_one, str) and made_one[0]:
                    peer_times[made_one[0]].append(self.time_peer(made_one[1], made_one[2]))
            p50, p95 = percentile(totals, 50), percentile(totals, 95)
            page_p95[name] = p95
            # The time the request spent outside SQL: framework, view, rendering.
            app = [t - s for t, s in zip(totals, sql_totals, strict=True)]
            self.stdout.write(
                f"{name:<20} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {percentile(sql_totals, 50) * 1000:>8.1f} "
                f"{percentile(app, 50) * 1000:>8.1f} {'/'.join(map(str, sorted(query_counts))):>8}"
            )
        for kind, times in peer_times.items():
            if times:
                ours = page_p95[f"search {kind} cold"]
                self.stdout.write(
                    f"peer ({kind} queries, its SQL only): p50 {percentile(times, 50) * 1000:.1f} ms, "
                    f"p95 {percentile(times, 95) * 1000:.1f} ms; peer p95 / our cold page p95 = "
                    f"{percentile(times, 95) / ours:.1f}x"
                )
        del searches
        # Figures move with the machine's load: say what it was when they were taken.
        self.stdout.write(f"load average at the end: {load_average()}")

    def search_sizes(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' "
                "AND (relname LIKE 'innovations\\_search%%' OR relname = 'innovations_innovation')"
            )
            return dict(cursor.fetchall())

    def measure_writes(self, edits: int, inserts: int) -> None:
        """One innovation's summary edited through the ORM, and many innovations inserted in one
        statement, with the WAL they wrote and what the search's tables grew by."""
        from innovations.models import Innovation
        from innovations.tasks import catch_up

        if not edits and not inserts:
            return
        catch_up()  # what the fill left waiting
        rng = random.Random(11)
        ids = list(Innovation.objects.published().order_by("?").values_list("pk", flat=True)[:edits])
        times, peer = [], []
        for pk in ids:
            innovation = Innovation.objects.get(pk=pk)
            innovation.summary = self.corpus.text(
                rng, rng.randint(*FIELD_WORDS["summary"]), innovation.category
            )
            started = time.perf_counter()
            innovation.save()
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE bench_peer x SET vector = {PEER_VECTOR} FROM innovations_innovation i "
                    "JOIN regions_agency a ON a.id = i.owner_agency_id "
                    "LEFT JOIN regions_agency parent ON parent.id = a.parent_id "
                    "LEFT JOIN regions_regency r ON r.id = a.regency_id "
                    "LEFT JOIN regions_province p ON p.id = a.province_id WHERE i.id = %s AND x.id = i.id",
                    [pk],
                )
            peer.append(time.perf_counter() - started)
        started = time.perf_counter()
        applied = catch_up()
        caught_up = time.perf_counter() - started
        self.stdout.write(
            f"edit one summary (ORM save, committed), {edits} edits: p50 {percentile(times, 50) * 1000:.1f} ms, "
            f"p95 {percentile(times, 95) * 1000:.1f} ms; peer's UPDATE p50 {percentile(peer, 50) * 1000:.1f} ms; "
            f"their text applied to the index by one catch-up ({applied} documents) in {caught_up * 1000:.0f} ms"
        )
        if not inserts:
            return
        agencies = list(Innovation.objects.values_list("owner_agency_id", flat=True).distinct()[:500])
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM innovations_innovation")
            top = cursor.fetchone()[0]
        rows = [self.innovation_row(rng, agencies, top + 10_000_000 + n) for n in range(inserts)]
        objects = [
            Innovation(**dict(zip(self.COLUMNS, row, strict=True)), replication_count=0) for row in rows
        ]
        before = self.search_sizes()

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_current_wal_insert_lsn()")
                    lsn = cursor.fetchone()[0]
                started = time.perf_counter()
                Innovation.objects.bulk_create(objects)
                elapsed = time.perf_counter() - started
                started = time.perf_counter()
                applied = catch_up()
                caught_up = time.perf_counter() - started
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [lsn])
                    wal = cursor.fetchone()[0]
                after = self.search_sizes()
                raise Rollback  # the bench database stays as filled
        except Rollback:
            pass
        growth = ", ".join(
            f"{table} +{(after[table] - before.get(table, 0)) / 2**20:.1f} MB" for table in sorted(after)
        )
        self.stdout.write(
            f"insert {inserts} innovations (one bulk_create, facets current when it returns): {elapsed:.2f} s; "
            f"their text applied by the catch-up ({applied} documents) in {caught_up:.2f} s; "
            f"both together: WAL {int(wal) / 2**20:.1f} MB; {growth}"
        )

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
