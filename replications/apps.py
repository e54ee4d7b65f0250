from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationsConfig(AppConfig):
    name = "replications"
    verbose_name = _("Replikasi")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from innovations.signals import bump_bank_version
        from regions.versions import bump_version

        from .api import ROUNDS_VERSION_KEY
        from .models import Proposal, Round

        # A proposal's status changes the bank's replication counts (kept by a database trigger).
        post_save.connect(bump_bank_version, sender=Proposal, dispatch_uid="bank-version-proposal")
        post_delete.connect(bump_bank_version, sender=Proposal, dispatch_uid="bank-version-proposal-delete")

        def bump_rounds_version(**kwargs) -> None:
            bump_version(ROUNDS_VERSION_KEY)

        for signal in (post_save, post_delete):
            signal.connect(bump_rounds_version, sender=Round, dispatch_uid="api-rounds-version")
        for through in (Round.participants.through, Round.shortlist.through):
            m2m_changed.connect(
                bump_rounds_version, sender=through, dispatch_uid=f"api-rounds-{through.__name__}"
            )
