from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from .middleware import UserLanguageMiddleware
from .models import ApiToken, UserPreference


@require_POST
def set_language(request):
    """Django's language switch, which also stores a signed-in user's choice for pages and emails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(UserPreference._meta.get_field("language").choices):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[UserLanguageMiddleware.SESSION_KEY] = language
    return response


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, mis. “Portal provinsi”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if ApiToken.objects.filter(user=self.user, name=name, revoked_at__isnull=True).exists():
            raise forms.ValidationError(_("Anda sudah memiliki token aktif dengan nama ini."))
        return name


NEW_TOKEN_SESSION_KEY = "replikasi_new_api_token"


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's personal API tokens: create one (its secret is shown once), see their last use, revoke."""
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.objects.issue(request.user, form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
        return redirect("api-tokens")
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = list(ApiToken.objects.filter(user=request.user))
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new": new})


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Token “%(name)s” dicabut.") % {"name": token.name})
    return redirect("api-tokens")
