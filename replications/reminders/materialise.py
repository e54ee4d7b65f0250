"""The sweep: due objects become one ``Reminder`` row per recipient and occasion (idempotent under
the unique key), then due reminders are claimed for sending."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Membership, Role
from innovations.models import REVIEW_INTERVAL_DAYS, Innovation

from ..models import (
    Milestone,
    NotificationPreference,
    Proposal,
    Reminder,
    ReminderKind,
    Round,
    Status,
)
from .schedule import (
    STALE_AFTER,
    Occasion,
    milestone_occasions,
    next_after,
    record_review_occasion,
    reminder_settings,
    round_occasions,
)

logger = logging.getLogger(__name__)

# An object whose reminders could not be prepared (logged) is looked at again this much later.
BAD_OBJECT_RETRY = datetime.timedelta(hours=1)
# Due objects are materialised this many at a time, each batch in its own short transaction.
BATCH = 500


# --- Materialising: one row per recipient and occasion ----------------------------------------------------


def reminder_key(kind: str, obj: str, label: str, user_id: int) -> str:
    return f"{kind}:{obj}:{label}:user{user_id}"


def active_users(memberships, kind: str):
    """Users of these memberships who are active and have not turned this kind of reminder off."""
    users = get_user_model().objects.filter(pk__in=memberships.values("user"), is_active=True)
    if kind in NotificationPreference.OPTIONAL_KINDS:
        users = users.exclude(
            Exists(NotificationPreference.objects.filter(user=OuterRef("pk"), **{kind: False}))
        )
    return users


def regencies_without_proposal(round_: Round):
    proposed = Proposal.objects.filter(round=round_, regency=OuterRef("pk")).exclude(
        status__in=Status.NOT_PROPOSED
    )
    return round_.participants.exclude(Exists(proposed)).order_by("name")


def due_occasion(
    occasions: list[Occasion], done_until, now
) -> tuple[list[Occasion], datetime.datetime | None]:
    """The occasions to materialise now (the latest due one of each kind, unless stale) and the instant
    up to which the object counts as reminded."""
    due = [o for o in occasions if (done_until is None or o.at > done_until) and o.at <= now]
    latest: dict[str, Occasion] = {}
    for occasion in due:
        latest[occasion.kind] = occasion
    fresh = [o for o in latest.values() if now - o.at < STALE_AFTER]
    for skipped in set(due) - set(fresh):
        logger.debug("reminder occasion %s %s skipped (stale or superseded)", skipped.kind, skipped.label)
    return fresh, max((o.at for o in due), default=done_until)


def round_rows(round_: Round, now, config) -> list[Reminder]:
    occasions, round_.reminded_until = due_occasion(
        round_occasions(round_, config), round_.reminded_until, now
    )
    round_.next_reminder_at = next_after(round_occasions(round_, config), now)
    rows = []
    for occasion in occasions:
        if occasion.kind == ReminderKind.ROUND_DEADLINE:
            memberships = Membership.objects.filter(
                role=Role.REGIONAL_STAFF, regency__in=regencies_without_proposal(round_)
            )
        else:
            if not regencies_without_proposal(round_).exists():
                continue
            memberships = Membership.objects.filter(role=Role.PROVINCIAL_BUREAU, province=round_.province_id)
        for user_id in active_users(memberships, occasion.kind).values_list("pk", flat=True):
            rows.append(
                Reminder(
                    key=reminder_key(occasion.kind, f"round{round_.pk}", occasion.label, user_id),
                    kind=occasion.kind,
                    recipient_id=user_id,
                    round=round_,
                    offset_days=occasion.offset,
                    due_at=occasion.at,
                )
            )
    return rows


def due_rows(model, now: datetime.datetime, limit: int, related: list[str]) -> list:
    """Objects whose next reminder is due, locked; another sweep running at once skips them."""
    return list(
        model.objects.filter(next_reminder_at__lte=now)
        .select_related(*related)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_reminder_at")[:limit]
    )


def members_by_place(role: str, place: str, place_ids: set[int], kind: str) -> dict[int, list[int]]:
    """{regency or province id: [user ids]} of active members who want this kind, in one query."""
    memberships = Membership.objects.filter(role=role, **{f"{place}__in": place_ids})
    wanted = set(active_users(memberships, kind).values_list("pk", flat=True))
    by_place: dict[int, list[int]] = {}
    for user_id, place_id in memberships.values_list("user_id", f"{place}_id"):
        if user_id in wanted:
            by_place.setdefault(place_id, []).append(user_id)
    return by_place


def materialise_rounds(now, config, limit) -> int:
    with transaction.atomic():
        rounds = due_rows(Round, now, limit, ["province"])
        rows = []
        for round_ in rounds:
            rows += guarded(
                round_, lambda round_=round_: round_rows(round_, now, config), now, savepoint=True
            )
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        save_schedule(Round, rounds)
    return len(rounds)


def materialise_proposals(now, config, limit) -> int:
    with transaction.atomic():
        proposals = due_rows(Proposal, now, limit, ["round"])
        bureau = members_by_place(
            Role.PROVINCIAL_BUREAU,
            "province",
            {p.round.province_id for p in proposals},
            ReminderKind.REVIEW_WAITING,
        )
        rows = []
        for proposal in proposals:
            if proposal.status == Status.SUBMITTED:
                label = proposal.submitted_at.isoformat(timespec="seconds")
                rows += [
                    Reminder(
                        key=reminder_key(
                            ReminderKind.REVIEW_WAITING, f"proposal{proposal.pk}", label, user_id
                        ),
                        kind=ReminderKind.REVIEW_WAITING,
                        recipient_id=user_id,
                        proposal=proposal,
                        due_at=proposal.next_reminder_at,
                    )
                    for user_id in bureau.get(proposal.round.province_id, [])
                ]
            proposal.next_reminder_at = None  # one reminder per submission
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        save_schedule(Proposal, proposals)
    return len(proposals)


def milestone_rows(milestone: Milestone, staff: dict[int, list[int]], now, config) -> list[Reminder]:
    proposal = milestone.proposal
    occasions = milestone_occasions(milestone, proposal.round.province.tzinfo, config)
    due, milestone.reminded_until = due_occasion(occasions, milestone.reminded_until, now)
    milestone.next_reminder_at = next_after(occasions, now)
    if proposal.status not in Status.IN_IMPLEMENTATION or milestone.done_on is not None:
        milestone.next_reminder_at = None
        return []
    return [
        Reminder(
            key=reminder_key(occasion.kind, f"milestone{milestone.pk}", occasion.label, user_id),
            kind=occasion.kind,
            recipient_id=user_id,
            proposal=proposal,
            milestone=milestone,
            offset_days=occasion.offset,
            due_at=occasion.at,
        )
        for occasion in due
        for user_id in staff.get(proposal.regency_id, [])
    ]


def materialise_milestones(now, config, limit) -> int:
    with transaction.atomic():
        milestones = due_rows(Milestone, now, limit, ["proposal__round__province"])
        staff = members_by_place(
            Role.REGIONAL_STAFF,
            "regency",
            {m.proposal.regency_id for m in milestones},
            ReminderKind.MILESTONE_DUE,
        )
        rows = []
        for milestone in milestones:
            rows += guarded(milestone, lambda m=milestone: milestone_rows(m, staff, now, config), now)
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        save_schedule(Milestone, milestones)
    return len(milestones)


def materialise_record_reviews(now, config) -> int:
    """Innovations due for their yearly review: one reminder per innovator of the owner agency and
    occasion (a record never reviewed counts from its creation). Innovators are few, so this reads
    their agencies' innovations each sweep; an occasion already materialised is not written again."""
    agencies = Membership.objects.filter(role=Role.INNOVATOR).values("agency")
    year_ago = timezone.localdate(now) - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    due = list(
        Innovation.objects.filter(owner_agency__in=agencies)
        .annotate(reviewed=Coalesce("last_reviewed_on", TruncDate("created_at")))
        .filter(reviewed__lte=year_ago)
        .values_list("pk", "owner_agency_id", "reviewed")
    )
    innovators = members_by_place(
        Role.INNOVATOR, "agency", {agency for _, agency, _ in due}, ReminderKind.RECORD_REVIEW
    )
    existing = set(
        Reminder.objects.filter(
            kind=ReminderKind.RECORD_REVIEW, innovation_id__in=[pk for pk, *_ in due]
        ).values_list("key", flat=True)
    )
    rows = []
    for pk, agency_id, reviewed in due:
        occasion = record_review_occasion(reviewed, now, config)
        if occasion is None:
            continue
        for user_id in innovators.get(agency_id, []):
            key = reminder_key(occasion.kind, f"innovation{pk}", occasion.label, user_id)
            if key not in existing:
                rows.append(
                    Reminder(
                        key=key,
                        kind=occasion.kind,
                        recipient_id=user_id,
                        innovation_id=pk,
                        due_at=occasion.at,
                    )
                )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def save_schedule(model, rows: list) -> None:
    """Write the advanced schedule of a batch in one statement (an UPDATE from arrays, far cheaper than
    ``bulk_update``'s CASE per row)."""
    if not rows:
        return
    until = hasattr(rows[0], "reminded_until")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET next_reminder_at = v.next_at"
            + (", reminded_until = v.until_at" if until else "")
            + " FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS v(id, next_at, until_at)"
            " WHERE t.id = v.id",
            [
                [row.pk for row in rows],
                [row.next_reminder_at for row in rows],
                [getattr(row, "reminded_until", None) for row in rows],
            ],
        )


