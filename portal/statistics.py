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
from regions.models import Province, TimeZone
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


def province_rows(scope: Scope) -> list[dict]:
    """Every province by code, with its proposals counted by status and by measure. One query."""
    province_url = Link("province-detail", "00")
    rows = (
        Province.objects.order_by("code")
        .values("pk", "code", "name")
        .annotate(**status_counts(scope, "rounds__proposals__"))
    )
    return [{**with_measures(row, scope), "url": province_url(row["code"])} for row in rows]


def national_province_rows(scope: Scope) -> list[dict]:
    """province_rows() with each province's rounds, the regencies taking part in them, the completion
    rate and the overdue milestones. Three queries."""
    rows = province_rows(scope)
    rounds = Round.objects.all()
    if scope.year is not None:
        rounds = rounds.filter(deadline__year=scope.year)
    taking_part = {
        row["province_id"]: row
        for row in rounds.order_by()
        .values("province_id")
        .annotate(rounds=Count("pk", distinct=True), regencies=Count("participants", distinct=True))
    }
    overdue = dict(
        overdue_milestones(scope)
        .order_by()
        .values_list("proposal__round__province_id")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        held = taking_part.get(row["pk"], {})
        row["rounds"] = held.get("rounds", 0)
        row["regencies"] = held.get("regencies", 0)
        row["overdue"] = overdue.get(row["pk"], 0)
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


def year_rows(scope: Scope) -> list[dict]:
    """Each year with proposals, oldest first, with its measures. One query."""
    rows = (
        Proposal.objects.filter(scope.proposals())
        .annotate(year=ExtractYear("round__deadline"))
        .order_by("year")
        .values("year")
        .annotate(**status_counts(scope, ""))
    )
    return [with_measures(row, scope) for row in rows]


def most_replicated(scope: Scope, limit: int = 10) -> list[dict]:
    """The innovations with the most committed replications, with the region they come from (their
    owner's regency, or province for a provincial agency). One query."""
    innovation_url = Link("innovation-detail")
    rows = (
        Proposal.objects.filter(scope.proposals(), status__in=Status.ADOPTED)
        .values(
            "innovation_id",
            innovation_name=F("innovation__name"),
            innovation_slug=F("innovation__slug"),
            agency_name=F("innovation__owner_agency__name"),
            regency_name=F("innovation__owner_agency__regency__name"),
            province_name=F("innovation__owner_agency__province__name"),
        )
        .annotate(replications=Count("pk"))
        .order_by("-replications", "innovation_name", "innovation_id")[:limit]
    )
    return [{**row, "innovation_url": innovation_url(row["innovation_slug"])} for row in rows]


def origin_rows(scope: Scope, limit: int = 10) -> list[dict]:
    """The regions whose innovations were replicated most (committed replications), with how many of
    their innovations. One query."""
    province_url, regency_url = Link("province-detail", "00"), Link("regency-detail", "00.00")
    path = "innovation__owner_agency__"
    rows = (
        Proposal.objects.filter(scope.proposals(), status__in=Status.ADOPTED)
        .values(
            province_code=F(f"{path}province__code"),
            province_name=F(f"{path}province__name"),
            regency_code=F(f"{path}regency__code"),
            regency_name=F(f"{path}regency__name"),
        )
        .annotate(replications=Count("pk"), innovations=Count("innovation_id", distinct=True))
        .order_by("-replications", "province_code", "regency_code")[:limit]
    )
    for row in rows:
        row["province_url"] = province_url(row["province_code"]) if row["province_code"] else None
        row["regency_url"] = regency_url(row["regency_code"]) if row["regency_code"] else None
    return list(rows)


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
