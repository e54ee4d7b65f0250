"""A draft started in the wrong round: its regency's staff move it to another open round of the province
or delete it (with its letter); nobody else can, and only drafts."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from replications import services
from replications.models import Proposal, Status
from tests.factories import ProposalFactory, RoundFactory, province, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(setting):
    """Besides the draft's own round: an open one it may go to, a closed one, one of the same province
    without Padang Panjang, and one of another province."""
    open_ = RoundFactory(
        province=province("13"),
        title="Replikasi Sumatera Barat Gelombang II",
        deadline=datetime.date(2030, 9, 30),
    )
    open_.participants.set([regency("13.74")])
    closed = RoundFactory(province=province("13"), deadline=datetime.date(2021, 8, 30))
    closed.participants.set([regency("13.74")])
    without_us = RoundFactory(province=province("13"), deadline=datetime.date(2030, 9, 30))
    without_us.participants.set([regency("13.77")])
    elsewhere = RoundFactory(province=province("33"), deadline=datetime.date(2030, 9, 30))
    elsewhere.participants.set([regency("13.74"), regency("33.74")])
    return {"open": open_, "closed": closed, "without us": without_us, "elsewhere": elsewhere}


def move_url(proposal):
    return reverse("proposal-move", args=[proposal.pk])


def delete_url(proposal):
    return reverse("proposal-delete", args=[proposal.pk])


def test_staff_move_their_draft_to_another_open_round_and_nothing_else_changes(client, setting, rounds):
    proposal = setting["proposal"]
    before = Proposal.objects.values().get(pk=proposal.pk)
    client.force_login(setting["users"]["staff"])
    page = client.get(move_url(proposal))
    assert page.status_code == 200
    assert list(page.context["form"].fields["round"].queryset) == [rounds["open"]]
    response = client.post(move_url(proposal), {"round": rounds["open"].pk}, follow=True)
    assert response.redirect_chain == [(reverse("proposal-detail", args=[proposal.pk]), 302)]
    assert "Draf dipindahkan ke putaran “Replikasi Sumatera Barat Gelombang II”." in response.content.decode()
    after = Proposal.objects.values().get(pk=proposal.pk)
    assert after["round_id"] == rounds["open"].pk
    unchanged = {key for key in before if key not in {"round_id", "updated_at"}}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    record = proposal.history.latest()
    assert record.round_id == rounds["open"].pk and record.history_change_reason.startswith("move")


@pytest.mark.parametrize("which", ["closed", "without us", "elsewhere"])
def test_a_closed_round_one_without_the_regency_or_another_provinces_is_refused(
    client, setting, rounds, which
):
    proposal = setting["proposal"]
    client.force_login(setting["users"]["staff"])
    response = client.post(move_url(proposal), {"round": rounds[which].pk})
    assert response.status_code == 200
    assert "Pilih putaran lain yang masih terbuka" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.round == setting["round"]


def test_the_service_refuses_a_round_the_form_would_not_offer(setting, rounds):
    with pytest.raises(services.DraftRefused, match="masih terbuka"):
        services.move_draft(setting["proposal"].pk, rounds["closed"].pk, setting["users"]["staff"])


def test_moving_next_to_a_live_proposal_of_the_same_innovation_names_it(client, setting, rounds):
    proposal = setting["proposal"]
    twin = ProposalFactory(round=rounds["open"], innovation=proposal.innovation, status=Status.DRAFT)
    client.force_login(setting["users"]["staff"])
    response = client.post(move_url(proposal), {"round": rounds["open"].pk})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Daerah Anda sudah memiliki usulan “Menyeting Gigi Emas” (Draf)" in body
    assert f'href="{reverse("proposal-detail", args=[twin.pk])}"' in body
    proposal.refresh_from_db()
    assert proposal.round == setting["round"]


def test_a_twin_that_races_past_the_check_is_stopped_by_the_constraint_with_the_same_message(
    setting, rounds, monkeypatch
):
    proposal = setting["proposal"]
    twin = ProposalFactory(round=rounds["open"], innovation=proposal.innovation, status=Status.SUBMITTED,
                           letter_number="B/1", letter_date=datetime.date(2021, 8, 1), letter_file="x.pdf")  # fmt: skip
    real_twin = services.live_twin
    calls = []

    def twin_committed_after_the_check(draft, round_):
        calls.append(round_)
        return None if len(calls) == 1 else real_twin(draft, round_)

    monkeypatch.setattr(services, "live_twin", twin_committed_after_the_check)
    with pytest.raises(services.DraftRefused) as refused:
        services.move_draft(proposal.pk, rounds["open"].pk, setting["users"]["staff"])
    assert refused.value.existing == twin and "(Diajukan)" in str(refused.value)
    proposal.refresh_from_db()
    assert proposal.round == setting["round"]


@pytest.mark.parametrize("role", ["outsider staff", "bureau", "other bureau", "admin", "no role"])
def test_anyone_but_the_regencys_staff_gets_404_on_move_and_delete(client, setting, rounds, role):
    proposal = setting["proposal"]
    client.force_login(setting["users"][role])
    for url in (move_url(proposal), delete_url(proposal)):
        assert client.get(url).status_code == 404, url
    assert client.post(move_url(proposal), {"round": rounds["open"].pk}).status_code == 404
    assert client.post(delete_url(proposal)).status_code == 404
    proposal.refresh_from_db()
    assert proposal.round == setting["round"]


def test_a_visitor_is_sent_to_sign_in(client, setting):
    assert client.get(delete_url(setting["proposal"])).url.startswith("/accounts/login/")


def test_deleting_asks_first_then_removes_the_draft_and_its_letter_after_commit(
    client, setting, django_capture_on_commit_callbacks
):
    proposal = setting["proposal"]
    letter = proposal.letter_file.name
    assert default_storage.exists(letter)
    client.force_login(setting["users"]["staff"])
    confirm = client.get(delete_url(proposal))
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Hapus draf ini?" in body and 'class="button button-danger"' in body
    assert Proposal.objects.filter(pk=proposal.pk).exists()  # asking deletes nothing
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(delete_url(proposal), follow=True)
        assert default_storage.exists(letter)  # the file stays until the deletion has committed
    assert response.redirect_chain == [(reverse("my-region"), 302)]
    assert "Draf usulan “Menyeting Gigi Emas” dihapus beserta berkas suratnya." in response.content.decode()
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    for callback in callbacks:
        callback()
    assert not default_storage.exists(letter)
    assert Proposal.history.filter(id=proposal.pk).latest().history_type == "-"


def test_an_earlier_letter_of_the_draft_goes_too(setting, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.replications.proposal_world import real_pdf

    proposal = setting["proposal"]
    first = proposal.letter_file.name
    proposal.letter_file.save("surat-baru.pdf", SimpleUploadedFile("b.pdf", real_pdf()))
    second = proposal.letter_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(proposal.pk, setting["users"]["staff"])
    assert not default_storage.exists(first) and not default_storage.exists(second)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CANCELLED, Status.RETURNED])
def test_only_a_draft_can_be_moved_or_deleted(client, setting, rounds, status):
    proposal = setting["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    client.force_login(setting["users"]["staff"])
    deleted = client.post(delete_url(proposal), follow=True)
    assert "Hanya draf yang dapat dipindahkan atau dihapus" in deleted.content.decode()
    moved = client.post(move_url(proposal), {"round": rounds["open"].pk}, follow=True)
    assert "Hanya draf yang dapat dipindahkan atau dihapus" in moved.content.decode()
    proposal.refresh_from_db()
    assert proposal.round == setting["round"] and proposal.status == status
    assert default_storage.exists(proposal.letter_file.name)
    detail = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    assert move_url(proposal) not in detail and delete_url(proposal) not in detail


def test_the_draft_page_offers_move_and_a_destructive_delete_to_its_staff_only(client, setting):
    proposal = setting["proposal"]
    detail = reverse("proposal-detail", args=[proposal.pk])
    client.force_login(setting["users"]["staff"])
    page = client.get(detail).content.decode()
    assert f'<a class="button" href="{move_url(proposal)}">Pindahkan ke putaran lain</a>' in page
    assert f'<a class="button button-danger" href="{delete_url(proposal)}">Hapus draf</a>' in page
    client.force_login(setting["users"]["bureau"])
    page = client.get(detail).content.decode()
    assert move_url(proposal) not in page and delete_url(proposal) not in page


def test_with_no_other_open_round_the_move_page_says_so(client, setting):
    client.force_login(setting["users"]["staff"])
    page = client.get(move_url(setting["proposal"])).content.decode()
    assert "Tidak ada putaran lain yang masih terbuka" in page


def test_a_draft_without_a_letter_is_deleted_and_says_just_that(client, setting):
    draft = ProposalFactory(round=setting["round"], status=Status.DRAFT)
    client.force_login(setting["users"]["staff"])
    response = client.post(delete_url(draft), follow=True)
    assert f"Draf usulan “{draft.innovation.name}” dihapus." in response.content.decode()
    assert not Proposal.objects.filter(pk=draft.pk).exists()
