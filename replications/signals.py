"""What a write to the programme invalidates: a proposal's status changes the bank's replication
counts (kept by a database trigger), so it bumps the ``bank`` version; rounds have their own
``rounds`` version behind the API's ETags."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import Version
from innovations.signals import BANK

from .models import Proposal, Round

ROUNDS = Version("rounds", "replication rounds, their participants and shortlists")


def connect() -> None:
    post_save.connect(BANK.bump, sender=Proposal, dispatch_uid="bank-version-proposal")
    post_delete.connect(BANK.bump, sender=Proposal, dispatch_uid="bank-version-proposal-delete")
    for signal in (post_save, post_delete):
        signal.connect(ROUNDS.bump, sender=Round, dispatch_uid="api-rounds-version")
    for through in (Round.participants.through, Round.shortlist.through):
        m2m_changed.connect(ROUNDS.bump, sender=through, dispatch_uid=f"api-rounds-{through.__name__}")
