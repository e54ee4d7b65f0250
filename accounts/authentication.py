"""How API clients prove who they are: a personal token, or the site's own session."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from .models import ApiToken


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` with a personal API token (pages under /akun/token/).

    Only the token's SHA-256 digest is stored; a revoked token or an inactive user is refused. The
    user's stored language applies unless the request names one in ``Accept-Language``.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk “Bearer <token>”."))
        token = ApiToken.objects.authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Token API tidak dikenal, sudah dicabut, atau tidak aktif.")
            )
        preference = getattr(token.user, "preference", None)
        if preference and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(preference.language)
            request.LANGUAGE_CODE = preference.language
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("Token API pribadi, dibuat di /akun/token/.")),
        }
