import pytest

from innovations.models import KippAward, Tier
from innovations.signals import bump
from replications.models import Status
from tests.factories import InnovationFactory, ProposalFactory, edition, regency

pytestmark = pytest.mark.django_db


def test_home_shows_what_the_bank_holds_in_indonesian(client):
    winner = InnovationFactory(name="Menyeting Gigi Emas")
    KippAward.objects.create(innovation=winner, edition=edition(2020), tier=Tier.TOP_45)
    InnovationFactory(name="Draf Rahasia", is_published=False)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="id">' in body
    assert "Pemenang KIPP terbaru" in body
    assert "Menyeting Gigi Emas" in body
    assert "Draf Rahasia" not in body
    assert response.context["counts"]["innovations"] == 1


def test_home_counts_regions_that_replicated_and_completed_replications(client):
    innovation = InnovationFactory()
    ProposalFactory(innovation=innovation, status=Status.DRAFT)
    other = ProposalFactory(innovation=innovation, regency=regency("13.77"))
    other.letter_number, other.letter_date = "B/1/2021", "2021-08-27"
    other.letter_file.name = "private/letters/x.pdf"
    other.status = Status.REPLICATED
    other.save()
    counts = client.get("/").context["counts"]
    assert counts == {"innovations": 1, "agencies": 1, "regions_replicating": 1, "replications_completed": 1}


def test_home_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold_queries() -> int:
        bump()  # the counts are computed, not read from the cache
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    for _ in range(3):
        InnovationFactory()
    small = cold_queries()
    for _ in range(10):
        winner = InnovationFactory()
        KippAward.objects.create(innovation=winner, edition=edition(2021), tier=Tier.TOP_99)
    assert cold_queries() == small <= 5
    with django_assert_max_num_queries(3):
        client.get("/")  # warm: the counts come from the cache


def test_english_is_served_on_request(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
