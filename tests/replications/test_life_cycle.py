"""The proposal life cycle through replications.services: who may do what, what must be filled,
what the history records and whom it tells."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from regions.models import Agency, AgencyLevel
from replications.models import Action, Commitment, Milestone, Proposal, Status
from replications.services import TransitionRefused, available_actions, perform
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province, regency

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(staff_padang_panjang, bureau_sumbar):
    staff_padang_panjang.email = "staf@padangpanjang.example"
    staff_padang_panjang.save()
    bureau_sumbar.email = "biro@sumbarprov.example"
    bureau_sumbar.save()
    office = Agency.objects.create(
        name="Dinas Kesehatan Kota Padang Panjang",
        level=AgencyLevel.REGENCY_GOVERNMENT,
        regency=regency("13.74"),
    )
    proposal = ProposalFactory(
        round=RoundFactory(province=province("13")), innovation=InnovationFactory(), adopting_agency=office
    )
    return proposal


def complete_letter(proposal: Proposal) -> None:
    proposal.problem = "Angka stunting tinggi"
    proposal.letter_number = "B/061/143/SETDAKO-PP/VIII/2021"
    proposal.letter_date = datetime.date(2021, 8, 27)
    proposal.letter_file.save("surat.pdf", ContentFile(PDF), save=False)
    proposal.save()


def test_the_whole_journey_writes_each_step_to_the_history(draft, staff_padang_panjang, bureau_sumbar):
    complete_letter(draft)
    perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    perform(draft.pk, Action.RETURN, bureau_sumbar, note="Lampirkan surat yang ditandatangani.")
    perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    perform(draft.pk, Action.VERIFY, bureau_sumbar)
    perform(draft.pk, Action.APPROVE, bureau_sumbar)
    Commitment.objects.create(proposal=draft, signed_on=datetime.date(2021, 11, 2))
    perform(draft.pk, Action.COMMIT, staff_padang_panjang)
    Milestone.objects.create(proposal=draft, title="Pelatihan kader", due_on=datetime.date(2021, 12, 1))
    perform(draft.pk, Action.START, staff_padang_panjang)
    perform(draft.pk, Action.COMPLETE, bureau_sumbar)
    draft.refresh_from_db()
    assert draft.status == Status.REPLICATED
    steps = [(e.action, e.from_status, e.to_status, e.actor.username) for e in draft.events.all()]
    assert steps == [
        ("submit", "draft", "submitted", "staf.padangpanjang"),
        ("return", "submitted", "returned", "biro.sumbar"),
        ("submit", "returned", "submitted", "staf.padangpanjang"),
        ("verify", "submitted", "verified", "biro.sumbar"),
        ("approve", "verified", "approved", "biro.sumbar"),
        ("commit", "approved", "committed", "staf.padangpanjang"),
        ("start", "committed", "implementing", "staf.padangpanjang"),
        ("complete", "implementing", "replicated", "biro.sumbar"),
    ]
    assert draft.events.get(action="return").note == "Lampirkan surat yang ditandatangani."


def test_submitting_needs_the_letter_and_says_what_is_missing(draft, staff_padang_panjang):
    with pytest.raises(TransitionRefused, match="nomor surat, tanggal surat, berkas surat"):
        perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.events.exists()


def test_each_role_may_only_make_its_own_transitions(draft, staff_padang_panjang, bureau_sumbar):
    complete_letter(draft)
    with pytest.raises(TransitionRefused, match="tidak berwenang"):
        perform(draft.pk, Action.VERIFY, staff_padang_panjang)
    with pytest.raises(TransitionRefused, match="tidak berwenang"):
        perform(draft.pk, Action.SUBMIT, bureau_sumbar)
    assert [t.action for t in available_actions(draft, staff_padang_panjang)] == ["submit"]
    assert available_actions(draft, bureau_sumbar) == []


def test_outsiders_cannot_even_find_the_proposal(draft, staff_pariaman, bureau_jateng, no_membership_user):
    complete_letter(draft)
    for outsider in [staff_pariaman, bureau_jateng, no_membership_user]:
        with pytest.raises(Proposal.DoesNotExist):
            perform(draft.pk, Action.SUBMIT, outsider)


def test_an_illegal_transition_gets_a_clear_refusal(draft, bureau_sumbar):
    with pytest.raises(TransitionRefused, match="sekarang berstatus “Draf”"):
        perform(draft.pk, Action.APPROVE, bureau_sumbar)
    with pytest.raises(TransitionRefused, match="Tindakan tidak dikenal"):
        perform(draft.pk, "teleport", bureau_sumbar)


def test_returning_or_rejecting_needs_a_note(draft, staff_padang_panjang, bureau_sumbar):
    complete_letter(draft)
    perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    with pytest.raises(TransitionRefused, match="catatan"):
        perform(draft.pk, Action.REJECT, bureau_sumbar, note="   ")


def test_each_step_is_emailed_to_the_other_side(
    draft, staff_padang_panjang, bureau_sumbar, django_capture_on_commit_callbacks
):
    complete_letter(draft)
    with django_capture_on_commit_callbacks(execute=True):
        perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    assert [m.to for m in mail.outbox] == [["biro@sumbarprov.example"]]
    with django_capture_on_commit_callbacks(execute=True):
        perform(draft.pk, Action.RETURN, bureau_sumbar, note="Perbaiki tanggal surat.")
    assert mail.outbox[1].to == ["staf@padangpanjang.example"]
    assert "Perbaiki tanggal surat." in mail.outbox[1].body
    assert "Dikembalikan" in mail.outbox[1].subject


def test_visibility_follows_the_role(
    draft,
    staff_padang_panjang,
    staff_pariaman,
    bureau_sumbar,
    bureau_jateng,
    national_admin,
    no_membership_user,
):
    from django.contrib.auth.models import AnonymousUser

    visible = {
        user.username if user.is_authenticated else "anonymous": Proposal.objects.visible_to(user)
        .filter(pk=draft.pk)
        .exists()
        for user in [
            staff_padang_panjang,
            staff_pariaman,
            bureau_sumbar,
            bureau_jateng,
            national_admin,
            no_membership_user,
            AnonymousUser(),
        ]
    }
    assert visible == {
        "staf.padangpanjang": True,
        "staf.pariaman": False,
        "biro.sumbar": True,
        "biro.jateng": False,
        "admin.kemenpan": True,
        "warga.biasa": False,
        "anonymous": False,
    }


def test_each_step_also_lands_in_the_other_sides_notifications(
    client, draft, staff_padang_panjang, bureau_sumbar, django_capture_on_commit_callbacks
):
    complete_letter(draft)
    with django_capture_on_commit_callbacks(execute=True):
        perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    client.force_login(bureau_sumbar)
    page = client.get("/notifikasi/")
    assert page.context["unread_notifications"] == 1
    assert "kini berstatus “Diajukan”" in page.content.decode()
    client.post("/notifikasi/")
    assert client.get("/notifikasi/").context["unread_notifications"] == 0
    client.force_login(staff_padang_panjang)
    assert (
        client.get("/notifikasi/").context["notifications"] == []
    )  # the actor is not told about their own step


def test_a_recipient_whose_email_keeps_failing_does_not_stop_the_others(
    draft, staff_padang_panjang, bureau_sumbar, settings, caplog, django_capture_on_commit_callbacks
):
    from accounts.models import Role
    from replications.models import Notification
    from tests.factories import member
    from tests.replications.flaky_mail import RefusingBackend

    second = member("biro.sumbar.dua", Role.PROVINCIAL_BUREAU, province_code="13")
    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.RefusingBackend"
    RefusingBackend.refused = {bureau_sumbar.email}
    complete_letter(draft)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
    finally:
        RefusingBackend.refused = set()
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "failed for good" in caplog.text
    # The in-app notifications were written with the step, the refused address's included.
    assert set(Notification.objects.values_list("user", flat=True)) == {bureau_sumbar.pk, second.pk}


def test_the_in_app_notification_is_written_with_the_step_and_the_email_waits_for_the_commit(
    draft, staff_padang_panjang, bureau_sumbar, django_capture_on_commit_callbacks
):
    from replications.models import Notification

    complete_letter(draft)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform(draft.pk, Action.SUBMIT, staff_padang_panjang)
        assert Notification.objects.filter(user=bureau_sumbar).count() == 1
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["biro@sumbarprov.example"]]
