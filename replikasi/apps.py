from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class ReplikasiAdminConfig(AdminConfig):
    """django.contrib.admin with the project's site (replikasi/admin.py), which starts from the work."""

    default_site = "replikasi.admin.ReplikasiAdminSite"


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes, whose section has no name of its own, under one in the user's language."""

    verbose_name = _("Percobaan masuk")
