from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that compose the bank and the programme: home, profiles, region and agency pages."""

    name = "portal"
    verbose_name = _("Portal")
