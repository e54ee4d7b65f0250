"""The proposal life cycle (DESIGN.md), in one place.

Each transition states who may make it, from which statuses, what must be filled first, whether a
note is required, what it writes to the history and whom it tells. ``perform`` runs it in one
transaction with the proposal's row locked, so two reviewers acting at once get one success and
one clear refusal, never a lost update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, language_of
from accounts.roles import roles_of

from . import notifications
from .models import Action, Proposal, ProposalEvent, Status

STAFF = "staff"  # regional staff of the proposing regency
BUREAU = "bureau"  # the provincial bureau of the round's province, or a national admin


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is for the user, in their language.

    ``reason`` says why, for callers that answer with a status code (the API): ``forbidden`` (not this
    user's part), ``status`` (not from the current status), ``incomplete`` (something must be filled
    first), ``note`` (a note is required) or ``unknown`` (no such action).
    """

    def __init__(self, message: str, reason: str = "status"):
        super().__init__(message)
        self.reason = reason


def submission_gaps(proposal: Proposal) -> list[str]:
    gaps = []
    if not proposal.adopting_agency_id:
        gaps.append(_("perangkat daerah pelaksana"))
    if not proposal.problem.strip():
        gaps.append(_("permasalahan yang diatasi"))
    if not proposal.letter_number.strip():
        gaps.append(_("nomor surat"))
    if not proposal.letter_date:
        gaps.append(_("tanggal surat"))
    if not proposal.letter_file:
        gaps.append(_("berkas surat (PDF)"))
    return gaps


def commitment_gaps(proposal: Proposal) -> list[str]:
    return [] if hasattr(proposal, "commitment") else [_("komitmen yang ditandatangani")]


def plan_gaps(proposal: Proposal) -> list[str]:
    return [] if proposal.milestones.exists() else [_("rencana aksi (minimal satu tahapan)")]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    needs_note: bool = False
    gaps: Callable[[Proposal], list[str]] = field(default=lambda proposal: [])

    @property
    def label(self) -> str:
        return BUTTON_LABELS[self.action]


BUTTON_LABELS = {
    Action.SUBMIT: _("Ajukan ke provinsi"),
    Action.RETURN: _("Kembalikan untuk diperbaiki"),
    Action.VERIFY: _("Verifikasi"),
    Action.REJECT: _("Tolak"),
    Action.APPROVE: _("Setujui"),
    Action.COMMIT: _("Catat komitmen"),
    Action.START: _("Mulai penerapan"),
    Action.COMPLETE: _("Nyatakan selesai"),
    Action.CANCEL: _("Batalkan"),
}

