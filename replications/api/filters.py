"""How the programme's API lists are narrowed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api.filters import IntegerFilter, PatternFilter
from regions.api import PROVINCE_CODE, REGENCY_CODE

from ..models import Proposal, Round, Status


class RoundFilterSet(filters.FilterSet):
    province = PatternFilter(
        field_name="province__code", pattern=PROVINCE_CODE, max_length=2, label=_("Kode provinsi")
    )
    participant = PatternFilter(
        field_name="participants__code",
        pattern=REGENCY_CODE,
        max_length=5,
        label=_("Kode kabupaten/kota peserta"),
    )

    class Meta:
        model = Round
        fields: list[str] = []


class ProposalFilterSet(filters.FilterSet):
    """The proposals a list shows, narrowed: by status, round, regency or innovation."""

    status = filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    round = IntegerFilter(field_name="round_id", label=_("Putaran"))
    regency = PatternFilter(
        field_name="regency__code", pattern=REGENCY_CODE, max_length=5, label=_("Kode kabupaten/kota")
    )
    innovation = PatternFilter(
        field_name="innovation__slug", pattern="^[-a-zA-Z0-9_]*$", max_length=220, label=_("Slug inovasi")
    )

    class Meta:
        model = Proposal
        fields: list[str] = []
