"""Proposal pages: who may see and do what (the permission matrix), uploads checked by content,
and a submitted proposal that can no longer be edited."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.models import Agency, AgencyLevel
from replications.models import Proposal, Status
from tests.factories import InnovationFactory, RoundFactory, province, regency
from tests.replications.proposal_world import PNG, SEES_THE_PROPOSAL, TRANSITION_MATRIX, approved, real_pdf

pytestmark = pytest.mark.django_db


# role -> expected status for each (method, url name)
MATRIX = {
    ("get", "proposal-detail"): {"staff": 200, "outsider staff": 404, "bureau": 200, "other bureau": 404,
                                 "admin": 200, "no role": 404, "visitor": 302},
    ("get", "proposal-edit"): {"staff": 200, "outsider staff": 404, "bureau": 404, "other bureau": 404,
                               "admin": 404, "no role": 404, "visitor": 302},
    ("get", "proposal-letter"): {"staff": 200, "outsider staff": 404, "bureau": 200, "other bureau": 404,
                                 "admin": 200, "no role": 404, "visitor": 302},
    ("post", "proposal-action"): {"staff": 302, "outsider staff": 404, "bureau": 302, "other bureau": 404,
                                  "admin": 302, "no role": 404, "visitor": 302},
    ("get", "my-region"): {"staff": 200, "outsider staff": 200, "bureau": 403, "other bureau": 403,
                           "admin": 403, "no role": 403, "visitor": 302},
    ("get", "review-queue"): {"staff": 403, "outsider staff": 403, "bureau": 200, "other bureau": 200,
                              "admin": 200, "no role": 403, "visitor": 302},
    ("get", "proposal-create"): {"staff": 200, "outsider staff": 200, "bureau": 403, "other bureau": 403,
                                 "admin": 403, "no role": 403, "visitor": 302},
}  # fmt: skip


@pytest.mark.parametrize(("method", "name"), list(MATRIX))
def test_permission_matrix(client, setting, method, name):
    proposal = setting["proposal"]
    kwargs = {"pk": proposal.pk} if name.startswith("proposal-") and name != "proposal-create" else {}
    if name == "proposal-action":
        kwargs["action"] = "submit"
    url = reverse(name, kwargs=kwargs)
    for role, expected in MATRIX[(method, name)].items():
        user = setting["users"][role]
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        response = getattr(client, method)(url)
        assert response.status_code == expected, (role, name, response.status_code)
        if expected == 302 and role == "visitor":
            assert response["Location"].startswith("/accounts/login/")
    if name == "proposal-action":
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED  # the proposing staff's submit took effect
        assert [e.actor.username for e in proposal.events.all()] == ["staf.padangpanjang"]


def test_the_letter_is_served_as_an_attachment_with_a_safe_name(client, setting):
    client.force_login(setting["users"]["staff"])
    response = client.get(reverse("proposal-letter", args=[setting["proposal"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="surat-usulan-{setting["proposal"].pk}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def form_data(setting, **overrides):
    data = {
        "round": setting["round"].pk,
        "innovation": setting["imud"].pk,
        "local_name": "Kelas Ibu Muda Padang Panjang",
        "adopting_agency": setting["office"].pk,
        "problem": "Angka stunting tinggi di kelurahan padat.",
        "expected_results": "Prevalensi stunting turun.",
        "letter_number": "B/061/143/SETDAKO-PP/VIII/2021",
        "letter_date": "2021-08-27",
    }
    data.update(overrides)
    return data


def test_staff_save_a_draft_then_submit_it_with_a_real_pdf(client, setting):
    client.force_login(setting["users"]["staff"])
    response = client.post(reverse("proposal-create"), form_data(setting))
    proposal = Proposal.objects.get(local_name="Kelas Ibu Muda Padang Panjang")
    assert response.status_code == 302 and proposal.status == Status.DRAFT
    assert proposal.regency == regency("13.74") and proposal.created_by == setting["users"]["staff"]
    edit = reverse("proposal-edit", args=[proposal.pk])
    response = client.post(edit, {**form_data(setting), "letter_file": SimpleUploadedFile("surat.pdf", real_pdf()),
                                  "submit": "1"})  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert [e.action for e in proposal.events.all()] == ["create", "submit"]
    # A submitted proposal cannot be edited any more.
    response = client.post(edit, {**form_data(setting), "problem": "diubah"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.problem != "diubah"
    assert "tidak dapat diubah" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gambar.pdf", PNG, "bukan PDF"),
        ("halaman.pdf", b"<html><body>bukan surat</body></html>", "bukan PDF"),
        ("kosong.pdf", b"", "kosong"),
        ("rusak.pdf", b"%PDF-1.4\nrusak sama sekali", "rusak"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_keep_the_rest_of_the_form(
    client, setting, name, content, message
):
    client.force_login(setting["users"]["staff"])
    data = form_data(setting, letter_file=SimpleUploadedFile(name, content, content_type="application/pdf"))
    response = client.post(reverse("proposal-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Kelas Ibu Muda Padang Panjang" in body  # what the user typed is still there
    assert not Proposal.objects.filter(local_name="Kelas Ibu Muda Padang Panjang").exists()


def test_an_oversize_upload_is_refused(client, setting, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(setting["users"]["staff"])
    big = real_pdf() + b"%" + b"x" * 2048
    response = client.post(
        reverse("proposal-create"), form_data(setting, letter_file=SimpleUploadedFile("b.pdf", big))
    )
    assert "terlalu besar" in response.content.decode()


def test_a_second_live_proposal_for_the_same_innovation_and_round_is_refused(client, setting):
    client.force_login(setting["users"]["staff"])
    data = form_data(setting, innovation=setting["proposal"].innovation_id)
    response = client.post(reverse("proposal-create"), data)
    # The same answer as a double click that raced past the check: 409, with a link to the proposal.
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah memiliki usulan" in page and f'href="/usulan/{setting["proposal"].pk}/"' in page


def test_staff_cannot_choose_another_regencys_agency_or_a_round_they_are_not_in(client, setting):
    client.force_login(setting["users"]["staff"])
    pariaman_office = Agency.objects.create(name="Dinas Kesehatan Kota Pariaman", level=AgencyLevel.REGENCY_GOVERNMENT,
                                            regency=regency("13.77"))  # fmt: skip
    jateng_round = RoundFactory(province=province("33"))
    response = client.post(
        reverse("proposal-create"),
        form_data(setting, adopting_agency=pariaman_office.pk, round=jateng_round.pk, status="approved"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "adopting_agency" in errors and "round" in errors


def test_the_bureau_sees_who_has_proposed_and_who_has_not(client, setting):
    from replications.services import perform

    perform(setting["proposal"].pk, "submit", setting["users"]["staff"])
    url = reverse("round-detail", args=[setting["round"].pk])
    client.force_login(setting["users"]["bureau"])
    response = client.get(url)
    assert response.status_code == 200
    assert [r.name for r in response.context["missing"]] == ["Kota Pariaman"]
    assert "Menyeting Gigi Emas" in response.content.decode()
    for outsider in ["other bureau", "staff"]:
        client.force_login(setting["users"][outsider])
        assert client.get(url).status_code == 404


def test_after_approval_staff_record_commitment_plan_and_reports_with_evidence(client, setting):
    proposal = approved(setting)
    client.force_login(setting["users"]["staff"])
    pdf = SimpleUploadedFile("komitmen.pdf", real_pdf())
    response = client.post(
        reverse("commitment-edit", args=[proposal.pk]), {"signed_on": "2021-11-02", "document": pdf}
    )
    assert response.status_code == 302
    client.post(
        reverse("milestone-add", args=[proposal.pk]),
        {"title": "Pelatihan kader posyandu", "due_on": "2030-01-15"},
    )
    duplicate = client.post(
        reverse("milestone-add", args=[proposal.pk]),
        {"title": "pelatihan kader posyandu", "due_on": "2030-02-01"},
    )
    assert "sudah ada" in duplicate.content.decode()
    milestone = proposal.milestones.get()
    client.post(reverse("milestone-done", args=[proposal.pk, milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    bad = client.post(reverse("report-add", args=[proposal.pk]), {
        "reported_on": "2030-01-20", "milestone": milestone.pk, "summary": "Kader dilatih.",
        "evidence": SimpleUploadedFile("foto.pdf", PNG),
    })  # fmt: skip
    assert "bukan PDF" in bad.content.decode() and "Kader dilatih." in bad.content.decode()
    client.post(reverse("report-add", args=[proposal.pk]), {
        "reported_on": "2030-01-20", "milestone": milestone.pk, "summary": "Kader dilatih.",
        "evidence": SimpleUploadedFile("bukti.pdf", real_pdf()),
    })  # fmt: skip
    report = proposal.reports.get()
    detail = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    assert "Pelatihan kader posyandu" in detail and "Kader dilatih." in detail
    evidence_url = reverse("proposal-document", args=[proposal.pk, "bukti", report.pk])
    assert client.get(evidence_url).status_code == 200
    client.force_login(setting["users"]["outsider staff"])
    assert client.get(evidence_url).status_code == 404
    assert (
        client.get(
            reverse("proposal-document", args=[proposal.pk, "komitmen", proposal.commitment.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("milestone-add", args=[proposal.pk])).status_code == 404


def test_the_plan_waits_for_approval(client, setting):
    client.force_login(setting["users"]["staff"])
    response = client.get(reverse("milestone-add", args=[setting["proposal"].pk]))
    assert response.status_code == 403


def test_the_innovation_menu_offers_the_shortlist_and_the_pick_not_the_whole_bank(client, setting):
    shortlisted = InnovationFactory(name="Laboratorium Inovasi")
    setting["round"].shortlist.add(shortlisted)
    elsewhere = InnovationFactory(name="Bandung Anti Kantong Plastik")
    client.force_login(setting["users"]["staff"])
    offered = dict(client.get(reverse("proposal-create")).context["form"].fields["innovation"].choices)
    assert (
        "Laboratorium Inovasi" in offered.values() and "Bandung Anti Kantong Plastik" not in offered.values()
    )
    picked = client.get(reverse("proposal-create"), {"inovasi": elsewhere.slug})
    assert (
        "Bandung Anti Kantong Plastik" in dict(picked.context["form"].fields["innovation"].choices).values()
    )
    assert picked.context["form"].initial["innovation"] == elsewhere


def test_staff_can_name_a_new_adopting_office_of_their_regency(client, setting):
    client.force_login(setting["users"]["staff"])
    data = form_data(setting, adopting_agency="", new_agency_name="  Dinas   Pariwisata ")
    assert client.post(reverse("proposal-create"), data).status_code == 302
    proposal = Proposal.objects.get(local_name="Kelas Ibu Muda Padang Panjang")
    office = proposal.adopting_agency
    assert (office.name, office.level, office.regency) == ("Dinas Pariwisata", "office", regency("13.74"))
    assert office.parent.name == "Pemerintah Kota Padang Panjang"
    both = client.post(
        reverse("proposal-create"),
        form_data(setting, new_agency_name="Dinas Lain", innovation=setting["proposal"].innovation_id),
    )
    assert "bukan keduanya" in both.content.decode()


def test_the_review_queue_says_what_changed_since_the_reviewer_last_looked(client, setting):
    from replications.services import perform

    proposal = setting["proposal"]
    perform(proposal.pk, "submit", setting["users"]["staff"])
    client.force_login(setting["users"]["bureau"])
    queue = client.get(reverse("review-queue"))
    assert [p.changes for p in queue.context["proposals"]] == [None]  # never opened: new
    client.get(reverse("proposal-detail", args=[proposal.pk]))
    assert [p.changes for p in client.get(reverse("review-queue")).context["proposals"]] == [[]]
    perform(proposal.pk, "return", setting["users"]["bureau"], note="Perbaiki nomor surat.")
    client.force_login(setting["users"]["staff"])
    client.post(reverse("proposal-edit", args=[proposal.pk]), {
        **form_data(setting, innovation=proposal.innovation_id), "letter_number": "B/062/143/SETDAKO-PP/VIII/2021", "submit": "1",
    })  # fmt: skip
    client.force_login(setting["users"]["bureau"])
    changes = client.get(reverse("review-queue")).context["proposals"][0].changes
    assert "nomor surat" in changes and "status" not in changes  # submitted then, submitted again now


# For every transition: the status to start from, and the roles whose POST makes it happen.


@pytest.mark.parametrize("action", list(TRANSITION_MATRIX))
def test_every_transition_for_every_role_over_http(client, setting, action):
    from replications.models import Commitment, Milestone

    start, allowed = TRANSITION_MATRIX[action]
    proposal = setting["proposal"]
    Commitment.objects.get_or_create(proposal=proposal, defaults={"signed_on": datetime.date(2021, 11, 2)})
    Milestone.objects.get_or_create(
        proposal=proposal, title="Pelatihan", defaults={"due_on": datetime.date(2030, 1, 1)}
    )
    url = reverse("proposal-action", kwargs={"pk": proposal.pk, "action": action})
    for role, user in setting["users"].items():
        Proposal.objects.filter(pk=proposal.pk).update(status=start)
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        response = client.post(url, {"note": "Catatan uji."})
        proposal.refresh_from_db()
        moved = proposal.status != start
        if role == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        elif role in SEES_THE_PROPOSAL:
            assert response.status_code == 302, (action, role)
        else:
            assert response.status_code == 404, (action, role)
        assert moved == (role in allowed), (action, role, proposal.status)


def test_a_double_submit_that_races_past_the_form_check_answers_409_naming_the_proposal(
    client, setting, monkeypatch
):
    from replications.forms import ProposalForm

    client.force_login(setting["users"]["staff"])
    existing = setting["proposal"]
    # The other request's insert commits after this one's check: only the database's constraint sees it.
    monkeypatch.setattr(ProposalForm, "has_live_proposal", lambda form, round_, innovation: False)
    response = client.post(reverse("proposal-create"), form_data(setting, innovation=existing.innovation_id))
    assert response.status_code == 409
    assert f'href="/usulan/{existing.pk}/"' in response.content.decode()
    assert Proposal.objects.filter(innovation=existing.innovation_id).count() == 1


def test_the_commitment_and_evidence_downloads_are_private_and_never_sniffed(client, setting):
    from replications.models import Commitment

    commitment = Commitment.objects.create(proposal=setting["proposal"], signed_on=datetime.date(2021, 11, 2))
    commitment.document.save("k.pdf", SimpleUploadedFile("k.pdf", real_pdf()))
    client.force_login(setting["users"]["staff"])
    url = reverse("proposal-document", args=[setting["proposal"].pk, "komitmen", commitment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_bureaus_return_note_is_shown_on_the_form_the_regency_fixes(client, setting):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    perform(proposal.pk, "submit", users["staff"])
    perform(proposal.pk, "return", users["bureau"], note="Tanggal surat belum sesuai.")
    client.force_login(users["staff"])
    page = client.get(reverse("proposal-edit", args=[proposal.pk])).content.decode()
    assert "Dikembalikan provinsi pada" in page and "Tanggal surat belum sesuai." in page


def test_statuses_read_in_words_and_colour_and_ending_actions_look_different(client, setting):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    perform(proposal.pk, "submit", users["staff"])
    client.force_login(users["bureau"])
    page = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    assert '<span class="status status-submitted badge">Diajukan</span>' in page
    assert 'class="button button-danger">Tolak' in page
    assert 'class="button">Verifikasi' in page


def field_block(body: str, name: str) -> str:
    """The form's paragraph holding the field ``name`` (its label, input, help and errors)."""
    import re

    for block in re.findall(r"<p>\s*<label.*?</p>", body, flags=re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def test_submitting_with_a_missing_field_keeps_the_form_with_the_error_beside_it(client, setting):
    from replications.services import missing_for_submission

    client.force_login(setting["users"]["staff"])
    data = form_data(
        setting, letter_number="", letter_file=SimpleUploadedFile("surat.pdf", real_pdf()), submit="1"
    )
    response = client.post(reverse("proposal-create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Wajib diisi untuk mengajukan usulan." in field_block(body, "letter_number")
    assert "Wajib diisi" not in field_block(body, "letter_date")
    assert "Kelas Ibu Muda Padang Panjang" in body and 'value="2021-08-27"' in body  # what was typed stays
    # Saved as a draft with its letter, which the form shows as the current file; the next post edits it.
    proposal = Proposal.objects.get(local_name="Kelas Ibu Muda Padang Panjang")
    assert proposal.status == Status.DRAFT and proposal.letter_file
    assert missing_for_submission(proposal) == ["letter_number"]
    assert f'action="{reverse("proposal-edit", args=[proposal.pk])}"' in body
    assert "Saat ini" in field_block(body, "letter_file")
    fixed = client.post(reverse("proposal-edit", args=[proposal.pk]),
                        {**form_data(setting), "submit": "1"})  # fmt: skip
    proposal.refresh_from_db()
    assert fixed.status_code == 302 and proposal.status == Status.SUBMITTED
    assert Proposal.objects.filter(local_name="Kelas Ibu Muda Padang Panjang").count() == 1


def test_each_missing_field_is_marked_from_the_same_rule_as_the_submit_transition(client, setting):
    from replications.services import missing_for_submission, submission_gaps

    proposal = setting["proposal"]
    client.force_login(setting["users"]["staff"])
    data = {**form_data(setting, innovation=proposal.innovation_id, adopting_agency="", problem=" ",
                        letter_date=""), "submit": "1"}  # fmt: skip
    response = client.post(reverse("proposal-edit", args=[proposal.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    proposal.refresh_from_db()
    missing = missing_for_submission(proposal)
    assert missing == ["adopting_agency", "problem", "letter_date"]
    assert [name for name in form.errors] == missing
    assert [str(gap) for gap in submission_gaps(proposal)] == [
        str(form.fields[n].label).lower() for n in missing
    ]
    assert proposal.letter_file  # the letter uploaded before is still there
    assert proposal.status == Status.DRAFT and not proposal.events.filter(action="submit").exists()


def test_saving_a_draft_with_gaps_is_still_fine(client, setting):
    client.force_login(setting["users"]["staff"])
    response = client.post(reverse("proposal-create"), form_data(setting, letter_number=""))
    assert response.status_code == 302


def steps_of(body: str) -> list[tuple[str, str, bool]]:
    """(label, state, current) of each step of the page's step bar."""
    import re

    bar = re.search(r'<ol class="steps".*?</ol>', body, flags=re.S).group(0)
    return [
        (label.strip(), state, "aria-current" in attributes)
        for state, attributes, label in re.findall(
            r'<li class="step step-([a-z-]+)[^"]*"([^>]*)>.*?<span class="step-label">(.*?)</span>',
            bar,
            flags=re.S,
        )
    ]


def test_the_step_bar_marks_the_current_status_in_life_cycle_order(client, setting):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    client.force_login(users["staff"])
    url = reverse("proposal-detail", args=[proposal.pk])
    draft = steps_of(client.get(url).content.decode())
    assert [label for label, _, _ in draft] == [Status(s).label for s in Status.PATH]
    assert draft[0] == ("Draf", "current", True) and {state for _, state, _ in draft[1:]} == {"todo"}
    perform(proposal.pk, "submit", users["staff"])
    perform(proposal.pk, "verify", users["bureau"])
    body = client.get(url).content.decode()
    verified = steps_of(body)
    assert [state for _, state, _ in verified[:3]] == ["done", "done", "current"]
    assert [current for _, _, current in verified] == [False, False, True, False, False, False, False]
    assert body.count('aria-current="step"') == 1
    assert "Tahap sekarang" in body  # said in words, not by colour alone


def test_a_returned_proposal_shows_the_return_as_its_step_before_submission(client, setting):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    perform(proposal.pk, "submit", users["staff"])
    perform(proposal.pk, "return", users["bureau"], note="Perbaiki tanggal.")
    client.force_login(users["staff"])
    steps = steps_of(client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode())
    assert steps[:3] == [
        ("Draf", "done", False),
        ("Dikembalikan", "current", True),
        ("Diajukan", "todo", False),
    ]


def test_a_rejected_proposal_ends_where_it_was_stopped(client, setting):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    perform(proposal.pk, "submit", users["staff"])
    perform(proposal.pk, "verify", users["bureau"])
    perform(proposal.pk, "reject", users["bureau"], note="Tidak sesuai.")
    client.force_login(users["staff"])
    body = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    steps = steps_of(body)
    assert [(label, state) for label, state, _ in steps[:4]] == [
        ("Draf", "done"), ("Diajukan", "done"), ("Terverifikasi", "done"), ("Ditolak", "current"),
    ]  # fmt: skip
    assert {state for _, state, _ in steps[4:]} == {"not-reached"} and len(steps) == 8
    assert "step-ended" in body


def test_a_cancelled_proposal_ends_after_its_last_step_reached():
    from replications.statuses import life_cycle_steps

    steps = life_cycle_steps(Status.CANCELLED, branched_from=Status.COMMITTED)
    assert [(step.status, step.state) for step in steps] == [
        ("draft", "done"), ("submitted", "done"), ("verified", "done"), ("approved", "done"),
        ("committed", "done"), ("cancelled", "current"), ("implementing", "not-reached"),
        ("replicated", "not-reached"),
    ]  # fmt: skip
    assert life_cycle_steps(Status.REPLICATED, branched_from=None)[-1].state == "current"


def test_the_detail_page_makes_a_fixed_number_of_queries_with_the_step_bar(
    client, setting, django_assert_num_queries
):
    from replications.services import perform

    proposal, users = setting["proposal"], setting["users"]
    client.force_login(users["staff"])
    url = reverse("proposal-detail", args=[proposal.pk])
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    perform(proposal.pk, "submit", users["staff"])
    perform(proposal.pk, "reject", users["bureau"], note="Tidak sesuai.")
    client.get(url)  # the unread count, cached again after the rejection's notification
    with django_assert_num_queries(6):
        client.get(url)
