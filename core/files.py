"""Private files (uploads only their owners may read) answered the one way: as a download the browser
never sniffs into something else, and no shared cache keeps."""

from __future__ import annotations

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