def guarded(obj, make_rows: Callable[[], list[Reminder]], now, savepoint: bool = False) -> list[Reminder]:
    """One bad object must not stop a sweep: log it and look at it again an hour later."""
    try:
        if not savepoint:
            return make_rows()
        with transaction.atomic():
            return make_rows()
    except Exception:
        logger.exception("reminders for %s %s could not be prepared", type(obj).__name__, obj.pk)
        obj.next_reminder_at = now + BAD_OBJECT_RETRY
        return []


# --- Claiming: due reminders handed to the senders ----------------------------------------------------

CLAIM_SQL = """
WITH due AS (
    SELECT id FROM replications_reminder
    WHERE sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL AND due_at <= %(now)s
      AND (
        claim_token IS NULL
        OR (claimed_at IS NOT NULL AND claimed_at < %(stale)s)
        OR (claimed_at IS NULL AND (queued_at IS NULL OR queued_at < %(lost)s))
      )
    ORDER BY due_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE replications_reminder AS reminder
SET queued_at = %(now)s, claimed_at = NULL, claim_token = gen_random_uuid()
FROM due WHERE reminder.id = due.id
RETURNING reminder.id, reminder.claim_token
"""


def claim_due(now: datetime.datetime, limit: int) -> list[tuple[int, str]]:
    """Claim up to ``limit`` due open reminders: [(id, token)]. Unclaimed ones, sends started by a worker that
    died (REMINDER_CLAIM_TIMEOUT after starting) and sends the broker lost (REMINDER_QUEUE_TIMEOUT after
    queueing, never started). A send still waiting in the queue is left alone, however long the queue."""
    stale = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    lost = now - datetime.timedelta(seconds=settings.REMINDER_QUEUE_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"now": now, "stale": stale, "lost": lost, "limit": limit})
        return [(reminder_id, str(token)) for reminder_id, token in cursor.fetchall()]


