"""The years a date typed into the programme may fall in. Dates at the calendar's ends (0001-01-01,
9999-12-31) would overflow the reminder arithmetic (a day before, a day after, the end of the deadline
day in a time zone), so every form that takes a deadline or a due date refuses them in words."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


def check_programme_date(day: datetime.date | None) -> datetime.date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Tanggal harus antara tahun %(first)s dan %(last)s.")
            % {"first": EARLIEST.year, "last": LATEST.year},
            code="out_of_range",
        )
    return day
