"""How well the bank's search finds what an officer means: the judged set of
devtools/data/relevance/judged.json (realistic innovations and queries, each query with the
innovations judged relevant to it, graded 1-3), loaded into a database of its own.

    make relevance                 # or: python manage.py relevance [--verbose]

Prints, per query and overall, hit@3 (the share of the grade-3 innovations found in the first three)
and nDCG@10 (gain 2^grade - 1), for the bank's search ("search" queries: the list page's ranking) or
find by problem ("problem" queries), beside a plain PostgreSQL peer on the same data: one
``to_tsvector('indonesian', …)`` of all the text, the query's words OR-ed
(``websearch_to_tsquery``), ranked by ``ts_rank_cd``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.text import slugify

from devtools.benchmarks import use_database
from innovations import analysis, search
from innovations.filters import InnovationFilterSet
from innovations.models import Category, Innovation, SearchDocument
from innovations.tasks import catch_up
from regions.models import Agency, AgencyLevel, Province, Regency

JUDGED = Path(__file__).resolve().parents[2] / "data" / "relevance" / "judged.json"
DEPTH = 10

PEER = """
    SELECT i.id FROM innovations_innovation i
    JOIN regions_agency a ON a.id = i.owner_agency_id
    LEFT JOIN regions_agency p ON p.id = a.parent_id,
    LATERAL (SELECT to_tsvector('indonesian', concat_ws(' ', i.name, i.long_name, i.summary, i.background,
                                i.implementation, i.results_after, a.name, p.name)) AS v) AS document,
    (SELECT replace(websearch_to_tsquery('indonesian', %s)::text, ' & ', ' | ')::tsquery AS q) AS query
    WHERE v @@ q
    ORDER BY ts_rank_cd(v, q) DESC, i.id
    LIMIT %s"""


def dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(grades))


def scores(found: list[str], relevant: dict[str, int]) -> tuple[float, float]:
    """hit@3 (share of the grade-3 innovations among the first three) and nDCG@10 of one result list."""
    best = [key for key, grade in relevant.items() if grade == 3]
    hit = sum(key in found[:3] for key in best) / len(best) if best else 1.0
    ideal = dcg(sorted(relevant.values(), reverse=True)[:DEPTH])
    return hit, dcg([relevant.get(key, 0) for key in found[:DEPTH]]) / ideal


class Command(BaseCommand):
    help = "Measure hit@3 and nDCG@10 of the search on the judged relevance set, beside a plain peer."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="", help="database name (default: <current>_relevance)")
        parser.add_argument("--verbose", action="store_true", help="print each query's first results")

    def handle(self, *args, database, verbose, **options):
        use_database(database or f"{settings.DATABASES['default']['NAME']}_relevance", self.stdout)
        call_command("migrate", verbosity=0)
        cache.clear()
        judged = json.loads(JUDGED.read_text())
        keys = self.load(judged["innovations"])
        rows, totals = [], {"ours": [0.0, 0.0, 0], "peer": [0.0, 0.0, 0]}
        for query in judged["queries"]:
            relevant = query["relevant"]
            ours = [keys[pk] for pk in self.ours(query["text"], query["mode"])]
            peer = [keys[pk] for pk in self.peer(query["text"])]
            line = [query["mode"][0], query["text"]]
            for name, found in (("ours", ours), ("peer", peer)):
                hit, ndcg = scores(found, relevant)
                totals[name][0] += hit
                totals[name][1] += ndcg
                totals[name][2] += hit == 1.0
                line += [hit, ndcg]
            rows.append(line)
            if verbose:
                marked = [f"{key}({relevant[key]})" if key in relevant else key for key in ours[:5]]
                rows[-1].append(" ".join(marked))
        self.stdout.write(f"{'':2}{'query':<46}{'hit@3':>7}{'nDCG':>7}   peer{'hit@3':>7}{'nDCG':>7}")
        for mode, text, hit, ndcg, peer_hit, peer_ndcg, *shown in rows:
            self.stdout.write(
                f"{mode:2}{text[:45]:<46}{hit:7.2f}{ndcg:7.2f}   {'':4}{peer_hit:7.2f}{peer_ndcg:7.2f}"
                + (f"   {shown[0]}" if shown else "")
            )
        count = len(rows)
        for name, label in (("ours", "search"), ("peer", "plain OR + ts_rank_cd")):
            hit, ndcg, complete = totals[name]
            self.stdout.write(
                f"{label}: hit@3 {hit / count:.3f}, every grade-3 in the first three {complete}/{count}, "
                f"nDCG@10 {ndcg / count:.3f}"
            )

    def load(self, innovations: list[dict]) -> dict[int, str]:
        """The judged innovations, the bank's only ones; their ids to their keys."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE innovations_innovation, regions_agency RESTART IDENTITY CASCADE")
            keys = {}
            for number, item in enumerate(innovations):
                innovation = Innovation.objects.create(
                    name=item["name"],
                    slug=f"{slugify(item['name'])[:200]}-{number}",
                    owner_agency=self.agency(item["agency"], item["region"]),
                    category=Category.choices[number % len(Category.choices)][0],
                    summary=item["problem"],
                    implementation=item["solution"],
                    results_after=item["results"],
                    is_published=True,
                )
                keys[innovation.pk] = item["key"]
        learned, reanalysed = analysis.learn_bank()  # as the daily task does on any bank
        self.stdout.write(f"lemmas: {learned} words learned, {reanalysed} innovations re-analysed")
        catch_up()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return keys

    def agency(self, name: str, region: str) -> Agency:
        regency = Regency.objects.filter(name=region).first()
        province = None if regency else Province.objects.filter(name=region.removeprefix("Provinsi ")).first()
        if regency:
            government, _ = Agency.objects.get_or_create(
                name=f"Pemerintah {regency.name}", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency
            )
        elif province:
            government, _ = Agency.objects.get_or_create(
                name=f"Pemerintah {region}", level=AgencyLevel.PROVINCIAL_GOVERNMENT, province=province
            )
        else:
            government, _ = Agency.objects.get_or_create(
                name=f"Pemerintah {region}", level=AgencyLevel.MINISTRY
            )
        agency, _ = Agency.objects.get_or_create(
            name=name, parent=government, defaults={"level": AgencyLevel.OFFICE}
        )
        return agency

    def ours(self, text: str, mode: str) -> list[int]:
        documents = SearchDocument.objects.filter(is_published=True)
        if mode == "problem":
            return [document.pk for document in documents.problem_matches(search.prepare(text))[:DEPTH]]
        filterset = InnovationFilterSet({"q": text}, queryset=documents, drafts=False)
        gathered = filterset.gather_page(1, DEPTH)
        return [pk for pk, _ in gathered.rows]

    def peer(self, text: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(PEER, [text, DEPTH])
            return [row[0] for row in cursor.fetchall()]
