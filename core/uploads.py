"""Uploaded documents are checked by their content, never by their name.

A PDF is parsed only as far as validation needs (the cross-reference table and the page tree, never
a page's content), and within bounds: at most ``UPLOAD_MAX_PDF_PAGES`` pages, a page tree at most
``PAGE_TREE_DEPTH`` deep in which no node appears twice, and ``PARSE_SECONDS`` of work. A hostile file
(a tree that is deep, cyclic or repeats a node to claim millions of pages) is refused in milliseconds.
"""

from __future__ import annotations

import io
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# Real documents nest /Pages a few levels; pypdf itself stops at 100.
PAGE_TREE_DEPTH = 32
PARSE_SECONDS = 2.0


class HostilePdf(Exception):
    """The page tree is not one a real document has."""


class TooManyPages(Exception):
    pass


def count_pages(reader, limit: int) -> int:
    """The pages of the page tree, walked without recursion; stops past ``limit`` pages, at a node seen
    twice, past PAGE_TREE_DEPTH levels or past PARSE_SECONDS."""
    from pypdf.generic import IndirectObject

    deadline = time.monotonic() + PARSE_SECONDS
    root = reader.trailer["/Root"].get_object()
    start = root.raw_get("/Pages")
    seen: set[int] = set()
    stack = [(start, 0)]
    found = 0
    while stack:
        if time.monotonic() > deadline:
            raise HostilePdf("too slow")
        node, depth = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                raise HostilePdf("a node appears twice")
            seen.add(node.idnum)
        node = node.get_object()
        if not hasattr(node, "get"):
            raise ValueError(f"a page tree node is a {type(node).__name__}")
        kids = node.get("/Kids")
        if node.get("/Type") == "/Pages" or kids is not None:
            if depth >= PAGE_TREE_DEPTH:
                raise HostilePdf("too deep")
            stack.extend((kid, depth + 1) for kid in reversed(list(kids or [])))
        else:
            found += 1
            if found > limit:
                raise TooManyPages
    return found


def validate_pdf(upload) -> None:
    """A real PDF: not empty, within the size and page limits, starting with the PDF signature and readable
    by pypdf, with a page tree a real document has."""
    from pypdf import PdfReader

    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Berkas kosong. Unggah surat dalam format PDF."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head[:1024]:
        raise ValidationError(_("Berkas ini bukan PDF. Unggah surat dalam format PDF."), code="not_pdf")
    limit = settings.UPLOAD_MAX_PDF_PAGES
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        found = count_pages(reader, limit)
    except TooManyPages:
        raise ValidationError(
            _("PDF ini lebih dari %(limit)s halaman; unggah dokumen yang lebih ringkas.") % {"limit": limit},
            code="too_many_pages",
        ) from None
    except (HostilePdf, RecursionError) as error:
        logger.info("PDF refused, its page tree is hostile: %s", error)
        raise ValidationError(
            _(
                "Struktur halaman PDF ini tidak wajar sehingga tidak dapat diperiksa. "
                "Simpan ulang sebagai PDF."
            ),
            code="hostile",
        ) from None
    except Exception as error:  # a parser fed untrusted bytes: whatever it raises, the file is unreadable
        logger.info("PDF refused as unreadable: %s: %s", type(error).__name__, error)
        raise ValidationError(_("PDF ini rusak atau tidak dapat dibaca."), code="unreadable") from None
    finally:
        upload.seek(0)
    if found < 1:
        raise ValidationError(_("PDF ini tidak memiliki halaman."), code="no_pages")
