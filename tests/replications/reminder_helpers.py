"""Shared set-up for reminder tests: instants in a province's local time and a proposal that has proposed."""

import datetime
import zoneinfo

from replications.models import Status
from tests.factories import ProposalFactory

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def local(tzinfo, year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tzinfo)


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
