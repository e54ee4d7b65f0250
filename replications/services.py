"""What changes the programme's rows, for pages, API and admin alike: rounds, proposals and milestones
saved with their reminder schedule, the regency office created when a proposal names a new one, and the
proposal life cycle (docs/architecture.md).

Each transition states who may make it, from which statuses, what must be filled first, whether a
note is required, what it writes to the history and whom it tells. ``perform`` runs it in one
transaction with the proposal's row locked, so two reviewers acting at once get one success and
one clear refusal, never a lost update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from core.files import no_file_left_on_failure
from regions.models import Agency, AgencyLevel

from . import notifications, tasks
from .models import (
    Action,
    Commitment,
    Milestone,
    ProgressReport,
    Proposal,
    ProposalEvent,
    Round,
    RoundEvent,
    RoundEventKind,
    Status,
)
from .permissions import (
    BUREAU,
    STAFF,
    acting_as,
    closed_round_refusal,
    is_proposing_staff,
    may_move_or_delete_draft,
)
from .reminders import save_scheduled


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is for the user, in their language.

    ``reason`` says why, for callers that answer with a status code (the API): ``forbidden`` (not this
    user's part), ``status`` (not from the current status), ``incomplete`` (something must be filled
    first), ``note`` (a note is required), ``changed`` (the status is no longer the one the user saw) or
    ``unknown`` (no such action).
    """

    def __init__(self, message: str, reason: str = "status"):
        super().__init__(message)
        self.reason = reason


ONE_LIVE_PER_ROUND = "replications_proposal_one_live_per_round"


class DuplicateProposal(Exception):
    """The regency already has a live proposal for this innovation in this round (two submits at once
    passed the form's check; the database's constraint stopped the second). ``existing`` is that one, and
    ``url`` its page."""

    def __init__(self, existing: Proposal | None):
        self.existing = existing
        self.url = reverse("proposal-detail", args=[existing.pk]) if existing is not None else ""
        self.message = message = gettext(
            "Daerah Anda sudah memiliki usulan untuk inovasi ini dalam putaran ini."
        )
        if existing is not None:
            message += " " + gettext("Buka usulan nomor %(id)s: %(url)s") % {
                "id": existing.pk,
                "url": self.url,
            }
        super().__init__(message)


def save_round(form, user=None) -> Round:
    """A bureau's round from its valid RoundForm, with its deadline reminders scheduled, and what its
    regencies are told: a new round and any regency added later tell the newly participating regencies'
    staff; a later deadline is an extension, recorded with the date it replaced and announced to every
    participating regency's staff. Each is a RoundEvent (the round's history)."""
    with transaction.atomic():
        round_ = form.save(commit=False)
        opening = round_.pk is None
        before, had = None, set()
        if not opening:
            before = Round.objects.select_for_update().values_list("deadline", flat=True).get(pk=round_.pk)
            had = set(
                Round.participants.through.objects.filter(round=round_).values_list("regency", flat=True)
            )
        save_scheduled(round_)
        form.save_m2m()
        joined = set(
            Round.participants.through.objects.filter(round=round_).values_list("regency", flat=True)
        )
        joined -= had
        events = []
        if opening or joined:
            event = RoundEvent.objects.create(
                round=round_, kind=RoundEventKind.OPEN if opening else RoundEventKind.JOIN, actor=user
            )
            event.regencies.set(joined)
            events.append(event)
        if before is not None and round_.deadline > before:
            events.append(
                RoundEvent.objects.create(
                    round=round_,
                    kind=RoundEventKind.EXTEND,
                    actor=user,
                    from_deadline=before,
                    to_deadline=round_.deadline,
                )
            )
        for event in events:
            announce(event)
    return round_


def round_recipients(event: RoundEvent) -> list:
    """Whom a round's event concerns: the staff of the regencies that just joined (opening, added), or of
    every participating regency (an extension)."""
    if event.kind == RoundEventKind.EXTEND:
        regencies = event.round.participants.values("pk")
    else:
        regencies = event.regencies.values("pk")
    memberships = Membership.objects.filter(role=Role.REGIONAL_STAFF, regency__in=regencies)
    users = get_user_model().objects.filter(pk__in=memberships.values("user"), is_active=True)
    return [user for user in users.order_by("pk") if user.pk != event.actor_id]


def announce(event: RoundEvent) -> None:
    """Tell a round's event in the app now, in the event's transaction, and by email once it has committed,
    one task per recipient with an address (as ``tell`` does for a proposal's step)."""
    users = round_recipients(event)
    url = reverse("my-region")
    for user in users:
        notifications.add(user, notifications.round_message(event, user).summary, url=url)
    user_ids = [user.pk for user in users if user.email]
    if user_ids:
        transaction.on_commit(lambda: tasks.enqueue_round_emails(event.pk, user_ids), robust=True)


