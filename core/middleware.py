"""A request body larger than any upload may be is refused from its Content-Length, before a byte of it
is read: 413, the API's error body under /api/, a page elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            detail = _("Permintaan terlalu besar (%(size)s); batasnya %(limit)s.") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
            if request.path.startswith("/api/"):
                body = {"status": 413, "code": "too_large", "detail": detail, "errors": {}}
                return JsonResponse(body, status=413)
            return SimpleTemplateResponse("413.html", {"detail": detail}, status=413).render()
        return self.get_response(request)
