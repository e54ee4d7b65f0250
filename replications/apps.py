from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationsConfig(AppConfig):
    name = "replications"
    verbose_name = _("Replikasi")

    def ready(self) -> None:
        from . import signals

        signals.connect()
