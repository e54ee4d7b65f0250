"""The deadline-day burst: every regency creates and submits its proposal within one minute, through
the API of the production server, and nothing is lost, duplicated or left stuck.

    make bench-burst               # or: python manage.py bench_burst [--regencies 514] [--seconds 60] [--workers 2]

In the programme benchmark's database (`<site database>_bench_programme`, filled by bench_dashboards
when missing) it opens a round per province with every regency taking part, and gives each regency's
staff an API token. gunicorn (--workers, DEBUG off) then receives, spread over --seconds, one client
per regency that POSTs its proposal with a signed letter (a real PDF, multipart) and submits it. A
client does what a careful integration does: on a timeout, a dropped connection or a 5xx it sends the
same request again, waiting twice as long each time; a 409 naming the existing proposal (a create that had landed before its answer
was lost) is taken as the proposal made. At the end the database is read: each regency must hold
exactly one proposal in the burst's rounds, submitted, with its letter on disk, and no other file
left behind. Prints the outcome, the retries and the p50/p95 of the creates and submits.
"""

from __future__ import annotations

import datetime
import http.client
import io
import json
import random
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devtools.benchmarks import production_server, use_database
from devtools.management.commands.bench_bank import load_average, percentile

ATTEMPTS = 6
BURST = "Burst "  # the title prefix of the rounds a run opens (and removes afterwards)
TIMEOUT = 20  # seconds a client waits for an answer before it tries again


