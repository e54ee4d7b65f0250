"""Reminders with a frozen clock: the right local days in WIB and WIT, only to who still has to act,
once per occasion, with offsets from the round or from admin, in the recipient's language."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import Role, UserPreference
from replications import services
from replications.models import (
    Notification,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Status,
)
from replications.reminders import save_scheduled
from tests.factories import member, province, regency
from tests.replications.reminder_helpers import (
    WIB,
    WIT,
    RoundFactory,
    add_milestone,
    local,
    submitted_proposal,
    sweep_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sumbar_round(staff_padang_panjang, staff_pariaman, bureau_sumbar):
    with time_machine.travel(local(WIB, 2021, 8, 1, 9), tick=False):
        round_ = RoundFactory(
            province=province("13"), title="Replikasi Inovasi Sumatera Barat 2021",
            deadline=datetime.date(2021, 8, 30),
        )  # fmt: skip
        round_.participants.set([regency("13.74"), regency("13.77")])
    return round_


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_sumbar_deadline_of_30_august_reminds_7_3_1_and_0_days_before_at_8_wib(sumbar_round):
    assert sweep_at(local(WIB, 2021, 8, 23, 7, 59)) == []
    first = sweep_at(local(WIB, 2021, 8, 23, 8, 0))
    assert recipients(first) == ["staf.padangpanjang@example.id", "staf.pariaman@example.id"]
    assert "7 hari lagi" in first[0].subject
    assert "30 Agustus 2021 pukul 23.59 WIB" in first[0].body
    assert sweep_at(local(WIB, 2021, 8, 23, 8, 5)) == []  # the next sweep sends nothing again
    assert sweep_at(local(WIB, 2021, 8, 26, 23, 0)) == []
    assert "3 hari lagi" in sweep_at(local(WIB, 2021, 8, 27, 8, 0))[0].subject
    assert "1 hari lagi" in sweep_at(local(WIB, 2021, 8, 29, 8, 0))[0].subject
    on_the_day = sweep_at(local(WIB, 2021, 8, 30, 8, 0))
    assert len(on_the_day) == 2 and "hari ini" in on_the_day[0].subject
    overdue = sweep_at(local(WIB, 2021, 8, 31, 8, 0))
    assert recipients(overdue) == ["biro.sumbar@example.id"]
    assert "Kota Padang Panjang" in overdue[0].body and "Kota Pariaman" in overdue[0].body
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 9


def test_papua_deadline_fires_on_the_wit_day_while_it_is_still_the_day_before_in_jakarta(db):
    staff = member("staf.jayapura", Role.REGIONAL_STAFF, regency_code="91.71")
    with time_machine.travel(local(WIT, 2021, 8, 1, 9), tick=False):
        round_ = RoundFactory(
            province=province("91"), title="Replikasi Papua 2021", deadline=datetime.date(2021, 8, 30)
        )
        round_.participants.set([regency("91.71")])
    assert "1 hari lagi" in sweep_at(local(WIT, 2021, 8, 29, 8, 0))[0].subject
    assert sweep_at(local(WIT, 2021, 8, 30, 7, 59)) == []
    on_the_day = sweep_at(local(WIT, 2021, 8, 30, 8, 0))  # 29 August, 06:00 WIB
    assert recipients(on_the_day) == [staff.email]
    assert "hari ini" in on_the_day[0].subject
    assert "30 Agustus 2021 pukul 23.59 WIT" in on_the_day[0].body
    assert Reminder.objects.latest("due_at").due_at == datetime.datetime(2021, 8, 29, 23, tzinfo=datetime.UTC)


def test_a_regency_that_submits_stops_receiving_deadline_reminders(sumbar_round):
    sweep_at(local(WIB, 2021, 8, 23, 8))
    submitted_proposal(sumbar_round, regency("13.74"))
    assert recipients(sweep_at(local(WIB, 2021, 8, 27, 8))) == ["staf.pariaman@example.id"]


def test_a_draft_or_returned_proposal_does_not_count_as_proposing(sumbar_round):
    submitted_proposal(sumbar_round, regency("13.74"), status=Status.RETURNED)
    assert len(sweep_at(local(WIB, 2021, 8, 23, 8))) == 2


def test_a_reminder_made_before_the_regency_submitted_is_cancelled_not_sent(sumbar_round):
    from replications import reminders

    with time_machine.travel(local(WIB, 2021, 8, 23, 8), tick=False):
        reminders.sweep()  # claimed, not yet sent (a worker would pick it up)
    submitted_proposal(sumbar_round, regency("13.74"))
    with time_machine.travel(local(WIB, 2021, 8, 23, 9), tick=False):
        for reminder in Reminder.objects.all():
            reminders.deliver(reminder.pk, str(reminder.claim_token))
    assert recipients(mail.outbox) == ["staf.pariaman@example.id"]
    cancelled = Reminder.objects.get(cancelled_at__isnull=False)
    assert cancelled.recipient.username == "staf.padangpanjang"


def test_offsets_changed_in_admin_take_effect(sumbar_round, national_admin, client):
    client.force_login(national_admin)
    with time_machine.travel(local(WIB, 2021, 8, 20, 9), tick=False):
        response = client.post(
            "/admin/replications/remindersettings/1/change/",
            {
                "deadline_offsets": "5,2",
                "review_after_days": "5",
                "milestone_offsets": "3,0,-1",
                "record_review_repeat_days": "30",
                "send_hour": "8",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReminderSettings.objects.get().deadline_offsets == [5, 2]
    assert sweep_at(local(WIB, 2021, 8, 23, 8)) == []  # 7 days before is no longer an occasion
    assert "5 hari lagi" in sweep_at(local(WIB, 2021, 8, 25, 8))[0].subject
    assert "2 hari lagi" in sweep_at(local(WIB, 2021, 8, 28, 8))[0].subject
    assert sweep_at(local(WIB, 2021, 8, 29, 8)) == []


def test_a_round_may_set_its_own_offsets(sumbar_round):
    with time_machine.travel(local(WIB, 2021, 8, 20, 9), tick=False):
        sumbar_round.reminder_offsets = [4]
        save_scheduled(sumbar_round)
    assert sweep_at(local(WIB, 2021, 8, 23, 8)) == []
    assert len(sweep_at(local(WIB, 2021, 8, 26, 8))) == 2


def test_a_sweep_that_was_down_sends_the_latest_occasion_only(sumbar_round):
    late = sweep_at(local(WIB, 2021, 8, 27, 15))  # nothing ran on the 23rd; the 3-day one is still fresh
    assert len(late) == 2 and all("3 hari lagi" in message.subject for message in late)


def test_review_waiting_reminds_the_bureau_after_five_days_once(sumbar_round, bureau_sumbar):
    with time_machine.travel(local(WIB, 2021, 8, 24, 10), tick=False):
        proposal = submitted_proposal(
            sumbar_round, regency("13.74"), submitted_at=local(WIB, 2021, 8, 24, 10)
        )
    assert [m for m in sweep_at(local(WIB, 2021, 8, 29, 9, 59)) if "tinjauan" in m.subject] == []
    waiting = sweep_at(local(WIB, 2021, 8, 29, 10, 0))
    assert [m.to for m in waiting if "menunggu tinjauan" in m.subject] == [[bureau_sumbar.email]]
    assert f"/usulan/{proposal.pk}/" in waiting[0].body
    assert [m for m in sweep_at(local(WIB, 2021, 9, 5, 10, 0)) if "tinjauan" in m.subject] == []


def test_milestones_remind_three_days_before_on_the_day_and_when_overdue(sumbar_round, staff_padang_panjang):
    with time_machine.travel(local(WIB, 2021, 9, 1, 9), tick=False):
        proposal = submitted_proposal(sumbar_round, regency("13.74"), status=Status.IMPLEMENTING)
        add_milestone(proposal, "Pelatihan kader", datetime.date(2021, 10, 10))
    subjects = [message.subject for day in [7, 10, 11] for message in sweep_at(local(WIB, 2021, 10, day, 8))]
    assert subjects == [
        "[Replikasi] Tahapan “Pelatihan kader” jatuh tempo 10 Oktober 2021 (3 hari lagi)",
        "[Replikasi] Tahapan “Pelatihan kader” jatuh tempo 10 Oktober 2021 (hari ini)",
        "[Replikasi] Tahapan “Pelatihan kader” jatuh tempo 10 Oktober 2021 (terlambat 1 hari)",
    ]


def test_a_milestone_marked_done_is_not_reminded(sumbar_round):
    with time_machine.travel(local(WIB, 2021, 9, 1, 9), tick=False):
        proposal = submitted_proposal(sumbar_round, regency("13.74"), status=Status.IMPLEMENTING)
        milestone = add_milestone(proposal, "Peluncuran", datetime.date(2021, 10, 10))
        services.complete_milestone(milestone, on=datetime.date(2021, 9, 1))
    assert sweep_at(local(WIB, 2021, 10, 10, 8)) == []


def test_a_user_who_turned_a_kind_off_does_not_get_it(sumbar_round, bureau_sumbar):
    NotificationPreference.objects.create(user=bureau_sumbar, overdue_summary=False)
    assert sweep_at(local(WIB, 2021, 8, 31, 8)) == []


def test_the_deadline_reminder_cannot_be_turned_off(sumbar_round, staff_padang_panjang):
    preference = NotificationPreference.objects.create(user=staff_padang_panjang, milestone_due=False)
    assert preference.wants(ReminderKind.ROUND_DEADLINE)
    assert len(sweep_at(local(WIB, 2021, 8, 30, 8))) == 2


def test_reminders_come_in_the_recipients_language_as_html_and_text(sumbar_round, staff_pariaman):
    UserPreference.objects.create(user=staff_pariaman, language="en")
    messages = {m.to[0]: m for m in sweep_at(local(WIB, 2021, 8, 23, 8))}
    english, indonesian = messages[staff_pariaman.email], messages["staf.padangpanjang@example.id"]
    assert "7 days left" in english.subject and "30 August 2021, 23:59 WIB" in english.body
    assert "7 hari lagi" in indonesian.subject
    html, mimetype = indonesian.alternatives[0]
    assert mimetype == "text/html" and "http://testserver/usulan/baru/" not in html
    assert "/usulan/baru/" in html and "<strong>Replikasi Inovasi Sumatera Barat 2021</strong>" in html


def test_each_reminder_has_a_stable_message_id_and_an_in_app_notification(sumbar_round, staff_pariaman):
    sweep_at(local(WIB, 2021, 8, 23, 8))
    reminder = Reminder.objects.get(recipient=staff_pariaman)
    message = next(m for m in mail.outbox if m.to == [staff_pariaman.email])
    assert message.extra_headers["Message-ID"].startswith("<reminder.")
    from replications.reminders import message_id

    assert message.extra_headers["Message-ID"] == message_id(reminder.key)
    notice = Notification.objects.get(user=staff_pariaman)
    assert notice.url == "/usulan/baru/" and "belum mengajukan usulan" in notice.message


def test_a_user_turns_off_a_kind_on_the_settings_page_and_it_stops(client, sumbar_round, bureau_sumbar):
    client.force_login(bureau_sumbar)
    page = client.get("/notifikasi/pengaturan/").content.decode()
    assert "Batas waktu usulan putaran (selalu dikirim)" in page
    response = client.post("/notifikasi/pengaturan/", {"review_waiting": "on", "milestone_due": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=bureau_sumbar)
    assert not preference.overdue_summary and preference.review_waiting
    assert sweep_at(local(WIB, 2021, 8, 31, 8)) == []


def test_the_settings_page_needs_a_signed_in_user(client):
    assert client.get("/notifikasi/pengaturan/").url.startswith("/accounts/login/")


def test_an_object_whose_reminders_fail_to_prepare_does_not_stop_the_sweep(sumbar_round, monkeypatch, caplog):
    from replications.reminders import materialise

    with time_machine.travel(local(WIB, 2021, 9, 1, 9), tick=False):
        proposal = submitted_proposal(sumbar_round, regency("13.74"), status=Status.IMPLEMENTING)
        broken, fine = (
            add_milestone(proposal, title, datetime.date(2021, 10, 10))
            for title in ["Rusak", "Pelatihan kader"]
        )
    real = materialise.milestone_rows

    def failing(milestone, *args):
        if milestone.pk == broken.pk:
            raise ValueError("a bad row")
        return real(milestone, *args)

    monkeypatch.setattr(materialise, "milestone_rows", failing)
    sent = sweep_at(local(WIB, 2021, 10, 7, 8))
    assert [m.subject for m in sent] == [
        "[Replikasi] Tahapan “Pelatihan kader” jatuh tempo 10 Oktober 2021 (3 hari lagi)"
    ]
    assert "a bad row" in caplog.text
    broken.refresh_from_db()
    assert broken.next_reminder_at == local(WIB, 2021, 10, 7, 9)


def test_a_late_reminder_counts_the_days_left_from_when_it_goes_out(sumbar_round):
    from replications import reminders

    with time_machine.travel(local(WIB, 2021, 8, 23, 8), tick=False):
        claims = reminders.sweep().claimed  # the seven-days-before occasion
    with time_machine.travel(local(WIB, 2021, 8, 24, 7), tick=False):  # a worker sends it the next morning
        for reminder_id, token in claims:
            reminders.deliver(reminder_id, token)
    assert all("6 hari lagi" in message.subject for message in mail.outbox) and len(mail.outbox) == 2


def test_a_deadline_changed_in_admin_moves_the_next_reminder(sumbar_round, national_admin, client):
    client.force_login(national_admin)
    data = {
        "province": sumbar_round.province_id, "title": sumbar_round.title,
        "fgd_date": sumbar_round.fgd_date.isoformat() if sumbar_round.fgd_date else "",
        "deadline": "2021-09-30", "original_deadline": sumbar_round.original_deadline.isoformat(),
        "mentor": "", "notes": "", "reminder_offsets": "",
        "participants": [regency.pk for regency in sumbar_round.participants.all()],
    }  # fmt: skip
    with time_machine.travel(local(WIB, 2021, 8, 20, 9), tick=False):
        response = client.post(f"/admin/replications/round/{sumbar_round.pk}/change/", data)
    assert response.status_code == 302
    sumbar_round.refresh_from_db()
    assert sumbar_round.next_reminder_at == local(WIB, 2021, 9, 23, 8)
