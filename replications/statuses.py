"""The proposal statuses and the groups the programme reads them in, each defined once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Terverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    COMMITTED = "committed", _("Komitmen ditandatangani")
    IMPLEMENTING = "implementing", _("Dalam penerapan")
    REPLICATED = "replicated", _("Berhasil direplikasi")
    CANCELLED = "cancelled", _("Dibatalkan")


class Action(models.TextChoices):
    CREATE = "create", _("Dibuat")
    SUBMIT = "submit", _("Diajukan")
    RETURN = "return", _("Dikembalikan untuk diperbaiki")
    VERIFY = "verify", _("Diverifikasi")
    REJECT = "reject", _("Ditolak")
    APPROVE = "approve", _("Disetujui")
    COMMIT = "commit", _("Komitmen dicatat")
    START = "start", _("Penerapan dimulai")
    COMPLETE = "complete", _("Replikasi selesai")
    CANCEL = "cancel", _("Dibatalkan")


# The groups below are the programme's words for sets of statuses; read them here, never spell them out.
# They are tuples, in life-cycle order, so constraints and SQL built from them never change order.

# The proposing region may still change its proposal; it has not proposed yet (the deadline reminders
# still go to it: a returned proposal must come back).
Status.EDITABLE = (Status.DRAFT, Status.RETURNED)
Status.NOT_PROPOSED = Status.EDITABLE
# No longer blocks a new proposal for the same regency, innovation and round.
Status.CLOSED = (Status.REJECTED, Status.CANCELLED)
# Everything else holds the one slot per regency, innovation and round.
Status.LIVE = tuple(status for status in Status if status not in Status.CLOSED)
# Waiting for the provincial bureau's review (the review queue).
Status.WAITING_FOR_REVIEW = (Status.SUBMITTED, Status.VERIFIED)
# Approved and not yet finished: the region records its commitment, action plan and reports, and
# milestones are reminded.
Status.IN_IMPLEMENTATION = (Status.APPROVED, Status.COMMITTED, Status.IMPLEMENTING)
# Adopted: a commitment was signed. The bank's replication count counts these (a database trigger,
# migration 0002, spells the same group in SQL; a test keeps the two equal).
Status.ADOPTED = (Status.COMMITTED, Status.IMPLEMENTING, Status.REPLICATED)
# Approved or beyond: shown publicly in the bank, and with an implementation section on its page.
Status.PUBLIC = (Status.APPROVED, *Status.ADOPTED)
# A round's progress counts each participating regency once, at the furthest stage its proposals
# reached; a regency with nothing past draft, or only rejected or cancelled proposals, is "not yet".
# A returned proposal was proposed and goes back to the bureau, so it stands with the submitted ones.
Status.PROGRESS_STAGES = (
    (Status.SUBMITTED, Status.RETURNED),
    (Status.VERIFIED,),
    (Status.APPROVED,),
    (Status.COMMITTED,),
    (Status.IMPLEMENTING,),
    (Status.REPLICATED,),
)

# The life cycle's main path, in order: the proposal page's step bar. The other statuses branch off it.
Status.PATH = (
    Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.APPROVED, Status.COMMITTED, Status.IMPLEMENTING,
    Status.REPLICATED,
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One step of the step bar. ``state``: done, current, todo, or not-reached (after the proposal ended
    elsewhere); ``branch``: returned or ended for a status off the main path."""

    status: str
    state: str
    branch: str = ""

    @property
    def label(self) -> str:
        return Status(self.status).label


def life_cycle_steps(status: str, branched_from: str | None = None) -> list[Step]:
    """The main path with the proposal's place on it. A returned proposal is back before submission: its
    step follows the draft's. A rejected or cancelled one ends after the step it had reached
    (``branched_from``, the status it left; the first step when unknown), and the rest are not reached."""
    if status in Status.PATH:
        here = Status.PATH.index(status)
        states = ["done" if i < here else "current" if i == here else "todo" for i in range(len(Status.PATH))]
        return [Step(step, state) for step, state in zip(Status.PATH, states, strict=True)]
    if status in Status.EDITABLE:
        reached, branch, after = Status.PATH.index(Status.DRAFT), "returned", "todo"
    else:
        reached = Status.PATH.index(branched_from) if branched_from in Status.PATH else 0
        branch, after = "ended", "not-reached"
    return [
        *(Step(step, "done") for step in Status.PATH[: reached + 1]),
        Step(status, "current", branch),
        *(Step(step, after) for step in Status.PATH[reached + 1 :]),
    ]