def letter_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Command(BaseCommand):
    help = "Every regency creates and submits a proposal within a minute; check none lost, doubled or stuck."

    def add_arguments(self, parser):
        parser.add_argument("--regencies", type=int, default=514)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--database", default="", help="database name (default: <current>_bench_programme)"
        )

        parser.add_argument(
            "--timeout", type=float, default=TIMEOUT,
            help="seconds a client waits before sending again (a small one forces retries: idempotency)",
        )  # fmt: skip

    def handle(self, *args, regencies, seconds, workers, database, timeout, **options):
        self.timeout = timeout
        from devtools.management.commands.bench_dashboards import Command as Dashboards

        name = database or f"{settings.DATABASES['default']['NAME']}_bench_programme"
        use_database(name, self.stdout)
        call_command("migrate", verbosity=0)
        Dashboards(stdout=self.stdout).fill(50_000)
        self.clean_up()  # what an interrupted run left
        clients = self.prepare(regencies)
        pdf = letter_pdf()
        try:
            with (
                tempfile.TemporaryDirectory() as media,
                production_server(name, workers, Path(media)) as port,
            ):
                self.stdout.write(
                    f"gunicorn, {workers} workers, DEBUG off; {len(clients)} regencies within {seconds} s; "
                    f"load average {load_average()}"
                )
                results = self.burst(port, clients, seconds, pdf)
                files = sorted(p.relative_to(media).as_posix() for p in Path(media).rglob("*.pdf"))
            self.report(results, clients, files)
        finally:
            self.clean_up()  # the benchmark database stays as bench_dashboards filled it

    @staticmethod
    def clean_up() -> None:
        from django.contrib.auth import get_user_model

        from replications.models import Proposal, Round

        burst = Round.objects.filter(title__startswith=BURST)
        Proposal.objects.filter(round__in=burst).delete()
        burst.delete()
        get_user_model().objects.filter(username__startswith="burst.").delete()

    def prepare(self, count: int) -> list[dict]:
        """A round per province (deadline tomorrow), every regency a participant; a staff member with
        an API token, an office and an innovation for each regency."""
        from django.contrib.auth import get_user_model

        from accounts.models import ApiToken, Membership, Role
        from innovations.models import Innovation
        from regions.models import Agency, AgencyLevel, Province, Regency
        from replications.models import Round

        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        rounds = {}
        for province in Province.objects.all():
            round_ = Round.objects.create(
                province=province, title=f"Burst {stamp} {province.name}", deadline=tomorrow
            )
            round_.participants.set(province.regencies.all())
            rounds[province.pk] = round_
        innovations = list(Innovation.objects.published().values_list("pk", flat=True)[:count])
        rng = random.Random(514)
        users = get_user_model().objects
        clients = []
        for number, regency in enumerate(Regency.objects.order_by("code")[:count]):
            government = Agency.objects.government_of(regency) or Agency.objects.create(
                name=f"Pemerintah {regency.name}", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency
            )
            office, _ = Agency.objects.get_or_create(
                name=f"Bappeda {regency.name}", level=AgencyLevel.OFFICE, regency=regency, parent=government
            )
            user, _ = users.get_or_create(username=f"burst.{regency.code}")
            Membership.objects.get_or_create(user=user, role=Role.REGIONAL_STAFF, regency=regency)
            _token, secret = ApiToken.objects.issue(user, f"burst {stamp}")
            clients.append(
                {
                    "regency": regency.code,
                    "token": secret,
                    "fields": {
                        "round": str(rounds[regency.province_id].pk),
                        "innovation": str(innovations[number % len(innovations)]),
                        "adopting_agency": str(office.pk),
                        "problem": "Antrean layanan panjang pada hari terakhir.",
                        "letter_number": f"B/{number}/{stamp}",
                        "letter_date": timezone.localdate().isoformat(),
                    },
                    "start": rng.random(),
                }
            )
        self.rounds = list(rounds.values())
        return clients

    def burst(self, port: int, clients: list[dict], seconds: int, pdf: bytes) -> list[dict]:
        began = time.monotonic()
        results: list[dict] = []
        lock = threading.Lock()

        def call(
            method: str, path: str, token: str, body: bytes, content_type: str, attempt=0
        ) -> tuple[int, dict]:
            # Each retry waits twice as long as the one before, as a careful client backs off.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout * 2**attempt)
            try:
                conn.request(method, path, body=body, headers={
                    "Host": "127.0.0.1", "Authorization": f"Bearer {token}", "Content-Type": content_type,
                    "Accept-Language": "id",
                })  # fmt: skip
                response = conn.getresponse()
                raw = response.read()
                try:
                    return response.status, json.loads(raw or b"{}")
                except ValueError:
                    return response.status, {}
            except (OSError, http.client.HTTPException):
                return 0, {}  # no answer in time: the request may or may not have landed
            finally:
                conn.close()

        def regency_client(client: dict) -> None:
            time.sleep(max(0.0, began + client["start"] * seconds - time.monotonic()))
            outcome = {"regency": client["regency"], "retries": 0, "codes": []}
            body, content_type = multipart(client["fields"], {"letter_file": ("surat.pdf", pdf)})
            started = time.perf_counter()
            for attempt in range(ATTEMPTS):
                status, answer = call(
                    "POST", "/api/v1/proposals/", client["token"], body, content_type, attempt
                )
                outcome["codes"].append(status)
                if status == 201:
                    outcome["id"] = answer["id"]
                    break
                if status == 409 and answer.get("existing"):
                    outcome["id"] = answer["existing"]["id"]  # our earlier attempt had landed
                    break
                if status and status < 500:
                    outcome["refused"] = answer
                    break
                outcome["retries"] += 1
            outcome["create"] = time.perf_counter() - started
            if "id" in outcome:
                started = time.perf_counter()
                path = f"/api/v1/proposals/{outcome['id']}/submit/"
                for attempt in range(ATTEMPTS):
                    status, answer = call("POST", path, client["token"], b"{}", "application/json", attempt)
                    outcome["codes"].append(status)
                    if status == 200 or (status == 409 and answer.get("status") == "submitted"):
                        outcome["submitted"] = True
                        break
                    if status == 409:  # already submitted by an attempt whose answer was lost?
                        check, current = call(
                            "GET", f"/api/v1/proposals/{outcome['id']}/", client["token"], b"", ""
                        )
                        if check == 200 and current.get("status") == "submitted":
                            outcome["submitted"] = True
                            break
                    if status and status < 500 and status != 409:
                        outcome["refused"] = answer
                        break
                    outcome["retries"] += 1
                outcome["submit"] = time.perf_counter() - started
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=regency_client, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - began
        return results

    def report(self, results: list[dict], clients: list[dict], files: list[str]) -> None:
        from replications.models import Proposal, Status

        proposals = list(Proposal.objects.filter(round__in=self.rounds).select_related("regency"))
        per_regency = Counter(p.regency.code for p in proposals)
        expected = {client["regency"] for client in clients}
        lost = sorted(expected - set(per_regency))
        doubled = sorted(code for code, n in per_regency.items() if n > 1)
        stuck = sorted(p.regency.code for p in proposals if p.status != Status.SUBMITTED)
        letters = {p.letter_file.name for p in proposals if p.letter_file}
        orphans = [name for name in files if name not in letters]
        missing_files = sorted(letters - set(files))
        codes = Counter(code for result in results for code in result["codes"])
        creates = [r["create"] for r in results if "create" in r]
        submits = [r["submit"] for r in results if "submit" in r]
        self.stdout.write(
            f"{len(results)} regencies in {self.elapsed:.0f} s; answers {dict(sorted(codes.items()))} "
            f"(0 = no answer within {self.timeout:g} s); retries {sum(r['retries'] for r in results)}\n"
            f"create p50 {percentile(creates, 50) * 1000:.0f} ms, p95 {percentile(creates, 95) * 1000:.0f} ms; "
            f"submit p50 {percentile(submits, 50) * 1000:.0f} ms, p95 {percentile(submits, 95) * 1000:.0f} ms\n"
            f"in the database: {len(proposals)} proposals for {len(expected)} regencies; lost {len(lost)}, "
            f"doubled {len(doubled)}, not submitted {len(stuck)}; letters on disk {len(files)}, "
            f"orphan files {len(orphans)}, letters missing {len(missing_files)}"
        )
        refused = [r for r in results if "refused" in r]
        for result in refused[:5]:
            self.stdout.write(f"  refused {result['regency']}: {result['refused']}")
        if lost or doubled or stuck or orphans or missing_files or refused:
            raise CommandError(
                f"burst failed: lost {lost[:10]}, doubled {doubled[:10]}, not submitted {stuck[:10]}, "
                f"orphans {orphans[:5]}, missing files {missing_files[:5]}, refused {len(refused)}"
            )
