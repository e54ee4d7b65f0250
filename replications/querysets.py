from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from accounts.roles import roles_of

from .statuses import Status


class LocalDate(models.Func):
    """The date an instant falls on in the time zone a column names: ``(instant AT TIME ZONE zone)::date``."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        instant, zone = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"(({instant[0]}) AT TIME ZONE ({zone[0]}))::date", (*instant[1], *zone[1])


class StartOfNextDay(models.Func):
    """The first instant after a date in the time zone a column names: a deadline on that date is over."""

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        day, zone = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"((({day[0]}) + 1)::timestamp AT TIME ZONE ({zone[0]}))", (*day[1], *zone[1])


class RoundQuerySet(models.QuerySet):
    def open(self, now: datetime.datetime | None = None) -> RoundQuerySet:
        """Rounds still taking proposals and submissions: their deadline day has not ended in the hub
        province's time zone (``Round.is_open`` for one round)."""
        today_there = LocalDate(models.Value(now or timezone.now()), models.F("province__time_zone"))
        return self.filter(deadline__gte=today_there)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """The one rule for proposals, used by pages, API, admin and downloads alike.

        Regional staff see their own regency's proposals, a provincial bureau those of its province's
        regencies, a national admin all of them; anyone else none. Outside this set is a 404.
        """
        roles = roles_of(user)
        if roles.is_national_admin:
            return self.all()
        condition = models.Q(pk__in=[])
        if roles.regency_ids:
            condition |= models.Q(regency_id__in=roles.regency_ids)
        if roles.province_ids:
            condition |= models.Q(round__province_id__in=roles.province_ids)
        return self.filter(condition)

    def live(self) -> ProposalQuerySet:
        """Holding the one slot per regency, innovation and round (neither rejected nor cancelled)."""
        return self.filter(status__in=Status.LIVE)

    def waiting_for_review(self) -> ProposalQuerySet:
        return self.filter(status__in=Status.WAITING_FOR_REVIEW)

    def with_lateness(self) -> ProposalQuerySet:
        """``is_late``: submitted after the round's original deadline had ended in the hub province's time
        zone, which only an extension allows ("Terlambat" wherever proposals are listed)."""
        original_end = StartOfNextDay(
            models.F("round__original_deadline"), models.F("round__province__time_zone")
        )
        return self.annotate(
            is_late=models.Case(
                models.When(submitted_at__gte=original_end, then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )
