"""Sending one claimed reminder exactly once, and what happens when sending fails."""

from __future__ import annotations

import datetime
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Role
from innovations.models import REVIEW_INTERVAL_DAYS

from .. import notifications
from ..models import (
    NotificationPreference,
    Reminder,
    ReminderKind,
    Status,
)
from .materialise import regencies_without_proposal
from .messages import compose

SENT, CANCELLED, NOT_OURS = "sent", "cancelled", "not ours"


def deliver(reminder_id: int, token: str) -> str:
    """Send one claimed reminder; SENT, CANCELLED (no longer needed) or NOT_OURS (claim lost or done).

    Raises whatever the mail backend raises; the caller records the failure and retries.
    """
    now = timezone.now()
    taken = (
        Reminder.objects.open()
        .filter(pk=reminder_id, claim_token=token)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not taken:
        return NOT_OURS
    reminder = Reminder.objects.select_related(
        "recipient", "round__province", "proposal__round__province", "proposal__regency",
        "proposal__innovation", "milestone", "innovation",
    ).get(pk=reminder_id)  # fmt: skip
    reason = obsolete(reminder)
    if reason:
        Reminder.objects.filter(pk=reminder_id, claim_token=token).update(cancelled_at=now, last_error=reason)
        return CANCELLED
    message = compose(reminder)
    if reminder.recipient.email:
        send_now(message.email)
    with transaction.atomic():
        marked = (
            Reminder.objects.open()
            .filter(pk=reminder_id, claim_token=token)
            .update(sent_at=timezone.now(), last_error="")
        )
        if marked:
            notifications.add(
                reminder.recipient, message.summary, proposal=reminder.proposal, url=message.url
            )
    return SENT if marked else NOT_OURS


def send_now(email: EmailMultiAlternatives) -> None:
    """Send on a connection of our own. After an error, or the task's soft time limit, the socket is
    dropped at once: a polite QUIT would wait again on a server that hangs."""
    connection = get_connection()
    connection.open()
    try:
        connection.send_messages([email])
    except BaseException:
        smtp = getattr(connection, "connection", None)
        if smtp is not None:
            smtp.close()
            connection.connection = None
        raise
    connection.close()


def is_permanent(error: BaseException) -> bool:
    """An SMTP 5xx: the server refused for good (550 no such user); sending again would be refused again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def record_failure(reminder_id: int, token: str, error: BaseException, *, final: bool) -> None:
    """Keep the error; the claim stays with the retrying task (back in the queue, so its clock stops), or
    is released when the row fails for good."""
    now = timezone.now()
    changes = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
    if final:
        changes.update(failed_at=now, claimed_at=None, claim_token=None)
    else:
        changes.update(queued_at=now, claimed_at=None)
    Reminder.objects.open().filter(pk=reminder_id, claim_token=token).update(**changes)


def release(reminder_id: int, token: str, error: BaseException) -> None:
    """Give a claim back after a failed send outside Celery (the command): the next sweep tries again."""
    Reminder.objects.open().filter(pk=reminder_id, claim_token=token).update(
        last_error=f"{type(error).__name__}: {error}"[:2000], claimed_at=None, claim_token=None
    )


def obsolete(reminder: Reminder) -> str:
    """Why a reminder is no longer worth sending, or "" when it still is."""
    user = reminder.recipient
    if not user.is_active:
        return "recipient inactive"
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference and not preference.wants(reminder.kind):
        return "turned off by the recipient"
    if reminder.kind == ReminderKind.ROUND_DEADLINE:
        regency_ids = Membership.objects.filter(user=user, role=Role.REGIONAL_STAFF).values("regency")
        if not regencies_without_proposal(reminder.round).filter(pk__in=regency_ids).exists():
            return "the regency has proposed"
    if reminder.kind == ReminderKind.REVIEW_WAITING and reminder.proposal.status != Status.SUBMITTED:
        return "the proposal has been reviewed"
    if reminder.kind == ReminderKind.MILESTONE_DUE and (
        reminder.milestone.done_on is not None or reminder.proposal.status not in Status.IN_IMPLEMENTATION
    ):
        return "the milestone is done or the replication has stopped"
    if reminder.kind == ReminderKind.RECORD_REVIEW:
        innovation = reminder.innovation
        reviewed = innovation.last_reviewed_on or timezone.localdate(innovation.created_at)
        if reviewed > timezone.localdate(reminder.due_at) - datetime.timedelta(days=REVIEW_INTERVAL_DAYS):
            return "the record has been reviewed"
        if not Membership.objects.filter(
            user=user, role=Role.INNOVATOR, agency=innovation.owner_agency_id
        ).exists():
            return "the recipient is no longer an innovator of the owner agency"
    return ""
