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
import random
import threading
import time
from collections import Counter
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.benchmarks import production_server, use_database
from devtools.management.commands.bench_bank import OFFICER_QUERIES, load_average, percentile


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
        with production_server(name, workers) as port:
            self.stdout.write(
                f"gunicorn, {workers} workers, DEBUG off; {clients} clients; load average {load_average()}\n"
            )
            pages = self.run_clients(port, clients, seconds, lambda rng: rng.choice(urls))
            floor = self.run_clients(port, clients, max(10, seconds // 3), lambda rng: "/healthz")
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
