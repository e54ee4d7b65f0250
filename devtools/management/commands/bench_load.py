"""Many people browsing at once, against the production server: gunicorn with DEBUG off.

    make bench-load                 # or: python manage.py bench_load [--clients 50] [--seconds 120] [--workers 2]

Serves the programme benchmark's database (`<site database>_bench_programme`, filled by
bench_dashboards when missing) with `gunicorn --workers N` on a free local port, static files
collected and served by WhiteNoise as in production. Then --clients threads, each with its own
keep-alive connection, browse public pages for --seconds (home, the bank's list and searches,
profiles, province and regency pages, KIPP, the statistics), and print the requests served, their
p50/p95/max, every status code (a 5xx fails the run) and the throughput. The same clients then
request the framework's floor, /healthz (every middleware, no view work, no SQL), for a third of
the time: the pages' throughput over the floor's says what the pages cost beyond the server itself.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.benchmarks import use_database
from devtools.management.commands.bench_bank import OFFICER_QUERIES, load_average, percentile

ROOT = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = (
        "Browse the production server with many clients at once; print latency, status codes and throughput."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--database", default="", help="database name (default: <current>_bench_programme)"
        )

    def handle(self, *args, clients, seconds, workers, database, **options):
        from devtools.management.commands.bench_dashboards import Command as Dashboards

        name = database or f"{settings.DATABASES['default']['NAME']}_bench_programme"
        use_database(name, self.stdout)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        filler = Dashboards(stdout=self.stdout)
        filler.fill(50_000)
        urls = self.urls()
        with tempfile.TemporaryDirectory() as scratch:
            env = self.server_environment(name, Path(scratch))
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
            port = free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "replikasi.wsgi:application", "--workers", str(workers),
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                cwd=ROOT, env=env,
            )  # fmt: skip
            try:
                wait_for(port, server)
                self.stdout.write(
                    f"gunicorn, {workers} workers, DEBUG off; {clients} clients; load average {load_average()}\n"
                )
                pages = self.run_clients(port, clients, seconds, lambda rng: rng.choice(urls))
                floor = self.run_clients(port, clients, max(10, seconds // 3), lambda rng: "/healthz")
            finally:
                server.terminate()
                server.wait(timeout=30)
        self.report("pages", pages)
        self.report("floor (/healthz)", floor)
        ratio = pages["throughput"] / floor["throughput"] if floor["throughput"] else 0
        self.stdout.write(
            f"pages' throughput / floor's = {ratio:.2f}; load average at the end: {load_average()}"
        )
        failures = sum(count for code, count in pages["codes"].items() if code >= 500 or code == 0)
        if failures:
            raise CommandError(f"{failures} requests failed (5xx or no answer)")

    def urls(self) -> list[str]:
        from innovations.models import Innovation
        from regions.models import Province, Regency

        slugs = list(Innovation.objects.published().order_by("?").values_list("slug", flat=True)[:100])
        provinces = list(Province.objects.values_list("code", flat=True))
        regencies = list(Regency.objects.order_by("?").values_list("code", flat=True)[:50])
        urls = ["/", "/inovasi/", "/kipp/", "/statistik/", "/inovasi/cari-masalah/"]
        urls += [f"/inovasi/?{urlencode({'q': q})}" for q in OFFICER_QUERIES]
        urls += [f"/inovasi/{quote(slug)}/" for slug in slugs]
        urls += [f"/wilayah/{code}/" for code in provinces + regencies]
        return urls

    def server_environment(self, database: str, scratch: Path) -> dict[str, str]:
        conf = connection.settings_dict
        host = conf.get("HOST") or conf.get("OPTIONS", {}).get("host") or ""
        user = quote(conf.get("USER") or "", safe="")
        password = f":{quote(conf['PASSWORD'], safe='')}" if conf.get("PASSWORD") else ""
        if host.startswith("/"):
            url = f"postgresql://{user}{password}@/{database}?host={quote(host, safe='')}"
        else:
            url = f"postgresql://{user}{password}@{host}:{conf.get('PORT') or 5432}/{database}"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url,
            DEBUG="false",
            DEVTOOLS="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            STATIC_ROOT=str(scratch / "static"),
            CACHE_KEY_PREFIX=f"bench-load-{secrets.token_hex(4)}",  # a cold cache of its own
        )
        return env

    def run_clients(self, port: int, clients: int, seconds: int, pick) -> dict:
        stop_at = time.monotonic() + seconds
        times: list[float] = []
        codes: Counter = Counter()
        lock = threading.Lock()

        def browse(number: int) -> None:
            rng = random.Random(number)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine, my_codes = [], Counter()
            while time.monotonic() < stop_at:
                url = pick(rng)
                started = time.perf_counter()
                try:
                    conn.request("GET", url, headers={"Host": "127.0.0.1", "Accept-Language": "id"})
                    response = conn.getresponse()
                    response.read()
                    my_codes[response.status] += 1
                except (OSError, http.client.HTTPException):
                    my_codes[0] += 1  # no answer: counted as a failure
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                mine.append(time.perf_counter() - started)
            conn.close()
            with lock:
                times.extend(mine)
                codes.update(my_codes)

        started = time.monotonic()
        threads = [threading.Thread(target=browse, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        return {"times": times, "codes": codes, "throughput": len(times) / elapsed, "elapsed": elapsed}

    def report(self, name: str, result: dict) -> None:
        times = result["times"]
        codes = ", ".join(
            f"{code or 'no answer'}: {count}" for code, count in sorted(result["codes"].items())
        )
        self.stdout.write(
            f"{name}: {len(times):,} requests in {result['elapsed']:.0f} s = {result['throughput']:.1f}/s; "
            f"p50 {percentile(times, 50) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms; status {codes}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped at start-up (exit {server.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError("gunicorn never answered /healthz")
