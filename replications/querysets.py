from __future__ import annotations

from django.db import models

from accounts.roles import roles_of

from .statuses import Status


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
