"""Private files (uploads only their owners may read) answered the one way: as a download the browser
never sniffs into something else, and no shared cache keeps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.http import FileResponse


def private_file_response(
    stored, filename: str, *, content_type: str = "application/pdf", as_attachment: bool = True
) -> FileResponse:
    """``stored`` (a FieldFile) under ``filename``, ``attachment`` unless asked ``inline``."""
    response = FileResponse(
        stored.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@contextmanager
def no_file_left_on_failure(instance: models.Model) -> Iterator[None]:
    """Files that saving ``instance`` writes to storage inside the block are deleted again when the block
    fails (its transaction rolls back): no file on disk that no row names."""
    pending = [
        field.attname
        for field in instance._meta.concrete_fields
        if isinstance(field, models.FileField) and not getattr(instance, field.attname)._committed
    ]
    try:
        yield
    except BaseException:
        for attname in pending:
            stored = getattr(instance, attname)
            if stored._committed and stored.name:
                stored.storage.delete(stored.name)
        raise