TRANSITIONS = {
    t.action: t
    for t in [
        Transition(Action.SUBMIT, (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, frozenset({STAFF}),
                   gaps=submission_gaps),
        Transition(Action.RETURN, (Status.SUBMITTED, Status.VERIFIED), Status.RETURNED, frozenset({BUREAU}),
                   needs_note=True),
        Transition(Action.VERIFY, (Status.SUBMITTED,), Status.VERIFIED, frozenset({BUREAU})),
        Transition(Action.REJECT, (Status.SUBMITTED, Status.VERIFIED), Status.REJECTED, frozenset({BUREAU}),
                   needs_note=True),
        Transition(Action.APPROVE, (Status.VERIFIED,), Status.APPROVED, frozenset({BUREAU})),
        Transition(Action.COMMIT, (Status.APPROVED,), Status.COMMITTED, frozenset({STAFF, BUREAU}),
                   gaps=commitment_gaps),
        Transition(Action.START, (Status.COMMITTED,), Status.IMPLEMENTING, frozenset({STAFF, BUREAU}),
                   gaps=plan_gaps),
        Transition(Action.COMPLETE, (Status.IMPLEMENTING,), Status.REPLICATED, frozenset({BUREAU})),
        Transition(Action.CANCEL, (Status.APPROVED, Status.COMMITTED, Status.IMPLEMENTING), Status.CANCELLED,
                   frozenset({STAFF, BUREAU}), needs_note=True),
    ]
}  # fmt: skip


def acting_as(proposal: Proposal, user) -> set[str]:
    """The parts the user plays for this proposal."""
    roles = roles_of(user)
    parts = set()
    if proposal.regency_id in roles.regency_ids:
        parts.add(STAFF)
    if roles.is_national_admin or proposal.round.province_id in roles.province_ids:
        parts.add(BUREAU)
    return parts


def available_actions(proposal: Proposal, user) -> list[Transition]:
    """The transitions this user may start from the proposal's current status (for buttons)."""
    parts = acting_as(proposal, user)
    return [t for t in TRANSITIONS.values() if proposal.status in t.sources and parts & t.actors]


def perform(proposal_id: int, action: str, user, note: str = "") -> Proposal:
    """Make one transition, or raise TransitionRefused (Proposal.DoesNotExist if the user may not see it)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(gettext("Tindakan tidak dikenal."), reason="unknown")
    note = (note or "").strip()
    with transaction.atomic():
        proposal = (
            Proposal.objects.visible_to(user)
            .select_for_update(of=("self",))
            .select_related("round", "regency", "innovation")
            .get(pk=proposal_id)
        )
        if not acting_as(proposal, user) & transition.actors:
            raise TransitionRefused(
                gettext("Anda tidak berwenang melakukan tindakan ini pada usulan ini."), reason="forbidden"
            )
        if proposal.status not in transition.sources:
            raise TransitionRefused(
                gettext("Usulan ini sekarang berstatus “%(status)s”, sehingga tidak dapat %(action)s.")
                % {"status": proposal.get_status_display(), "action": Action(action).label.lower()},
                reason="status",
            )
        gaps = transition.gaps(proposal)
        if gaps:
            raise TransitionRefused(
                gettext("Lengkapi dulu: %(gaps)s.") % {"gaps": ", ".join(str(gap) for gap in gaps)},
                reason="incomplete",
            )
        if transition.needs_note and not note:
            raise TransitionRefused(gettext("Tuliskan catatan atau alasannya."), reason="note")
        previous = proposal.status
        proposal.status = transition.target
        changed = ["status", "updated_at"]
        if transition.action == Action.SUBMIT:
            proposal.submitted_at = timezone.now()
            changed.append("submitted_at")
        proposal._change_reason = f"{transition.action}: {note}"[:100]
        proposal.save(update_fields=changed)
        event = ProposalEvent.objects.create(
            proposal=proposal, action=transition.action, actor=user, from_status=previous,
            to_status=transition.target, note=note,
        )  # fmt: skip
        transaction.on_commit(lambda: notify(event.pk), robust=True)
    return proposal


def recipients(event: ProposalEvent) -> list:
    """Whom a step concerns: the province's bureau for a submission, the regency's staff otherwise."""
    proposal = event.proposal
    if event.action == Action.SUBMIT:
        memberships = Membership.objects.filter(
            role=Role.PROVINCIAL_BUREAU, province_id=proposal.round.province_id
        )
    else:
        memberships = Membership.objects.filter(role=Role.REGIONAL_STAFF, regency_id=proposal.regency_id)
    users = (
        get_user_model().objects.filter(pk__in=memberships.values("user"), is_active=True).exclude(email="")
    )
    return [user for user in users if user.pk != event.actor_id]


def notify(event_id: int) -> None:
    """Tell the people a step concerns, by email, after the step has been committed."""
    event = ProposalEvent.objects.select_related(
        "proposal__round", "proposal__regency", "proposal__innovation", "actor"
    ).get(pk=event_id)
    proposal = event.proposal
    for user in recipients(event):
        with translation.override(language_of(user)):
            subject = gettext("[Replikasi] %(innovation)s (%(regency)s): %(action)s") % {
                "innovation": proposal.innovation.name,
                "regency": proposal.regency.name,
                "action": event.get_action_display(),
            }
            lines = [
                gettext(
                    "Usulan replikasi %(innovation)s oleh %(regency)s dalam %(round)s "
                    "kini berstatus “%(status)s”."
                )
                % {
                    "innovation": proposal.innovation.name,
                    "regency": proposal.regency.name,
                    "round": proposal.round.title,
                    "status": proposal.get_status_display(),
                }
            ]
            if event.note:
                lines.append(gettext("Catatan: %(note)s") % {"note": event.note})
            notifications.add(user, lines[0] + (f" {lines[1]}" if len(lines) > 1 else ""), proposal=proposal)
            if user.email:
                send_mail(subject, "\n\n".join(lines), None, [user.email])
