"""Every serializer field that reads a nullable model field says so: the schema then marks it
`nullable`, and an answer holding `null` (an agency with no regency, an innovation replicated from
nothing) still conforms to it. Walks every ModelSerializer of the API, so a new field cannot forget."""

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.urls import get_resolver
from rest_framework import serializers


def all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_subclasses(subclass)


def api_serializers():
    get_resolver().url_patterns  # noqa: B018 (loads every URLconf, so every API module is imported)
    found = {
        cls
        for cls in all_subclasses(serializers.ModelSerializer)
        if cls.__module__.split(".")[0] not in {"rest_framework", "drf_spectacular"}
        and getattr(getattr(cls, "Meta", None), "model", None) is not None
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def source_fields(model, source: str) -> list:
    """The model fields a dotted source walks through, up to the first part that is not a field."""
    fields = []
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        fields.append(field)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return fields


def nullability_gaps(serializer_class) -> list[str]:
    serializer = serializer_class()
    gaps = []
    for name, field in serializer.fields.items():
        if field.source == "*" or isinstance(field, serializers.SerializerMethodField):
            continue
        if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
            continue
        walked = source_fields(serializer_class.Meta.model, field.source)
        # A dotted source is null when any relation on its way is.
        if any(getattr(step, "null", False) for step in walked) and not field.allow_null:
            gaps.append(f"{name} (source {field.source!r}) reads a nullable field but has allow_null=False")
        whole = len(walked) == len(field.source.split("."))
        if (
            whole
            and not field.read_only
            and getattr(walked[-1], "blank", False)
            and field.required
            and not getattr(field, "allow_blank", True)
        ):
            gaps.append(f"{name} writes a field that may be blank but requires a value")
    return gaps


SERIALIZERS = api_serializers()


def test_the_walk_finds_the_apis_serializers():
    names = {cls.__name__ for cls in SERIALIZERS}
    assert {"AgencySerializer", "InnovationDetailSerializer", "ProposalSerializer"} <= names


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_serializer_fields_are_nullable_where_the_model_is(serializer_class):
    assert nullability_gaps(serializer_class) == []
