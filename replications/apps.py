from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationsConfig(AppConfig):
    name = "replications"
    verbose_name = _("Replikasi")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from innovations.signals import bump_bank_version

        from .models import Proposal

        # A proposal's status changes the bank's replication counts (kept by a database trigger).
        post_save.connect(bump_bank_version, sender=Proposal, dispatch_uid="bank-version-proposal")
        post_delete.connect(bump_bank_version, sender=Proposal, dispatch_uid="bank-version-proposal-delete")
