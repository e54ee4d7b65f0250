"""Composing a reminder: the recipient's language, HTML and plain text, local time, a direct link."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import language_of

from ..models import (
    Reminder,
    ReminderKind,
    Round,
)
from .materialise import regencies_without_proposal

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
    when = round_.deadline_instant()
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


def record_review_context(reminder: Reminder) -> dict:
    innovation = reminder.innovation
    reviewed = innovation.last_reviewed_on
    values = {
        "innovation": innovation.name,
        "date": formats.date_format(reviewed, LONG_DATE) if reviewed else "",
    }
    return {
        "innovation": innovation,
        "reviewed": values["date"],
        "path": reverse("my-innovations"),
        "subject": gettext("Tinjau catatan inovasi %(innovation)s") % values,
        "summary": (
            gettext("Catatan %(innovation)s terakhir ditinjau %(date)s: periksa apakah masih akurat.")
            if reviewed
            else gettext("Catatan %(innovation)s belum pernah ditinjau: periksa apakah masih akurat.")
        )
        % values,
    }


KIND_CONTEXT: dict[str, Callable[[Reminder], dict]] = {
    ReminderKind.ROUND_DEADLINE: round_deadline_context,
    ReminderKind.OVERDUE_SUMMARY: overdue_summary_context,
    ReminderKind.REVIEW_WAITING: review_waiting_context,
    ReminderKind.MILESTONE_DUE: milestone_due_context,
    ReminderKind.RECORD_REVIEW: record_review_context,
}
