"""Page numbers and sizes: ``page`` from 1, ``page_size`` 1–100; anything else is a 400."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

MAX_PAGE_SIZE = 100


class Pagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1–100, default 20): anything else is a 400, a page past the
    end a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("Halaman tidak ada.")

    def whole_number(self, request, name: str, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
            raise exceptions.ValidationError(
                {name: [_("Harus bilangan bulat 1–%(max)s.") % {"max": maximum}]}
            )
        return int(raw)

    def get_page_size(self, request):
        self.whole_number(request, self.page_query_param, 2**31 - 1)
        return self.whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["maximum"] = 2**31 - 1
                parameter["description"] = str(_("Nomor halaman, mulai dari 1."))
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = str(
                    _("Jumlah hasil per halaman (1–%(max)s, bawaan 20).") % {"max": self.max_page_size}
                )
        return parameters
