"""Two reviewers act on the same proposal at the same moment, on two real database connections:
one succeeds, the other gets a clear refusal, and nothing is lost."""

import datetime
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from regions.models import Agency, AgencyLevel
from replications.models import Action, Status
from replications.services import TransitionRefused, perform
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, member, province, regency

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_racing_get_one_success_and_one_refusal(reference_data):
    staff = member("staf.padangpanjang", Role.REGIONAL_STAFF, regency_code="13.74")
    reviewer_a = member("biro.sumbar", Role.PROVINCIAL_BUREAU, province_code="13")
    reviewer_b = member("biro.sumbar.2", Role.PROVINCIAL_BUREAU, province_code="13")
    office = Agency.objects.create(
        name="Dinas Kesehatan", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.74")
    )
    proposal = ProposalFactory(
        round=RoundFactory(province=province("13")),
        innovation=InnovationFactory(),
        adopting_agency=office,
        problem="Stunting",
        letter_number="B/1/2021",
        letter_date=datetime.date(2021, 8, 27),
    )
    proposal.letter_file.save("surat.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    perform(proposal.pk, Action.SUBMIT, staff)

    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, user, action, note):
        try:
            barrier.wait(timeout=10)
            perform(proposal.pk, action, user, note=note)
            outcomes[name] = "ok"
        except TransitionRefused as refusal:
            outcomes[name] = str(refusal)
        finally:
            connection.close()  # each thread had its own connection

    # Both verify the same submitted proposal: the second, once the first has committed, finds it verified.
    threads = [
        threading.Thread(target=act, args=("a", reviewer_a, Action.VERIFY, "")),
        threading.Thread(target=act, args=("b", reviewer_b, Action.VERIFY, "")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["a", "b"]
    successes = [name for name, outcome in outcomes.items() if outcome == "ok"]
    assert len(successes) == 1
    loser = ({"a", "b"} - set(successes)).pop()
    assert "sekarang berstatus “Terverifikasi”" in outcomes[loser]
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED
    winner = reviewer_a if successes == ["a"] else reviewer_b
    assert [(e.action, e.actor_id) for e in proposal.events.all()] == [
        ("submit", staff.pk),
        ("verify", winner.pk),
    ]


def submitted_sumbar_proposal():
    staff = member("staf.padangpanjang", Role.REGIONAL_STAFF, regency_code="13.74")
    office = Agency.objects.create(
        name="Dinas Kesehatan", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.74")
    )
    proposal = ProposalFactory(
        round=RoundFactory(province=province("13")),
        innovation=InnovationFactory(),
        adopting_agency=office,
        problem="Stunting",
        letter_number="B/1/2021",
        letter_date=datetime.date(2021, 8, 27),
    )
    proposal.letter_file.save("surat.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    perform(proposal.pk, Action.SUBMIT, staff)
    return proposal


def test_verify_and_return_at_once_by_two_reviewers_who_saw_it_submitted_give_one_success(reference_data):
    reviewer_a = member("biro.sumbar", Role.PROVINCIAL_BUREAU, province_code="13")
    reviewer_b = member("biro.sumbar.2", Role.PROVINCIAL_BUREAU, province_code="13")
    proposal = submitted_sumbar_proposal()
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(user, action, note):
        try:
            barrier.wait(timeout=10)
            perform(proposal.pk, action, user, note=note, expected_status=Status.SUBMITTED)
            outcomes[action] = "ok"
        except TransitionRefused as refusal:
            outcomes[action] = refusal.reason
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(reviewer_a, Action.VERIFY, "")),
        threading.Thread(target=act, args=(reviewer_b, Action.RETURN, "Lampiran kurang.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["changed", "ok"]
    (winner,) = [action for action, outcome in outcomes.items() if outcome == "ok"]
    proposal.refresh_from_db()
    assert proposal.status == {Action.VERIFY: Status.VERIFIED, Action.RETURN: Status.RETURNED}[winner]
    assert [e.action for e in proposal.events.all()] == ["submit", winner]


def test_the_page_refuses_an_action_on_a_status_the_reviewer_did_not_see(client, reference_data):
    reviewer_a = member("biro.sumbar", Role.PROVINCIAL_BUREAU, province_code="13")
    reviewer_b = member("biro.sumbar.2", Role.PROVINCIAL_BUREAU, province_code="13")
    proposal = submitted_sumbar_proposal()
    client.force_login(reviewer_b)
    page = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    assert 'name="status" value="submitted"' in page
    perform(proposal.pk, Action.VERIFY, reviewer_a)  # meanwhile, in another tab
    response = client.post(
        reverse("proposal-action", args=[proposal.pk, Action.RETURN]),
        {"note": "Lampiran kurang.", "status": "submitted"},
        follow=True,
    )
    assert "sudah berubah menjadi “Terverifikasi”" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED
    assert [e.action for e in proposal.events.all()] == ["submit", "verify"]


def test_the_api_answers_409_when_the_status_the_reviewer_saw_has_changed(client, reference_data):
    reviewer_a = member("biro.sumbar", Role.PROVINCIAL_BUREAU, province_code="13")
    reviewer_b = member("biro.sumbar.2", Role.PROVINCIAL_BUREAU, province_code="13")
    proposal = submitted_sumbar_proposal()
    perform(proposal.pk, Action.VERIFY, reviewer_a)
    client.force_login(reviewer_b)
    url = f"/api/v1/proposals/{proposal.pk}/return/"
    refused = client.post(
        url, {"note": "Lampiran kurang.", "expected_status": "submitted"}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert "sudah berubah menjadi “Terverifikasi”" in refused.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED
    unknown = client.post(url, {"note": "x", "expected_status": "bogus"}, content_type="application/json")
    assert unknown.status_code == 400 and "expected_status" in unknown.json()["errors"]
    seen = client.post(
        url, {"note": "Lampiran kurang.", "expected_status": "verified"}, content_type="application/json"
    )
    assert seen.status_code == 200 and seen.json()["status"] == "returned"
