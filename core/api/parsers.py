"""The API's JSON parser: a body nested deeper than Python's recursion limit, or a number that overflows
to infinity (``1e999``, which a text field would store as "inf"), is a 400, never a server error."""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class NotFinite(ValueError):
    pass


def finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise NotFinite(text)
    return number


def refuse_constant(text: str):
    raise NotFinite(text)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                stream.read().decode(encoding), parse_float=finite, parse_constant=refuse_constant
            )
        except RecursionError:
            raise ParseError(_("JSON ini terlalu dalam bertingkat."), code="parse_error") from None
        except NotFinite:
            raise ParseError(
                _("JSON ini memuat bilangan di luar jangkauan (mis. 1e999, NaN atau Infinity)."),
                code="parse_error",
            ) from None
        except ValueError as error:
            raise ParseError(
                _("JSON ini tidak sah: %(error)s") % {"error": error}, code="parse_error"
            ) from None
