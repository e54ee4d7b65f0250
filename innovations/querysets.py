from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import BooleanField, F, FloatField, Max, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Ln
from django.utils import timezone

from accounts.roles import roles_of
from core.db.prepared import Argument

from . import search


def sees_drafts(user) -> bool:
    """The one rule of the bank: published innovations for everyone, drafts for national admins."""
    return roles_of(user).is_national_admin


def published_or_drafts(path: str = "") -> Q:
    """The same rule in a prepared statement (regions.prepared): published innovations (reached
    through ``path``), and drafts too when the statement runs with ``drafts=sees_drafts(user)``."""
    return Q(**{f"{path}is_published": True}) | Argument("drafts", BooleanField())


# A record is due for review by its innovators and the national team a year after its last review.
REVIEW_INTERVAL_DAYS = 365


def a_year_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


class InnovationQuerySet(models.QuerySet):
    def review_overdue(self) -> InnovationQuerySet:
        """Not reviewed for over a year, or never (the admin's filter and its list of work waiting)."""
        return self.filter(Q(last_reviewed_on__lt=a_year_ago()) | Q(last_reviewed_on=None))

    def reviewed_within_a_year(self) -> InnovationQuerySet:
        return self.filter(last_reviewed_on__gte=a_year_ago())

    def published(self) -> InnovationQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> InnovationQuerySet:
        return self.all() if sees_drafts(user) else self.published()

    def with_place(self) -> InnovationQuerySet:
        return self.select_related("owner_agency__parent", "owner_agency__regency", "owner_agency__province")

    def for_cards(self) -> InnovationQuerySet:
        """What the API lists with each innovation: owner agency and its place, and the KIPP awards
        (pages build their cards with cards.cards_for)."""
        from django.db.models import Prefetch

        from .models import KippAward

        return self.with_place().prefetch_related(
            Prefetch("awards", KippAward.objects.select_related("edition"))
        )

    def replicated(self) -> InnovationQuerySet:
        return self.filter(replication_count__gt=0)

    def with_related_ids(self, *, drafts: bool, limit: int = 4, candidates: int = 500) -> InnovationQuerySet:
        """Annotate ``related_ids``: innovations of the same sector nearest in text to each one.

        Computed inside the same statement from the innovation's own name and problem lexemes (its
        A- and B-weighted search terms). The candidates are the sector's ``candidates`` most replicated
        other innovations (index innovations_search_sector_top), so the cost stays the same
        however large a sector grows; among those holding any of the terms, the nearest come first.
        """

        own = "innovations_searchdocument"
        sql = f"""ARRAY(
            SELECT candidate.innovation_id
            FROM (SELECT other.innovation_id, other.search_vector, other.name
                  FROM innovations_searchdocument other
                  WHERE other.category = innovations_innovation.category
                    AND other.innovation_id <> innovations_innovation.id
                    AND (%s OR other.is_published)
                  ORDER BY other.replication_count DESC, other.innovation_id
                  LIMIT %s) AS candidate,
                 (SELECT coalesce(string_agg(quote_literal(clean), ' | '), '')::tsquery AS query
                  FROM (SELECT regexp_replace(lexeme, '[^[:alnum:]-]', '', 'g') AS clean
                        FROM unnest(tsvector_to_array(ts_filter({own}.search_vector, '{{a,b}}')))
                             AS lexeme) AS l
                  WHERE clean <> '') AS q
            WHERE candidate.search_vector @@ q.query
            ORDER BY ts_rank(candidate.search_vector, q.query, 1) DESC, candidate.name
            LIMIT %s)"""
        from django.db.models import BigIntegerField

        return self.select_related("search_document").annotate(
            related_ids=RawSQL(sql, [drafts, candidates, limit], ArrayField(BigIntegerField()))
        )

    def in_order_of(self, documents) -> list:
        """The innovations of these search documents, in the documents' order, with what the search found."""
        by_pk = self.in_bulk([document.pk for document in documents])
        ordered = []
        for document in documents:
            innovation = by_pk.get(document.pk)
            if innovation is not None:
                innovation.matched = getattr(document, "matched", None) or []
                ordered.append(innovation)
        return ordered


class SearchDocumentQuerySet(models.QuerySet):
    """Queries over the narrow search rows; pages turn the chosen rows into innovations afterwards."""

    def visible_to(self, user) -> SearchDocumentQuerySet:
        return self.all() if sees_drafts(user) else self.filter(is_published=True)

    def search(self, terms: search.SearchTerms, *, weights: str | None = None) -> SearchDocumentQuerySet:
        """Documents matching the query, annotated with the lexemes they hold (each with the best weight
        it is held with) and their rank (search.rank)."""
        if not terms:
            return self
        return (
            self.filter(search.matches(terms))
            .annotate(rank=search.rank(terms, weights))
            .annotate(matched=search.matched_lexemes(terms))
        )

    def order_by_relevance(self) -> SearchDocumentQuerySet:
        return self.order_by(F("rank").desc(), "-replication_count", "name", "pk")

    def problem_matches(self, terms: search.SearchTerms) -> SearchDocumentQuerySet:
        """Documents ranked by how well they address a described problem, above a relevance floor.

        Score = the query's evidence in the record (search.rank, its lexemes' scores weighted towards
        problem and solution) x a lift for proven replications (1 + ln(1 + replications) / 4). A record
        must hold at least PROBLEM_MIN_SHARE of the problem's rarity (search.share) and score at least
        PROBLEM_MIN_OF_BEST of the best record's score: a record sharing only generic words is cut off.
        """
        if not terms:
            return self.none()
        terms = terms.relaxed()
        lift = Value(1.0) + Ln(Value(1.0) + Cast(F("replication_count"), FloatField())) / Value(4.0)
        return (
            self.search(terms, weights=search.PROBLEM_RANK_WEIGHTS)
            .annotate(share=search.share(terms), score=F("rank") * lift)
            .annotate(best=Window(Max("score")))
            .filter(share__gte=search.PROBLEM_MIN_SHARE, score__gte=F("best") * search.PROBLEM_MIN_OF_BEST)
            .order_by(F("score").desc(), "name", "pk")
        )
