from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan instansi")

    def ready(self) -> None:
        from . import signals

        signals.connect()
