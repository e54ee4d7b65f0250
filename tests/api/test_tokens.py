"""Personal API tokens: created and named by their owner, shown once, stored hashed, last use recorded,
revocable; a revoked token, an unknown one or an inactive user's gets 401."""

import hashlib

import pytest
from django.urls import reverse

from accounts.models import ApiToken, UserPreference

pytestmark = pytest.mark.django_db


def create_token(client, user, name="Portal provinsi") -> str:
    client.force_login(user)
    response = client.post(reverse("api-tokens"), {"name": name}, follow=True)
    assert response.status_code == 200
    return response.context["new"]["secret"]


def test_a_token_is_shown_once_and_stored_only_as_its_digest(client, staff_padang_panjang):
    secret = create_token(client, staff_padang_panjang)
    token = ApiToken.objects.get()
    assert secret.startswith("rpk_") and len(secret) > 40
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list()[0])
    assert secret not in client.get(reverse("api-tokens")).content.decode()  # never again


def test_a_token_authenticates_and_records_its_last_use(client, staff_padang_panjang):
    from django.test import Client

    secret = create_token(client, staff_padang_panjang)
    api = Client()
    response = api.get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    assert "belum pernah" not in client.get(reverse("api-tokens")).content.decode()


def test_revoked_unknown_and_malformed_tokens_get_401(client, staff_padang_panjang):
    from django.test import Client

    secret = create_token(client, staff_padang_panjang)
    token = ApiToken.objects.get()
    client.post(reverse("api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client()
    for header in [f"Bearer {secret}", "Bearer rpk_tidak-ada", "Bearer", "Bearer a b"]:
        response = api.get("/api/v1/innovations/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["code"] in {"authentication_failed", "not_authenticated"}


def test_an_inactive_users_token_stops_working(client, staff_padang_panjang):
    from django.test import Client

    secret = create_token(client, staff_padang_panjang)
    staff_padang_panjang.is_active = False
    staff_padang_panjang.save()
    assert Client().get("/api/v1/sdgs/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_nobody_revokes_another_users_token(client, staff_padang_panjang, staff_pariaman):
    create_token(client, staff_padang_panjang)
    token = ApiToken.objects.get()
    client.force_login(staff_pariaman)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_two_active_tokens_cannot_share_a_name(client, staff_padang_panjang):
    create_token(client, staff_padang_panjang)
    response = client.post(reverse("api-tokens"), {"name": "Portal  provinsi"})
    assert "sudah memiliki token aktif" in response.content.decode()


def test_token_users_read_errors_in_their_stored_language_unless_they_ask(client, staff_padang_panjang):
    from django.test import Client

    secret = create_token(client, staff_padang_panjang)
    UserPreference.objects.create(user=staff_padang_panjang, language="en")
    api = Client()
    english = api.get("/api/v1/kipp-awards/", {"year": "x"}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert english.json()["errors"]["year"] == ["Enter a whole number."]
    asked = api.get(
        "/api/v1/kipp-awards/",
        {"year": "x"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert asked.json()["errors"]["year"] == ["Masukkan keseluruhan angka bilangan."]


def test_the_token_page_is_for_signed_in_users(client):
    response = client.get(reverse("api-tokens"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
