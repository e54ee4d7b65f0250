from django.urls import path

from . import views

urlpatterns = [
    path("akun/token/", views.api_tokens, name="api-tokens"),
    path("akun/token/<int:pk>/cabut/", views.api_token_revoke, name="api-token-revoke"),
]
