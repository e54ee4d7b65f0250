"""Measure the programme's dashboards at the national programme's size, in a database of its own.

    make bench-dashboards          # or: python manage.py bench_dashboards [--proposals 50000] [--requests 100]

Creates (or reuses) `<site database>_bench_programme`, migrates it and fills it with a programme: a
round per province and year (2019-2025) with every regency of the province taking part, --proposals
proposals spread over them in every status, and for those approved or beyond the approval event, a
signed commitment, three milestones (some done, some late) and a progress report. Then each
dashboard is served through the whole Django stack in this process, signed in as whom it belongs to,
caches emptied before every request (cold), and its p50/p95, SQL p50 and query count are printed.
Budget (README, "Benchmark"): cold p95 <= 50 ms, the public pages' budget.
"""

from __future__ import annotations

import gc
import logging
import random
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from devtools.benchmarks import sql_timer, use_database
from devtools.management.commands.bench_bank import load_average, percentile

YEARS = range(2019, 2026)
INNOVATIONS = 2_000


class Command(BaseCommand):
    help = "Fill a separate database with a national programme and time its dashboards."

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=50_000)
        parser.add_argument("--requests", type=int, default=100, help="requests per page")
        parser.add_argument(
            "--database", default="", help="database name (default: <current>_bench_programme)"
        )

    def handle(self, *args, proposals, requests, database, **options):
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in would bury the figures
        use_database(database or f"{settings.DATABASES['default']['NAME']}_bench_programme", self.stdout)
        call_command("migrate", verbosity=0)
        self.fill(proposals)
        settings.DEBUG = False  # as production runs: no query log, no debug pages
        self.measure(requests)

    # --- the programme -------------------------------------------------------------------------

    def fill(self, target: int) -> None:
        from replications.models import Proposal

        have = Proposal.objects.count()
        if have >= target * 0.9:  # the fill skips collisions, so a full database holds a little less
            self.stdout.write(f"{have:,} proposals already present: reusing them")
            return
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE replications_proposal, replications_round, innovations_innovation, regions_agency "
                "RESTART IDENTITY CASCADE"
            )
            self.insert_bank()
            cursor.execute(
                """
                INSERT INTO replications_round (province_id, title, fgd_date, deadline, mentor, notes, created_at)
                SELECT p.id, 'Replikasi ' || p.name || ' ' || y, make_date(y, 8, 1), make_date(y, 8, 30),
                       'Perguruan tinggi mitra', '', now()
                FROM regions_province p CROSS JOIN generate_series(%s, %s) AS y
                """,
                [YEARS[0], YEARS[-1]],
            )
            cursor.execute(
                "INSERT INTO replications_round_participants (round_id, regency_id) "
                "SELECT ro.id, r.id FROM replications_round ro JOIN regions_regency r ON r.province_id = ro.province_id"
            )
            # Proposals: regency by a stride over all 514, year by n, innovation by a large prime stride;
            # statuses in every stage, with a few rejected and cancelled ones.
            cursor.execute(
                """
                INSERT INTO replications_proposal
                    (round_id, regency_id, innovation_id, local_name, problem, expected_results, letter_number,
                     letter_date, letter_file, status, submitted_at, created_at, updated_at)
                SELECT DISTINCT ON (ro.id, r.id, i.id)
                       ro.id, r.id, i.id, '', 'Masalah daerah', 'Hasil yang diharapkan', 'B/' || n,
                       ro.deadline, 'private/letters/bench.pdf',
                       (ARRAY['submitted','returned','verified','approved','committed','implementing',
                              'replicated','replicated','rejected','cancelled'])[1 + (n / 514) %% 10],
                       ro.deadline - 3, now(), now()
                FROM generate_series(1, %s) AS n
                JOIN regions_regency r ON r.id = 1 + (n * 7919) %% 514
                JOIN replications_round ro
                  ON ro.province_id = r.province_id AND ro.deadline = make_date(%s + n %% 7, 8, 30)
                JOIN innovations_innovation i ON i.id = 1 + (n::bigint * 104729) %% %s
                ON CONFLICT DO NOTHING
                """,
                [target, YEARS[0], INNOVATIONS],
            )
            adopted = "('approved','committed','implementing','replicated')"
            cursor.execute(
                "INSERT INTO replications_proposalevent (proposal_id, action, from_status, to_status, note, created_at) "
                f"SELECT id, 'approve', 'verified', 'approved', '', submitted_at + interval '20 days' "
                f"FROM replications_proposal WHERE status IN {adopted}"
            )
            cursor.execute(
                "INSERT INTO replications_commitment (proposal_id, signed_on, document, notes, created_at) "
                "SELECT id, (submitted_at + interval '40 days')::date, '', '', now() FROM replications_proposal "
                "WHERE status IN ('committed','implementing','replicated')"
            )
            cursor.execute(
                """
                INSERT INTO replications_milestone (proposal_id, title, due_on, done_on, position)
                SELECT p.id, 'Tahap ' || k, (p.submitted_at + k * interval '60 days')::date,
                       CASE WHEN p.status = 'replicated' OR (k = 1 AND p.id % 3 > 0)
                            THEN (p.submitted_at + k * interval '58 days')::date END, k
                FROM replications_proposal p CROSS JOIN generate_series(1, 3) AS k
                WHERE p.status IN ('approved','committed','implementing','replicated')
                """
            )
            cursor.execute(
                "INSERT INTO replications_progressreport (proposal_id, reported_on, summary, evidence, created_at) "
                "SELECT id, (submitted_at + interval '70 days')::date, 'Kemajuan', '', now() "
                "FROM replications_proposal WHERE status IN ('implementing','replicated')"
            )
        with connection.cursor() as cursor:
            # As a database that autovacuum has kept up holds it: statistics, and the visibility map
            # that lets the counting queries read their indexes alone.
            cursor.execute("VACUUM ANALYZE")
            # The fill rewrote each innovation once per proposal (its replication count): compact it.
            cursor.execute("VACUUM (FULL, ANALYZE) innovations_innovation")
        self.stdout.write(f"filled in {time.monotonic() - started:.0f} s")

    def insert_bank(self) -> None:
        """A small bank: the dashboards read innovations' names only."""
        from innovations.models import Category, Innovation
        from regions.models import Agency, AgencyLevel, Regency

        regencies = list(Regency.objects.order_by("pk"))
        agencies = Agency.objects.bulk_create(
            Agency(name=f"Pemerintah {r.name}", level=AgencyLevel.REGENCY_GOVERNMENT, regency=r)
            for r in regencies
        )
        rng = random.Random(2021)
        categories = [value for value, _label in Category.choices]
        Innovation.objects.bulk_create(
            Innovation(
                name=f"Inovasi Pelayanan {n}",
                slug=f"inovasi-pelayanan-{n}",
                owner_agency=rng.choice(agencies),
                category=rng.choice(categories),
                summary="Layanan publik yang direplikasi.",
                is_published=True,
            )
            for n in range(1, INNOVATIONS + 1)
        )

    # --- the measurement -----------------------------------------------------------------------

    def measure(self, requests: int) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from accounts.models import Membership, Role
        from regions.models import Province
        from replications.models import Proposal, Round

        users = get_user_model().objects
        admin, _ = users.get_or_create(username="bench.admin")
        Membership.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN)
        busiest = (
            Province.objects.annotate(n=Count("rounds__proposals"))
            .order_by("-n")
            .values_list("code", flat=True)
        )
        codes = list(busiest[:5])
        bureaus = {}
        for code in codes:
            bureau, _ = users.get_or_create(username=f"bench.biro.{code}")
            province = Province.objects.get(code=code)
            Membership.objects.get_or_create(user=bureau, role=Role.PROVINCIAL_BUREAU, province=province)
            bureaus[code] = bureau
        rounds = list(
            Round.objects.filter(province__code__in=codes, deadline__year=YEARS[-1]).select_related(
                "province"
            )
        )
        rng = random.Random(16)
        pages: list[tuple[str, object]] = [
            (
                "province, a round",
                lambda: (
                    f"/dasbor/provinsi/{(r := rng.choice(rounds)).province.code}/?putaran={r.pk}",
                    bureaus[r.province.code],
                ),
            ),
            (
                "province, a year",
                lambda: (
                    f"/dasbor/provinsi/{(c := rng.choice(codes))}/?tahun={rng.choice(YEARS)}",
                    bureaus[c],
                ),
            ),
            ("round page", lambda: (f"/putaran/{(r := rng.choice(rounds)).pk}/", bureaus[r.province.code])),
            (
                "round recap",
                lambda: (f"/putaran/{(r := rng.choice(rounds)).pk}/rekap/", bureaus[r.province.code]),
            ),
        ]
        for name, url_name, who in (
            ("national dashboard", "national-dashboard", admin),
            ("public statistics", "statistics", None),
        ):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            pages.append((name, lambda url=url, who=who: (url, who)))
        self.stdout.write(
            f"\n{Proposal.objects.count():,} proposals in {Round.objects.count()} rounds; {requests} requests per "
            f"page, in-process, caches emptied before each; load average {load_average()}\n"
        )
        header = f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'queries':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        clients: dict[object, Client] = {}
        gc.freeze()  # as replikasi/wsgi.py does once the site is loaded
        for name, make in pages:
            totals, sql_totals, counts = [], [], set()
            for number in range(requests + 3):
                url, who = make()
                if who not in clients:
                    clients[who] = Client(HTTP_HOST="localhost")
                    if who is not None:
                        clients[who].force_login(who)
                client = clients[who]
                cache.clear()
                if who is not None:
                    client.force_login(who)  # the session may live in the cache just emptied
                record: list[float] = []
                with sql_timer(record):
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                if number < 3:
                    continue  # warm-up: the URL resolver, templates and the connection
                totals.append(elapsed)
                sql_totals.append(sum(record))
                counts.add(len(record))
            self.stdout.write(
                f"{name:<24} {percentile(totals, 50) * 1000:>8.1f} {percentile(totals, 95) * 1000:>8.1f} "
                f"{percentile(sql_totals, 50) * 1000:>8.1f} {'/'.join(map(str, sorted(counts))):>8}"
            )
        self.stdout.write(f"load average at the end: {load_average()}")
