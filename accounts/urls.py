from django.urls import path

from . import views

# Django's own sign-in, password reset and change pages, with the limits of accounts/views.py; included
# under accounts/ ahead of django.contrib.auth.urls.
auth_urlpatterns = [
    path("password_change/", views.PasswordChange.as_view(), name="password_change"),
    path("password_reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
]

urlpatterns = [
    path("akun/token/", views.api_tokens, name="api-tokens"),
    path("akun/token/<int:pk>/cabut/", views.api_token_revoke, name="api-token-revoke"),
    path("akun/undangan/", views.invitation_list, name="invitation-list"),
    path("akun/undangan/impor/", views.invitation_import, name="invitation-import"),
    path(
        "akun/undangan/impor/konfirmasi/", views.invitation_import_confirm, name="invitation-import-confirm"
    ),
    path("akun/undangan/templat.xlsx", views.invitation_template, name="invitation-template"),
    path("akun/undangan/<int:pk>/kirim-ulang/", views.invitation_resend, name="invitation-resend"),
    path("akun/undangan/<int:pk>/cabut/", views.invitation_revoke, name="invitation-revoke"),
    path("akun/anggota/", views.member_list, name="member-list"),
    path("akun/anggota/<int:pk>/", views.member_edit, name="member-edit"),
    path("akun/anggota/<int:pk>/status/", views.member_status, name="member-status"),
    path("undangan/<str:secret>/", views.invitation_accept, name="invitation-accept"),
]
