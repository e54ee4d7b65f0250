"""Who a request comes from: the peer's address, or with ``NUM_PROXIES`` trusted proxies in front, the
address the outermost trusted proxy saw. API throttles, the sign-in lockout and the site's own limits
all ask the same question, so a forged ``X-Forwarded-For`` never buys a fresh allowance."""

import pytest
from django.test import RequestFactory

from core.ratelimit import client_address

pytestmark = pytest.mark.django_db


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.NUM_PROXIES = 0
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.NUM_PROXIES = 1
    assert client_address(request_from("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"


def test_a_different_forwarded_header_on_each_request_does_not_escape_the_api_limit(client, settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "100/minute"}
    answers = [
        client.get("/api/v1/sdgs/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_behind_the_proxy_each_client_has_its_own_api_allowance(client, settings):
    settings.NUM_PROXIES = 1
    settings.API_THROTTLE_RATES = {"anon": "1/minute", "user": "100/minute"}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert client.get("/api/v1/sdgs/", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200
    assert client.get("/api/v1/sdgs/", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200
    forged = "203.0.113.7, 198.51.100.1"
    assert client.get("/api/v1/sdgs/", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
