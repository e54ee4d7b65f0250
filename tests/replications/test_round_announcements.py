"""What a round tells its regencies: opening it (or adding a regency later) tells the newly participating
regencies' staff, an extension tells every participating regency's staff, each by email (a Celery task
with retries, in the recipient's language) and in the app; and a regency's desk lists the open rounds it
has not proposed in yet."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import Role, UserPreference
from replications.models import Notification, Round, RoundEvent, RoundEventKind
from tests.factories import ProposalFactory, RoundFactory, member, province, regency
from tests.replications.reminder_helpers import WIB, local

pytestmark = pytest.mark.django_db

TODAY = local(WIB, 2021, 8, 20, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def staff(staff_padang_panjang, staff_pariaman):
    """Staff of three Sumatera Barat regencies; Pariaman's reads English."""
    UserPreference.objects.create(user=staff_pariaman, language="en")
    return {
        "13.74": staff_padang_panjang,
        "13.77": staff_pariaman,
        "13.73": member("staf.sawahlunto", Role.REGIONAL_STAFF, regency_code="13.73"),
    }


def round_data(*codes, **changes) -> dict:
    data = {
        "title": "Replikasi Inovasi Sumatera Barat 2021", "fgd_date": "2021-08-26", "deadline": "2021-08-30",
        "mentor": "", "participants": [regency(code).pk for code in codes], "reminder_offsets": "", "notes": "",
    }  # fmt: skip
    data.update(changes)
    return data