@dataclass
class SweepResult:
    rounds: int = 0
    proposals: int = 0
    milestones: int = 0
    record_reviews: int = 0
    claimed: list[tuple[int, str]] = field(default_factory=list)


def sweep(
    now: datetime.datetime | None = None,
    *,
    limit: int = 5000,
    enqueue: Callable[[list[tuple[int, str]]], None] | None = None,
) -> SweepResult:
    """Materialise what is due, then claim due reminders and hand the claims to ``enqueue`` after commit.

    Safe to run in several processes at once: due objects and due reminders are locked with SKIP LOCKED,
    and the unique key makes materialising idempotent.
    """
    now = now or timezone.now()
    config = reminder_settings()
    result = SweepResult(
        rounds=in_batches(materialise_rounds, now, config, limit),
        proposals=in_batches(materialise_proposals, now, config, limit),
        milestones=in_batches(materialise_milestones, now, config, limit),
        record_reviews=materialise_record_reviews(now, config),
    )
    with transaction.atomic():
        result.claimed = claim_due(now, limit)
        if enqueue is not None and result.claimed:
            transaction.on_commit(lambda: enqueue(result.claimed))
    return result


def in_batches(materialise: Callable, now, config, limit: int) -> int:
    """Up to ``limit`` due objects, BATCH at a time, until none is left due."""
    done = 0
    while done < limit:
        size = min(BATCH, limit - done)
        count = materialise(now, config, size)
        done += count
        if count < size:
            break
    return done
