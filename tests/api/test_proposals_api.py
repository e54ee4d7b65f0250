"""Proposals through the API: the pages' permission matrix repeated, every transition for every role,
create and edit with the page's own rules, refused input as a clear 400, and fixed query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext

from replications.models import Commitment, Milestone, Notification, Proposal, Status
from tests.factories import ProposalFactory, RoundFactory, province, regency
from tests.replications.proposal_world import PNG, SEES_THE_PROPOSAL, TRANSITION_MATRIX, approved, real_pdf

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client


# role -> expected status for each (method, path template); the pages' MATRIX, through the API.
# Where a page redirects after refusing a transition with a message, the API answers 403.
MATRIX = {
    ("get", "/api/v1/proposals/{pk}/"): {"staff": 200, "outsider staff": 404, "bureau": 200, "other bureau": 404,
                                         "admin": 200, "no role": 404, "visitor": 401},
    ("patch", "/api/v1/proposals/{pk}/"): {"staff": 200, "outsider staff": 404, "bureau": 404, "other bureau": 404,
                                           "admin": 404, "no role": 404, "visitor": 401},
    ("get", "/api/v1/proposals/{pk}/letter/"): {"staff": 200, "outsider staff": 404, "bureau": 200,
                                                "other bureau": 404, "admin": 200, "no role": 404, "visitor": 401},
    ("post", "/api/v1/proposals/{pk}/submit/"): {"staff": 200, "outsider staff": 404, "bureau": 403,
                                                 "other bureau": 404, "admin": 403, "no role": 404, "visitor": 401},
    ("post", "/api/v1/proposals/"): {"staff": 400, "outsider staff": 400, "bureau": 403, "other bureau": 403,
                                     "admin": 403, "no role": 403, "visitor": 401},
    ("get", "/api/v1/proposals/"): {"staff": 200, "outsider staff": 200, "bureau": 200, "other bureau": 200,
                                    "admin": 200, "no role": 200, "visitor": 401},
}  # fmt: skip


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_permission_matrix(client, setting, method, path):
    proposal = setting["proposal"]
    url = path.format(pk=proposal.pk)
    for role, expected in MATRIX[(method, path)].items():
        as_user(client, setting["users"][role])
        body = {"local_name": f"oleh {role}"} if method == "patch" else {}
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == expected, (role, method, path, response.status_code)
    if path.endswith("submit/"):
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED
        assert [e.actor.username for e in proposal.events.all()] == ["staf.padangpanjang"]
    if method == "patch":
        proposal.refresh_from_db()
        assert proposal.local_name == "oleh staff"


def test_the_list_shows_each_role_only_what_it_may_see(client, setting):
    jateng = ProposalFactory(round=RoundFactory(province=province("33")), regency=regency("33.01"))
    seen = {}
    for role, user in setting["users"].items():
        if user.is_authenticated:
            as_user(client, user)
            seen[role] = {item["id"] for item in client.get("/api/v1/proposals/").json()["results"]}
    sumbar = setting["proposal"].pk
    assert seen == {"staff": {sumbar}, "outsider staff": set(), "bureau": {sumbar}, "other bureau": {jateng.pk},
                    "admin": {sumbar, jateng.pk}, "no role": set()}  # fmt: skip


@pytest.mark.parametrize("action", list(TRANSITION_MATRIX))
def test_every_transition_for_every_role_over_the_api(client, setting, action):
    start, allowed = TRANSITION_MATRIX[action]
    proposal = setting["proposal"]
    Commitment.objects.get_or_create(proposal=proposal, defaults={"signed_on": datetime.date(2021, 11, 2)})
    Milestone.objects.get_or_create(
        proposal=proposal, title="Pelatihan", defaults={"due_on": datetime.date(2030, 1, 1)}
    )
    url = f"/api/v1/proposals/{proposal.pk}/{action}/"
    for role, user in setting["users"].items():
        Proposal.objects.filter(pk=proposal.pk).update(status=start)
        response = as_user(client, user).post(url, {"note": "Catatan uji."}, content_type="application/json")
        proposal.refresh_from_db()
        moved = proposal.status != start
        expected = (
            401
            if role == "visitor"
            else 200
            if role in allowed
            else 403
            if role in SEES_THE_PROPOSAL
            else 404
        )
        assert response.status_code == expected, (action, role, response.status_code)
        assert moved == (role in allowed), (action, role, proposal.status)
        if expected == 200:
            assert response.json()["status"] == proposal.status


def test_refusals_say_why_with_the_right_status(client, setting):
    proposal = setting["proposal"]
    as_user(client, setting["users"]["bureau"])
    wrong_status = client.post(
        f"/api/v1/proposals/{proposal.pk}/verify/", {}, content_type="application/json"
    )
    assert wrong_status.status_code == 409 and "berstatus “Draf”" in wrong_status.json()["detail"]
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.SUBMITTED)
    no_note = client.post(f"/api/v1/proposals/{proposal.pk}/return/", {}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert no_note.status_code == 400 and no_note.json()["errors"]["note"] == ["Write a note or the reason."]
    as_user(client, setting["users"]["staff"])
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.DRAFT, letter_number="")
    gaps = client.post(f"/api/v1/proposals/{proposal.pk}/submit/", {}, content_type="application/json")
    assert gaps.status_code == 409 and "nomor surat" in gaps.json()["detail"]


def test_staff_create_a_draft_and_submit_it_with_a_real_pdf(client, setting):
    staff = setting["users"]["staff"]
    as_user(client, staff)
    response = client.post("/api/v1/proposals/", {
        "round": setting["round"].pk, "innovation": setting["imud"].pk, "local_name": "Kelas Ibu Muda",
        "adopting_agency": setting["office"].pk, "problem": "Stunting tinggi.", "letter_number": "B/1/2021",
        "letter_date": "2021-08-27", "letter_file": SimpleUploadedFile("surat.pdf", real_pdf()),
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["regency"] == "13.74" and body["has_letter"] is True
    assert body["actions"] == ["submit"] and [e["action"] for e in body["events"]] == ["create"]
    submitted = client.post(f"/api/v1/proposals/{body['id']}/submit/", {}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    edit = client.patch(
        f"/api/v1/proposals/{body['id']}/", {"problem": "diubah"}, content_type="application/json"
    )
    assert edit.status_code == 409
    assert Proposal.objects.get(pk=body["id"]).created_by == staff


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"status": "approved"}, "status", "tidak dikenal atau tidak boleh diubah"),
        ({"regency": 1}, "regency", "tidak dikenal atau tidak boleh diubah"),
        ({"round": 1}, "round", "tidak dikenal atau tidak boleh diubah"),  # fixed once the draft exists
        ({"local_name": "nul\x00byte"}, "local_name", "Karakter null tidak diizinkan."),
        ({"adopting_agency": 2**70}, "adopting_agency", "harus kurang atau sama dengan"),
        ({"letter_date": "2021-02-30"}, "letter_date", "Format tanggal salah"),
        ({"letter_date": "2999-01-01"}, "letter_date", "tidak boleh di masa depan"),
        ({"adopting_agency": 999999}, "adopting_agency", "Masukkan pilihan yang valid"),
    ],
)
def test_refused_input_gets_a_400_naming_the_field_and_changes_nothing(client, setting, body, field, message):
    proposal = setting["proposal"]
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    response = as_user(client, setting["users"]["staff"]).patch(
        f"/api/v1/proposals/{proposal.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == before


def test_a_letter_that_is_not_a_pdf_is_refused_by_content(client, setting):
    as_user(client, setting["users"]["staff"])
    response = client.patch(
        f"/api/v1/proposals/{setting['proposal'].pk}/",
        encode_multipart(BOUNDARY, {"letter_file": SimpleUploadedFile("surat.pdf", PNG)}),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 400 and "bukan PDF" in response.json()["errors"]["letter_file"][0]


def test_staff_cannot_propose_in_another_provinces_round_nor_use_another_regencys_office(client, setting):
    from regions.models import Agency, AgencyLevel

    pariaman_office = Agency.objects.create(name="Dinas Kesehatan Kota Pariaman", level=AgencyLevel.REGENCY_GOVERNMENT,
                                            regency=regency("13.77"))  # fmt: skip
    jateng_round = RoundFactory(province=province("33"))
    response = as_user(client, setting["users"]["staff"]).post(
        "/api/v1/proposals/",
        {"round": jateng_round.pk, "innovation": setting["imud"].pk, "adopting_agency": pariaman_office.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"round", "adopting_agency"} <= set(response.json()["errors"])


def test_after_approval_commitment_plan_and_reports_through_the_api(client, setting):
    proposal = approved(setting)
    as_user(client, setting["users"]["staff"])
    base = f"/api/v1/proposals/{proposal.pk}"
    early = client.post(f"{base}/commit/", {}, content_type="application/json")
    assert early.status_code == 409
    commitment = client.put(f"{base}/commitment/", encode_multipart(BOUNDARY, {
        "signed_on": "2021-11-02", "document": SimpleUploadedFile("k.pdf", real_pdf()),
    }), content_type=MULTIPART_CONTENT)  # fmt: skip
    assert commitment.status_code == 200 and commitment.json()["commitment"]["has_document"] is True
    assert client.post(f"{base}/commit/", {}, content_type="application/json").json()["status"] == "committed"
    milestone = client.post(f"{base}/milestones/", {"title": "Pelatihan kader", "due_on": "2030-01-15"},
                            content_type="application/json")  # fmt: skip
    assert milestone.status_code == 201
    duplicate = client.post(f"{base}/milestones/", {"title": "pelatihan kader", "due_on": "2030-02-01"},
                            content_type="application/json")  # fmt: skip
    assert duplicate.status_code == 400 and "sudah ada" in duplicate.json()["errors"]["title"][0]
    done = client.post(f"{base}/milestones/{milestone.json()['id']}/done/")
    assert done.status_code == 200 and done.json()["done_on"] is not None
    bad = client.post(f"{base}/reports/", {"reported_on": "2030-01-20", "summary": "Kader dilatih.",
                                           "evidence": SimpleUploadedFile("f.pdf", PNG)})  # fmt: skip
    assert bad.status_code == 400 and "bukan PDF" in bad.json()["errors"]["evidence"][0]
    report = client.post(f"{base}/reports/", {"reported_on": "2030-01-20", "summary": "Kader dilatih.",
                                              "milestone": milestone.json()["id"],
                                              "evidence": SimpleUploadedFile("b.pdf", real_pdf())})  # fmt: skip
    assert report.status_code == 201 and report.json()["has_evidence"] is True
    assert [r["summary"] for r in client.get(f"{base}/reports/").json()] == ["Kader dilatih."]
    as_user(client, setting["users"]["outsider staff"])
    assert client.get(f"{base}/reports/").status_code == 404
    assert client.post(f"{base}/milestones/", {"title": "x", "due_on": "2030-01-01"},
                       content_type="application/json").status_code == 404  # fmt: skip


def test_the_plan_waits_for_approval(client, setting):
    as_user(client, setting["users"]["staff"])
    response = client.post(f"/api/v1/proposals/{setting['proposal'].pk}/milestones/",
                           {"title": "x", "due_on": "2030-01-01"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_notifications_are_the_users_own_and_can_be_marked_read(
    client, setting, django_capture_on_commit_callbacks
):
    from replications.services import perform

    with django_capture_on_commit_callbacks(execute=True):
        perform(setting["proposal"].pk, "submit", setting["users"]["staff"])
    as_user(client, setting["users"]["bureau"])
    items = client.get("/api/v1/notifications/").json()["results"]
    assert len(items) == 1 and items[0]["proposal"] == setting["proposal"].pk and items[0]["read_at"] is None
    as_user(client, setting["users"]["staff"])
    assert client.get(f"/api/v1/notifications/{items[0]['id']}/").status_code == 404
    as_user(client, setting["users"]["bureau"])
    assert client.post("/api/v1/notifications/mark-read/").json() == {"marked": 1}
    assert Notification.objects.get().read_at is not None


def test_rounds_are_public_and_a_bureau_opens_and_edits_its_own(client, setting):
    as_user(client, setting["users"]["visitor"])
    assert client.get(f"/api/v1/rounds/{setting['round'].pk}/").json()["participants"] == ["13.74", "13.77"]
    body = {"title": "Putaran 2030", "deadline": "2030-09-30", "participants": [regency("13.74").pk],
            "shortlist": [setting["imud"].pk], "reminder_offsets": [7, 1]}  # fmt: skip
    assert client.post("/api/v1/rounds/", body, content_type="application/json").status_code == 401
    as_user(client, setting["users"]["staff"])
    assert client.post("/api/v1/rounds/", body, content_type="application/json").status_code == 403
    as_user(client, setting["users"]["bureau"])
    created = client.post("/api/v1/rounds/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["province"] == "13" and created.json()["reminder_offsets"] == [7, 1]
    outside = client.post("/api/v1/rounds/", {**body, "title": "Lain", "participants": [regency("33.01").pk]},
                          content_type="application/json")  # fmt: skip
    assert outside.status_code == 400 and "participants" in outside.json()["errors"]
    edited = client.patch(f"/api/v1/rounds/{created.json()['id']}/", {"mentor": "Universitas Andalas"},
                          content_type="application/json")  # fmt: skip
    assert edited.status_code == 200 and edited.json()["mentor"] == "Universitas Andalas"
    as_user(client, setting["users"]["other bureau"])
    assert client.patch(f"/api/v1/rounds/{created.json()['id']}/", {"mentor": "x"},
                        content_type="application/json").status_code == 404  # fmt: skip


# Measured: the queries of each signed-in list (page size 10 and 100 alike).
SIGNED_IN_LISTS = {"/api/v1/proposals/": 4, "/api/v1/rounds/": 6, "/api/v1/notifications/": 4}


@pytest.mark.parametrize("url", list(SIGNED_IN_LISTS))
def test_each_signed_in_list_makes_the_same_number_of_queries_at_page_sizes_10_and_100(client, setting, url):
    staff = setting["users"]["staff"]
    for number in range(12):
        round_ = RoundFactory()
        round_.participants.set([regency("13.74")])
        ProposalFactory(round=round_)
        Notification.objects.create(user=staff, message=f"Pesan {number}")
    as_user(client, staff)
    client.get(url)  # the user's roles are cached after the first request, as on the pages
    counts = []
    for size in (10, 100):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"page_size": size}).status_code == 200
        counts.append(len(captured))
    assert counts == [SIGNED_IN_LISTS[url]] * 2, counts


def test_the_letter_download_is_private_and_never_sniffed(client, setting):
    as_user(client, setting["users"]["staff"])
    response = client.get(f"/api/v1/proposals/{setting['proposal'].pk}/letter/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        response["Content-Disposition"] == f'attachment; filename="surat-usulan-{setting["proposal"].pk}.pdf"'
    )


def test_a_double_create_that_races_past_the_form_check_answers_409_naming_the_proposal(
    client, setting, monkeypatch
):
    from replications.forms import ProposalForm

    existing = setting["proposal"]
    as_user(client, setting["users"]["staff"])
    monkeypatch.setattr(ProposalForm, "has_live_proposal", lambda form, round_, innovation: False)
    response = client.post(
        "/api/v1/proposals/",
        {"round": setting["round"].pk, "innovation": existing.innovation_id},
        content_type="application/json",
    )
    assert response.status_code == 409, response.json()
    assert response.json()["existing"] == {"id": existing.pk, "url": f"/usulan/{existing.pk}/"}
    assert Proposal.objects.filter(innovation=existing.innovation_id).count() == 1
