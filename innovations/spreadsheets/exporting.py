"""Innovations written back out in the import's own columns (columns.py), so that a file exported from
the admin or from the public list imports again with no change. Headers are the template's, in the
user's language (both are accepted on import); choices are written as their labels in that language,
flags as ya/tidak (yes/no), awards as "2021 top45 umum", links as "title | url", one per line.

    innovations = exporting.for_export(Innovation.objects.filter(...))[: export.MAX_ROWS]
    exporting.response(export.XLSX, innovations, "inovasi")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import export

from ..models import Innovation, InnovationLink, KippAward
from .columns import COLUMNS


def header() -> list[str]:
    english = (get_language() or "id").startswith("en")
    return [column.english if english else column.header for column in COLUMNS]


def for_export(innovations):
    """The innovations with what their rows read, in a fixed number of queries."""
    chosen = innovations.prefetch_related(None)  # what a caller prefetched is replaced, not repeated
    return chosen.select_related("owner_agency__regency", "owner_agency__province").prefetch_related(
        "sdgs",
        Prefetch("awards", KippAward.objects.select_related("edition").order_by("edition__year", "tier")),
        Prefetch("links", InnovationLink.objects.order_by("pk")),
    )


def yes_no(value: bool) -> str:
    return _("ya") if value else _("tidak")


def region_code(agency) -> str:
    if agency.regency_id:
        return agency.regency.code
    return agency.province.code if agency.province_id else ""


def cells(innovation: Innovation) -> dict[str, object]:
    agency = innovation.owner_agency
    return {
        "agency": agency.name,
        "region": region_code(agency),
        "category": innovation.get_category_display(),
        "affair": innovation.get_affair_display() if innovation.affair else "",
        "sdgs": ", ".join(str(sdg.number) for sdg in sorted(innovation.sdgs.all(), key=lambda s: s.number)),
        "is_digital": yes_no(innovation.is_digital),
        "launch_year": innovation.launch_year,
        "links": "\n".join(f"{link.title} | {link.url}" for link in innovation.links.all()),
        "awards": "; ".join(f"{a.edition.year} {a.tier} {a.group}" for a in innovation.awards.all()),
        "is_published": yes_no(innovation.is_published),
        "last_reviewed_on": innovation.last_reviewed_on,
    }


def rows(innovations: Iterable[Innovation]) -> Iterator[list]:
    for innovation in innovations:
        special = cells(innovation)
        yield [
            special[column.key] if column.key in special else getattr(innovation, column.key)
            for column in COLUMNS
        ]


def response(fmt: str, innovations: Iterable[Innovation], name: str):
    """The file of these innovations (from ``for_export``), in their order."""
    return export.file_response(fmt, name, header(), rows(innovations))
