"""Measure the reminder sweep over a million proposals and milestones, in a database of its own.

    python manage.py bench_reminders [--proposals 500000] [--fractions 0.001,0.01,0.1] [--refill]

Creates (or reuses) the database `<name>_bench_reminders` on the same server, migrates it and fills it with
proposals of every regency and one action-plan milestone each (half and half of the total), none due.
Then, for each fraction, it makes that share of the rows due (half of them milestones reaching their
deadline today, half proposals waiting for review too long), runs one whole sweep (materialise, claim
and enqueue every send task to a throwaway queue on the real broker) and prints its time and SQL
queries, with the plan of the query that finds due milestones. Run with nothing due first, the sweep's
cost is constant: it grows with what is due, not with the tables (the budget: seconds).
"""

from __future__ import annotations

import datetime
import time
import uuid
import zoneinfo

import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools.benchmarks import use_database
from innovations.models import Category, Innovation
from regions.models import Agency, AgencyLevel, TimeZone
from replications import reminders
from replications.models import Milestone, Proposal, Reminder
from replications.tasks import enqueue_sends

INNOVATIONS = 1000
# Recounts an innovation's replications on every status change. The statuses this benchmark writes
# (approved, submitted) are never counted, so it is paused while rows are written in bulk.
RECOUNT = "SET CONSTRAINTS ALL IMMEDIATE; ALTER TABLE replications_proposal {} TRIGGER replications_proposal_recount"


