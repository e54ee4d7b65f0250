from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "innovations"
    verbose_name = _("Bank inovasi")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from regions.versions import bump_reference_version

        from . import signals
        from .models import SDG, KippEdition

        signals.connect()
        for model in (SDG, KippEdition):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_reference_version, sender=model, dispatch_uid=f"api-reference-{model.__name__}"
                )
