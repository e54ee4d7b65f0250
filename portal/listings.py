"""Light rows for the replications tables of the profile, province, regency and agency pages.

Rows are plain dicts with each label translated once per page and each kind of link reversed once per
page (templates/includes/replications_table.html shows them).
"""

from functools import cache

from django.db.models import BigIntegerField, F

from core.db.prepared import Argument, Statement, counting
from innovations.listings import Link
from innovations.models import PROPOSAL_PUBLIC_STATUSES
from innovations.querysets import published_or_drafts
from replications.models import Proposal


def public_replications():
    """Proposals the public may see, newest round first."""
    return Proposal.objects.filter(status__in=PROPOSAL_PUBLIC_STATUSES).order_by(
        "-round__deadline", "regency__name", "pk"
    )


# The columns a replications table is narrowed on, for each kind of page that shows one. A proposal's
# regency lies in its round's province (Proposal.clean): the round's column lets PostgreSQL start
# from the province's few rounds (3 ms for a province's count, against 15 through its regencies).
REPLICATIONS_OF = {
    "innovation": ("innovation_id",),
    "province": ("round__province_id", "regency__province_id"),
    "regency": ("regency_id",),
    "adopting agency": ("adopting_agency_id",),
}


@cache
def replication_statements(of: str) -> tuple[Statement, Statement]:
    """How many public replications of visible innovations have ``value`` in the columns of
    ``REPLICATIONS_OF[of]``, and what a table shows of each. Compiled once (core.db.prepared)."""
    narrowed = {column: Argument("value", BigIntegerField()) for column in REPLICATIONS_OF[of]}
    proposals = public_replications().filter(published_or_drafts("innovation__"), **narrowed)
    rows = proposals.values(
        "status",
        "local_name",
        "adopting_agency_id",
        innovation_name=F("innovation__name"),
        innovation_slug=F("innovation__slug"),
        regency_code=F("regency__code"),
        regency_name=F("regency__name"),
        province_name=F("regency__province__name"),
        agency_name=F("adopting_agency__name"),
        deadline=F("round__deadline"),
    )
    return Statement(counting(proposals)), Statement(rows)


def replication_count(of: str, value: int, *, drafts: bool) -> int:
    return replication_statements(of)[0].rows(value=value, drafts=drafts)[0]["count"]


def replication_rows(of: str, value: int, offset: int, limit: int, *, drafts: bool) -> list[dict]:
    """A page of the replications table of one innovation, province, regency or adopting agency:
    replications of published innovations, and of drafts too with ``drafts``."""
    status_labels = {value: str(label) for value, label in Proposal._meta.get_field("status").choices}
    innovation_url, regency_url = Link("innovation-detail"), Link("regency-detail", "00.00")
    agency_url = Link("agency-detail")
    rows = replication_statements(of)[1].rows(value=value, drafts=drafts, offset=offset, limit=limit)
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["regency_url"] = regency_url(row["regency_code"])
        agency = row["adopting_agency_id"]
        row["agency_url"] = agency_url(agency) if agency is not None else None
        row["status_label"] = status_labels.get(row["status"], row["status"])
        row["year"] = str(row["deadline"].year)  # a string: templates localize numbers, slowly
    return rows
