from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .models import UserPreference


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's; it is remembered in their cookie too.

    Reads the preference once per session (kept in the session), so pages spend no query on it.
    """

    SESSION_KEY = "replikasi_language"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.user.is_authenticated:
            language = request.session.get(self.SESSION_KEY)
            if language is None:
                language = (
                    UserPreference.objects.filter(user=request.user)
                    .values_list("language", flat=True)
                    .first()
                    or ""
                )
                request.session[self.SESSION_KEY] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response


class PrivatePagesMiddleware:
    """A signed-in user's pages are theirs alone (an API token's secret is shown on one): no browser or
    proxy may keep them (``Cache-Control: no-store, private``). Responses that chose their own caching
    (the API's conditional GET, private files) keep it, unless they are HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            html = response.get("Content-Type", "").startswith("text/html")
            if html or not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
        return response
