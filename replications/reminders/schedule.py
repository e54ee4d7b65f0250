"""When each reminder of a round, proposal or milestone falls due, and ``next_reminder_at``, the
instant the sweep next looks at the row, kept up to date by every write that changes dates or status."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from innovations.models import REVIEW_INTERVAL_DAYS

from ..models import (
    Milestone,
    Proposal,
    ReminderKind,
    ReminderSettings,
    Round,
    Status,
)

# An occasion found more than this late (the sweep was down) is skipped rather than sent out of date.
STALE_AFTER = datetime.timedelta(days=1)


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


def record_review_occasion(reviewed_on: datetime.date, now: datetime.datetime, config) -> Occasion | None:
    """The yearly review's latest due occasion: a year after the record's last review, then every
    ``record_review_repeat_days`` until it is reviewed again; None while the record is fresh. The
    occasion's label is its date, so each one is reminded once."""
    tzinfo = timezone.get_default_timezone()  # the bank is national: the site's time zone (WIB)
    first = reviewed_on + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    today = now.astimezone(tzinfo).date()
    if today < first:
        return None
    repeat = config.record_review_repeat_days
    day = first + datetime.timedelta(days=(today - first).days // repeat * repeat)
    at = local_instant(day, tzinfo, config.send_hour)
    if at > now:  # today's occasion, before the sending hour: the previous one, if any
        if day == first:
            return None
        day -= datetime.timedelta(days=repeat)
        at = local_instant(day, tzinfo, config.send_hour)
    return Occasion(ReminderKind.RECORD_REVIEW, at, day.isoformat(), 0)
