"""Light rows for the long lists of the public pages: replications, KIPP winners, regencies.

Built as model instances, each with its related models, its choice label translated and its links
reversed one row at a time, a table of a hundred rows cost its page several times the page's own SQL
(DESIGN.md, issue 3's budget: a page within 3x its SQL). These lists read only the columns they show
(``values()``), translate each label once per page and reverse each kind of link once per page.
Rows are plain dicts; templates/includes/replications_table.html shows the replication rows.
"""

from functools import cache
from urllib.parse import quote

from django.db.models import BigIntegerField, F
from django.urls import reverse

from regions.models import agency_label
from regions.prepared import Argument, Statement, counting

from .models import PROPOSAL_PUBLIC_STATUSES, Group, Innovation, Tier

# What reverse() leaves unquoted in a path argument (django.urls.resolvers._reverse_with_prefix).
SAFE_IN_PATH = "!$&'()*+,;=/~:@"


class Link:
    """The URL of one named route for many values of its one argument, the last part of its path.

    reverse() costs about 25 µs; a page reverses once per kind of link and joins strings per row.
    """

    def __init__(self, name: str, sample: str = "0") -> None:
        self.head, _, self.tail = reverse(name, args=[sample]).rpartition(sample)

    def __call__(self, value) -> str:
        return f"{self.head}{quote(str(value), safe=SAFE_IN_PATH)}{self.tail}"


def proposal_model():
    """The bank sits below the replications app and reaches its proposals through the reverse relation."""
    return Innovation._meta.get_field("proposals").related_model


def public_replications():
    """Proposals the public may see, newest round first."""
    return (
        proposal_model()
        .objects.filter(status__in=PROPOSAL_PUBLIC_STATUSES)
        .order_by("-round__deadline", "regency__name")
    )


# The lists of replications pages show, by the column they are narrowed on.
REPLICATIONS_OF = {
    "innovation": "innovation_id",
    "province": "regency__province_id",
    "regency": "regency_id",
    "adopting agency": "adopting_agency_id",
}


@cache
def replication_statements(of: str) -> tuple[Statement, Statement]:
    """How many public replications have ``value`` in the ``REPLICATIONS_OF[of]`` column, and what a
    table shows of each, newest round first. Compiled once (regions.prepared)."""
    proposals = public_replications().filter(**{REPLICATIONS_OF[of]: Argument("value", BigIntegerField())})
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


def replication_count(of: str, value: int) -> int:
    return replication_statements(of)[0].rows(value=value)[0]["count"]


def replication_rows(of: str, value: int, offset: int, limit: int) -> list[dict]:
    """A page of the replications table of one innovation, province, regency or adopting agency."""
    status_labels = {value: str(label) for value, label in proposal_model()._meta.get_field("status").choices}
    innovation_url, regency_url = Link("innovation-detail"), Link("regency-detail", "00.00")
    agency_url = Link("agency-detail")
    rows = replication_statements(of)[1].rows(value=value, offset=offset, limit=limit)
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["regency_url"] = regency_url(row["regency_code"])
        agency = row["adopting_agency_id"]
        row["agency_url"] = agency_url(agency) if agency is not None else None
        row["status_label"] = status_labels.get(row["status"], row["status"])
        row["year"] = str(row["deadline"].year)  # a string: templates localize numbers, slowly
    return rows


def award_rows(awards, limit: int | None = None) -> list[dict]:
    """What a list of KIPP winners shows of each award: the innovation, its owner and the award."""
    tiers, groups = labels(Tier), labels(Group)
    rows = innovation_rows(awards, "innovation__", limit, "group", "tier", year=F("edition__year"))
    for row in rows:
        row["tier_label"] = tiers.get(row["tier"], row["tier"])
        row["group_label"] = groups.get(row["group"], row["group"])
    return rows


def document_rows(documents, limit: int | None = None) -> list[dict]:
    """What a short list of innovations shows, read from their search documents: name, owner, replications."""
    return innovation_rows(documents, "innovation__", limit, "replication_count")


def innovation_rows(queryset, path: str, limit: int | None, *fields, **expressions) -> list[dict]:
    """Rows naming an innovation (reached through ``path``), its link and its owner, with ``fields``."""
    innovation_url = Link("innovation-detail")
    rows = list(
        queryset.values(
            *fields,
            **expressions,
            innovation_name=F(f"{path}name"),
            innovation_slug=F(f"{path}slug"),
            agency_name=F(f"{path}owner_agency__name"),
            regency_name=F(f"{path}owner_agency__regency__name"),
            province_name=F(f"{path}owner_agency__province__name"),
        )[:limit]
    )
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["owner"] = agency_label(row["agency_name"], row["regency_name"] or row["province_name"])
    return rows


def winners_by_group_and_tier(awards) -> dict[str, dict[str, list[dict]]]:
    """An edition's winners by group then tier, in the order of ``awards``."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for row in award_rows(awards):
        groups.setdefault(row["group_label"], {}).setdefault(row["tier_label"], []).append(row)
    return groups


def labels(choices) -> dict[str, str]:
    """Each choice's label, translated once for the page."""
    return {value: str(label) for value, label in choices.choices}
