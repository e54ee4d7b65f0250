"""Celery tasks of the replication programme: the reminder sweep (beat), the sending of one reminder, and
the email about one life-cycle step, or one round event (opened, regencies added, deadline extended), to
one recipient.

The sweep is scheduled in the database (django-celery-beat, entry "replications: sapuan pengingat",
created by a migration, editable in admin). Reminders days ahead live as rows, never as countdowns.
"""

from __future__ import annotations

import logging

from celery import current_app, shared_task
from django.conf import settings

from core.retries import retry_delay

from . import notifications, reminders

logger = logging.getLogger(__name__)


def enqueue_sends(claims: list[tuple[int, str]]) -> None:
    """One send task per claim, published over one broker connection. The time limits travel in each
    message: an SMTP server that hangs never blocks a worker for long."""
    with current_app.producer_or_acquire() as producer:
        for reminder_id, token in claims:
            send_reminder.apply_async(
                (reminder_id, token),
                queue=settings.REMINDER_QUEUE,
                soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
                time_limit=settings.CELERY_TASK_TIME_LIMIT,
                producer=producer,
            )


@shared_task(
    name="replications.sweep_reminders",
    soft_time_limit=settings.REMINDER_SWEEP_SOFT_TIME_LIMIT,
    time_limit=settings.REMINDER_SWEEP_TIME_LIMIT,
)
def sweep_reminders(limit: int = 5000) -> dict:
    """Materialise what is due and hand each claimed reminder to a send task once the claim commits.

    On its own queue (REMINDER_SWEEP_QUEUE, CELERY_TASK_ROUTES) with its own time limits: a long queue of
    sends never delays the sweep, and the sends' short limits never cut a large sweep short."""
    result = reminders.sweep(limit=limit, enqueue=enqueue_sends)
    summary = {
        "rounds": result.rounds,
        "proposals": result.proposals,
        "milestones": result.milestones,
        "claimed": len(result.claimed),
    }
    logger.info("reminder sweep: %s", summary)
    return summary


@shared_task(bind=True, name="replications.send_reminder", max_retries=settings.REMINDER_MAX_RETRIES)
def send_reminder(self, reminder_id: int, token: str) -> str:
    """Send one claimed reminder; on failure retry with exponential backoff and jitter, then mark it failed.

    Any error counts (an SMTP server that disconnects or hangs past the soft time limit, a template error):
    the row stays unsent and keeps its last error, so nothing is lost silently. A permanent SMTP refusal
    (5xx, e.g. 550 no such user) is not retried: the row is failed at once (admin).
    """
    try:
        return reminders.deliver(reminder_id, token)
    except Exception as error:
        final = self.request.retries >= self.max_retries or reminders.is_permanent(error)
        reminders.record_failure(reminder_id, token, error, final=final)
        if final:
            logger.error(
                "reminder %s failed for good after %d attempts: %r",
                reminder_id,
                self.request.retries + 1,
                error,
            )
            return "failed"
        delay = retry_delay(self.request.retries)
        logger.warning(
            "reminder %s: %r; retry %d in %.1f s", reminder_id, error, self.request.retries + 1, delay
        )
        raise self.retry(exc=error, countdown=delay, queue=settings.REMINDER_QUEUE) from error


def enqueue_emails(task, event_id: int, user_ids: list[int]) -> None:
    """One email task per recipient of a committed event, on the queue the reminder workers read."""
    for user_id in user_ids:
        task.apply_async(
            (event_id, user_id),
            queue=settings.REMINDER_QUEUE,
            soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
            time_limit=settings.CELERY_TASK_TIME_LIMIT,
        )


def email_with_retries(task, what: str, send, event_id: int, user_id: int) -> str:
    """``send(event_id, user_id)``; on failure retry with exponential backoff and jitter, then give up
    with an error in the log (the in-app notification was written with the event)."""
    try:
        return send(event_id, user_id)
    except Exception as error:
        attempt = task.request.retries + 1
        if task.request.retries >= task.max_retries:
            logger.error(
                "%s %s to user %s failed for good after %d attempts: %r",
                what,
                event_id,
                user_id,
                attempt,
                error,
            )
            return "failed"
        delay = retry_delay(task.request.retries)
        logger.warning(
            "%s %s to user %s: %r; retry %d in %.1f s", what, event_id, user_id, error, attempt, delay
        )
        raise task.retry(exc=error, countdown=delay, queue=settings.REMINDER_QUEUE) from error


def enqueue_step_emails(event_id: int, user_ids: list[int]) -> None:
    enqueue_emails(send_step_email, event_id, user_ids)


@shared_task(bind=True, name="replications.send_step_email", max_retries=settings.REMINDER_MAX_RETRIES)
def send_step_email(self, event_id: int, user_id: int) -> str:
    """Email one recipient about one step of a proposal's life cycle."""
    return email_with_retries(self, "step email", notifications.email_step, event_id, user_id)


def enqueue_round_emails(event_id: int, user_ids: list[int]) -> None:
    enqueue_emails(send_round_email, event_id, user_ids)


@shared_task(bind=True, name="replications.send_round_email", max_retries=settings.REMINDER_MAX_RETRIES)
def send_round_email(self, event_id: int, user_id: int) -> str:
    """Email one regency staff member about a round event (opened, regencies added, extended)."""
    return email_with_retries(self, "round email", notifications.email_round, event_id, user_id)
