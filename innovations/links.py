"""An innovation's links written as text, as spreadsheets and the innovators' form write them: one per
line (or separated by ";"), "title | url"; a link without a title is titled by its address."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

TITLE_LENGTH = 200  # InnovationLink.title


def parse(text: str) -> list[tuple[str, str]]:
    """[(title, url), …] in the order written; ValueError naming the first address that is not http(s)."""
    links = []
    for line in re.split(r"[\n;]+", text):
        if not line.strip():
            continue
        title, _bar, url = line.rpartition("|")
        url = url.strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValueError(
                _("Tautan “%(value)s” bukan alamat http(s) yang sah.") % {"value": url}
            ) from error
        links.append(((title.strip() or url)[:TITLE_LENGTH], url))
    return links


def as_text(links) -> str:
    return "\n".join(f"{title} | {url}" for title, url in links)