def outbox() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def test_opening_a_round_tells_each_participating_regencys_staff_in_their_language(
    client, bureau_sumbar, staff, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/putaran/baru/", round_data("13.74", "13.77")).status_code == 302
    round_ = Round.objects.get()
    sent = outbox()
    assert set(sent) == {staff["13.74"].email, staff["13.77"].email}
    indonesian, english = sent[staff["13.74"].email], sent[staff["13.77"].email]
    assert "Replikasi Inovasi Sumatera Barat 2021" in indonesian.subject
    assert "30 Agu 2021 pukul 23.59 WIB" in indonesian.body and "/usulan/baru/" in indonesian.body
    assert "Aug. 30, 2021" in english.body  # written in the recipient's language
    told = Notification.objects.filter(url="/wilayah-saya/")
    assert set(told.values_list("user", flat=True)) == {staff["13.74"].pk, staff["13.77"].pk}
    opening = RoundEvent.objects.get(round=round_)
    assert opening.kind == RoundEventKind.OPEN and opening.actor == bureau_sumbar
    assert {r.code for r in opening.regencies.all()} == {"13.74", "13.77"}


def test_adding_participants_later_tells_only_the_new_ones(
    client, bureau_sumbar, staff, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    client.post("/putaran/baru/", round_data("13.74"))
    round_ = Round.objects.get()
    mail.outbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.post(f"/putaran/{round_.pk}/ubah/", round_data("13.74", "13.73", "13.77"))
    assert edited.status_code == 302
    assert set(outbox()) == {staff["13.73"].email, staff["13.77"].email}
    assert set(Notification.objects.values_list("user", flat=True)) == {staff["13.73"].pk, staff["13.77"].pk}
    joined = RoundEvent.objects.get(round=round_, kind=RoundEventKind.JOIN)
    assert {r.code for r in joined.regencies.all()} == {"13.73", "13.77"}
    # Saving again with the same participants tells nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/putaran/{round_.pk}/ubah/", round_data("13.74", "13.73", "13.77", notes="Catatan"))
    assert mail.outbox == [] and RoundEvent.objects.filter(round=round_).count() == 2


def test_an_extension_is_announced_to_every_participating_regencys_staff_in_their_language(
    client, bureau_sumbar, staff, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    client.post("/putaran/baru/", round_data("13.74", "13.77"))
    round_ = Round.objects.get()
    mail.outbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/putaran/{round_.pk}/ubah/", round_data("13.74", "13.77", deadline="2021-09-06"))
    sent = outbox()
    assert set(sent) == {staff["13.74"].email, staff["13.77"].email}
    indonesian, english = sent[staff["13.74"].email], sent[staff["13.77"].email]
    assert "diperpanjang dari 30 Agu 2021 menjadi 6 Sep. 2021 pukul 23.59 WIB" in indonesian.body
    assert "Aug. 30, 2021" in english.body and "Sept. 6, 2021" in english.body
    notices = Notification.objects.filter(user=staff["13.74"])
    assert [n.message for n in notices if "diperpanjang" in n.message]
    assert Notification.objects.filter(user=staff["13.73"]).count() == 0  # not a participant
    extension = RoundEvent.objects.get(round=round_, kind=RoundEventKind.EXTEND)
    assert (extension.from_deadline, extension.to_deadline) == (
        datetime.date(2021, 8, 30), datetime.date(2021, 9, 6)
    )  # fmt: skip


def test_an_earlier_deadline_is_no_extension_and_tells_nobody(
    client, bureau_sumbar, staff, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    client.post("/putaran/baru/", round_data("13.74"))
    round_ = Round.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/putaran/{round_.pk}/ubah/", round_data("13.74", deadline="2021-08-28"))
    round_.refresh_from_db()
    assert mail.outbox == [] and not round_.events.filter(kind=RoundEventKind.EXTEND).exists()
    assert round_.original_deadline == round_.deadline == datetime.date(2021, 8, 28)


def test_a_round_opened_over_the_api_tells_its_regencies_too(
    client, bureau_sumbar, staff, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    body = {"title": "Putaran API", "deadline": "2021-09-30", "participants": [regency("13.73").pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/rounds/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["original_deadline"] == "2021-09-30"
    assert set(outbox()) == {staff["13.73"].email}


def test_a_dropped_connection_is_retried_and_the_announcement_still_arrives(
    client, bureau_sumbar, staff, settings, django_capture_on_commit_callbacks
):
    from tests.replications.flaky_mail import DisconnectingBackend

    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.DisconnectingBackend"
    DisconnectingBackend.failures_left = 2
    client.force_login(bureau_sumbar)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/putaran/baru/", round_data("13.74"))
    finally:
        DisconnectingBackend.failures_left = 0
    assert set(outbox()) == {staff["13.74"].email}


def test_the_desk_lists_open_rounds_we_have_not_proposed_in_with_days_left_and_a_link(
    client, staff_padang_panjang
):
    waiting = RoundFactory(
        province=province("13"), title="Putaran Menunggu", deadline=datetime.date(2021, 8, 30)
    )
    proposed = RoundFactory(
        province=province("13"), title="Putaran Diusulkan", deadline=datetime.date(2021, 9, 9)
    )
    closed = RoundFactory(province=province("13"), title="Putaran Lewat", deadline=datetime.date(2021, 8, 19))
    for round_ in (waiting, proposed, closed):
        round_.participants.set([regency("13.74")])
    ProposalFactory(round=proposed, regency=regency("13.74"))
    client.force_login(staff_padang_panjang)
    page = client.get("/wilayah-saya/")
    assert [r.title for r in page.context["rounds_to_propose"]] == ["Putaran Menunggu"]
    html = page.content.decode()
    action = html[html.index('id="action-title"') : html.index('id="rounds-title"')]
    assert "Putaran Menunggu" in action and "10 hari lagi" in action
    assert f'href="/usulan/baru/?putaran={waiting.pk}"' in action
    assert "Putaran Diusulkan" not in action.split("Putaran Menunggu")[1] and "Putaran Lewat" not in html
    form = client.get(f"/usulan/baru/?putaran={waiting.pk}").content.decode()
    assert f'<option value="{waiting.pk}" selected>' in form


def test_a_round_changed_in_admin_is_recorded_and_announced_as_on_the_bureaus_form(
    client, national_admin, staff, django_capture_on_commit_callbacks
):
    round_ = RoundFactory(province=province("13"), fgd_date=None, deadline=datetime.date(2021, 8, 30))
    round_.participants.set([regency("13.74")])
    client.force_login(national_admin)
    data = {
        "province": province("13").pk, "title": round_.title, "fgd_date": "", "deadline": "2021-09-06",
        "original_deadline": "2021-08-30", "mentor": "", "notes": "", "reminder_offsets": "",
        "participants": [regency("13.74").pk, regency("13.77").pk],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/replications/round/{round_.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    kinds = sorted(RoundEvent.objects.filter(round=round_).values_list("kind", flat=True))
    assert kinds == sorted([RoundEventKind.JOIN, RoundEventKind.EXTEND])
    joined = RoundEvent.objects.get(round=round_, kind=RoundEventKind.JOIN)
    assert [r.code for r in joined.regencies.all()] == ["13.77"] and joined.actor == national_admin
    assert staff["13.77"].email in outbox() and staff["13.74"].email in outbox()  # joined; extended
