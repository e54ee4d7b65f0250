"""The programme's national numbers, for the public statistics page and the national dashboard.

Plain functions returning rows (dicts). Each is one aggregate query (or a fixed few), whatever the
number of provinces, rounds or proposals. A ``Scope`` says whose numbers they are: the public's (only
the statuses of ``Status.PUBLIC``, of published innovations) or the national admins' (every status of
every innovation), and of which year: a proposal's year is its round's deadline year, as the
replications tables show it.

The three measures the map and the tables read are the programme's status groups: proposed (past
``Status.NOT_PROPOSED``), committed (``Status.ADOPTED``, the bank's replication count) and completed
(replicated).
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass
from functools import cache

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from innovations.listings import Link
from innovations.models import Innovation
from regions.models import TimeZone
from regions.reference import read_rows
from replications.models import Milestone, Proposal, Round, Status

PROPOSED, COMMITTED, COMPLETED = "diusulkan", "berkomitmen", "selesai"
MEASURES = (PROPOSED, COMMITTED, COMPLETED)
DEFAULT_MEASURE = COMMITTED


@dataclass(frozen=True)
class Scope:
    public: bool
    year: int | None = None

    @property
    def statuses(self) -> tuple[str, ...]:
        """The statuses counted, in life-cycle order."""
        return Status.PUBLIC if self.public else tuple(Status)

    def proposals(self, path: str = "") -> Q:
        """The proposals counted, reached through ``path``."""
        condition = Q(**{f"{path}status__in": self.statuses})
        if self.public:
            condition &= Q(**{f"{path}innovation__is_published": True})
        if self.year is not None:
            condition &= Q(**{f"{path}round__deadline__year": self.year})
        return condition

    def every_year(self) -> Scope:
        return Scope(self.public)


def measure_statuses(scope: Scope) -> dict[str, tuple[str, ...]]:
    """Which of the scope's statuses each measure counts."""
    return {
        PROPOSED: tuple(status for status in scope.statuses if status not in Status.NOT_PROPOSED),
        COMMITTED: tuple(status for status in scope.statuses if status in Status.ADOPTED),
        COMPLETED: tuple(status for status in scope.statuses if status == Status.REPLICATED),
    }


def status_counts(scope: Scope, path: str) -> dict[str, Count]:
    """One count per status of the scope, of the proposals reached through ``path``."""
    return {
        f"status_{status}": Count(f"{path}pk", filter=scope.proposals(path) & Q(**{f"{path}status": status}))
        for status in scope.statuses
    }


def with_measures(row: dict, scope: Scope) -> dict:
    """``row`` with its per-status counts as a list (``by_status``, in the scope's order) and each
    measure summed from them."""
    counts = {status: row.pop(f"status_{status}") for status in scope.statuses}
    row["by_status"] = [counts[status] for status in scope.statuses]
    for measure, statuses in measure_statuses(scope).items():
        row[measure] = sum(counts[status] for status in statuses)
    return row


def per_round(proposals) -> Counter:
    """Proposals counted by round and status, from the index ``replications_proposal_counts`` alone."""
    rows = proposals.order_by().values_list("round_id", "status").annotate(count=Count("*"))
    return Counter({(round_id, status): count for round_id, status, count in rows})


def status_grid(scope: Scope) -> list[tuple[str, int, str, int]]:
    """(province code, year, status, proposals) for every year: what both the provinces' table and the
    years' trend are read from, whatever the number of proposals. The proposals are counted by round
    and status from an index alone; for the public, those of innovations not published (few) are
    taken off again, rather than every proposal joined to the bank; then each round's province and
    year (two queries, three for the public)."""
    counted = per_round(Proposal.objects.filter(status__in=scope.statuses))
    if scope.public:
        counted.subtract(
            per_round(Proposal.objects.filter(status__in=scope.statuses, innovation__is_published=False))
        )
    where = {
        pk: (province, year)
        for pk, province, year in Round.objects.order_by().values_list(
            "pk", "province__code", ExtractYear("deadline")
        )
    }
    return [(*where[round_id], status, count) for (round_id, status), count in counted.items() if count]


