"""Values built to break the server get a clear 4xx in the API's error body, and nothing is half-written:
dates at the calendar's ends, JSON nested thousands deep, numbers that overflow to infinity, bodies far
larger than any upload; and a server error under /api/ is the JSON error body, not the HTML page."""

import pytest
from django.test import Client

from replications.models import Milestone, Proposal, Round
from tests.factories import regency
from tests.replications.proposal_world import approved

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("deadline", ["9999-12-31", "0001-01-01"])
def test_a_round_deadline_at_the_calendars_end_is_refused_clearly(client, setting, deadline):
    before = Round.objects.count()
    body = {"title": "Putaran ujung", "deadline": deadline, "participants": [regency("13.74").pk]}
    response = signed_in(client, setting["users"]["bureau"]).post(
        "/api/v1/rounds/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "antara tahun 2000 dan 2099" in response.json()["errors"]["deadline"][0]
    assert Round.objects.count() == before


@pytest.mark.parametrize("due_on", ["0001-01-01", "9999-12-31"])
def test_a_milestone_due_at_the_calendars_end_is_refused_clearly(client, setting, due_on):
    proposal = approved(setting)
    response = signed_in(client, setting["users"]["staff"]).post(
        f"/api/v1/proposals/{proposal.pk}/milestones/",
        {"title": "Pelatihan kader", "due_on": due_on},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "antara tahun 2000 dan 2099" in response.json()["errors"]["due_on"][0]
    assert not Milestone.objects.exists()


def test_json_nested_thousands_deep_is_a_400(client, setting):
    proposal = setting["proposal"]
    deep = '{"problem": ' + "[" * 5000 + "]" * 5000 + "}"
    response = signed_in(client, setting["users"]["staff"]).patch(
        f"/api/v1/proposals/{proposal.pk}/", deep, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "terlalu dalam" in response.json()["detail"]


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity"])
def test_a_number_that_is_not_finite_is_refused_not_stored_as_inf(client, setting, number):
    proposal = setting["proposal"]
    before = proposal.problem
    response = signed_in(client, setting["users"]["staff"]).patch(
        f"/api/v1/proposals/{proposal.pk}/", '{"problem": ' + number + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "bilangan" in response.json()["detail"]
    assert Proposal.objects.get(pk=proposal.pk).problem == before


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(setting, settings):
    settings.REQUEST_MAX_BYTES = 12 * 1024 * 1024
    client = signed_in(Client(), setting["users"]["staff"])
    response = client.generic(
        "PATCH",
        f"/api/v1/proposals/{setting['proposal'].pk}/",
        b"x",
        content_type="application/json",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "terlalu besar" in response.json()["detail"]


def test_a_page_post_larger_than_any_upload_is_refused_in_words(setting, settings):
    settings.REQUEST_MAX_BYTES = 12 * 1024 * 1024
    client = signed_in(Client(), setting["users"]["staff"])
    response = client.generic(
        "POST", "/usulan/baru/", b"x", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]  # the site's own policy


def test_a_server_error_under_the_api_is_the_json_error_body(setting, monkeypatch):
    from replications.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.ProposalViewSet, "retrieve", broken)
    client = signed_in(Client(raise_request_exception=False), setting["users"]["staff"])
    response = client.get(f"/api/v1/proposals/{setting['proposal'].pk}/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 500,
        "code": "server_error",
        "detail": "Terjadi galat di server. Coba lagi nanti.",
        "errors": {},
    }
