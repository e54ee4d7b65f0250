"""The replication programme over the REST API: rounds, proposals and their life cycle, commitments,
action plans, progress reports and the signed-in user's notifications.

The same rules as the pages, from the same places: ``Proposal.objects.visible_to(user)`` decides what
anyone sees (outside it is a 404), the pages' forms check every input (uploads by content included),
and ``services.perform`` makes every transition.
"""

from .views import NotificationViewSet, ProposalViewSet, RoundViewSet

__all__ = ["NotificationViewSet", "ProposalViewSet", "RoundViewSet"]
