"""The REST API's URLs (/api/v1/), its OpenAPI schema (/api/schema/) and documentation pages (/api/docs/).

The top layer may import every app; each app owns its serializers and viewsets in its own api.py.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.api.errors import api_not_found
from innovations import api as bank
from regions import api as regions
from replications import api as programme

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("innovations", bank.InnovationViewSet, basename="innovation")
router.register("sectors", bank.SectorViewSet, basename="sector")
router.register("sdgs", bank.SDGViewSet, basename="sdg")
router.register("kipp-editions", bank.EditionViewSet, basename="kipp-edition")
router.register("kipp-awards", bank.AwardViewSet, basename="kipp-award")
router.register("provinces", regions.ProvinceViewSet, basename="province")
router.register("regencies", regions.RegencyViewSet, basename="regency")
router.register("agencies", regions.AgencyViewSet, basename="agency")
router.register("rounds", programme.RoundViewSet, basename="round")
router.register("proposals", programme.ProposalViewSet, basename="proposal")
router.register("notifications", programme.NotificationViewSet, basename="notification")


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the installed drf-spectacular-sidecar; its start-up script is a separate file, so
    the Content-Security-Policy needs no 'unsafe-inline'."""

    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
]
