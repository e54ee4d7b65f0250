"""The programme's models by sub-area; every name is importable from ``replications.models``."""

from ..statuses import Action, Status
from .implementation import Commitment, Milestone, ProgressReport
from .notifications import Notification, NotificationPreference
from .proposals import PrivateUploadPath, Proposal, ProposalEvent, ReviewMark
from .reminders import (
    Reminder,
    ReminderKind,
    ReminderQuerySet,
    ReminderSettings,
    default_deadline_offsets,
    default_milestone_offsets,
    validate_offsets,
)
from .rounds import Round, RoundEvent, RoundEventKind

__all__ = [
    "Action",
    "Commitment",
    "Milestone",
    "Notification",
    "NotificationPreference",
    "PrivateUploadPath",
    "ProgressReport",
    "Proposal",
    "ProposalEvent",
    "Reminder",
    "ReminderKind",
    "ReminderQuerySet",
    "ReminderSettings",
    "ReviewMark",
    "Round",
    "RoundEvent",
    "RoundEventKind",
    "Status",
    "default_deadline_offsets",
    "default_milestone_offsets",
    "validate_offsets",
]
