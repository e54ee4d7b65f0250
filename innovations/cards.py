"""Innovation cards: what every list of innovations shows, read in one query as plain values.

A page of cards is the hot path of the bank (search, find by problem, region and agency pages).
It reads only the shown columns, the KIPP awards folded into the same row, and builds no model
instances; the labels and links are prepared here so that templates/includes/innovation_card.html
only prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, CharField, F, OuterRef, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from core.db.prepared import Argument, InArray, Slot, Statement

from . import search
from .listings import Link
from .models import Category, Innovation, KippAward, Tier, choice_label
from .querysets import published_or_drafts

SUMMARY_CHARS = 240


@dataclass(frozen=True)
class Card:
    name: str
    long_name: str
    url: str
    is_published: bool
    agency_name: str
    agency_url: str
    place: str
    category: str
    awards: list[str]
    replicated: str  # "Direplikasi 3 daerah", or empty
    snippet: SafeString | str
    matched_words: list[str] = field(default_factory=list)
    # "why it matched": where the record holds the matched words, "nama: akta; masalah: lahir"
    matched_where: str = ""


def cards_for(
    documents, terms: search.SearchTerms | None = None, *, drafts: bool, snippets: bool = False
) -> list[Card]:
    """Cards for these search documents, in their order, of published innovations (and drafts too
    with ``drafts``, for those who may see them).

    A document whose innovation is gone or no longer visible is skipped (the documents may come
    from a cached page). One query whatever the number of documents. ``terms`` give each card the
    words of the query it matched (from the documents' ``matched`` lexemes). With ``snippets`` each
    card shows its summary: with the query's words highlighted (``ts_headline``) when there are
    terms, else shortened.
    """
    documents = list(documents)
    if not documents:
        return []
    highlight = bool(snippets and terms)
    snippet = "headline" if highlight else "summary" if snippets else ""
    arguments = {"tsquery": terms.highlight_tsquery} if highlight else {}
    rows = card_statement(snippet).rows(ids=[d.pk for d in documents], drafts=drafts, **arguments)
    by_pk = {row["pk"]: row for row in rows}
    innovation_url, agency_url = Link("innovation-detail"), Link("agency-detail")
    categories = {value: str(label) for value, label in Category.choices}
    cards = []
    for document in documents:
        row = by_pk.get(document.pk)
        if row is None:
            continue
        if not snippets:
            snippet = ""
        elif highlight:
            snippet = search.render_snippet(row["snippet"])
        else:
            snippet = search.shorten(row["snippet"], SUMMARY_CHARS)
        matched = getattr(document, "matched", None) or []
        cards.append(
            Card(
                name=row["name"],
                long_name=row["long_name"],
                url=innovation_url(row["slug"]),
                is_published=row["is_published"],
                agency_name=row["agency_name"],
                agency_url=agency_url(row["agency_id"]),
                place=row["place"] or "",
                category=categories.get(row["category"], row["category"]),
                awards=[award_label(award) for award in row["award_list"]],
                replicated=replicated_label(row["replication_count"]),
                snippet=snippet,
                matched_words=terms.words_for(matched) if terms else [],
                matched_where=matched_where(terms, matched) if terms else "",
            )
        )
    return cards


@cache
def card_statement(snippet: str) -> Statement:
    """What a card shows of each innovation of ``ids``, its awards folded in as "year:tier" strings.

    ``snippet`` is "" (none), "summary", or "headline" (the summary with the ``tsquery`` argument's
    matches marked). Compiled once per kind (regions.prepared): building this queryset cost a page
    of cards twice its SQL.
    """
    awards = (
        KippAward.objects.filter(innovation=OuterRef("pk"))
        .order_by("-edition__year", "tier")
        .values(label=Concat(Cast("edition__year", CharField()), Value(":"), F("tier")))
    )
    text = {
        "": Value(""),
        "summary": F("summary"),
        "headline": search.headline("summary", Slot("tsquery")),
    }[snippet]
    chosen = InArray(F("pk"), Argument("ids", ArrayField(BigIntegerField())))
    innovations = Innovation.objects.filter(published_or_drafts(), chosen)
    return Statement(
        innovations.order_by().values(
            "pk",
            "name",
            "long_name",
            "slug",
            "is_published",
            "category",
            "replication_count",
            agency_id=F("owner_agency_id"),
            agency_name=F("owner_agency__name"),
            place=Coalesce(F("owner_agency__regency__name"), F("owner_agency__province__name")),
            award_list=ArraySubquery(awards),
            snippet=text,
        )
    )


def matched_where(terms: search.SearchTerms, matched: list[str]) -> str:
    """The parts of the record holding the matched words, the most telling first."""
    by_field: dict[str, list[str]] = {}
    for word, weight in terms.fields_for(matched):
        by_field.setdefault(weight, []).append(word)
    return "; ".join(
        f"{search.FIELD_LABELS[weight]}: {', '.join(words)}" for weight, words in sorted(by_field.items())
    )


def award_label(award: str) -> str:
    """ "2020:top45" -> "KIPP 2020 · Top 45" (as KippEdition and KippAward display themselves)."""
    year, tier = award.split(":", 1)
    return f"KIPP {year} · {choice_label(Tier, tier)}"


def replicated_label(count: int) -> str:
    if not count:
        return ""
    return ngettext("Direplikasi %(counter)s daerah", "Direplikasi %(counter)s daerah", count) % {
        "counter": count
    }