def grid_counts(grid, key) -> dict:
    """Each ``key(province, year)`` of the grid with its counts by status (``status_<status>``)."""
    counted: dict = {}
    for province, year, status, count in grid:
        slot = key(province, year)
        if slot is None:
            continue
        row = counted.setdefault(slot, Counter())
        row[f"status_{status}"] += count
    return counted


def province_rows(scope: Scope, grid=None) -> list[dict]:
    """Every province by code (from the reference data), with its proposals counted by status and by
    measure, in the scope's year. One query, or none given the grid."""
    province_url = Link("province-detail", "00")
    grid = status_grid(scope) if grid is None else grid
    counted = grid_counts(grid, lambda province, year: province if scope.year in (None, year) else None)
    rows = []
    for code, name in province_names().items():
        counts = counted.get(code, Counter())
        row = {"code": code, "name": name, **{f"status_{s}": counts[f"status_{s}"] for s in scope.statuses}}
        rows.append({**with_measures(row, scope), "url": province_url(code)})
    return rows


def national_province_rows(scope: Scope, grid=None) -> list[dict]:
    """province_rows() with each province's rounds, the regencies taking part in them, the completion
    rate and the overdue milestones. Three queries (two given the grid)."""
    rows = province_rows(scope, grid)
    rounds = Round.objects.all()
    if scope.year is not None:
        rounds = rounds.filter(deadline__year=scope.year)
    taking_part = {
        row["province__code"]: row
        for row in rounds.order_by()
        .values("province__code")
        .annotate(rounds=Count("pk", distinct=True), regencies=Count("participants", distinct=True))
    }
    overdue = dict(
        overdue_milestones(scope)
        .order_by()
        .values_list("proposal__round__province__code")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        held = taking_part.get(row["code"], {})
        row["rounds"] = held.get("rounds", 0)
        row["regencies"] = held.get("regencies", 0)
        row["overdue"] = overdue.get(row["code"], 0)
        row["completion_rate"] = completion_rate(row)
    return rows


def completion_rate(row: dict) -> int | None:
    """Completed replications per committed one, in whole percent (none without a commitment)."""
    if not row[COMMITTED]:
        return None
    return round(100 * row[COMPLETED] / row[COMMITTED])


def overdue_milestones(scope: Scope):
    """Open milestones of proposals in implementation whose due date has passed in their round's
    province (a due date lasts until the end of that day there)."""
    now = timezone.now()
    past_due = Q(pk__in=[])
    for zone in TimeZone:
        today = timezone.localdate(now, zoneinfo.ZoneInfo(zone))
        past_due |= Q(proposal__round__province__time_zone=zone, due_on__lt=today)
    milestones = Milestone.objects.filter(
        past_due, done_on__isnull=True, proposal__status__in=Status.IN_IMPLEMENTATION
    )
    return milestones.filter(scope.proposals("proposal__"))


def totals(rows: list[dict], keys: tuple[str, ...]) -> dict:
    """The national total of each of ``keys`` over province rows, and of ``by_status``."""
    total = {key: sum(row[key] for row in rows) for key in keys}
    total["by_status"] = [sum(counts) for counts in zip(*(row["by_status"] for row in rows), strict=True)]
    return total


def year_rows(scope: Scope, grid=None) -> list[dict]:
    """Each year with proposals, oldest first, with its measures. One query, or none given the grid."""
    grid = status_grid(scope) if grid is None else grid
    counted = grid_counts(grid, lambda province, year: year)
    return [
        with_measures({"year": year, **{f"status_{s}": counts[f"status_{s}"] for s in scope.statuses}}, scope)
        for year, counts in sorted(counted.items())
    ]


def adopted_by_innovation(scope: Scope) -> list[dict]:
    """Each innovation with committed replications in the scope, with its owner and the owner's region:
    what the most replicated and their origins are read from. Two queries: the committed proposals
    counted by innovation (from the index ``replications_proposal_counts``), then those innovations'
    names and owners (at most one row per innovation)."""
    committed = Proposal.objects.filter(status__in=Status.ADOPTED)
    if scope.year is not None:
        committed = committed.filter(round__deadline__year=scope.year)
    counts = dict(committed.order_by().values_list("innovation_id").annotate(count=Count("*")))
    path = "owner_agency__"
    innovations = Innovation.objects.filter(pk__in=list(counts))
    if scope.public:
        innovations = innovations.filter(is_published=True)  # an unpublished one is neither named nor counted
    rows = innovations.values(
        innovation_id=F("pk"),
        innovation_name=F("name"),
        innovation_slug=F("slug"),
        agency_name=F(f"{path}name"),
        regency_code=F(f"{path}regency__code"),
        regency_name=F(f"{path}regency__name"),
        province_code=F(f"{path}province__code"),
        province_name=F(f"{path}province__name"),
    )
    return [{**row, "replications": counts[row["innovation_id"]]} for row in rows]


def most_replicated(scope: Scope, limit: int = 10, adopted=None) -> list[dict]:
    """The innovations with the most committed replications, with the region they come from (their
    owner's regency, or province for a provincial agency). One query, or none given
    adopted_by_innovation()."""
    innovation_url = Link("innovation-detail")
    adopted = adopted_by_innovation(scope) if adopted is None else adopted
    top = sorted(
        adopted, key=lambda row: (-row["replications"], row["innovation_name"], row["innovation_id"])
    )
    return [{**row, "innovation_url": innovation_url(row["innovation_slug"])} for row in top[:limit]]


def origin_rows(scope: Scope, limit: int = 10, adopted=None) -> list[dict]:
    """The regions whose innovations were replicated most (committed replications), with how many of
    their innovations. One query, or none given adopted_by_innovation()."""
    province_url, regency_url = Link("province-detail", "00"), Link("regency-detail", "00.00")
    adopted = adopted_by_innovation(scope) if adopted is None else adopted
    regions: dict[tuple, dict] = {}
    for row in adopted:
        place = (row["province_code"], row["province_name"], row["regency_code"], row["regency_name"])
        region = regions.setdefault(place, {"replications": 0, "innovations": 0})
        region["replications"] += row["replications"]
        region["innovations"] += 1
    ordered = sorted(
        regions.items(), key=lambda item: (-item[1]["replications"], item[0][0] or "", item[0][2] or "")
    )
    return [
        {
            "province_code": province_code,
            "province_name": province_name,
            "regency_code": regency_code,
            "regency_name": regency_name,
            **counts,
            "province_url": province_url(province_code) if province_code else None,
            "regency_url": regency_url(regency_code) if regency_code else None,
        }
        for (province_code, province_name, regency_code, regency_name), counts in ordered[:limit]
    ]


def numbers(scope: Scope) -> dict[str, list[dict]]:
    """Every number of a statistics page from two scans of the proposals (the status grid and the
    committed replications by innovation), and for the national admins the rounds and overdue
    milestones (two more)."""
    grid, adopted = status_grid(scope), adopted_by_innovation(scope)
    return {
        "provinces": province_rows(scope, grid) if scope.public else national_province_rows(scope, grid),
        "years": year_rows(scope.every_year(), grid),
        "most_replicated": most_replicated(scope, adopted=adopted),
        "origins": origin_rows(scope, adopted=adopted),
    }


def public_replication_provinces() -> ArraySubquery:
    """An annotation of innovations: the province code of each public replication of the innovation,
    once per replication (so the profile's map costs its own query nothing)."""
    proposals = Proposal.objects.filter(innovation=OuterRef("pk"), status__in=Status.PUBLIC)
    return ArraySubquery(proposals.order_by().values("round__province__code"))


def innovation_province_rows(province_codes: list[str]) -> list[dict]:
    """Every province with how many of ``province_codes`` (public_replication_provinces()) are its
    own; the provinces from the reference data, without a query."""
    province_url = Link("province-detail", "00")
    counted = Counter(province_codes)
    return [
        {"code": code, "name": name, "url": province_url(code), "replications": counted[code]}
        for code, name in province_names().items()
    ]


@cache
def province_names() -> dict[str, str]:
    """The 38 provinces' names by code, as the reference data ships them (regions/data/provinces.csv)."""
    return {row["code"]: row["name"] for row in read_rows("provinces.csv")}
