"""Pages carry a strict Content-Security-Policy and contain nothing it would have to allow inline."""

import re

import pytest

from tests.factories import InnovationFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/inovasi/?q=stunting", "/inovasi/cari-masalah/?problem=stunting", "/accounts/login/", "/kipp/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_a_csp_without_unsafe_inline_and_need_none(client, url):
    innovation = InnovationFactory(summary="Pencegahan stunting.")
    for path in [url, f"/inovasi/{innovation.slug}/"]:
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert (
            "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        )
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline script"
        assert not re.search(r"\sstyle=", body), "inline style attribute"
        assert not re.search(r"\son[a-z]+=", body), "inline event handler"
        assert not re.search(r"(src|href)=\"https?://(?!127\.0\.0\.1)", body.split("<main")[0]), (
            "asset from elsewhere"
        )
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_never_stored_the_new_tokens_secret_included(client, staff_padang_panjang):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(staff_padang_panjang)
    for url in ["/", "/wilayah-saya/", "/akun/token/"]:
        response = client.get(url, follow=True)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    client.post("/akun/token/", {"name": "Portal provinsi"})
    shown = client.get("/akun/token/")
    assert "rpk_" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"] and "public" not in shown["Cache-Control"]


def test_api_answers_to_a_token_vary_on_authorization(client, staff_padang_panjang):
    from accounts.models import ApiToken

    _token, secret = ApiToken.objects.issue(staff_padang_panjang, "uji")
    for url in ["/api/v1/proposals/", "/api/v1/sdgs/"]:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        assert "Authorization" in [part.strip() for part in response["Vary"].split(",")], url
