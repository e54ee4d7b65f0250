from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from regions.views import set_language

from . import api, health

admin.site.site_header = _("Administrasi Replikasi")
admin.site.site_title = "Replikasi"
admin.site.index_title = _("Bank inovasi dan program replikasi")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    *api.urlpatterns,
    path("", include("regions.urls")),
    path("", include("replications.urls")),
    path("", include("innovations.urls")),
]