def regency_office(regency, name: str) -> Agency:
    """An office (OPD) of the regency's government with this name, created when it does not exist yet,
    with the government itself when even that is missing."""
    government = Agency.objects.government_of(regency)
    if government is None:
        government = Agency.objects.create(
            name=f"Pemerintah {regency.name}", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency
        )
    # Typed by the regency, so not listed publicly until a proposal naming it is approved (perform).
    office, _created = Agency.objects.get_or_create(
        parent=government,
        name=name,
        defaults={"level": AgencyLevel.OFFICE, "regency": regency, "listed": False},
    )
    return office


def with_new_office(form) -> Proposal:
    proposal = form.save(commit=False)
    new_name = form.cleaned_data.get("new_agency_name")
    if new_name and not proposal.adopting_agency_id:
        proposal.adopting_agency = regency_office(proposal.regency, new_name)
    return proposal


def create_proposal(form, user) -> Proposal:
    """A new draft from a valid ProposalForm, with its "created" event; DuplicateProposal when another
    request created the same one a moment earlier. The letter it uploaded is deleted again when the
    insert fails. A retried create (its first answer lost) gets the same DuplicateProposal, naming the
    proposal its first attempt made."""
    wanted = form.instance
    wanted.regency = form.regency  # the form's regency (set on the instance only by its save)
    if form.has_live_proposal(wanted.round, wanted.innovation):
        raise DuplicateProposal(live_twin(wanted, wanted.round))
    try:
        with no_file_left_on_failure(form.instance), transaction.atomic():
            proposal = with_new_office(form)
            proposal.created_by = user
            save_scheduled(proposal)
            ProposalEvent.objects.create(
                proposal=proposal, action=Action.CREATE, actor=user, to_status=proposal.status
            )
    except IntegrityError as error:
        if constraint_of(error) != ONE_LIVE_PER_ROUND:
            raise
        raise DuplicateProposal(live_twin(wanted, wanted.round)) from None
    return proposal


def constraint_of(error: IntegrityError) -> str:
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", "") or ""


def update_proposal(form) -> Proposal:
    """The region's changes to its editable proposal, from a valid ProposalForm."""
    with transaction.atomic():
        proposal = with_new_office(form)
        save_scheduled(proposal)
    return proposal


def add_milestone(proposal: Proposal, milestone: Milestone) -> Milestone:
    """A new last step of the proposal's action plan (unsaved ``milestone``), with its reminders."""
    milestone.proposal = proposal
    milestone.position = proposal.milestones.count() + 1
    save_scheduled(milestone)
    return milestone


def complete_milestone(milestone: Milestone, on=None) -> bool:
    """Mark a step done (today unless ``on``); its reminders stop. False when it was done already."""
    if milestone.done_on is not None:
        return False
    milestone.done_on = on or timezone.localdate()
    save_scheduled(milestone, update_fields=["done_on"])
    return True


def record_commitment(proposal: Proposal, commitment: Commitment) -> Commitment:
    """The signed commitment of an approved proposal (unsaved ``commitment``), new or replacing it."""
    commitment.proposal = proposal
    commitment.save()
    return commitment


def add_report(proposal: Proposal, report: ProgressReport, author) -> ProgressReport:
    """A progress report (unsaved ``report``) on the proposal's implementation, by ``author``."""
    report.proposal = proposal
    report.author = author
    report.save()
    return report


# What a proposal must have filled before it is submitted; blank text counts as missing.
SUBMISSION_FIELDS = ("adopting_agency", "problem", "letter_number", "letter_date", "letter_file")


def missing_for_submission(proposal: Proposal) -> list[str]:
    """The names of the submission fields the proposal lacks, in form order: the one rule that the
    submit transition's gaps and the form's errors beside each field both read."""
    missing = []
    for name in SUBMISSION_FIELDS:
        value = getattr(proposal, Proposal._meta.get_field(name).attname)
        if not (value.strip() if isinstance(value, str) else value):
            missing.append(name)
    return missing


