"""Records stay fresh: an innovation not reviewed for a year reminds its innovators, in their
language, exactly once per occasion, then again at the configured interval until it is reviewed;
confirming "still accurate" counts as a review. The profile marks records older than two years."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import Role, UserPreference
from replications import reminders
from replications.models import Reminder, ReminderKind
from replications.reminders.schedule import reminder_settings
from replications.tasks import send_reminder
from tests.factories import member
from tests.replications.flaky_mail import DisconnectingBackend
from tests.replications.reminder_helpers import WIB, local, sweep_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def innovators(gigi):
    sari = member("sari.dinkes", Role.INNOVATOR, agency=gigi.owner_agency)
    budi = member("budi.dinkes", Role.INNOVATOR, agency=gigi.owner_agency)
    UserPreference.objects.create(user=budi, language="en")
    for user in (sari, budi):
        user.email = f"{user.username}@padangpanjang.example"
        user.save()
    return sari, budi


def test_a_record_a_year_old_reminds_each_innovator_once_in_their_language(gigi, innovators):
    assert sweep_at(local(WIB, 2026, 2, 28, 9)) == []  # not a year yet
    sent = sweep_at(local(WIB, 2026, 3, 1, 9))
    by_address = {message.to[0]: message for message in sent}
    assert set(by_address) == {"sari.dinkes@padangpanjang.example", "budi.dinkes@padangpanjang.example"}
    assert by_address["sari.dinkes@padangpanjang.example"].subject == (
        "[Replikasi] Tinjau catatan inovasi Menyeting Gigi Emas"
    )
    assert "last reviewed 1 March 2025" in by_address["budi.dinkes@padangpanjang.example"].body
    assert "/inovasi-saya/" in by_address["budi.dinkes@padangpanjang.example"].body
    assert sweep_at(local(WIB, 2026, 3, 1, 10)) == []  # a second sweep: nothing new
    assert sweep_at(local(WIB, 2026, 3, 15, 9)) == []  # before the repeat interval


def test_it_repeats_at_the_configured_interval_until_reviewed(client, gigi, innovators):
    config = reminder_settings()
    config.record_review_repeat_days = 14
    config.save()
    assert len(sweep_at(local(WIB, 2026, 3, 1, 9))) == 2
    assert len(sweep_at(local(WIB, 2026, 3, 15, 9))) == 2  # fourteen days later, again
    sari, _budi = innovators
    client.force_login(sari)
    with time_machine.travel(local(WIB, 2026, 3, 20, 9), tick=False):
        client.post("/inovasi/menyeting-gigi-emas/masih-akurat/")
    gigi.refresh_from_db()
    assert gigi.last_reviewed_on == datetime.date(2026, 3, 20)
    assert (
        gigi.history.order_by("-history_id").first().history_change_reason
        == "Dikonfirmasi masih akurat oleh inovator"
    )
    assert sweep_at(local(WIB, 2026, 3, 29, 9)) == []  # reviewed: quiet for a year
    assert len(sweep_at(local(WIB, 2027, 3, 20, 9))) == 2


def test_a_waiting_reminder_of_a_record_reviewed_meanwhile_is_cancelled(gigi, innovators):
    with time_machine.travel(local(WIB, 2026, 3, 1, 9), tick=False):
        claimed = reminders.sweep().claimed
    gigi.last_reviewed_on = datetime.date(2026, 3, 1)
    gigi.save()
    outcomes = {send_reminder.apply(args=claim).get() for claim in claimed}
    assert outcomes == {"cancelled"} and mail.outbox == []


def test_a_retried_send_delivers_the_review_reminder_once(settings, gigi, innovators):
    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.DisconnectingBackend"
    DisconnectingBackend.failures_left = 1
    with time_machine.travel(local(WIB, 2026, 3, 1, 9), tick=False):
        claimed = reminders.sweep().claimed
        assert sorted(send_reminder.apply(args=claim).get() for claim in claimed) == ["sent", "sent"]
        assert reminders.sweep().claimed == []
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(kind=ReminderKind.RECORD_REVIEW, sent_at__isnull=False).count() == 2


def test_the_profile_marks_a_record_not_reviewed_for_two_years(client, gigi):
    with time_machine.travel(local(WIB, 2027, 3, 2, 9), tick=False):
        page = client.get("/inovasi/menyeting-gigi-emas/").content.decode()
    assert "mungkin sudah tidak mutakhir" in page
    with time_machine.travel(local(WIB, 2026, 3, 2, 9), tick=False):
        page = client.get("/inovasi/menyeting-gigi-emas/").content.decode()
    assert "mungkin sudah tidak mutakhir" not in page
