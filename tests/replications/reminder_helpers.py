"""Shared set-up for reminder tests: instants in a province's local time, rounds and proposals saved with
their reminder schedule (as the pages, API and admin save them), and a proposal that has proposed."""

import datetime
import io
import zoneinfo

import time_machine
from django.core import mail
from django.core.management import call_command

from replications import reminders, services
from replications.models import Milestone, Status
from tests import factories

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


class ScheduledFactory:
    """A factory whose rows are saved through ``reminders.save_scheduled``, like the app's own writes."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = model_class(*args, **kwargs)
        reminders.save_scheduled(row)
        return row


class RoundFactory(ScheduledFactory, factories.RoundFactory):
    pass


class ProposalFactory(ScheduledFactory, factories.ProposalFactory):
    pass


def local(tzinfo, year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tzinfo)


def add_milestone(proposal, title: str, due_on: datetime.date) -> Milestone:
    """A step of the action plan, added as the pages and the API add it."""
    return services.add_milestone(proposal, Milestone(title=title, due_on=due_on))


def submitted_proposal(round_, regency, **values):
    """A proposal that went past draft, with its letter (the constraint wants one)."""
    values.setdefault("status", Status.SUBMITTED)
    values.setdefault("submitted_at", datetime.datetime(2021, 8, 24, 3, tzinfo=datetime.UTC))
    return ProposalFactory(
        round=round_,
        regency=regency,
        letter_number="B/061/143/SETDAKO-PP/VIII/2021",
        letter_date=datetime.date(2021, 8, 24),
        letter_file="private/letters/uji.pdf",
        **values,
    )


def sweep_at(instant: datetime.datetime) -> list:
    """Run the operators' command at this instant; the emails it sent."""
    before = len(mail.outbox)
    with time_machine.travel(instant, tick=False):
        call_command("send_reminders", stdout=io.StringIO())
    return mail.outbox[before:]
