from django.conf import settings
from django.utils import translation

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
