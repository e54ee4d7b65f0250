"""In-app notifications, and the messages that tell people about a step of a proposal's life cycle or
about a round (opened for their regency, their regency added, its deadline extended).

The unread count is cached per user so the navigation costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import language_of
from core.caching import forget, forget_after_commit

from .models import Notification, ProposalEvent, RoundEvent, RoundEventKind

UNREAD_SECONDS = 600


def unread_key(user_id: int) -> str:
    return f"replications:unread:{user_id}"


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(unread_key(user.pk), count, timeout=UNREAD_SECONDS)
    return count


def add(user, message: str, proposal=None, url: str = "") -> Notification:
    notification = Notification.objects.create(user=user, message=message, proposal=proposal, url=url)
    # After commit: a count cached before then would miss the new row, and a cache that is down must not
    # roll back the transaction (a reminder's, marked sent after the mail server accepted it).
    forget_after_commit(unread_key(user.pk))
    return notification


def mark_all_read(user) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    forget(unread_key(user.pk))
    forget_after_commit(unread_key(user.pk))
    return marked


@dataclass(frozen=True)
class StepMessage:
    subject: str
    body: str
    summary: str  # the in-app notification


def step_message(event: ProposalEvent, user) -> StepMessage:
    """What one step of a proposal's life cycle tells ``user``, in their language."""
    proposal = event.proposal
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
        return StepMessage(subject=subject, body="\n\n".join(lines), summary=" ".join(lines))


def email_step(event_id: int, user_id: int) -> str:
    """Email one recipient about one step ("sent", or "gone" when there is no one to tell any more).

    Raises whatever the mail backend raises; the task retries.
    """
    event = (
        ProposalEvent.objects.select_related("proposal__round", "proposal__regency", "proposal__innovation")
        .filter(pk=event_id)
        .first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if event is None or user is None:
        return "gone"
    message = step_message(event, user)
    send_mail(message.subject, message.body, None, [user.email])
    return "sent"


def round_message(event: RoundEvent, user) -> StepMessage:
    """What a round's event tells a regency's staff member ``user``, in their language."""
    round_ = event.round
    with translation.override(language_of(user)):
        values = {
            "round": round_.title,
            "province": round_.province.name,
            "date": date_format(event.to_deadline or round_.deadline, "DATE_FORMAT"),
            "zone": round_.province.time_zone_abbreviation,
        }
        if event.kind == RoundEventKind.EXTEND:
            subject = gettext("[Replikasi] Batas waktu diperpanjang: %(round)s") % values
            lines = [
                gettext(
                    "Batas waktu putaran replikasi “%(round)s” (%(province)s) diperpanjang dari %(before)s "
                    "menjadi %(date)s pukul 23.59 %(zone)s."
                )
                % {**values, "before": date_format(event.from_deadline, "DATE_FORMAT")},
                gettext("Usulan yang diajukan sesudah batas waktu semula ditandai terlambat."),
            ]
        else:
            subject = gettext("[Replikasi] Putaran replikasi dibuka untuk daerah Anda: %(round)s") % values
            lines = [
                gettext(
                    "Daerah Anda ikut serta dalam putaran replikasi “%(round)s” yang diselenggarakan "
                    "%(province)s. Batas usulan %(date)s pukul 23.59 %(zone)s."
                )
                % values
            ]
        summary = " ".join(lines)
        lines.append(
            gettext("Buat usulan: %(link)s") % {"link": settings.SITE_URL + reverse("proposal-create")}
        )
        return StepMessage(subject=subject, body="\n\n".join(lines), summary=summary)


def email_round(event_id: int, user_id: int) -> str:
    """Email one regency staff member about one round event ("sent", or "gone" when there is no one to
    tell any more). Raises whatever the mail backend raises; the task retries."""
    event = RoundEvent.objects.select_related("round__province").filter(pk=event_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if event is None or user is None:
        return "gone"
    message = round_message(event, user)
    send_mail(message.subject, message.body, None, [user.email])
    return "sent"
