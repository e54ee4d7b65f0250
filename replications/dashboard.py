"""What a provincial bureau reads of its programme: a round (or a year of rounds) at a glance.

Every number comes from an aggregate query over the chosen rounds, so a dashboard makes the same few
queries whatever the number of regencies, proposals or milestones. Drafts are a regency's own work in
progress: the bureau sees them as "not yet proposed", as on the round's page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Province, Regency

from .models import Action, ProgressReport, Proposal, ProposalEvent, Round
from .statuses import Status

# How many innovations the "chosen most" list shows.
TOP_INNOVATIONS = 10


@dataclass
class Scope:
    """The rounds a dashboard reads: one round, or every round of the province whose deadline falls in
    a year, or (with neither) the province's latest round."""

    province: Province
    rounds: list[Round]
    year: int | None = None

    @property
    def round(self) -> Round | None:
        return self.rounds[0] if len(self.rounds) == 1 and self.year is None else None

    def today(self) -> datetime.date:
        return timezone.now().astimezone(self.province.tzinfo).date()


@dataclass
class Stage:
    key: str
    label: str
    count: int
    share: float = 0.0  # percent of the whole, for the bar
    offset: float = 0.0  # percent of the whole before this stage, where its piece of the bar starts


@dataclass
class RegencyRow:
    regency: Regency
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def is_late(self) -> bool:
        return any(proposal.milestones_overdue for proposal in self.proposals)


def scope_for(province: Province, *, round_: Round | None = None, year: int | None = None) -> Scope:
    rounds = Round.objects.filter(province=province).order_by("-deadline", "-pk")
    if round_ is not None:
        return Scope(province, [round_])
    if year is not None:
        return Scope(province, list(rounds.filter(deadline__year=year)), year=year)
    return Scope(province, list(rounds[:1]))


def stage_rank():
    """Each status's stage number (1 = proposed … 6 = replicated); 0 for draft, rejected and cancelled."""
    whens = [
        When(status__in=statuses, then=Value(number))
        for number, statuses in enumerate(Status.PROGRESS_STAGES, start=1)
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def proposals_in(scope: Scope):
    return Proposal.objects.filter(round__in=scope.rounds).exclude(status=Status.DRAFT)


def participants(scope: Scope) -> list[Regency]:
    return list(Regency.objects.filter(rounds__in=scope.rounds).distinct().order_by("name"))


def progress(scope: Scope, regencies: list[Regency]) -> list[Stage]:
    """The round's bar: each participating regency at its furthest stage, then those not yet there."""
    furthest = dict(
        proposals_in(scope)
        .filter(regency__in=regencies)
        .values("regency")
        .annotate(stage=Max(stage_rank()))
        .values_list("regency", "stage")
    )
    counts = [0] * (len(Status.PROGRESS_STAGES) + 1)
    for regency in regencies:
        counts[furthest.get(regency.pk, 0)] += 1
    stages = [
        Stage(statuses[0].value, Status(statuses[0]).label if len(statuses) == 1 else _("Diusulkan"), count)
        for statuses, count in zip(Status.PROGRESS_STAGES, counts[1:], strict=True)
    ]
    stages.append(Stage("not-yet", _("Belum mengusulkan"), counts[0]))
    total, before = len(regencies) or 1, 0
    for stage in stages:
        stage.offset, stage.share = round(100 * before / total, 2), round(100 * stage.count / total, 2)
        before += stage.count
    return stages


def status_counts(scope: Scope) -> list[Stage]:
    """Proposals by status, every status past draft, in life-cycle order (zeros included)."""
    counts = dict(proposals_in(scope).values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [Stage(status.value, status.label, counts.get(status.value, 0)) for status in Status][1:]


def regency_rows(scope: Scope, regencies: list[Regency]) -> list[RegencyRow]:
    """Each participating regency with its proposals, their commitment and the state of their plan."""
    today = scope.today()
    open_ = Q(milestones__done_on__isnull=True)
    proposals = (
        proposals_in(scope)
        .select_related("innovation", "round", "commitment")
        .annotate(
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
            milestones_due=Count("milestones", filter=open_ & Q(milestones__due_on__gte=today)),
            milestones_overdue=Count("milestones", filter=open_ & Q(milestones__due_on__lt=today)),
            next_due=Min("milestones__due_on", filter=open_),
            last_report=Subquery(
                ProgressReport.objects.filter(proposal=OuterRef("pk"))
                .order_by("-reported_on")
                .values("reported_on")[:1]
            ),
            approved_at=Subquery(
                ProposalEvent.objects.filter(proposal=OuterRef("pk"), action=Action.APPROVE)
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
        )
        .order_by("regency_id", "innovation__name", "pk")
    )
    rows = {regency.pk: RegencyRow(regency) for regency in regencies}
    for proposal in proposals:
        if proposal.regency_id in rows:
            rows[proposal.regency_id].proposals.append(proposal)
    return list(rows.values())


def top_innovations(scope: Scope) -> list[dict]:
    """The innovations proposed by the most regencies in these rounds (live proposals, past draft)."""
    return list(
        proposals_in(scope)
        .live()
        .values("innovation__slug", "innovation__name")
        .annotate(regencies=Count("regency", distinct=True))
        .order_by("-regencies", "innovation__name")[:TOP_INNOVATIONS]
    )


def export_rows(rows: list[RegencyRow]):
    """One spreadsheet row per proposal, and one for each regency that proposed nothing."""
    for row in rows:
        if not row.proposals:
            yield [
                row.regency.code,
                row.regency.name,
                "",
                "",
                "",
                _("Belum mengusulkan"),
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        for proposal in row.proposals:
            commitment = getattr(proposal, "commitment", None)
            yield [
                row.regency.code,
                row.regency.name,
                proposal.round.title,
                proposal.innovation.name,
                proposal.local_name,
                proposal.get_status_display(),
                proposal.submitted_at,
                proposal.approved_at,
                commitment.signed_on if commitment else "",
                proposal.milestones_done,
                proposal.milestones_overdue,
                proposal.last_report or "",
            ]


EXPORT_HEADER = [
    _("Kode wilayah"),
    _("Kabupaten/kota"),
    _("Putaran"),
    _("Inovasi"),
    _("Nama lokal"),
    _("Status"),
    _("Diajukan pada"),
    _("Disetujui pada"),
    _("Komitmen ditandatangani"),
    _("Tahapan selesai"),
    _("Tahapan terlambat"),
    _("Laporan terakhir"),
]
