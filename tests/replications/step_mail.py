"""Life-cycle emails in tests: the task a committed step enqueues runs in the test's own process (through
Celery's ``apply``, retries included) instead of going to the broker, so a test that runs the on_commit
callbacks finds the emails in ``mail.outbox``."""

import pytest


@pytest.fixture(autouse=True)
def step_emails_sent_in_process(monkeypatch):
    from replications.tasks import send_step_email

    monkeypatch.setattr(send_step_email, "apply_async", lambda args, **options: send_step_email.apply(args))
