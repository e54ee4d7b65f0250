"""Exactly once under faults, in process: two sweeps at once, a flaky SMTP server, a rolled-back
transaction, a worker that died holding a claim, a cache that is down."""

import datetime
import logging
import re
import threading
import uuid

import pytest
import redis
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction

from replications import notifications, reminders
from replications.models import Notification, Reminder
from replications.tasks import send_reminder, sweep_reminders
from tests.factories import member, province, regency
from tests.replications.flaky_mail import DisconnectingBackend
from tests.replications.reminder_helpers import WIB, RoundFactory, local

SEVEN_DAYS_BEFORE = local(WIB, 2021, 8, 23, 8, 0)
CLOSED_PORT = "redis://127.0.0.1:6390/0"


def sumbar_round_with_staff():
    from accounts.models import Role

    for username, code in [
        ("staf.padangpanjang", "13.74"),
        ("staf.pariaman", "13.77"),
        ("staf.bukittinggi", "13.75"),
    ]:
        member(username, Role.REGIONAL_STAFF, regency_code=code)
    with time_machine.travel(local(WIB, 2021, 8, 1, 9), tick=False):
        round_ = RoundFactory(province=province("13"), deadline=datetime.date(2021, 8, 30))
        round_.participants.set([regency("13.74"), regency("13.77"), regency("13.75")])
    return round_


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_email_per_reminder(reference_data):
    sumbar_round_with_staff()
    start = threading.Barrier(2)
    errors = []

    def sweep_and_send():
        try:
            start.wait()
            with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
                result = reminders.sweep()
                for reminder_id, token in result.claimed:
                    reminders.deliver(reminder_id, token)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_and_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [
        "staf.bukittinggi@example.id", "staf.padangpanjang@example.id", "staf.pariaman@example.id",
    ]  # fmt: skip
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_a_send_that_disconnects_twice_is_retried_with_growing_delays_then_sent_once(settings, caplog):
    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.DisconnectingBackend"
    DisconnectingBackend.failures_left = 2
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        claimed = reminders.sweep().claimed
    reminder_id, token = claimed[0]
    with caplog.at_level(logging.WARNING, logger="replications.tasks"):
        outcome = send_reminder.apply(args=(reminder_id, token)).get()
    assert outcome == "sent"
    delays = [float(d) for d in re.findall(r"retry \d in ([0-9.]+) s", caplog.text)]
    assert len(delays) == 2 and delays[0] < delays[1]
    assert "SMTPServerDisconnected" in caplog.text
    reminder = Reminder.objects.get(pk=reminder_id)
    assert reminder.sent_at is not None and reminder.attempts == 3 and reminder.last_error == ""
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_the_last_retry_the_reminder_is_failed_and_shown_as_failed_in_admin(
    settings, client, national_admin
):
    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.DisconnectingBackend"
    DisconnectingBackend.failures_left = 100
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        reminder_id, token = reminders.sweep().claimed[0]
    assert send_reminder.apply(args=(reminder_id, token)).get() == "failed"
    reminder = Reminder.objects.get(pk=reminder_id)
    assert reminder.sent_at is None and reminder.failed_at is not None
    assert reminder.attempts == settings.REMINDER_MAX_RETRIES + 1
    assert mail.outbox == []
    client.force_login(national_admin)
    page = client.get("/admin/replications/reminder/?keadaan=failed").content.decode()
    assert reminder.key in page and "SMTPServerDisconnected" in page
    client.post("/admin/replications/reminder/", {"action": "send_again", "_selected_action": [reminder_id]})
    DisconnectingBackend.failures_left = 0
    with time_machine.travel(SEVEN_DAYS_BEFORE + datetime.timedelta(minutes=5), tick=False):
        again = reminders.sweep().claimed
    assert [r for r, _token in again] == [reminder_id]
    assert reminders.deliver(*again[0]) == reminders.SENT


