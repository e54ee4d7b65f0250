"""An innovation's profile shows on the national map the provinces where it is replicated publicly."""

from collections import Counter

import pytest
from django.urls import reverse

from tests.portal.programme_world import PUBLIC

pytestmark = pytest.mark.django_db


def test_the_profile_map_highlights_the_provinces_of_its_public_replications(client, world):
    innovation = world.innovations["gigi"]
    response = client.get(reverse("innovation-detail", args=[innovation.slug]))
    assert response.status_code == 200
    expected = Counter(
        p.round.province.code for p in world.proposals if p.innovation == innovation and p.status in PUBLIC
    )
    shapes = {shape["code"]: shape for shape in response.context["replication_map"]["shapes"]}
    assert {code: shape["value"] for code, shape in shapes.items() if shape["value"]} == dict(expected)
    assert {code for code, shape in shapes.items() if shape["step"] > 0} == set(expected)
    # Sumatera Barat's submitted and draft proposals are not public: only Pariaman's replication counts.
    assert expected["13"] == 1 and expected["33"] == 2
    html = response.content.decode()
    assert 'aria-labelledby="replication-map-caption"' in html
    assert "<title>Jawa Tengah — Replikasi: 2</title>" in html
    assert f'href="{reverse("province-detail", args=["33"])}"' in html


def test_a_profile_draws_the_map_only_where_it_has_public_replications(client, world):
    response = client.get(reverse("innovation-detail", args=[world.innovations["jabar"].slug]))
    html = response.content.decode()
    assert "replication-map-caption" in html  # PIKOBAR is replicated in Jawa Tengah
    from tests.factories import InnovationFactory

    lonely = InnovationFactory()
    assert (
        "replication-map-caption"
        not in client.get(reverse("innovation-detail", args=[lonely.slug])).content.decode()
    )
