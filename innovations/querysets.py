from __future__ import annotations

from django.db import models
from django.db.models import BooleanField, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Ln

from regions.roles import roles_of

from . import search


class InnovationQuerySet(models.QuerySet):
    def published(self) -> InnovationQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> InnovationQuerySet:
        """The one rule of the bank: published innovations for everyone, drafts for national admins."""
        if roles_of(user).is_national_admin:
            return self.all()
        return self.published()

    def with_place(self) -> InnovationQuerySet:
        return self.select_related("owner_agency__parent", "owner_agency__regency", "owner_agency__province")

    def for_cards(self) -> InnovationQuerySet:
        """What an innovation card shows: owner agency and its place, and the KIPP awards."""
        from django.db.models import Prefetch

        from .models import KippAward

        return self.with_place().prefetch_related(
            Prefetch("awards", KippAward.objects.select_related("edition"))
        )

    def search(self, terms: search.SearchTerms, *, weights: str = search.RANK_WEIGHTS) -> InnovationQuerySet:
        """Records matching the query, annotated with the lexemes they hold, how many, and their rank."""
        if not terms:
            return self
        return (
            self.filter(search.matches(terms))
            .annotate(matched=search.matched_lexemes(terms), rank=search.rank(terms, weights))
            .annotate(coverage=search.coverage(F("matched")))
        )

    def order_by_relevance(self) -> InnovationQuerySet:
        return self.order_by(F("coverage").desc(), F("rank").desc(), "-replication_count", "name", "pk")

    def problem_matches(self, terms: search.SearchTerms) -> InnovationQuerySet:
        """Innovations ranked by how well they address a described problem.

        Score = share of the problem's terms the record holds x (ts_rank weighted towards problem and
        solution) x a lift for proven replications (1 + ln(1 + replications) / 4).
        """
        if not terms:
            return self.none()
        terms = terms.relaxed()
        share = Cast(F("coverage"), FloatField()) / Value(float(len(terms.lexemes)))
        lift = Value(1.0) + Ln(Value(1.0) + Cast(F("replication_count"), FloatField())) / Value(4.0)
        return (
            self.search(terms, weights=search.PROBLEM_RANK_WEIGHTS)
            .annotate(score=share * (F("rank") + Value(0.05)) * lift)
            .order_by(F("score").desc(), "name", "pk")
        )

    def with_snippets(self, terms: search.SearchTerms) -> InnovationQuerySet:
        if not terms:
            return self
        return self.annotate(summary_headline=search.headline(terms, "summary"))

    def replicated(self) -> InnovationQuerySet:
        return self.filter(replication_count__gt=0)

    def related_to(self, innovation) -> InnovationQuerySet:
        """Innovations whose text is nearest to this one's name and problem, same sector first.

        The query is built inside the same SQL statement from the innovation's own words.
        """
        words = " ".join(
            search.WORD.findall(" ".join([innovation.name, innovation.long_name, innovation.summary]))
        )
        query = search.any_of_words_sql()
        return (
            self.exclude(pk=innovation.pk)
            .filter(RawSQL(f"innovations_innovation.search_vector @@ {query}", [words], BooleanField()))
            .annotate(
                same_sector=Q(category=innovation.category),
                similarity=RawSQL(
                    f"ts_rank(innovations_innovation.search_vector, {query}, 1)", [words], FloatField()
                ),
            )
            .order_by(F("same_sector").desc(), F("similarity").desc(), "name")
        )
