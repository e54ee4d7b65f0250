"""Reminders (pengingat): what is due, claimed, then sent exactly once (claim, then act).

1. Rounds, proposals and milestones carry ``next_reminder_at``: the instant their next reminder
   occasion falls due, set by every write that changes their dates or status (``save_scheduled``,
   called by the services, admin and demo data; schedule.py) and advanced when the sweep materialises
   an occasion (materialise.py). The sweep reads only rows whose ``next_reminder_at`` has passed, through
   partial indexes, so its cost grows with what is due, not with the tables.
2. Materialising an occasion inserts one ``Reminder`` per recipient under a unique key
   (kind:object:occasion:recipient) with INSERT … ON CONFLICT DO NOTHING: a second sweep, a second beat
   process or a retried task inserts nothing new.
3. The sweep claims due open reminders (UPDATE … FOR UPDATE SKIP LOCKED, a fresh claim token each) and
   enqueues one send task per claim after its transaction commits.
4. ``deliver`` (delivery.py; the message is composed in messages.py) goes on only while the claim
   token is still the row's, starts the claim clock (``claimed_at``), sends, then marks the row sent in
   the transaction that writes the in-app notification. A failed send keeps the claim for the task's
   retry; after the last retry, or at once for a permanent SMTP refusal (5xx), the row is marked failed
   (admin). A send started longer ago than REMINDER_CLAIM_TIMEOUT was left by a dead worker, one queued
   longer ago than REMINDER_QUEUE_TIMEOUT and never started was lost by the broker: the next sweep claims
   either again with a new token. Waiting in the queue never counts against the claim.

The one window no system closes (killed after the mail server accepted the message, before the row is
marked) yields at most one duplicate, and it carries the same ``Message-ID`` (from the key).
"""

from .delivery import (
    CANCELLED,
    NOT_OURS,
    SENT,
    deliver,
    is_permanent,
    obsolete,
    record_failure,
    release,
    send_now,
)
from .materialise import (
    BATCH,
    SweepResult,
    claim_due,
    due_rows,
    milestone_rows,
    regencies_without_proposal,
    sweep,
)
from .messages import compose, message_id
from .schedule import (
    STALE_AFTER,
    reminder_settings,
    reschedule_everything,
    save_scheduled,
    schedule,
    schedule_milestone,
    schedule_proposal,
    schedule_round,
)

__all__ = [
    "BATCH",
    "CANCELLED",
    "NOT_OURS",
    "SENT",
    "STALE_AFTER",
    "SweepResult",
    "claim_due",
    "compose",
    "deliver",
    "due_rows",
    "is_permanent",
    "message_id",
    "milestone_rows",
    "obsolete",
    "record_failure",
    "regencies_without_proposal",
    "release",
    "reminder_settings",
    "reschedule_everything",
    "save_scheduled",
    "schedule",
    "schedule_milestone",
    "schedule_proposal",
    "schedule_round",
    "send_now",
    "sweep",
]