def submission_gaps(proposal: Proposal) -> list[str]:
    return [Proposal._meta.get_field(name).verbose_name for name in missing_for_submission(proposal)]


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
    needs_open_round: bool = False  # only before the round's deadline has passed (or once extended)
    gaps: Callable[[Proposal], list[str]] = field(default=lambda proposal: [])

    @property
    def label(self) -> str:
        return BUTTON_LABELS[self.action]

    @property
    def is_destructive(self) -> bool:
        """Ends the proposal (reject, cancel): its button looks different from the positive ones."""
        return self.target in Status.CLOSED


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
        Transition(Action.SUBMIT, Status.EDITABLE, Status.SUBMITTED, frozenset({STAFF}),
                   gaps=submission_gaps, needs_open_round=True),
        Transition(Action.RETURN, Status.WAITING_FOR_REVIEW, Status.RETURNED, frozenset({BUREAU}),
                   needs_note=True),
        Transition(Action.VERIFY, (Status.SUBMITTED,), Status.VERIFIED, frozenset({BUREAU})),
        Transition(Action.REJECT, Status.WAITING_FOR_REVIEW, Status.REJECTED, frozenset({BUREAU}),
                   needs_note=True),
        Transition(Action.APPROVE, (Status.VERIFIED,), Status.APPROVED, frozenset({BUREAU})),
        Transition(Action.COMMIT, (Status.APPROVED,), Status.COMMITTED, frozenset({STAFF, BUREAU}),
                   gaps=commitment_gaps),
        Transition(Action.START, (Status.COMMITTED,), Status.IMPLEMENTING, frozenset({STAFF, BUREAU}),
                   gaps=plan_gaps),
        Transition(Action.COMPLETE, (Status.IMPLEMENTING,), Status.REPLICATED, frozenset({BUREAU})),
        Transition(Action.CANCEL, Status.IN_IMPLEMENTATION, Status.CANCELLED,
                   frozenset({STAFF, BUREAU}), needs_note=True),
    ]
}  # fmt: skip


def available_actions(proposal: Proposal, user) -> list[Transition]:
    """The transitions this user may start from the proposal's current status (for buttons): a submission
    only while the round is open."""
    parts = acting_as(proposal, user)
    return [
        t
        for t in TRANSITIONS.values()
        if proposal.status in t.sources
        and parts & t.actors
        and not (t.needs_open_round and not proposal.round.is_open())
    ]


