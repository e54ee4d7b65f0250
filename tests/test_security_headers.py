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
