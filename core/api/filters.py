"""Query parameters checked by their form and documented with it in the OpenAPI schema."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter

NO_NUL = "^[^\\x00]*$"


class PatternFilter(filters.CharFilter):
    """A text parameter of a known form (a code, a slug): checked by its pattern, documented with it.

    Empty means "no filter", as django-filter reads it, so the documented pattern accepts it too.
    """

    def __init__(self, *args, pattern: str, max_length: int, **kwargs):
        self.pattern = pattern
        super().__init__(*args, max_length=max_length, validators=[RegexValidator(pattern)], **kwargs)

    def parameter(self, name: str) -> OpenApiParameter:
        return OpenApiParameter(
            name,
            {"type": "string", "pattern": self.pattern, "maxLength": self.extra["max_length"]},
            description=str(self.label),
        )


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The documented form of a FilterSet's pattern-checked and integer parameters."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        if isinstance(declared, PatternFilter):
            parameters.append(declared.parameter(name))
        elif isinstance(declared, IntegerFilter):
            parameters.append(OpenApiParameter(name, int, description=str(declared.label)))
        elif isinstance(declared, filters.ChoiceFilter):  # empty means "no filter", as django-filter reads it
            values = ["", *(value for value, _label in declared.extra["choices"])]
            parameters.append(
                OpenApiParameter(name, {"type": "string", "enum": values}, description=str(declared.label))
            )
    return parameters


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField
