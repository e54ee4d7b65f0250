from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .middleware import UserLanguageMiddleware
from .models import UserPreference


@require_POST
def set_language(request):
    """Django's language switch, which also stores a signed-in user's choice for pages and emails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(UserPreference._meta.get_field("language").choices):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[UserLanguageMiddleware.SESSION_KEY] = language
    return response
