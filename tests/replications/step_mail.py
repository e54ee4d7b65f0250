"""Life-cycle and round emails in tests: the task a committed step or round event enqueues runs in the test's own process (through
Celery's ``apply``, retries included) instead of going to the broker, so a test that runs the on_commit
callbacks finds the emails in ``mail.outbox``."""

import pytest


@pytest.fixture(autouse=True)
def step_emails_sent_in_process(monkeypatch):
    from replications.tasks import send_round_email, send_step_email

    for task in (send_step_email, send_round_email):
        monkeypatch.setattr(task, "apply_async", lambda args, task=task, **options: task.apply(args))
