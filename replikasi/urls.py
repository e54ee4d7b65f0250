from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts.urls import auth_urlpatterns
from accounts.views import set_language

from . import api, health

urlpatterns = [
    # Browsers and tools that read no <link rel="icon"> (API pages, downloads) still ask for this.
    # (Resolved per request: the static files' manifest may not exist when the URLconf is imported.)
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    *api.urlpatterns,
    path("", include("accounts.urls")),
    path("", include("replications.urls")),
    path("", include("innovations.urls")),
    path("", include("portal.urls")),
]

handler500 = "core.api.errors.server_error"
