"""Pages of the replication programme for regional staff and provincial bureaus.

Every proposal page starts from ``Proposal.objects.visible_to(user)``: a proposal outside it is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import roles_of
from regions.models import Province, Regency

from . import notifications
from .forms import (
    CommitmentForm,
    MilestoneForm,
    NotificationPreferenceForm,
    ProgressReportForm,
    ProposalForm,
    RoundForm,
    TransitionForm,
)
from .models import (
    EDITABLE_STATUSES,
    Action,
    Notification,
    NotificationPreference,
    ProgressReport,
    Proposal,
    ProposalEvent,
    ReviewMark,
    Round,
    Status,
)
from .services import TransitionRefused, acting_as, available_actions, perform


def own_regency(user) -> Regency:
    """The regency whose staff the user is; others may browse but not propose."""
    regency_ids = sorted(roles_of(user).regency_ids)
    if not regency_ids:
        raise PermissionDenied(_("Hanya staf kabupaten/kota yang dapat mengajukan usulan."))
    return Regency.objects.select_related("province").get(pk=regency_ids[0])


def visible_proposals(request):
    return Proposal.objects.visible_to(request.user).select_related(
        "round__province", "regency", "innovation", "adopting_agency"
    )


@login_required
@require_safe
def my_region(request):
    """Regional staff's desk: open rounds with their deadlines, our proposals, what needs action now."""
    regency = own_regency(request.user)
    today = timezone.now().astimezone(regency.province.tzinfo).date()
    rounds = list(
        Round.objects.filter(participants=regency, deadline__gte=today)
        .select_related("province")
        .annotate(our_proposals=Count("proposals", filter=Q(proposals__regency=regency)))
        .order_by("deadline")
    )
    for round_ in rounds:
        round_.days_left = (round_.deadline - today).days
    proposals = list(visible_proposals(request).filter(regency=regency).order_by("status", "-updated_at"))
    needs_action = [p for p in proposals if p.status in EDITABLE_STATUSES]
    return render(
        request,
        "replications/my_region.html",
        {"regency": regency, "rounds": rounds, "proposals": proposals, "needs_action": needs_action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    regency = own_regency(request.user)
    picked = request.GET.get("inovasi", "")[:220]
    form = ProposalForm(request.POST or None, request.FILES or None, regency=regency, picked=picked)
    if request.method == "GET" and picked:
        form.initial["innovation"] = form.fields["innovation"].queryset.filter(slug=picked).first()
    if request.method == "POST" and form.is_valid():
        proposal = form.save(commit=False)
        proposal.created_by = request.user
        proposal.save()
        ProposalEvent.objects.create(
            proposal=proposal, action=Action.CREATE, actor=request.user, to_status=proposal.status
        )
        messages.success(request, _("Draf usulan tersimpan."))
        return submit_if_asked(request, proposal)
    return render(request, "replications/proposal_form.html", {"form": form, "regency": regency})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = get_object_or_404(visible_proposals(request), pk=pk)
    if proposal.regency_id not in roles_of(request.user).regency_ids:
        raise Http404
    if not proposal.is_editable:
        messages.error(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        return redirect("proposal-detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST or None, request.FILES or None, instance=proposal, regency=proposal.regency
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Perubahan tersimpan."))
        return submit_if_asked(request, proposal)
    return render(request, "replications/proposal_form.html", {"form": form, "proposal": proposal})


def submit_if_asked(request, proposal):
    if "submit" in request.POST:
        try:
            perform(proposal.pk, Action.SUBMIT, request.user)
            messages.success(request, _("Usulan diajukan ke provinsi."))
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
@require_safe
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        visible_proposals(request)
        .select_related("commitment")
        .prefetch_related(
            Prefetch("events", ProposalEvent.objects.select_related("actor")),
            "milestones",
            Prefetch("reports", ProgressReport.objects.select_related("milestone", "author")),
        ),
        pk=pk,
    )
    roles = roles_of(request.user)
    if proposal.round.province_id in roles.province_ids or roles.is_national_admin:
        ReviewMark.objects.update_or_create(
            user=request.user, proposal=proposal, defaults={"seen_at": timezone.now()}
        )
    return render(
        request,
        "replications/proposal_detail.html",
        {
            "proposal": proposal,
            "actions": available_actions(proposal, request.user),
            "can_edit": proposal.is_editable and proposal.regency_id in roles_of(request.user).regency_ids,
            "transition_form": TransitionForm(),
            "can_implement": proposal.status in IMPLEMENTATION_STATUSES
            and bool(acting_as(proposal, request.user)),
        },
    )


@login_required
@require_POST
def proposal_action(request, pk: int, action: str):
    form = TransitionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        perform(pk, action, request.user, note=note)
    except Proposal.DoesNotExist:
        raise Http404 from None
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Status usulan diperbarui."))
    return redirect("proposal-detail", pk=pk)


@login_required
@require_safe
def proposal_letter(request, pk: int):
    """The signed letter, only for those who may see the proposal, never from a public URL."""
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    if not proposal.letter_file:
        raise Http404
    filename = f"surat-usulan-{proposal.pk}.pdf"
    response = FileResponse(
        proposal.letter_file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def review_queue(request):
    """A provincial bureau's queue: submitted proposals of its province, oldest first."""
    roles = roles_of(request.user)
    if not (roles.is_provincial_bureau or roles.is_national_admin):
        raise PermissionDenied(_("Hanya biro provinsi yang meninjau usulan."))
    waiting = (
        visible_proposals(request)
        .filter(status__in=[Status.SUBMITTED, Status.VERIFIED])
        .order_by("submitted_at", "pk")
    )
    proposals = list(waiting[:200])
    annotate_changes_since_last_look(proposals, request.user)
    rounds = Round.objects.order_by("-deadline")
    if not roles.is_national_admin:
        rounds = rounds.filter(province_id__in=roles.province_ids)
    return render(
        request,
        "replications/review_queue.html",
        {"proposals": proposals, "rounds": list(rounds[:20]), "can_create_round": roles.is_provincial_bureau},
    )


def annotate_changes_since_last_look(proposals: list[Proposal], user) -> None:
    """Set ``changes`` on each proposal: None if the reviewer never opened it, else the labels of the
    fields changed since they last did (from its history; two queries for the whole list)."""
    seen = dict(
        ReviewMark.objects.filter(user=user, proposal__in=proposals).values_list("proposal_id", "seen_at")
    )
    records: dict[int, list] = {}
    for record in Proposal.history.filter(id__in=[p.pk for p in proposals]).order_by("history_date"):
        records.setdefault(record.id, []).append(record)
    labels = {field.name: field.verbose_name for field in Proposal._meta.fields}
    for proposal in proposals:
        proposal.changes = None
        if proposal.pk not in seen:
            continue
        history = records.get(proposal.pk, [])
        before = [r for r in history if r.history_date <= seen[proposal.pk]]
        if not history or not before or history[-1] is before[-1]:
            proposal.changes = []
            continue
        delta = history[-1].diff_against(before[-1], excluded_fields=["updated_at", "submitted_at"])
        proposal.changes = [str(labels.get(change.field, change.field)) for change in delta.changes]


@login_required
@require_safe
def round_detail(request, pk: int):
    """A round for its province's bureau: each participating regency and what it has proposed, or not."""
    roles = roles_of(request.user)
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=pk)
    if not (roles.is_national_admin or round_.province_id in roles.province_ids):
        raise Http404
    proposals = list(
        visible_proposals(request).filter(round=round_).exclude(status=Status.DRAFT).order_by("regency__name")
    )
    by_regency: dict[int, list] = {}
    for proposal in proposals:
        by_regency.setdefault(proposal.regency_id, []).append(proposal)
    participants = [
        {"regency": regency, "proposals": by_regency.get(regency.pk, [])}
        for regency in round_.participants.order_by("name")
    ]
    return render(
        request,
        "replications/round_detail.html",
        {
            "round": round_,
            "participants": participants,
            "missing": [row["regency"] for row in participants if not row["proposals"]],
            "shortlist": list(round_.shortlist.order_by("name")),
            "can_edit": round_.province_id in roles.province_ids,
        },
    )


def own_province(user) -> Province:
    """The province whose bureau the user is: only a bureau opens and edits its province's rounds."""
    province_ids = sorted(roles_of(user).province_ids)
    if not province_ids:
        raise PermissionDenied(_("Hanya biro provinsi yang membuat dan mengubah putaran replikasi."))
    return Province.objects.get(pk=province_ids[0])


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    province = own_province(request.user)
    form = RoundForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        messages.success(request, _("Putaran replikasi dibuat."))
        return redirect("round-detail", pk=round_.pk)
    return render(request, "replications/round_form.html", {"form": form, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = get_object_or_404(
        Round.objects.select_related("province"), pk=pk, province_id__in=roles_of(request.user).province_ids
    )
    form = RoundForm(request.POST or None, instance=round_, province=round_.province)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Perubahan putaran tersimpan."))
        return redirect("round-detail", pk=round_.pk)
    return render(
        request, "replications/round_form.html", {"form": form, "province": round_.province, "round": round_}
    )


# Statuses in which the proposing region works on its commitment, action plan and reports.
IMPLEMENTATION_STATUSES = [Status.APPROVED, Status.COMMITTED, Status.IMPLEMENTING]


def proposal_for_implementation(request, pk: int) -> Proposal:
    """A proposal the user's regency carries out (or the province oversees), in an implementation status."""
    proposal = get_object_or_404(visible_proposals(request), pk=pk)
    if not acting_as(proposal, request.user):
        raise Http404
    if proposal.status not in IMPLEMENTATION_STATUSES:
        raise PermissionDenied(_("Komitmen, rencana aksi dan laporan dicatat setelah usulan disetujui."))
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, pk: int):
    proposal = proposal_for_implementation(request, pk)
    instance = getattr(proposal, "commitment", None)
    form = CommitmentForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        commitment = form.save(commit=False)
        commitment.proposal = proposal
        commitment.save()
        messages.success(request, _("Komitmen tersimpan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Komitmen yang ditandatangani"), "multipart": True,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, pk: int):
    proposal = proposal_for_implementation(request, pk)
    form = MilestoneForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        milestone = form.save(commit=False)
        milestone.proposal = proposal
        milestone.position = proposal.milestones.count() + 1
        milestone.save()
        messages.success(request, _("Tahapan rencana aksi ditambahkan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Tahapan rencana aksi"),
    })  # fmt: skip


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    proposal = proposal_for_implementation(request, pk)
    milestone = get_object_or_404(proposal.milestones, pk=milestone_pk)
    if milestone.done_on is None:
        milestone.done_on = timezone.localdate()
        milestone.save(update_fields=["done_on"])
        messages.success(request, _("Tahapan ditandai selesai."))
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_add(request, pk: int):
    proposal = proposal_for_implementation(request, pk)
    form = ProgressReportForm(request.POST or None, request.FILES or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.proposal = proposal
        report.author = request.user
        report.save()
        messages.success(request, _("Laporan kemajuan tersimpan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Laporan kemajuan"), "multipart": True,
    })  # fmt: skip


@login_required
@require_safe
def proposal_document(request, pk: int, kind: str, doc_pk: int):
    """A commitment or evidence PDF, for those who may see the proposal only."""
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    if kind == "komitmen":
        commitment = getattr(proposal, "commitment", None)
        stored = commitment.document if commitment and commitment.pk == doc_pk else None
    else:
        report = proposal.reports.filter(pk=doc_pk).first()
        stored = report.evidence if report else None
    if not stored:
        raise Http404
    filename = f"{kind}-{proposal.pk}-{doc_pk}.pdf"
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    """The signed-in user's notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        notifications.mark_all_read(request.user)
        return redirect("notification-list")
    items = list(Notification.objects.filter(user=request.user).select_related("proposal")[:100])
    return render(request, "replications/notifications.html", {"notifications": items})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which reminders the signed-in user receives (by email and here); deadline reminders always come."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    form = NotificationPreferenceForm(
        request.POST or None, instance=preference or NotificationPreference(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pengaturan notifikasi tersimpan."))
        return redirect("notification-settings")
    return render(request, "replications/notification_settings.html", {"form": form})