@pytest.mark.django_db(transaction=True)
def test_a_reminder_enqueued_in_a_transaction_that_rolls_back_is_never_sent(reference_data, settings):
    settings.REMINDER_QUEUE = f"test-reminders-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(settings.REDIS_URL)
    sumbar_round_with_staff()
    try:
        with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
            with pytest.raises(RuntimeError), transaction.atomic():
                sweep_reminders.apply()
                assert Reminder.objects.count() == 3
                raise RuntimeError("the surrounding work failed")
            assert Reminder.objects.count() == 0
            assert broker.llen(settings.REMINDER_QUEUE) == 0
            sweep_reminders.apply()  # committed this time: three send tasks on the broker
        assert broker.llen(settings.REMINDER_QUEUE) == 3
    finally:
        broker.delete(settings.REMINDER_QUEUE)


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_up_after_the_timeout_and_sent_once(settings):
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        first_claims = dict(reminders.sweep().claimed)
        # A worker takes them up (the claim clock starts), then dies before sending.
        Reminder.objects.filter(pk__in=first_claims).update(claimed_at=SEVEN_DAYS_BEFORE)
    with time_machine.travel(SEVEN_DAYS_BEFORE + datetime.timedelta(seconds=60), tick=False):
        assert reminders.sweep().claimed == []  # a live claim is left alone
    later = SEVEN_DAYS_BEFORE + datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        second_claims = dict(reminders.sweep().claimed)
        assert second_claims.keys() == first_claims.keys()
        for reminder_id, token in second_claims.items():
            assert reminders.deliver(reminder_id, token) == reminders.SENT
        for reminder_id, token in first_claims.items():  # the old task redelivered by the broker
            assert reminders.deliver(reminder_id, token) == reminders.NOT_OURS
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_retried_send_task_after_success_sends_nothing_more():
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        reminder_id, token = reminders.sweep().claimed[0]
    assert send_reminder.apply(args=(reminder_id, token)).get() == reminders.SENT
    assert send_reminder.apply(args=(reminder_id, token)).get() == reminders.NOT_OURS
    assert len(mail.outbox) == 1


@pytest.fixture
def cache_down(settings):
    def down():
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}
        }

    return down


@pytest.mark.django_db(transaction=True)
def test_a_reminder_sent_while_the_cache_is_down_is_marked_sent_once_with_its_notification(
    reference_data, cache_down, caplog
):
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        claimed = reminders.sweep().claimed
    cache_down()
    with caplog.at_level(logging.WARNING, logger="core.caching"):
        outcomes = [send_reminder.apply(args=claim).get() for claim in claimed]
    assert outcomes == ["sent", "sent", "sent"]
    assert len(mail.outbox) == 3
    assert Reminder.objects.filter(sent_at__isnull=False, last_error="").count() == 3
    assert Notification.objects.count() == 3
    assert "cache" in caplog.text and "ConnectionError" in caplog.text
    for claim in claimed:  # the broker redelivers: nothing more is sent
        assert send_reminder.apply(args=claim).get() == reminders.NOT_OURS
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_unread_count_is_dropped_after_commit_not_before(reference_data, staff_padang_panjang):
    key = notifications.unread_key(staff_padang_panjang.pk)
    assert notifications.unread_count(staff_padang_panjang) == 0
    with transaction.atomic():
        notifications.add(staff_padang_panjang, "Pengingat")
        assert cache.get(key) == 0  # not yet: the row is not committed
    assert cache.get(key) is None
    assert notifications.unread_count(staff_padang_panjang) == 1


