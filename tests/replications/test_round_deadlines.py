"""A round's deadline closes it: after the end of the deadline day in the hub province nothing more is
proposed or submitted, on the pages or over the API, until the bureau extends it; what comes in under an
extension after the original deadline is marked late wherever proposals are listed."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from replications.models import Action, Proposal, Round, RoundEvent, RoundEventKind, Status
from replications.services import TransitionRefused, perform
from tests.factories import ProposalFactory, province, regency
from tests.replications.proposal_world import real_pdf
from tests.replications.reminder_helpers import WIB, local

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2021, 8, 30)
BEFORE = local(WIB, 2021, 8, 27, 10)
LAST_MINUTE = datetime.datetime(2021, 8, 30, 23, 59, 59, tzinfo=WIB)
JUST_AFTER = local(WIB, 2021, 8, 31, 0, 1)
CLOSED = "Batas waktu putaran"


@pytest.fixture
def world(setting):
    """The proposal world with its Sumatera Barat round due on 30 August 2021 (23.59 WIB)."""
    Round.objects.filter(pk=setting["round"].pk).update(
        deadline=DEADLINE, original_deadline=DEADLINE, fgd_date=None
    )
    setting["round"].refresh_from_db()
    return setting


def extend(client, world, to: str):
    """The bureau moves the deadline later on the round's edit form, as it would."""
    round_ = world["round"]
    client.force_login(world["users"]["bureau"])
    response = client.post(
        f"/putaran/{round_.pk}/ubah/",
        {
            "title": round_.title, "fgd_date": "", "deadline": to, "mentor": "", "reminder_offsets": "",
            "participants": [regency("13.74").pk, regency("13.77").pk], "notes": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    client.logout()


def late_proposal(client, world):
    """Extended to 6 September; Padang Panjang submits on 2 September: after the original deadline."""
    with time_machine.travel(local(WIB, 2021, 9, 1, 9), tick=False):
        extend(client, world, "2021-09-06")
    with time_machine.travel(local(WIB, 2021, 9, 2, 9), tick=False):
        perform(world["proposal"].pk, Action.SUBMIT, world["users"]["staff"])
    return world["proposal"]


def test_the_last_second_of_the_deadline_day_still_accepts_a_submission(world):
    with time_machine.travel(LAST_MINUTE, tick=False):
        perform(world["proposal"].pk, Action.SUBMIT, world["users"]["staff"])
    assert Proposal.objects.with_lateness().get(pk=world["proposal"].pk).is_late is False


def test_submitting_after_the_deadline_is_refused_on_the_page_with_a_clear_message(client, world):
    client.force_login(world["users"]["staff"])
    with time_machine.travel(JUST_AFTER, tick=False):
        detail = client.get(f"/usulan/{world['proposal'].pk}/").content.decode()
        response = client.post(f"/usulan/{world['proposal'].pk}/aksi/submit/", follow=True)
    page = response.content.decode()
    assert CLOSED in page and "30 Agu 2021 pukul 23.59 WIB" in page
    assert CLOSED in detail and "Ajukan ke provinsi" not in detail  # no button that cannot work
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == Status.DRAFT and not world["proposal"].events.exists()


def test_saving_and_submitting_from_the_form_after_the_deadline_keeps_the_draft(client, world):
    client.force_login(world["users"]["staff"])
    with time_machine.travel(JUST_AFTER, tick=False):
        response = client.post(
            f"/usulan/{world['proposal'].pk}/ubah/",
            {"problem": "Stunting tinggi", "letter_number": "B/1/2021", "letter_date": "2021-08-27",
             "adopting_agency": world["office"].pk, "submit": "1"},
            follow=True,
        )  # fmt: skip
    assert CLOSED in response.content.decode()
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == Status.DRAFT and world["proposal"].problem == "Stunting tinggi"


def test_a_returned_proposal_cannot_be_resubmitted_after_the_deadline(world):
    staff, bureau = world["users"]["staff"], world["users"]["bureau"]
    with time_machine.travel(BEFORE, tick=False):
        perform(world["proposal"].pk, Action.SUBMIT, staff)
    with time_machine.travel(JUST_AFTER, tick=False):
        perform(world["proposal"].pk, Action.RETURN, bureau, note="Lengkapi tanda tangan.")  # the bureau may
        with pytest.raises(TransitionRefused, match=CLOSED) as refused:
            perform(world["proposal"].pk, Action.SUBMIT, staff)
    assert refused.value.reason == "closed"
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == Status.RETURNED


def test_the_api_refuses_a_submission_after_the_deadline_with_a_400_saying_why(client, world):
    client.force_login(world["users"]["staff"])
    with time_machine.travel(JUST_AFTER, tick=False):
        listed = client.get(f"/api/v1/proposals/{world['proposal'].pk}/").json()
        response = client.post(
            f"/api/v1/proposals/{world['proposal'].pk}/submit/", {}, content_type="application/json"
        )
    body = response.json()
    assert response.status_code == 400 and body["status"] == 400 and body["code"] == "invalid"
    assert CLOSED in body["errors"]["non_field_errors"][0]
    assert listed["actions"] == []
    assert Proposal.objects.get(pk=world["proposal"].pk).status == Status.DRAFT


def test_no_new_proposal_in_a_closed_round_on_the_page_nor_over_the_api(client, world):
    client.force_login(world["users"]["staff"])
    fields = {"round": world["round"].pk, "innovation": world["imud"].pk, "problem": "Stunting"}
    with time_machine.travel(JUST_AFTER, tick=False):
        page = client.post("/usulan/baru/", fields)
        api = client.post("/api/v1/proposals/", fields, content_type="application/json")
    assert page.status_code == 200 and CLOSED in page.content.decode()
    assert api.status_code == 400 and CLOSED in api.json()["errors"]["round"][0]
    assert not Proposal.objects.filter(innovation=world["imud"]).exists()


def test_the_proposal_form_offers_only_open_rounds(client, world):
    open_round = Round.objects.create(
        province=world["round"].province, title="Putaran Kedua 2021", deadline=datetime.date(2021, 10, 1)
    )
    open_round.participants.set([regency("13.74")])
    client.force_login(world["users"]["staff"])
    with time_machine.travel(JUST_AFTER, tick=False):
        form = client.get("/usulan/baru/").content.decode()
        # A draft of the closed round still opens for editing, its round shown.
        draft = client.get(f"/usulan/{world['proposal'].pk}/ubah/").content.decode()
    assert "Putaran Kedua 2021" in form and world["round"].title not in form
    assert draft.count(world["round"].title) >= 1


def test_an_extension_reopens_the_round_and_is_recorded_in_its_history(client, world):
    late = late_proposal(client, world)
    late.refresh_from_db()
    assert late.status == Status.SUBMITTED
    round_ = Round.objects.get(pk=world["round"].pk)
    assert round_.deadline == datetime.date(2021, 9, 6) and round_.original_deadline == DEADLINE
    extension = RoundEvent.objects.get(round=round_, kind=RoundEventKind.EXTEND)
    assert (extension.from_deadline, extension.to_deadline) == (DEADLINE, datetime.date(2021, 9, 6))
    assert extension.actor == world["users"]["bureau"]
    client.force_login(world["users"]["bureau"])
    page = client.get(f"/putaran/{round_.pk}/").content.decode()
    assert "Riwayat putaran" in page and "Batas waktu diperpanjang" in page
    assert "diperpanjang dari 30 Agu 2021" in page


def test_a_late_proposal_is_marked_late_on_every_listing_and_in_the_api(client, world):
    on_time = ProposalFactory(
        round=world["round"], regency=regency("13.74"), innovation=world["imud"], status=Status.SUBMITTED,
        submitted_at=BEFORE, letter_number="B/2/2021", letter_date=datetime.date(2021, 8, 26),
        letter_file=SimpleUploadedFile("s.pdf", real_pdf()), adopting_agency=world["office"],
    )  # fmt: skip
    late = late_proposal(client, world)
    badge = "Terlambat</span>"
    client.force_login(world["users"]["bureau"])
    assert client.get("/tinjauan/").content.decode().count(badge) == 1
    assert client.get(f"/putaran/{world['round'].pk}/").content.decode().count(badge) == 1
    assert badge in client.get(f"/usulan/{late.pk}/").content.decode()
    assert badge not in client.get(f"/usulan/{on_time.pk}/").content.decode()
    listed = {item["id"]: item["is_late"] for item in client.get("/api/v1/proposals/").json()["results"]}
    assert listed == {late.pk: True, on_time.pk: False}
    assert client.get(f"/api/v1/proposals/{late.pk}/").json()["is_late"] is True
    client.force_login(world["users"]["staff"])
    with time_machine.travel(local(WIB, 2021, 9, 2, 10), tick=False):
        assert client.get("/wilayah-saya/").content.decode().count(badge) == 1


def test_late_is_measured_in_the_hub_provinces_time_zone():
    papua = Round.objects.create(province=province("91"), title="Papua 2021", deadline=DEADLINE)
    Round.objects.filter(pk=papua.pk).update(deadline=datetime.date(2021, 9, 6))
    proposal = ProposalFactory(
        round=papua, regency=regency("91.71"), status=Status.SUBMITTED,
        letter_number="1", letter_date=DEADLINE, letter_file="private/letters/uji.pdf",
        submitted_at=datetime.datetime(2021, 8, 30, 23, 30, tzinfo=WIB),  # 31 August 01.30 WIT: late
    )  # fmt: skip
    assert Proposal.objects.with_lateness().get(pk=proposal.pk).is_late is True
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=datetime.datetime(2021, 8, 30, 21, 30, tzinfo=WIB)  # 23.30 WIT: in time
    )
    assert Proposal.objects.with_lateness().get(pk=proposal.pk).is_late is False


def test_open_rounds_in_sql_agree_with_the_rounds_own_rule(world):
    round_ = world["round"]
    for instant, is_open in [(LAST_MINUTE, True), (JUST_AFTER, False)]:
        with time_machine.travel(instant, tick=False):
            assert round_.is_open() is is_open
            assert Round.objects.open().filter(pk=round_.pk).exists() is is_open


def test_lateness_costs_no_query_per_proposal_on_the_bureaus_listings(client, world):
    Round.objects.filter(pk=world["round"].pk).update(deadline=datetime.date(2021, 9, 6))
    client.force_login(world["users"]["bureau"])

    def late_one():
        ProposalFactory(
            round=world["round"], regency=regency("13.77"), status=Status.SUBMITTED,
            submitted_at=local(WIB, 2021, 9, 2, 9), letter_number="B/3/2021", letter_date=DEADLINE,
            letter_file="private/letters/uji.pdf",
        )  # fmt: skip

    counts = []
    for extra in (1, 2):
        for _ in range(extra):
            late_one()
        client.get("/tinjauan/")  # roles cached, as on any later request
        with (
            CaptureQueriesContext(connection) as queue,
            time_machine.travel(local(WIB, 2021, 9, 3), tick=False),
        ):
            page = client.get("/tinjauan/").content.decode()
        with CaptureQueriesContext(connection) as detail:
            client.get(f"/putaran/{world['round'].pk}/")
        counts.append((len(queue), len(detail)))
        assert page.count("Terlambat</span>") == sum(range(1, extra + 1))
    assert counts[0] == counts[1]
