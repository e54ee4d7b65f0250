"""Pages of the replication programme for regional staff and provincial bureaus.

Every proposal page starts from ``Proposal.objects.visible_to(user)``: a proposal outside it is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import roles_of
from core import export
from core.files import private_file_response
from regions.models import Province

from . import dashboard, notifications, permissions, services
from .forms import (
    CommitmentForm,
    DashboardForm,
    MilestoneForm,
    MoveDraftForm,
    NotificationPreferenceForm,
    ProgressReportForm,
    ProposalForm,
    RoundForm,
    TransitionForm,
)
from .models import (
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
from .permissions import proposal_for_implementation, visible_proposals
from .services import TransitionRefused, available_actions, perform
from .statuses import life_cycle_steps


@login_required
@require_safe
def my_region(request):
    """Regional staff's desk: open rounds with their deadlines, our proposals, what needs action now."""
    regency = permissions.own_regency(request.user)
    today = timezone.now().astimezone(regency.province.tzinfo).date()
    rounds = list(
        Round.objects.open()
        .filter(participants=regency)
        .select_related("province")
        .annotate(our_proposals=Count("proposals", filter=Q(proposals__regency=regency)))
        .order_by("deadline")
    )
    for round_ in rounds:
        round_.days_left = (round_.deadline - today).days
    ours = visible_proposals(request.user).filter(regency=regency).order_by("status", "-updated_at")
    if "format" in request.GET:
        rows = ours.select_related("round", "regency", "innovation")[: export.MAX_ROWS]
        return export.page_file(request.GET["format"], "usulan-kami", PROPOSAL_COLUMNS, proposal_rows(rows))
    proposals = list(ours)
    needs_action = [p for p in proposals if p.status in Status.EDITABLE]
    context = {"regency": regency, "rounds": rounds, "proposals": proposals, "needs_action": needs_action}
    context["rounds_to_propose"] = [round_ for round_ in rounds if not round_.our_proposals]
    return render(request, "replications/my_region.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    regency = permissions.own_regency(request.user)
    picked = request.GET.get("inovasi", "")[:220]
    form = ProposalForm(request.POST or None, request.FILES or None, regency=regency, picked=picked)
    if request.method == "GET" and picked:
        form.initial["innovation"] = form.fields["innovation"].queryset.filter(slug=picked).first()
    if request.method == "GET" and request.GET.get("putaran", "").isdigit():  # "Buat usulan" of a round
        form.initial["round"] = int(request.GET["putaran"][:18])
    status, existing = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(form, request.user)
        except services.DuplicateProposal as duplicate:
            form.add_error(None, duplicate.message)
            status, existing = 409, duplicate.existing
        else:
            messages.success(request, _("Draf usulan tersimpan."))
            return submit_if_asked(request, proposal)
    return render(
        request,
        "replications/proposal_form.html",
        {"form": form, "regency": regency, "existing": existing},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    if not permissions.is_proposing_staff(request.user, proposal):
        raise Http404
    if not permissions.may_edit_proposal(request.user, proposal):
        messages.error(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        return redirect("proposal-detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST or None, request.FILES or None, instance=proposal, regency=proposal.regency
    )
    if request.method == "POST" and form.is_valid():
        services.update_proposal(form)
        messages.success(request, _("Perubahan tersimpan."))
        return submit_if_asked(request, proposal)
    return render_proposal_form(request, form, proposal)


def render_proposal_form(request, form, proposal, status=200, **context):
    returned = None
    if proposal.status == Status.RETURNED:  # what the bureau asked for, beside the form that fixes it
        returned = proposal.events.filter(action=Action.RETURN).order_by("-created_at", "-pk").first()
    context.update(form=form, proposal=proposal, returned=returned)
    return render(request, "replications/proposal_form.html", context, status=status)


def submit_if_asked(request, proposal):
    """After a save: submit when "Simpan dan ajukan" was pressed. A submission field still empty keeps
    the user on the form (400), now the saved draft's, with the posted values, the stored letter in place
    of the upload and an error beside each missing field; nothing else is lost."""
    if "submit" in request.POST:
        missing = services.missing_for_submission(proposal)
        if missing:
            form = ProposalForm(request.POST, instance=proposal, regency=proposal.regency)
            form.is_valid()
            form.mark_missing_for_submission(missing)
            return render_proposal_form(request, form, proposal, status=400, incomplete=True)
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
        visible_proposals(request.user)
        .select_related("commitment")
        .prefetch_related(
            Prefetch("events", ProposalEvent.objects.select_related("actor")),
            "milestones",
            Prefetch("reports", ProgressReport.objects.select_related("milestone", "author")),
        ),
        pk=pk,
    )
    if permissions.reviews(request.user, proposal):
        ReviewMark.objects.update_or_create(
            user=request.user, proposal=proposal, defaults={"seen_at": timezone.now()}
        )
    return render(
        request,
        "replications/proposal_detail.html",
        {
            "proposal": proposal,
            "actions": available_actions(proposal, request.user),
            "can_edit": permissions.may_edit_proposal(request.user, proposal),
            "can_discard": permissions.may_move_or_delete_draft(request.user, proposal),
            "steps": life_cycle_steps(proposal.status, branched_from(proposal)),
            "transition_form": TransitionForm(),
            "shows_implementation": proposal.status in Status.PUBLIC,
            "can_implement": permissions.may_record_implementation(request.user, proposal),
            "round_closed": permissions.closed_round_refusal(proposal.round),
        },
    )


def branched_from(proposal) -> str | None:
    """The status the proposal left for its current one (from its prefetched events)."""
    entering = [event for event in proposal.events.all() if event.to_status == proposal.status]
    return entering[-1].from_status if entering else None


def own_draft(request, pk: int):
    """A proposal only its regency's staff may move or delete (anyone else: 404)."""
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    if not permissions.is_proposing_staff(request.user, proposal):
        raise Http404
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_move(request, pk: int):
    """Move a draft started in the wrong round to another open round of the province."""
    proposal = own_draft(request, pk)
    if not permissions.may_move_or_delete_draft(request.user, proposal):
        return refuse_discard(request, proposal)
    form = MoveDraftForm(request.POST or None, rounds=services.move_targets(proposal))
    status, existing = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_draft(proposal.pk, form.cleaned_data["round"].pk, request.user)
        except Proposal.DoesNotExist:
            raise Http404 from None
        except services.DraftRefused as refusal:
            form.add_error(None, str(refusal))
            status, existing = (409 if refusal.existing else 400), refusal.existing
        else:
            messages.success(
                request, _("Draf dipindahkan ke putaran “%(round)s”.") % {"round": moved.round.title}
            )
            return redirect("proposal-detail", pk=proposal.pk)
    context = {"form": form, "proposal": proposal, "existing": existing}
    return render(request, "replications/proposal_move.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_delete(request, pk: int):
    """Delete a draft, after asking (GET shows what will go)."""
    proposal = own_draft(request, pk)
    if not permissions.may_move_or_delete_draft(request.user, proposal):
        return refuse_discard(request, proposal)
    if request.method == "POST":
        try:
            deleted = services.delete_draft(proposal.pk, request.user)
        except Proposal.DoesNotExist:
            raise Http404 from None
        except services.DraftRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("proposal-detail", pk=proposal.pk)
        if deleted.letter_file:
            said = _("Draf usulan “%(innovation)s” dihapus beserta berkas suratnya.")
        else:
            said = _("Draf usulan “%(innovation)s” dihapus.")
        messages.success(request, said % {"innovation": deleted.innovation.name})
        return redirect("my-region")
    return render(request, "replications/proposal_confirm_delete.html", {"proposal": proposal})


def refuse_discard(request, proposal):
    messages.error(request, str(services.not_a_draft(proposal)))
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_action(request, pk: int, action: str):
    form = TransitionForm(request.POST)
    valid = form.is_valid()
    note = form.cleaned_data["note"] if valid else ""
    seen = form.cleaned_data["status"] if valid else request.POST.get("status")
    try:
        perform(pk, action, request.user, note=note, expected_status=seen or None)
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
    proposal = permissions.proposal_with_files(request.user, pk)
    if not proposal.letter_file:
        raise Http404
    return private_file_response(proposal.letter_file, f"surat-usulan-{proposal.pk}.pdf")


@login_required
@require_safe
def review_queue(request):
    """A provincial bureau's queue: submitted proposals of its province, oldest first."""
    if not permissions.may_use_review_queue(request.user):
        raise PermissionDenied(_("Hanya biro provinsi yang meninjau usulan."))
    waiting = visible_proposals(request.user).waiting_for_review().order_by("submitted_at", "pk")
    if "format" in request.GET:
        rows = waiting.select_related("round", "regency", "innovation")[: export.MAX_ROWS]
        return export.page_file(
            request.GET["format"], "antrean-tinjauan", PROPOSAL_COLUMNS, proposal_rows(rows)
        )
    proposals = list(waiting[:200])
    annotate_changes_since_last_look(proposals, request.user)
    roles = roles_of(request.user)
    rounds = Round.objects.order_by("-deadline")
    if not roles.is_national_admin:
        rounds = rounds.filter(province_id__in=roles.province_ids)
    return render(
        request,
        "replications/review_queue.html",
        {
            "proposals": proposals,
            "rounds": list(rounds[:20]),
            "can_create_round": permissions.may_create_round(request.user),
        },
    )


PROPOSAL_COLUMNS = [
    _l("Diajukan pada"),
    _l("Putaran"),
    _l("Kabupaten/kota"),
    _l("Inovasi"),
    _l("Nama lokal"),
    _l("Status"),
    _l("Diperbarui"),
]


def proposal_rows(proposals):
    for p in proposals:
        yield [
            p.submitted_at,
            p.round.title,
            p.regency.name,
            p.innovation.name,
            p.local_name,
            p.get_status_display(),
            p.updated_at,
        ]


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
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=pk)
    if not permissions.may_see_round_progress(request.user, round_):
        raise Http404
    proposals = list(
        visible_proposals(request.user)
        .filter(round=round_)
        .exclude(status=Status.DRAFT)
        .order_by("regency__name")
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
            "progress": dashboard.progress(
                dashboard.rows_of([(r["regency"], r["proposals"]) for r in participants])
            ),
            "shortlist": list(round_.shortlist.order_by("name")),
            "events": list(round_.events.select_related("actor").prefetch_related("regencies")),
            "can_edit": permissions.may_manage_round(request.user, round_),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    province = permissions.own_province(request.user)
    form = RoundForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        round_ = services.save_round(form, request.user)
        messages.success(request, _("Putaran replikasi dibuat."))
        return redirect("round-detail", pk=round_.pk)
    return render(request, "replications/round_form.html", {"form": form, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=pk)
    if not permissions.may_manage_round(request.user, round_):
        raise Http404
    form = RoundForm(request.POST or None, instance=round_, province=round_.province)
    if request.method == "POST" and form.is_valid():
        services.save_round(form, request.user)
        messages.success(request, _("Perubahan putaran tersimpan."))
        return redirect("round-detail", pk=round_.pk)
    return render(
        request, "replications/round_form.html", {"form": form, "province": round_.province, "round": round_}
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, pk: int):
    proposal = proposal_for_implementation(request.user, pk)
    instance = getattr(proposal, "commitment", None)
    form = CommitmentForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.record_commitment(proposal, form.save(commit=False))
        messages.success(request, _("Komitmen tersimpan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Komitmen yang ditandatangani"), "multipart": True,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, pk: int):
    proposal = proposal_for_implementation(request.user, pk)
    form = MilestoneForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        services.add_milestone(proposal, form.save(commit=False))
        messages.success(request, _("Tahapan rencana aksi ditambahkan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Tahapan rencana aksi"),
    })  # fmt: skip


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    proposal = proposal_for_implementation(request.user, pk)
    milestone = get_object_or_404(proposal.milestones, pk=milestone_pk)
    if services.complete_milestone(milestone):
        messages.success(request, _("Tahapan ditandai selesai."))
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_add(request, pk: int):
    proposal = proposal_for_implementation(request.user, pk)
    form = ProgressReportForm(request.POST or None, request.FILES or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        services.add_report(proposal, form.save(commit=False), request.user)
        messages.success(request, _("Laporan kemajuan tersimpan."))
        return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "replications/simple_form.html", {
        "form": form, "proposal": proposal, "title": _("Laporan kemajuan"), "multipart": True,
    })  # fmt: skip


@login_required
@require_safe
def proposal_document(request, pk: int, kind: str, doc_pk: int):
    """A commitment or evidence PDF, for those who may see the proposal only."""
    proposal = permissions.proposal_with_files(request.user, pk)
    if kind == "komitmen":
        commitment = getattr(proposal, "commitment", None)
        stored = commitment.document if commitment and commitment.pk == doc_pk else None
    else:
        report = proposal.reports.filter(pk=doc_pk).first()
        stored = report.evidence if report else None
    if not stored:
        raise Http404
    return private_file_response(stored, f"{kind}-{proposal.pk}-{doc_pk}.pdf")


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


@login_required
@require_safe
def province_dashboard_home(request):
    """A bureau's own province's dashboard; a national admin starts from the national picture."""
    roles = roles_of(request.user)
    if roles.province_ids:
        return redirect("province-dashboard", code=permissions.own_province(request.user).code)
    raise Http404


@login_required
@require_safe
def province_dashboard(request, code: str):
    """A province's programme for its bureau: a round (or a year of rounds) with every participating
    regency, its proposals, commitments and the state of their plans; late items first to the eye."""
    province = get_object_or_404(Province, code=code)
    if not permissions.may_see_province_dashboard(request.user, province):
        raise Http404
    form = DashboardForm(request.GET or None, province=province)
    chosen = form.cleaned_data if form.is_valid() else {}
    scope = dashboard.scope_for(province, round_=chosen.get("putaran"), year=chosen.get("tahun"))
    regencies = dashboard.participants(scope)
    rows = dashboard.regency_rows(scope, regencies)
    if "format" in request.GET:
        return export.page_file(
            request.GET["format"],
            f"dasbor-{province.code}",
            dashboard.export_header(),
            dashboard.export_rows(rows),
        )
    return render(
        request,
        "replications/province_dashboard.html",
        {
            "province": province,
            "form": form,
            "scope": scope,
            "rows": rows,
            "late_rows": [row for row in rows if row.is_late],
            "progress": dashboard.progress(rows),
            "statuses": dashboard.status_counts(rows),
            "top_innovations": dashboard.top_innovations(scope),
            "export_query": export.page_query(request),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_safe
def round_recap(request, pk: int):
    """A round's recap for the bureau's letter to the ministry: every participating regency, proposed or
    not, with its innovations, statuses, dates and commitment signings; printable on A4, or a file."""
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=pk)
    if not permissions.may_see_round_progress(request.user, round_):
        raise Http404
    recap = dashboard.recap(round_)
    if "format" in request.GET:
        return export.page_file(
            request.GET["format"],
            f"rekap-putaran-{round_.pk}",
            dashboard.RECAP_HEADER,
            dashboard.recap_rows(recap),
        )
    return render(
        request,
        "replications/round_recap.html",
        {
            "round": round_,
            "recap": recap,
            "progress": dashboard.progress(dashboard.rows_of(recap)),
            "printed_at": timezone.now().astimezone(round_.province.tzinfo),
        },
    )
