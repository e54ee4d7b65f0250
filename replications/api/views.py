"""The replication programme over the REST API: rounds, proposals and their life cycle, commitments,
action plans, progress reports and the signed-in user's notifications.

The same rules as the pages, from the same places: ``Proposal.objects.visible_to(user)`` decides what
anyone sees (outside it is a 404), the pages' forms check every input (uploads by content included),
and ``services.perform`` makes every transition.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core import export
from core.api.base import ApiViewSet, PublicReadViewSet
from core.api.errors import READ_ERRORS, Conflict, errors
from core.api.filters import filter_parameters
from core.api.parsers import JSONParser
from core.files import private_file_response
from innovations.querysets import sees_drafts
from innovations.signals import BANK
from regions.signals import REFERENCE

from .. import notifications, permissions, services
from ..forms import TransitionForm
from ..models import Action, Notification, Proposal, Round
from ..services import TRANSITIONS, TransitionRefused, perform
from ..signals import ROUNDS
from .filters import (
    ProposalFilterSet,
    RoundFilterSet,
)
from .serializers import (
    CommitmentWriteSerializer,
    MilestoneSerializer,
    MilestoneWriteSerializer,
    NoteSerializer,
    NotificationSerializer,
    ProposalDetailSerializer,
    ProposalJsonWriteSerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
    ReportSerializer,
    ReportWriteSerializer,
    RoundSerializer,
    RoundWriteSerializer,
    proposal_write_serializer,
)

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 415, 429)
SIGNED_IN_READ_ERRORS = errors(400, 401, 404, 429)


@extend_schema(tags=["putaran"])
@extend_schema_view(
    list=extend_schema(
        responses={200: RoundSerializer, **READ_ERRORS}, parameters=filter_parameters(RoundFilterSet)
    ),
    retrieve=extend_schema(responses={200: RoundSerializer, **READ_ERRORS}),
    create=extend_schema(request=RoundWriteSerializer, responses={201: RoundSerializer, **WRITE_ERRORS}),
    partial_update=extend_schema(
        request=RoundWriteSerializer, responses={200: RoundSerializer, **WRITE_ERRORS}
    ),
)
class RoundViewSet(PublicReadViewSet):
    """Replication rounds: public, as on the province pages; a provincial bureau opens and edits its own."""

    queryset = (
        Round.objects.select_related("province")
        .prefetch_related("participants", "shortlist")
        .order_by("-deadline", "pk")
    )
    filterset_class = RoundFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    # ETags follow the bank, the regions and ROUNDS, bumped by every write to a round, its participants
    # or its shortlist (signals.py).
    versions = (BANK, REFERENCE, ROUNDS)

    def audience(self, request) -> str:
        return "drafts" if sees_drafts(request.user) else "public"

    def get_serializer_class(self):
        return RoundWriteSerializer if self.action in {"create", "partial_update"} else RoundSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.action in {"create", "partial_update"} else [AllowAny()]

    def create(self, request, *args, **kwargs):
        province = permissions.own_province(request.user)
        serializer = RoundWriteSerializer(data=request.data, context={"form_kwargs": {"province": province}})
        serializer.is_valid(raise_exception=True)
        round_ = services.save_round(serializer.form, request.user)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        round_ = self.get_object()
        if not permissions.may_manage_round(request.user, round_):
            raise Http404
        serializer = RoundWriteSerializer(
            round_, data=request.data, partial=True, context={"form_kwargs": {"province": round_.province}}
        )
        serializer.is_valid(raise_exception=True)
        services.save_round(serializer.form, request.user)
        return Response(RoundSerializer(self.get_queryset().get(pk=round_.pk)).data)


TRANSITION_DESCRIPTIONS = {
    Action.SUBMIT: _(
        "Staf daerah pengusul mengajukan draf atau usulan yang dikembalikan (surat wajib lengkap). Sesudah "
        "batas waktu putaran berakhir (pukul 23.59 waktu provinsi) ditolak dengan 400, kecuali biro "
        "memperpanjangnya; yang diajukan sesudah batas waktu semula ditandai ``is_late``."
    ),
    Action.RETURN: _("Biro provinsi mengembalikan usulan untuk diperbaiki; catatan wajib."),
    Action.VERIFY: _("Biro provinsi memverifikasi usulan yang diajukan."),
    Action.REJECT: _("Biro provinsi menolak usulan; catatan wajib."),
    Action.APPROVE: _("Biro provinsi menyetujui usulan yang terverifikasi."),
    Action.COMMIT: _("Mencatat komitmen yang ditandatangani (komitmen harus sudah diunggah)."),
    Action.START: _("Memulai penerapan (rencana aksi minimal satu tahapan)."),
    Action.COMPLETE: _("Biro provinsi menyatakan replikasi selesai."),
    Action.CANCEL: _("Membatalkan usulan yang disetujui atau sedang diterapkan; catatan wajib."),
}
# The action plan and the reports come whole with their proposal: no filters, no pages.
NOT_A_LIST = {"filter_backends": [], "pagination_class": None}
REFUSAL_STATUS = {"forbidden": exceptions.PermissionDenied, "status": Conflict, "incomplete": Conflict}


def transition_action(name: str):
    """The viewset action of one life-cycle transition: POST /proposals/{id}/<name>/."""

    def run(self, request, pk=None):
        return self.transition(request, pk, name)

    run.__name__ = f"transition_{name}"
    run = action(detail=True, methods=["post"], url_path=name, url_name=name)(run)
    return extend_schema(
        summary=str(TRANSITIONS[name].label),
        description=str(TRANSITION_DESCRIPTIONS[name]),
        request=NoteSerializer,
        responses={200: ProposalDetailSerializer, **WRITE_ERRORS},
        examples=[OpenApiExample("note", value={"note": "Nomor surat belum sesuai."}, request_only=True)],
    )(run)


@extend_schema(tags=["usulan"])
@extend_schema_view(
    list=extend_schema(
        responses={200: ProposalSerializer, **SIGNED_IN_READ_ERRORS},
        parameters=filter_parameters(ProposalFilterSet),
    ),
    retrieve=extend_schema(responses={200: ProposalDetailSerializer, **SIGNED_IN_READ_ERRORS}),
    create=extend_schema(
        request={
            "multipart/form-data": ProposalWriteSerializer,
            "application/json": ProposalJsonWriteSerializer,
        },
        responses={201: ProposalDetailSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        request={
            "multipart/form-data": ProposalWriteSerializer,
            "application/json": ProposalJsonWriteSerializer,
        },
        responses={200: ProposalDetailSerializer, **WRITE_ERRORS},
    ),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Replication proposals the requester may see: regional staff their regency's, a provincial bureau
    its province's, a national admin all. Anything else is a 404."""

    permission_classes = [IsAuthenticated]
    filterset_class = ProposalFilterSet
    serializer_class = ProposalSerializer
    parser_classes = [JSONParser, MultiPartParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        proposals = (
            Proposal.objects.visible_to(self.request.user)
            .select_related("round__province", "regency", "innovation", "adopting_agency")
            .with_lateness()
        )
        if self.action == "retrieve":
            proposals = proposals.select_related("commitment").prefetch_related(
                "events__actor", "milestones", "reports__author"
            )
        return proposals.order_by("-created_at", "-pk")

    def detail_response(self, pk) -> Response:
        proposal = (
            self.get_queryset()
            .select_related("commitment")
            .prefetch_related("events__actor", "milestones", "reports__author")
            .get(pk=pk)
        )
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data)

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data)

    def create(self, request, *args, **kwargs):
        regency = permissions.own_regency(request.user)
        serializer = proposal_write_serializer(request)(
            data=request.data, context={"form_kwargs": {"regency": regency}}
        )
        serializer.is_valid(raise_exception=True)
        try:
            proposal = services.create_proposal(serializer.form, request.user)
        except services.DuplicateProposal as duplicate:
            existing = {"id": duplicate.existing.pk, "url": duplicate.url} if duplicate.existing else None
            raise Conflict(str(duplicate), code="duplicate", extra={"existing": existing}) from None
        response = self.detail_response(proposal.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        if not permissions.is_proposing_staff(request.user, proposal):
            raise Http404
        if not permissions.may_edit_proposal(request.user, proposal):
            raise Conflict(_("Usulan yang sudah diajukan tidak dapat diubah."))
        serializer = proposal_write_serializer(request)(
            proposal, data=request.data, partial=True, context={"form_kwargs": {"regency": proposal.regency}}
        )
        serializer.is_valid(raise_exception=True)
        services.update_proposal(serializer.form)
        return self.detail_response(proposal.pk)

    def transition(self, request, pk, name: str) -> Response:
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        form = TransitionForm({"note": note.validated_data.get("note", "")})
        form.is_valid()
        try:
            perform(
                int(pk), name, request.user, note=form.cleaned_data.get("note", ""),
                expected_status=note.validated_data.get("expected_status"),
            )  # fmt: skip
        except Proposal.DoesNotExist:
            raise Http404 from None
        except TransitionRefused as refusal:
            if refusal.reason == "note":
                raise exceptions.ValidationError({"note": [str(refusal)]}) from None
            if refusal.reason == "closed":  # the round's deadline has passed: a 400 that says so
                raise exceptions.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: [str(refusal)]}
                ) from None
            raise REFUSAL_STATUS.get(refusal.reason, Conflict)(str(refusal)) from None
        return self.detail_response(pk)

    @extend_schema(
        summary=str(_("Unduh daftar usulan sebagai CSV atau XLSX")),
        description=str(
            _(
                "Seluruh usulan yang boleh Anda lihat, dengan saringan yang sama seperti daftar "
                "(maksimal %(max)s baris)."
            )
            % {"max": export.MAX_ROWS}
        ),
        parameters=[export.FORMAT_PARAMETER, *filter_parameters(ProposalFilterSet)],
        responses=export.export_responses(SIGNED_IN_READ_ERRORS),
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request):
        fmt = export.export_format(request)
        proposals = self.filter_queryset(self.get_queryset())[: export.MAX_ROWS]
        header = [
            "id", _("putaran"), _("kode kabupaten/kota"), _("kabupaten/kota pengusul"), _("inovasi"),
            _("nama lokal"), _("perangkat daerah pelaksana"), _("status"), _("nomor surat"),
            _("tanggal surat"), _("diajukan pada"), _("dibuat"), _("diperbarui"),
        ]  # fmt: skip
        rows = (
            [
                p.pk,
                p.round.title,
                p.regency.code,
                p.regency.name,
                p.innovation.name,
                p.local_name,
                p.adopting_agency.name if p.adopting_agency_id else "",
                p.get_status_display(),
                p.letter_number,
                p.letter_date,
                p.submitted_at,
                p.created_at,
                p.updated_at,
            ]  # fmt: skip
            for p in proposals
        )
        return export.file_response(fmt, "usulan", header, rows)

    @extend_schema(
        responses={
            (200, "application/pdf"): inline_serializer("PdfFile", {"file": serializers.FileField()}),
            **SIGNED_IN_READ_ERRORS,
        },
        description=str(_("Surat usulan yang ditandatangani (PDF), hanya bagi yang boleh melihat usulan.")),
    )
    @action(detail=True, methods=["get"], url_path="letter")
    def letter(self, request, pk=None):
        proposal = self.get_object()
        if not proposal.letter_file:
            raise Http404
        return private_file_response(proposal.letter_file, f"surat-usulan-{proposal.pk}.pdf")

    @extend_schema(methods=["GET"], responses={200: MilestoneSerializer(many=True), **SIGNED_IN_READ_ERRORS})
    @extend_schema(
        methods=["POST"],
        request=MilestoneWriteSerializer,
        responses={201: MilestoneSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="milestones", **NOT_A_LIST)
    def milestones(self, request, pk=None):
        """The action plan: dated steps, added once the proposal is approved."""
        if request.method == "GET":
            proposal = self.get_object()
            return Response(MilestoneSerializer(proposal.milestones.all(), many=True).data)
        proposal = permissions.proposal_for_implementation(request.user, pk)
        serializer = MilestoneWriteSerializer(
            data=request.data, context={"form_kwargs": {"proposal": proposal}}
        )
        serializer.is_valid(raise_exception=True)
        milestone = services.add_milestone(proposal, serializer.form.save(commit=False))
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MilestoneSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path=r"milestones/(?P<milestone_pk>[0-9]+)/done")
    def milestone_done(self, request, pk=None, milestone_pk=None):
        """Mark a step of the action plan done today (again: no change)."""
        proposal = permissions.proposal_for_implementation(request.user, pk)
        milestone = proposal.milestones.filter(pk=milestone_pk).first()
        if milestone is None:
            raise Http404
        services.complete_milestone(milestone)
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(methods=["GET"], responses={200: ReportSerializer(many=True), **SIGNED_IN_READ_ERRORS})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ReportWriteSerializer},
        responses={201: ReportSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="reports",
        parser_classes=[MultiPartParser],
        **NOT_A_LIST,
    )
    def reports(self, request, pk=None):
        """Progress reports with their evidence (a PDF checked by content)."""
        if request.method == "GET":
            proposal = self.get_object()
            return Response(ReportSerializer(proposal.reports.select_related("author"), many=True).data)
        proposal = permissions.proposal_for_implementation(request.user, pk)
        serializer = ReportWriteSerializer(data=request.data, context={"form_kwargs": {"proposal": proposal}})
        serializer.is_valid(raise_exception=True)
        report = services.add_report(proposal, serializer.form.save(commit=False), request.user)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": CommitmentWriteSerializer},
        responses={200: ProposalDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["put"], url_path="commitment", parser_classes=[MultiPartParser])
    def commitment(self, request, pk=None):
        """Record or replace the signed commitment (komitmen/MoU) of an approved proposal."""
        proposal = permissions.proposal_for_implementation(request.user, pk)
        serializer = CommitmentWriteSerializer(
            getattr(proposal, "commitment", None), data=request.data, partial=hasattr(proposal, "commitment")
        )
        serializer.is_valid(raise_exception=True)
        services.record_commitment(proposal, serializer.form.save(commit=False))
        return self.detail_response(proposal.pk)


for _name in TRANSITIONS:
    setattr(ProposalViewSet, f"transition_{_name}", transition_action(_name))


@extend_schema(tags=["notifikasi"])
@extend_schema_view(
    list=extend_schema(responses={200: NotificationSerializer, **SIGNED_IN_READ_ERRORS}),
    retrieve=extend_schema(responses={200: NotificationSerializer, **SIGNED_IN_READ_ERRORS}),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The signed-in user's in-app notifications, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; requests read their own user's

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
            **errors(400, 401, 403, 404, 415, 429),
        },
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark every unread notification read."""
        return Response({"marked": notifications.mark_all_read(request.user)})