@pytest.mark.django_db
def test_a_send_waiting_in_the_queue_past_the_claim_timeout_is_not_claimed_again(settings):
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        queued = dict(reminders.sweep().claimed)
    assert Reminder.objects.filter(claimed_at__isnull=True, queued_at=SEVEN_DAYS_BEFORE).count() == 3
    later = SEVEN_DAYS_BEFORE + datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        assert reminders.sweep().claimed == []  # still waiting for a worker: not a dead worker's claim
        for reminder_id, token in queued.items():  # a worker reaches them at last
            assert reminders.deliver(reminder_id, token) == reminders.SENT
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_queued_send_the_broker_lost_is_claimed_again_after_the_queue_timeout(settings):
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        lost = dict(reminders.sweep().claimed)
    later = SEVEN_DAYS_BEFORE + datetime.timedelta(seconds=settings.REMINDER_QUEUE_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        again = dict(reminders.sweep().claimed)
        assert again.keys() == lost.keys()
        for reminder_id, token in again.items():
            assert reminders.deliver(reminder_id, token) == reminders.SENT
        for reminder_id, token in lost.items():
            assert reminders.deliver(reminder_id, token) == reminders.NOT_OURS
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_permanent_smtp_refusal_is_failed_at_once_without_retries_and_shown_in_admin(
    settings, client, national_admin, caplog
):
    from tests.replications.flaky_mail import RefusingBackend

    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.RefusingBackend"
    RefusingBackend.refused = {"staf.pariaman@example.id"}
    try:
        sumbar_round_with_staff()
        with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
            claimed = reminders.sweep().claimed
        with caplog.at_level(logging.WARNING, logger="replications.tasks"):
            outcomes = sorted(send_reminder.apply(args=claim).get() for claim in claimed)
    finally:
        RefusingBackend.refused = set()
    assert outcomes == ["failed", "sent", "sent"]
    assert "retry" not in caplog.text
    refused = Reminder.objects.get(recipient__username="staf.pariaman")
    assert refused.failed_at is not None and refused.attempts == 1 and refused.sent_at is None
    assert "550" in refused.last_error
    client.force_login(national_admin)
    page = client.get("/admin/replications/reminder/?keadaan=failed").content.decode()
    assert refused.key in page and "550" in page


@pytest.mark.django_db
def test_a_temporary_smtp_refusal_is_retried(settings, caplog):
    import smtplib

    from tests.replications import flaky_mail

    class Busy(flaky_mail.DisconnectingBackend):
        def send_messages(self, messages):
            if flaky_mail.DisconnectingBackend.failures_left > 0:
                flaky_mail.DisconnectingBackend.failures_left -= 1
                raise smtplib.SMTPRecipientsRefused({m.to[0]: (451, b"try again later") for m in messages})
            return super().send_messages(messages)

    flaky_mail.Busy = Busy
    settings.EMAIL_BACKEND = "tests.replications.flaky_mail.Busy"
    flaky_mail.DisconnectingBackend.failures_left = 1
    sumbar_round_with_staff()
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        claim = reminders.sweep().claimed[0]
    with caplog.at_level(logging.WARNING, logger="replications.tasks"):
        assert send_reminder.apply(args=claim).get() == "sent"
    assert "retry 1" in caplog.text


def test_the_sweep_has_its_own_queue_and_time_limits(settings):
    from replikasi.celery import app

    assert settings.REMINDER_SWEEP_QUEUE != settings.REMINDER_QUEUE
    route = app.amqp.router.route({}, "replications.sweep_reminders")
    assert route["queue"].name == settings.REMINDER_SWEEP_QUEUE
    assert sweep_reminders.soft_time_limit == settings.REMINDER_SWEEP_SOFT_TIME_LIMIT
    assert sweep_reminders.time_limit == settings.REMINDER_SWEEP_TIME_LIMIT
    assert settings.REMINDER_SWEEP_TIME_LIMIT > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.django_db
def test_the_sweeps_beat_entry_follows_the_sweeps_route():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="replications.sweep_reminders")
    assert not entry.queue  # routed by CELERY_TASK_ROUTES to the sweep's queue


@pytest.mark.django_db(transaction=True)
def test_a_write_that_bumps_cache_versions_commits_while_the_cache_is_down(
    reference_data, cache_down, caplog
):
    round_ = sumbar_round_with_staff()
    cache_down()
    with caplog.at_level(logging.WARNING, logger="core.caching"):
        round_.title = "Putaran yang diganti namanya"
        round_.save()  # bumps the rounds version, now and after commit
    assert "not bumped" in caplog.text
    round_.refresh_from_db()
    assert round_.title == "Putaran yang diganti namanya"
