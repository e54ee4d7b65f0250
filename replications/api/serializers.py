"""What the programme's API reads and writes; every write is checked by the page's own form."""

from __future__ import annotations

from collections.abc import Mapping

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from ..forms import CommitmentForm, MilestoneForm, ProgressReportForm, ProposalForm, RoundForm
from ..models import Milestone, Notification, ProgressReport, Proposal, ProposalEvent, Round, Status
from ..services import available_actions

MAX_ID = 2**63 - 1


def object_id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def pks(value):
    """A form's data for a many-to-many field is the related rows' ids."""
    if isinstance(value, list):
        return [getattr(item, "pk", item) for item in value]
    return value


class FormBackedSerializer(serializers.Serializer):
    """Input parsed by the serializer's fields, then checked by the page's own form, so the API and the
    page apply one set of rules. A field the request may not set (unknown, or read-only such as
    ``status``) is refused with 400, never silently applied."""

    # The views hand the valid ``form`` to the service that writes (replications.services), as the
    # pages do; the serializer itself saves nothing.

    form_class: type
    file_fields: tuple[str, ...] = ()

    def form_kwargs(self) -> dict:
        return self.context.get("form_kwargs", {})

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "expected a dictionary" 400
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            message = _("Isian ini tidak dikenal atau tidak boleh diubah lewat permintaan ini.")
            raise exceptions.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs):
        fields = [name for name in self.form_class._meta.fields if name not in self.file_fields]
        data = model_to_dict(self.instance, fields=fields) if self.instance is not None else {}
        data = {name: pks(value) for name, value in data.items() if value is not None}
        data.update({name: value for name, value in attrs.items() if name not in self.file_fields})
        data = {name: "" if value is None else value for name, value in data.items()}
        files = {name: attrs[name] for name in self.file_fields if attrs.get(name)}
        self.form = self.form_class(data=data, files=files, instance=self.instance, **self.form_kwargs())
        if not self.form.is_valid():
            raise exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field: [
                        error["message"] for error in field_errors
                    ]
                    for field, field_errors in self.form.errors.get_json_data().items()
                }
            )
        return attrs


class RoundSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    participants = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    shortlist = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Round
        fields = [
            "id", "title", "province", "fgd_date", "deadline", "original_deadline", "mentor", "notes",
            "participants", "shortlist", "reminder_offsets", "created_at",
        ]  # fmt: skip


class RoundWriteSerializer(FormBackedSerializer):
    """A round of the bureau's own province; participants by id (its regencies), the shortlist by
    innovation id (published ones)."""

    form_class = RoundForm
    title = serializers.CharField(max_length=200)
    fgd_date = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateField()
    mentor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = serializers.ListField(child=object_id(), min_length=1, max_length=600)
    shortlist = serializers.ListField(child=object_id(), required=False, max_length=500)
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=60),
        required=False,
        allow_null=True,
        max_length=10,
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs):
        if "reminder_offsets" in attrs:
            offsets = attrs["reminder_offsets"]
            attrs["reminder_offsets"] = ",".join(map(str, offsets)) if offsets else ""
        return super().validate(attrs)


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoundBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    deadline = serializers.DateField()


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None)

    class Meta:
        model = ProposalEvent
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "position"]


class ReportSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", allow_null=True, default=None)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "reported_on", "milestone", "summary", "author", "has_evidence", "created_at"]

    def get_has_evidence(self, report) -> bool:
        return bool(report.evidence)


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal as a list shows it, with the transitions the requester may make now."""

    round = RoundBriefSerializer()
    regency = serializers.CharField(source="regency.code")
    regency_name = serializers.CharField(source="regency.name")
    innovation = serializers.CharField(source="innovation.slug")
    innovation_name = serializers.CharField(source="innovation.name")
    adopting_agency = BriefSerializer(allow_null=True)
    has_letter = serializers.SerializerMethodField()
    is_late = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Diajukan sesudah batas waktu semula putaran, dalam perpanjangan batas waktu (“Terlambat”)."
        ),
    )
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "round", "regency", "regency_name", "innovation", "innovation_name", "local_name",
            "adopting_agency", "problem", "expected_results", "letter_number", "letter_date", "has_letter",
            "status", "submitted_at", "is_late", "created_at", "updated_at", "actions",
        ]  # fmt: skip

    def get_has_letter(self, proposal) -> bool:
        return bool(proposal.letter_file)

    def get_actions(self, proposal) -> list[str]:
        return [transition.action for transition in available_actions(proposal, self.context["request"].user)]


class CommitmentBriefSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    notes = serializers.CharField()
    has_document = serializers.BooleanField()


class ProposalDetailSerializer(ProposalSerializer):
    """A proposal with its timeline, commitment, action plan and progress reports."""

    events = EventSerializer(many=True)
    commitment = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True)
    reports = ReportSerializer(many=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "events", "commitment", "milestones", "reports"]

    @extend_schema_field(CommitmentBriefSerializer(allow_null=True))
    def get_commitment(self, proposal) -> dict | None:
        commitment = getattr(proposal, "commitment", None)
        if commitment is None:
            return None
        return {
            "signed_on": commitment.signed_on,
            "notes": commitment.notes,
            "has_document": bool(commitment.document),
        }


class ProposalWriteSerializer(FormBackedSerializer):
    """What regional staff fill in. The regency is the requester's own; ``status``, ``regency`` and the
    reviewers' fields are never taken from the body (sending them is a 400). ``round`` and
    ``innovation`` are fixed once the draft exists."""

    form_class = ProposalForm
    file_fields = ("letter_file",)
    round = object_id()
    innovation = object_id()
    local_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    adopting_agency = object_id(required=False, allow_null=True)
    new_agency_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    expected_results = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    letter_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    letter_date = serializers.DateField(required=False, allow_null=True)
    letter_file = serializers.FileField(required=False, help_text=_("Surat resmi yang ditandatangani (PDF)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in ("round", "innovation"):
                self.fields[name].read_only = True


class ProposalJsonWriteSerializer(ProposalWriteSerializer):
    """The same fields as JSON; the letter PDF comes only in a multipart body."""

    letter_file = None


def proposal_write_serializer(request):
    multipart = (request.content_type or "").startswith("multipart/")
    return ProposalWriteSerializer if multipart else ProposalJsonWriteSerializer


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text=_(
            "Status yang Anda lihat saat memilih tindakan. Bila usulan sudah berubah sejak itu, "
            "jawabannya 409 dan tidak ada yang diubah."
        ),
    )


class MilestoneWriteSerializer(FormBackedSerializer):
    form_class = MilestoneForm
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class ReportWriteSerializer(FormBackedSerializer):
    form_class = ProgressReportForm
    file_fields = ("evidence",)
    reported_on = serializers.DateField()
    milestone = object_id(required=False, allow_null=True)
    summary = serializers.CharField(max_length=10000)
    evidence = serializers.FileField(help_text=_("Bukti (PDF), diperiksa dari isinya."))


class CommitmentWriteSerializer(FormBackedSerializer):
    form_class = CommitmentForm
    file_fields = ("document",)
    signed_on = serializers.DateField()
    document = serializers.FileField(
        required=False, help_text=_("Dokumen komitmen yang ditandatangani (PDF).")
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "proposal", "url", "created_at", "read_at"]
