from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "innovations"
    verbose_name = _("Bank inovasi")

    def ready(self) -> None:
        from . import signals

        signals.connect()
