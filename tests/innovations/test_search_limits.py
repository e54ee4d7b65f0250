"""Find by problem and its suggestions are the bank's heaviest searches: their text has a length cap
(a clear 400) and anonymous use is limited per address (a clear 429, in Indonesian)."""

import pytest

pytestmark = pytest.mark.django_db

PROBLEM = "/inovasi/cari-masalah/"
SUGGEST = "/inovasi/saran/"


@pytest.fixture
def two_per_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "problem-search": "2/minute"}


def test_an_overlong_problem_for_suggestions_is_a_clear_400(client):
    response = client.get(SUGGEST, {"masalah": "stunting " * 300})
    assert response.status_code == 400
    body = response.json()
    assert "paling banyak 2000 karakter" in body["detail"] and body["results"] == []
    assert client.get(SUGGEST, {"masalah": "stunting " * 200}).status_code == 200


def test_anonymous_find_by_problem_is_limited_per_address_with_a_page_in_indonesian(client, two_per_minute):
    answers = [client.get(PROBLEM, {"problem": f"stunting di desa {n}"}).status_code for n in range(3)]
    assert answers == [200, 200, 429]
    refused = client.get(PROBLEM, {"problem": "stunting"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in refused.content.decode()
    # The empty form costs nothing and is not counted; another address has its own allowance.
    assert client.get(PROBLEM).status_code == 200
    assert client.get(PROBLEM, {"problem": "stunting"}, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_anonymous_problem_suggestions_share_that_limit(client, two_per_minute):
    client.get(PROBLEM, {"problem": "stunting"})
    assert client.get(SUGGEST, {"masalah": "stunting"}).status_code == 200
    refused = client.get(SUGGEST, {"masalah": "stunting"})
    assert refused.status_code == 429 and refused.json()["results"] == []
    assert "Terlalu banyak permintaan" in refused.json()["detail"]
    # Suggestions while typing a name stay free.
    assert client.get(SUGGEST, {"q": "stunting"}).status_code == 200


def test_signed_in_users_are_not_limited_here(client, staff_padang_panjang, two_per_minute):
    client.force_login(staff_padang_panjang)
    assert {client.get(PROBLEM, {"problem": "stunting"}).status_code for _ in range(4)} == {200}
