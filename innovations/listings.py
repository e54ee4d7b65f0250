"""Light rows for the long lists of the bank's pages: KIPP winners, the most replicated innovations.

Built as model instances, each with its related models, its choice label translated and its links
reversed one row at a time, a table of a hundred rows cost its page several times the page's own SQL
(the README's benchmark section). These lists read only the columns they show
(``values()``), translate each label once per page and reverse each kind of link once per page.
Rows are plain dicts.
"""

from functools import cache
from urllib.parse import quote

from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.db.prepared import Argument, Statement
from regions.models import agency_label

from .models import Group, KippAward, KippEdition, SearchDocument, Tier
from .querysets import published_or_drafts

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


def award_rows(edition_id: int | None = None, *, drafts: bool = False, limit: int | None = None) -> list:
    """What a list of KIPP winners shows of each award: the innovation, its owner and the award.

    The winners of one edition by group, tier and name; without ``edition_id``, the newest awards of
    every edition first. Drafts' awards too with ``drafts``, for those who may see them.
    """
    tiers, groups = labels(Tier), labels(Group)
    arguments = {"drafts": drafts} if edition_id is None else {"drafts": drafts, "edition": edition_id}
    rows = with_links(awards_statement(of_edition=edition_id is not None).rows(limit=limit, **arguments))
    for row in rows:
        row["tier_label"] = tiers.get(row["tier"], row["tier"])
        row["group_label"] = groups.get(row["group"], row["group"])
    return rows


@cache
def awards_statement(of_edition: bool) -> Statement:
    awards = KippAward.objects.filter(published_or_drafts("innovation__"))
    if of_edition:
        awards = awards.filter(edition_id=Argument("edition", BigIntegerField()))
        awards = awards.order_by("group", "tier", "innovation__name", "pk")
    else:
        awards = awards.order_by("-edition__year", "tier", "innovation__name", "pk")
    columns = innovation_columns("innovation__")
    return Statement(awards.values("group", "tier", year=F("edition__year"), **columns))


def most_replicated_rows(limit: int) -> list[dict]:
    """The published innovations replicated most, read from their search documents."""
    return with_links(most_replicated_statement().rows(limit=limit))


@cache
def most_replicated_statement() -> Statement:
    documents = SearchDocument.objects.filter(is_published=True, replication_count__gt=0)
    return Statement(
        documents.order_by("-replication_count", "name", "pk").values(
            "replication_count", **innovation_columns("innovation__")
        )
    )


def innovation_columns(path: str) -> dict[str, F]:
    """What a row naming an innovation reads of it (reached through ``path``) and of its owner."""
    return {
        "innovation_name": F(f"{path}name"),
        "innovation_slug": F(f"{path}slug"),
        "agency_name": F(f"{path}owner_agency__name"),
        "regency_name": F(f"{path}owner_agency__regency__name"),
        "province_name": F(f"{path}owner_agency__province__name"),
    }


def with_links(rows: list[dict]) -> list[dict]:
    """Rows of innovation_columns() given the innovation's link and its owner's label."""
    innovation_url = Link("innovation-detail")
    for row in rows:
        row["innovation_url"] = innovation_url(row["innovation_slug"])
        row["owner"] = agency_label(row["agency_name"], row["regency_name"] or row["province_name"])
    return rows


def edition_rows(*, drafts: bool) -> list[dict]:
    """Every KIPP edition, newest first, with its top tier's label and how many of its winners the
    bank holds (published ones, and drafts too with ``drafts``)."""
    tiers, edition_url = labels(Tier), Link("edition-detail", "2020")
    rows = editions_statement().rows(drafts=drafts)
    for row in rows:
        row["url"] = edition_url(row["year"])
        row["top_tier_label"] = tiers.get(row["top_tier"], row["top_tier"])
        row["year"] = str(row["year"])  # a string: templates localize numbers, slowly
    return rows


@cache
def editions_statement() -> Statement:
    # A correlated count per edition: its awards' innovations are probed by key (a few ms), where a
    # filtered Count hashed every visible innovation first (140 ms at 100,000).
    winners = (
        KippAward.objects.filter(published_or_drafts("innovation__"))
        .filter(edition=OuterRef("pk"))
        .order_by()
        .values("edition")
        .annotate(count=Count("pk"))
        .values("count")
    )
    editions = KippEdition.objects.order_by("-year").values("year", "number", "top_tier")
    return Statement(editions.annotate(winner_count=Coalesce(Subquery(winners), 0)))


def winners_by_group_and_tier(edition_id: int, *, drafts: bool) -> dict[str, dict[str, list[dict]]]:
    """An edition's winners by group then tier."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for row in award_rows(edition_id, drafts=drafts):
        groups.setdefault(row["group_label"], {}).setdefault(row["tier_label"], []).append(row)
    return groups


def labels(choices) -> dict[str, str]:
    """Each choice's label, translated once for the page."""
    return {value: str(label) for value, label in choices.choices}
