"""Uploaded documents are checked by their content, never by their name."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload) -> None:
    """A real PDF: not empty, within the size limit, starting with the PDF signature and readable by pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        if len(reader.pages) < 1:
            raise ValidationError(_("PDF ini tidak memiliki halaman."), code="no_pages")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise ValidationError(_("PDF ini rusak atau tidak dapat dibaca."), code="unreadable") from None
    finally:
        upload.seek(0)
