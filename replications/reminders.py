"""Reminders (pengingat): what is due, claimed, then sent exactly once (STYLE.md, "claim, then act").

1. Rounds, proposals and milestones carry ``next_reminder_at``: the instant their next reminder
   occasion falls due, set whenever they are saved (``schedule_*``) and advanced when the sweep
   materialises an occasion. The sweep reads only rows whose ``next_reminder_at`` has passed, through
   partial indexes, so its cost grows with what is due, not with the tables.
2. Materialising an occasion inserts one ``Reminder`` per recipient under a unique key
   (kind:object:occasion:recipient) with INSERT … ON CONFLICT DO NOTHING: a second sweep, a second beat
   process or a retried task inserts nothing new.
3. The sweep claims due open reminders (UPDATE … FOR UPDATE SKIP LOCKED, a fresh claim token each) and
   enqueues one send task per claim after its transaction commits.
4. ``deliver`` goes on only while the claim token is still the row's, sends, then marks the row sent in
   the transaction that writes the in-app notification. A failed send keeps the claim for the task's
   retry; after the last retry the row is marked failed (admin). A claim older than
   REMINDER_CLAIM_TIMEOUT was left by a dead worker: the next sweep claims it again with a new token.

The one window no system closes (killed after the mail server accepted the message, before the row is
marked) yields at most one duplicate, and it carries the same ``Message-ID`` (from the key).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import Membership, Role, language_of

from . import notifications
from .models import (
    Milestone,
    NotificationPreference,
    Proposal,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Round,
    Status,
)

logger = logging.getLogger(__name__)

# An occasion found more than this late (the sweep was down) is skipped rather than sent out of date.
STALE_AFTER = datetime.timedelta(days=1)
# An object whose reminders could not be prepared (logged) is looked at again this much later.
BAD_OBJECT_RETRY = datetime.timedelta(hours=1)
# Due objects are materialised this many at a time, each batch in its own short transaction.
BATCH = 500


def reminder_settings() -> ReminderSettings:
    reminder_settings_row, _created = ReminderSettings.objects.get_or_create(pk=1)
    return reminder_settings_row


# --- Occasions: when each reminder of an object falls due ------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    kind: str
    at: datetime.datetime
    label: str  # the stable "occasion" part of the reminder's key
    offset: int


def local_instant(day: datetime.date, tzinfo, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tzinfo)


def round_occasions(round_: Round, config: ReminderSettings) -> list[Occasion]:
    offsets = round_.reminder_offsets if round_.reminder_offsets is not None else config.deadline_offsets
    tzinfo, deadline = round_.province.tzinfo, round_.deadline
    occasions = [
        Occasion(
            ReminderKind.ROUND_DEADLINE,
            local_instant(deadline - datetime.timedelta(days=offset), tzinfo, config.send_hour),
            f"{deadline.isoformat()}:d{offset}",
            offset,
        )
        for offset in offsets
    ]
    occasions.append(
        Occasion(
            ReminderKind.OVERDUE_SUMMARY,
            local_instant(deadline + datetime.timedelta(days=1), tzinfo, config.send_hour),
            f"{deadline.isoformat()}:overdue",
            -1,
        )
    )
    return sorted(occasions, key=lambda occasion: occasion.at)


def milestone_occasions(milestone: Milestone, tzinfo, config: ReminderSettings) -> list[Occasion]:
    return sorted(
        (
            Occasion(
                ReminderKind.MILESTONE_DUE,
                local_instant(milestone.due_on - datetime.timedelta(days=offset), tzinfo, config.send_hour),
                f"{milestone.due_on.isoformat()}:d{offset}",
                offset,
            )
            for offset in config.milestone_offsets
        ),
        key=lambda occasion: occasion.at,
    )


def next_after(occasions: Iterable[Occasion], after: datetime.datetime | None) -> datetime.datetime | None:
    """The first occasion after ``after``; occasions already stale now are never scheduled."""
    floor = timezone.now() - STALE_AFTER
    if after is None or after < floor:
        after = floor
    return min((occasion.at for occasion in occasions if occasion.at > after), default=None)


def schedule_round(round_: Round, config: ReminderSettings | None = None) -> None:
    round_.next_reminder_at = next_after(
        round_occasions(round_, config or reminder_settings()), round_.reminded_until
    )


def schedule_proposal(proposal: Proposal, config: ReminderSettings | None = None) -> None:
    """A submitted proposal is due for a review-waiting reminder N days after its submission."""
    if proposal.status != Status.SUBMITTED or proposal.submitted_at is None:
        proposal.next_reminder_at = None
        return
    config = config or reminder_settings()
    proposal.next_reminder_at = proposal.submitted_at + datetime.timedelta(days=config.review_after_days)


def schedule_milestone(milestone: Milestone, config: ReminderSettings | None = None) -> None:
    if milestone.done_on is not None:
        milestone.next_reminder_at = None
        return
    tzinfo = milestone.proposal.round.province.tzinfo
    milestone.next_reminder_at = next_after(
        milestone_occasions(milestone, tzinfo, config or reminder_settings()), milestone.reminded_until
    )


def schedule(obj: Round | Proposal | Milestone) -> None:
    {Round: schedule_round, Proposal: schedule_proposal, Milestone: schedule_milestone}[type(obj)](obj)


def save_scheduled(obj: Round | Proposal | Milestone, update_fields=None) -> None:
    """Save a round, proposal or milestone whose dates or status may have changed, with its next reminder
    recomputed first. Every path that writes those (services, admin, demo data) saves through here."""
    schedule(obj)
    if update_fields is not None:
        update_fields = {*update_fields, "next_reminder_at"}
    obj.save(update_fields=update_fields)


def reschedule_everything(config: ReminderSettings, batch: int = 2000) -> int:
    """After the global settings change: every open round, waiting proposal and open milestone again."""
    floor = timezone.localdate() - datetime.timedelta(days=2)
    changed = 0
    rounds = Round.objects.filter(deadline__gte=floor).select_related("province")
    proposals = Proposal.objects.filter(status=Status.SUBMITTED)
    milestones = Milestone.objects.filter(
        done_on__isnull=True, proposal__status__in=Status.IN_IMPLEMENTATION, due_on__gte=floor
    ).select_related("proposal__round__province")
    for queryset, schedule, fields in [
        (rounds, schedule_round, ["next_reminder_at"]),
        (proposals, schedule_proposal, ["next_reminder_at"]),
        (milestones, schedule_milestone, ["next_reminder_at"]),
    ]:
        for chunk in chunked(queryset.order_by("pk").iterator(chunk_size=batch), batch):
            for row in chunk:
                schedule(row, config)
            changed += type(chunk[0]).objects.bulk_update(chunk, fields)
    return changed


def chunked(rows: Iterable, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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


# --- Claiming and sending -----------------------------------------------------------------------------------

CLAIM_SQL = """
WITH due AS (
    SELECT id FROM replications_reminder
    WHERE sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL AND due_at <= %(now)s
      AND (claimed_at IS NULL OR claimed_at < %(stale)s)
    ORDER BY due_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE replications_reminder AS reminder
SET claimed_at = %(now)s, claim_token = gen_random_uuid()
FROM due WHERE reminder.id = due.id
RETURNING reminder.id, reminder.claim_token
"""


def claim_due(now: datetime.datetime, limit: int) -> list[tuple[int, str]]:
    """Claim up to ``limit`` due open reminders, unclaimed or left by a dead worker: [(id, token)]."""
    stale = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"now": now, "stale": stale, "limit": limit})
        return [(reminder_id, str(token)) for reminder_id, token in cursor.fetchall()]


@dataclass
class SweepResult:
    rounds: int = 0
    proposals: int = 0
    milestones: int = 0
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


SENT, CANCELLED, NOT_OURS = "sent", "cancelled", "not ours"


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter: base × 2^retries, scaled by a random factor in [0.5, 1)."""
    return settings.REMINDER_RETRY_BACKOFF * 2**retries * (0.5 + random.random() / 2)


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
        "proposal__innovation", "milestone",
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


def record_failure(reminder_id: int, token: str, error: BaseException, *, final: bool) -> None:
    """Keep the error; the claim stays with the retrying task, or is released when the row fails for good."""
    changes = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
    if final:
        changes.update(failed_at=timezone.now(), claimed_at=None, claim_token=None)
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
    return ""


# --- Composing: the recipient's language, HTML and plain text, local time, a direct link ------------------


@dataclass
class Composed:
    email: EmailMultiAlternatives
    summary: str  # the in-app notification
    url: str


def message_id(key: str) -> str:
    """Stable per reminder, so the rare duplicate from a crash after sending folds in mail clients."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "replikasi.local"
    return f"<reminder.{digest}@{domain}>"


def compose(reminder: Reminder) -> Composed:
    with translation.override(language_of(reminder.recipient)):
        context = {"reminder": reminder, "user": reminder.recipient}
        context.update(KIND_CONTEXT[reminder.kind](reminder))
        context["link"] = settings.SITE_URL + context["path"]
        name = f"replications/email/reminder_{reminder.kind}"
        text = render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
        email = EmailMultiAlternatives(
            subject=gettext("[Replikasi] %(subject)s") % {"subject": context["subject"]},
            body=text,
            to=[reminder.recipient.email],
            headers={"Message-ID": message_id(reminder.key)},
        )
        email.attach_alternative(html, "text/html")
        return Composed(email=email, summary=str(context["summary"]), url=context["path"])


LONG_DATE = "j F Y"  # 30 Agustus 2021 / 30 August 2021: month names in full in emails


def local_deadline(round_: Round) -> str:
    when = round_.deadline_at
    return gettext("%(date)s pukul 23.59 %(zone)s") % {
        "date": formats.date_format(when.date(), LONG_DATE),
        "zone": round_.province.time_zone_abbreviation,
    }


def days_until(day: datetime.date, province) -> int:
    """Days from today in the province to ``day``, counted when the message goes out (it may go out
    later than its occasion)."""
    return (day - timezone.now().astimezone(province.tzinfo).date()).days


def days_phrase(offset: int) -> str:
    if offset == 0:
        return gettext("hari ini")
    if offset < 0:
        return ngettext("terlambat %(days)d hari", "terlambat %(days)d hari", -offset) % {"days": -offset}
    return ngettext("%(days)d hari lagi", "%(days)d hari lagi", offset) % {"days": offset}


def round_deadline_context(reminder: Reminder) -> dict:
    round_ = reminder.round
    deadline, when = local_deadline(round_), days_phrase(days_until(round_.deadline, round_.province))
    return {
        "round": round_,
        "deadline": deadline,
        "when": when,
        "path": reverse("proposal-create"),
        "subject": gettext("Batas usulan %(round)s: %(when)s") % {"round": round_.title, "when": when},
        "summary": gettext(
            "Batas waktu usulan %(round)s adalah %(deadline)s (%(when)s); "
            "daerah Anda belum mengajukan usulan."
        )
        % {"round": round_.title, "deadline": deadline, "when": when},
    }


def overdue_summary_context(reminder: Reminder) -> dict:
    round_ = reminder.round
    missing = list(regencies_without_proposal(round_))
    deadline = local_deadline(round_)
    return {
        "round": round_,
        "deadline": deadline,
        "missing": missing,
        "path": reverse("round-detail", args=[round_.pk]),
        "subject": gettext("%(round)s: %(count)d daerah belum mengusulkan")
        % {"round": round_.title, "count": len(missing)},
        "summary": gettext("Batas waktu %(round)s (%(deadline)s) telah lewat; belum mengusulkan: %(names)s.")
        % {"round": round_.title, "deadline": deadline, "names": ", ".join(r.name for r in missing)},
    }


def review_waiting_context(reminder: Reminder) -> dict:
    proposal = reminder.proposal
    submitted = proposal.submitted_at.astimezone(proposal.round.province.tzinfo)
    days = (timezone.now() - proposal.submitted_at).days
    values = {
        "innovation": proposal.innovation.name,
        "regency": proposal.regency.name,
        "date": formats.date_format(submitted.date(), LONG_DATE),
        "days": days,
    }
    return {
        "proposal": proposal,
        "submitted": values["date"],
        "days": days,
        "path": reverse("proposal-detail", args=[proposal.pk]),
        "subject": gettext("Usulan %(innovation)s (%(regency)s) menunggu tinjauan") % values,
        "summary": gettext(
            "Usulan %(innovation)s oleh %(regency)s diajukan %(date)s dan belum ditinjau (%(days)d hari)."
        )
        % values,
    }


def milestone_due_context(reminder: Reminder) -> dict:
    milestone, proposal = reminder.milestone, reminder.proposal
    values = {
        "title": milestone.title,
        "innovation": proposal.innovation.name,
        "date": formats.date_format(milestone.due_on, LONG_DATE),
        "when": days_phrase(days_until(milestone.due_on, proposal.round.province)),
    }
    return {
        "milestone": milestone,
        "proposal": proposal,
        "due": values["date"],
        "when": values["when"],
        "path": reverse("proposal-detail", args=[proposal.pk]),
        "subject": gettext("Tahapan “%(title)s” jatuh tempo %(date)s (%(when)s)") % values,
        "summary": gettext(
            "Tahapan “%(title)s” dalam replikasi %(innovation)s jatuh tempo %(date)s (%(when)s)."
        )
        % values,
    }


KIND_CONTEXT: dict[str, Callable[[Reminder], dict]] = {
    ReminderKind.ROUND_DEADLINE: round_deadline_context,
    ReminderKind.OVERDUE_SUMMARY: overdue_summary_context,
    ReminderKind.REVIEW_WAITING: review_waiting_context,
    ReminderKind.MILESTONE_DUE: milestone_due_context,
}