def perform(
    proposal_id: int, action: str, user, note: str = "", expected_status: str | None = None
) -> Proposal:
    """Make one transition, or raise TransitionRefused (Proposal.DoesNotExist if the user may not see it).

    ``expected_status`` is the status the user saw when choosing the action: two reviewers acting at once
    (one verifies, one returns, both allowed from "submitted") serialise on the row's lock, and the second
    is refused because the proposal is no longer what they judged."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(gettext("Tindakan tidak dikenal."), reason="unknown")
    note = (note or "").strip()
    with transaction.atomic():
        proposal = (
            Proposal.objects.visible_to(user)
            .select_for_update(of=("self",))
            .select_related("round__province", "regency", "innovation")
            .get(pk=proposal_id)
        )
        if not acting_as(proposal, user) & transition.actors:
            raise TransitionRefused(
                gettext("Anda tidak berwenang melakukan tindakan ini pada usulan ini."), reason="forbidden"
            )
        if expected_status and proposal.status != expected_status:
            raise TransitionRefused(
                gettext(
                    "Usulan ini sudah berubah menjadi “%(status)s” sejak Anda membukanya, sehingga tindakan "
                    "Anda tidak dijalankan. Periksa kembali usulan ini."
                )
                % {"status": proposal.get_status_display()},
                reason="changed",
            )
        if proposal.status not in transition.sources:
            raise TransitionRefused(
                gettext("Usulan ini sekarang berstatus “%(status)s”, sehingga tidak dapat %(action)s.")
                % {"status": proposal.get_status_display(), "action": Action(action).label.lower()},
                reason="status",
            )
        refusal = closed_round_refusal(proposal.round) if transition.needs_open_round else ""
        if refusal:
            raise TransitionRefused(refusal, reason="closed")
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
        if transition.action == Action.APPROVE and proposal.adopting_agency_id:
            for agency in Agency.objects.filter(pk=proposal.adopting_agency_id, listed=False):
                agency.listed = True  # the bureau has read its name: the approved replication is public
                agency.save(update_fields=["listed"])
        proposal._change_reason = f"{transition.action}: {note}"[:100]
        save_scheduled(proposal, update_fields=changed)
        event = ProposalEvent.objects.create(
            proposal=proposal, action=transition.action, actor=user, from_status=previous,
            to_status=transition.target, note=note,
        )  # fmt: skip
        tell(event)
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


def tell(event: ProposalEvent) -> None:
    """Tell the people a step concerns: in the app now, in the step's transaction; by email once it has
    committed, one task per recipient, so a failing address neither delays nor stops the others."""
    users = recipients(event)
    for user in users:
        notifications.add(user, notifications.step_message(event, user).summary, proposal=event.proposal)
    user_ids = [user.pk for user in users]
    if user_ids:
        transaction.on_commit(lambda: tasks.enqueue_step_emails(event.pk, user_ids), robust=True)


class DraftRefused(Exception):
    """A draft that may not be moved or deleted as asked; the message is for the user. ``existing`` is
    the live proposal that already holds the slot in the round a move was aimed at, if that was why."""

    def __init__(self, message: str, existing: Proposal | None = None):
        super().__init__(message)
        self.existing = existing


def move_targets(proposal: Proposal):
    """The rounds a draft may move to: the other rounds of its round's province whose deadline has not
    passed there (the province's time zone) and in which its regency takes part."""
    province = proposal.round.province
    today = timezone.now().astimezone(province.tzinfo).date()
    return (
        Round.objects.filter(province=province, participants=proposal.regency_id, deadline__gte=today)
        .exclude(pk=proposal.round_id)
        .order_by("deadline", "title")
    )


def live_twin(proposal: Proposal, round_: Round) -> Proposal | None:
    """The regency's live proposal of the same innovation in ``round_`` (the slot a move would take)."""
    return (
        Proposal.objects.live()
        .filter(round=round_, regency=proposal.regency_id, innovation=proposal.innovation_id)
        .exclude(pk=proposal.pk)
        .select_related("innovation", "round")
        .first()
    )


def twin_refusal(twin: Proposal) -> DraftRefused:
    return DraftRefused(
        gettext(
            "Daerah Anda sudah memiliki usulan “%(innovation)s” (%(status)s) dalam putaran “%(round)s”; "
            "satu putaran hanya memuat satu usulan daerah untuk setiap inovasi. Pilih putaran lain, atau "
            "hapus atau lanjutkan usulan itu."
        )
        % {
            "innovation": twin.innovation.name,
            "status": twin.get_status_display(),
            "round": twin.round.title,
        },
        existing=twin,
    )


def locked_draft(proposal_id: int, user) -> Proposal:
    """The draft, its row locked, if the user is staff of its regency (else Proposal.DoesNotExist: a 404);
    DraftRefused when it is no longer a draft."""
    proposal = (
        Proposal.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("round__province", "innovation")
        .get(pk=proposal_id)
    )
    if not is_proposing_staff(user, proposal):
        raise Proposal.DoesNotExist
    if not may_move_or_delete_draft(user, proposal):
        raise not_a_draft(proposal)
    return proposal


def not_a_draft(proposal: Proposal) -> DraftRefused:
    return DraftRefused(
        gettext("Hanya draf yang dapat dipindahkan atau dihapus; usulan ini berstatus “%(status)s”.")
        % {"status": proposal.get_status_display()}
    )


def move_draft(proposal_id: int, round_id: int, user) -> Proposal:
    """Move a draft started in the wrong round to another open round of its province (``move_targets``),
    keeping everything else; the move is in its history. DraftRefused for another round, or when the
    regency already has a live proposal of the innovation there (found first, or by the constraint)."""
    with transaction.atomic():
        proposal = locked_draft(proposal_id, user)
        target = move_targets(proposal).filter(pk=round_id).first()
        if target is None:
            raise DraftRefused(
                gettext("Pilih putaran lain yang masih terbuka di provinsi Anda dan diikuti daerah Anda.")
            )
        twin = live_twin(proposal, target)
        if twin is not None:
            raise twin_refusal(twin)
        previous = proposal.round
        proposal.round = target
        proposal._change_reason = f"move: {previous.title} → {target.title}"[:100]
        try:
            with transaction.atomic():
                save_scheduled(proposal, update_fields=["round", "updated_at"])
        except IntegrityError as error:
            if constraint_of(error) != ONE_LIVE_PER_ROUND:
                raise
            proposal.round = previous
            twin = live_twin(proposal, target)
            if twin is None:
                raise
            raise twin_refusal(twin) from None
    return proposal


def delete_draft(proposal_id: int, user) -> Proposal:
    """Delete a draft with its events; once that has committed, every letter it ever had goes from
    storage too (the current one and earlier uploads its history names). Returns the deleted draft."""
    with transaction.atomic():
        proposal = locked_draft(proposal_id, user)
        storage = proposal.letter_file.storage
        letters = {
            name
            for name in Proposal.history.filter(id=proposal.pk).values_list("letter_file", flat=True)
            if name
        }
        if proposal.letter_file:
            letters.add(proposal.letter_file.name)
        proposal._change_reason = "delete"
        proposal.delete()
        for name in sorted(letters):
            transaction.on_commit(lambda name=name: storage.delete(name), robust=True)
    return proposal