class Command(BaseCommand):
    help = "Fill a separate database with a million proposals and milestones and time the reminder sweep."

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=500_000, help="proposals; as many milestones")
        parser.add_argument("--fractions", default="0,0.001,0.01,0.1", help="shares of the rows made due")
        parser.add_argument(
            "--database", default="", help="database name (default: <current>_bench_reminders)"
        )
        parser.add_argument("--refill", action="store_true", help="empty and refill the bench database")

    def handle(self, *args, proposals: int, fractions: str, database: str, refill: bool, **options):
        name = database or f"{settings.DATABASES['default']['NAME']}_bench_reminders"
        use_database(name, self.stdout)
        call_command("migrate", verbosity=0)
        self.fill(proposals, refill)
        settings.DEBUG = False
        self.queue = f"bench-reminders-{uuid.uuid4().hex}"
        settings.REMINDER_QUEUE = self.queue
        rows = Proposal.objects.count() + Milestone.objects.count()
        self.stdout.write(
            f"\n{Proposal.objects.count():,} proposals + {Milestone.objects.count():,} milestones = {rows:,} rows; "
            "one whole sweep per line (materialise, claim, enqueue every send task on the broker)"
        )
        self.stdout.write(
            f"{'due':>7} {'objects':>9} {'reminders':>10} {'seconds':>8} {'queries':>8} {'of which enqueue s':>19}"
        )
        self.stdout.write("-" * 66)
        broker = redis.Redis.from_url(settings.REDIS_URL)
        try:
            for fraction in [float(f) for f in fractions.split(",")]:
                due = self.make_due(fraction)
                seconds, queries, result, enqueue_seconds = self.sweep_once()
                self.stdout.write(
                    f"{fraction:>7.1%} {due:>9,} {len(result.claimed):>10,} {seconds:>8.2f} {queries:>8,}"
                    f" {enqueue_seconds:>19.2f}"
                )
        finally:
            broker.delete(self.queue)
        self.stdout.write("\nplan of the due-milestone query (replications.reminders.due_rows):")
        for line in self.plan():
            self.stdout.write(f"  {line}")

    # --- the database ------------------------------------------------------------------------------

    def fill(self, target: int, refill: bool) -> None:
        if refill:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE replications_reminder, replications_milestone, replications_proposal, "
                    "replications_round, innovations_innovation, regions_agency, accounts_membership, auth_user "
                    "RESTART IDENTITY CASCADE"
                )
        have = Proposal.objects.count()
        if have >= target:
            self.stdout.write(f"{have:,} proposals already present: reusing them")
            return
        started = time.monotonic()
        with transaction.atomic():  # a half-filled bench database is never reused
            self.insert_people_and_rounds()
            self.insert_proposals_and_milestones(target)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE replications_proposal")
            cursor.execute("VACUUM ANALYZE replications_milestone")
        self.stdout.write(f"filled in {time.monotonic() - started:.0f} s")

    def insert_people_and_rounds(self) -> None:
        government = Agency.objects.create(name="Kementerian Uji Beban", level=AgencyLevel.MINISTRY)
        Innovation.objects.bulk_create(
            Innovation(
                name=f"Inovasi Beban {n}",
                slug=f"inovasi-beban-{n}",
                owner_agency=government,
                category=Category.HEALTH,
                is_published=True,
            )  # fmt: skip
            for n in range(INNOVATIONS)
        )
        with connection.cursor() as cursor:
            # One staff member per regency, one bureau member per province, all with an email address.
            cursor.execute("""
                INSERT INTO auth_user (username, email, password, first_name, last_name, is_superuser, is_staff,
                                       is_active, date_joined)
                SELECT 'staf.' || code, 'staf.' || code || '@bench.example', '!', '', '', false, false, true, now()
                FROM regions_regency
                UNION ALL
                SELECT 'biro.' || code, 'biro.' || code || '@bench.example', '!', '', '', false, false, true, now()
                FROM regions_province
            """)
            cursor.execute("""
                INSERT INTO accounts_membership (user_id, role, regency_id, created_at)
                SELECT u.id, 'regional_staff', r.id, now()
                FROM regions_regency r JOIN auth_user u ON u.username = 'staf.' || r.code
            """)
            cursor.execute("""
                INSERT INTO accounts_membership (user_id, role, province_id, created_at)
                SELECT u.id, 'provincial_bureau', p.id, now()
                FROM regions_province p JOIN auth_user u ON u.username = 'biro.' || p.code
            """)
            # One round per province, its deadline long past (nothing of the rounds is due).
            cursor.execute("""
                INSERT INTO replications_round (province_id, title, deadline, mentor, notes, created_at)
                SELECT id, 'Putaran Beban ' || code, DATE '2020-08-30', '', '', now() FROM regions_province
            """)

    def insert_proposals_and_milestones(self, count: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(RECOUNT.format("DISABLE"))
            # Regency g % 514 proposes innovation g / 514 in its province's round: one live proposal per
            # regency, innovation and round, as the constraint wants. Approved, so milestones are reminded.
            cursor.execute(
                """
                WITH regency AS (
                    SELECT r.id, r.province_id, row_number() OVER (ORDER BY r.id) - 1 AS n,
                           count(*) OVER () AS total
                    FROM regions_regency r
                ), innovation AS (
                    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM innovations_innovation
                )
                INSERT INTO replications_proposal (round_id, regency_id, innovation_id, local_name, problem,
                    expected_results, letter_number, letter_date, letter_file, status, submitted_at, created_at,
                    updated_at)
                SELECT round.id, regency.id, innovation.id, '', 'Beban', '', 'B/1/BEBAN/2021', DATE '2021-08-27',
                       'private/letters/beban.pdf', 'approved', now() - interval '60 days', now(), now()
                FROM generate_series(0, %s - 1) AS g
                JOIN regency ON regency.n = g %% regency.total
                JOIN innovation ON innovation.n = g / regency.total
                JOIN replications_round round ON round.province_id = regency.province_id
                """,
                [count],
            )
            # One milestone each, due in one to ten months: its next reminder is weeks away.
            cursor.execute("""
                INSERT INTO replications_milestone (proposal_id, title, due_on, position, next_reminder_at)
                SELECT id, 'Tahapan beban', CURRENT_DATE + 30 + (id % 300)::int, 1,
                       (CURRENT_DATE + 27 + (id % 300)::int) + TIME '01:00'
                FROM replications_proposal
            """)
            cursor.execute(RECOUNT.format("ENABLE"))

    # --- one measurement ---------------------------------------------------------------------------

    def make_due(self, fraction: float) -> int:
        """Put back the rows of the previous run, then make ``fraction`` of all rows due now."""
        # Due on the day whose 08.00 WIB passed last: its on-the-day reminder is due and fresh.
        due_on = (
            timezone.now().astimezone(zoneinfo.ZoneInfo(TimeZone.WIB)) - datetime.timedelta(hours=8)
        ).date()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(RECOUNT.format("DISABLE"))
            cursor.execute("TRUNCATE replications_reminder")
            cursor.execute("""
                UPDATE replications_milestone SET due_on = CURRENT_DATE + 30 + (id % 300)::int,
                    next_reminder_at = (CURRENT_DATE + 27 + (id % 300)::int) + TIME '01:00', reminded_until = NULL
                WHERE next_reminder_at < now() + interval '1 day' OR reminded_until IS NOT NULL
            """)
            cursor.execute("""
                UPDATE replications_proposal SET status = 'approved', next_reminder_at = NULL
                WHERE status = 'submitted'
            """)
            if not fraction:
                cursor.execute(RECOUNT.format("ENABLE"))
                return 0
            every = round(1 / fraction)
            cursor.execute(
                """
                UPDATE replications_milestone SET due_on = %s, next_reminder_at = now() - interval '1 minute'
                WHERE id %% %s = 0
                """,
                [due_on, every],
            )
            milestones = cursor.rowcount
            cursor.execute(
                """
                UPDATE replications_proposal SET status = 'submitted', submitted_at = now() - interval '6 days',
                    next_reminder_at = now() - interval '1 day'
                WHERE id %% %s = %s
                """,
                [every, every // 2],  # not the proposals of the due milestones: those stay approved
            )
            proposals = cursor.rowcount
            cursor.execute(RECOUNT.format("ENABLE"))
            cursor.execute("ANALYZE replications_milestone")
            cursor.execute("ANALYZE replications_proposal")
        return milestones + proposals

    def sweep_once(self):
        enqueue_seconds = 0.0

        def timed_enqueue(claims):
            nonlocal enqueue_seconds
            started = time.monotonic()
            enqueue_sends(claims)
            enqueue_seconds = time.monotonic() - started

        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            result = reminders.sweep(limit=10**7, enqueue=timed_enqueue)
            seconds = time.monotonic() - started
        assert Reminder.objects.filter(claimed_at__isnull=False).count() == len(result.claimed)
        return seconds, len(queries), result, enqueue_seconds

    def plan(self) -> list[str]:
        due = Milestone.objects.filter(next_reminder_at__lte=timezone.now()).order_by("next_reminder_at")[
            :500
        ]
        return due.explain().splitlines()
