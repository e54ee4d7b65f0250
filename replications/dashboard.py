"""What a provincial bureau reads of its programme: a round (or a year of rounds) at a glance.

Every number comes from an aggregate query over the chosen rounds, so a dashboard makes the same few
queries whatever the number of regencies, proposals or milestones. Drafts are a regency's own work in
progress: the bureau sees them as "not yet proposed", as on the round's page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Province, Regency

from .models import Action, Commitment, Milestone, ProgressReport, Proposal, ProposalEvent, Round
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
    """A participating regency's part of the chosen rounds, summed over its proposals."""

    regency: Regency
    statuses: dict[str, int] = field(default_factory=dict)  # proposals past draft, by status
    commitments: int = 0
    last_commitment: datetime.date | None = None
    milestones_done: int = 0
    milestones_due: int = 0
    milestones_overdue: int = 0
    last_report: datetime.date | None = None

    @property
    def proposals(self) -> int:
        return sum(self.statuses.values())

    @property
    def is_late(self) -> bool:
        return self.milestones_overdue > 0

    def status_list(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in life-cycle order, for the badges."""
        return [(s.value, s.label, self.statuses[s.value]) for s in Status if s.value in self.statuses]

    def furthest_stage(self) -> int:
        """The stage number of its furthest proposal (Status.PROGRESS_STAGES), 0 for none."""
        ranks = [
            n
            for n, statuses in enumerate(Status.PROGRESS_STAGES, start=1)
            for s in statuses
            if s in self.statuses
        ]
        return max(ranks, default=0)


def scope_for(province: Province, *, round_: Round | None = None, year: int | None = None) -> Scope:
    rounds = Round.objects.filter(province=province).order_by("-deadline", "-pk")
    if round_ is not None:
        return Scope(province, [round_])
    if year is not None:
        return Scope(province, list(rounds.filter(deadline__year=year)), year=year)
    return Scope(province, list(rounds[:1]))


def proposals_in(scope: Scope):
    return Proposal.objects.filter(round__in=scope.rounds).exclude(status=Status.DRAFT)


def participants(scope: Scope) -> list[Regency]:
    return list(Regency.objects.filter(rounds__in=scope.rounds).distinct().order_by("name"))


def regency_rows(scope: Scope, regencies: list[Regency]) -> list[RegencyRow]:
    """Each participating regency with its proposals by status, its commitments and the state of its
    action plans: four GROUP BY queries, whatever the number of proposals."""
    today = scope.today()
    rows = {regency.pk: RegencyRow(regency) for regency in regencies}
    proposals = proposals_in(scope).filter(regency__in=list(rows))
    for regency_id, status, count in (
        proposals.values("regency_id", "status")
        .annotate(n=Count("pk"))
        .values_list("regency_id", "status", "n")
    ):
        rows[regency_id].statuses[status] = count
    for regency_id, count, last in (
        Commitment.objects.filter(proposal__in=proposals)
        .values("proposal__regency_id")
        .annotate(n=Count("pk"), last=Max("signed_on"))
        .values_list("proposal__regency_id", "n", "last")
    ):
        rows[regency_id].commitments, rows[regency_id].last_commitment = count, last
    open_ = Q(done_on__isnull=True)
    for regency_id, done, due, overdue in (
        Milestone.objects.filter(proposal__in=proposals)
        .values("proposal__regency_id")
        .annotate(
            done=Count("pk", filter=Q(done_on__isnull=False)),
            due=Count("pk", filter=open_ & Q(due_on__gte=today)),
            overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
        )
        .values_list("proposal__regency_id", "done", "due", "overdue")
    ):
        row = rows[regency_id]
        row.milestones_done, row.milestones_due, row.milestones_overdue = done, due, overdue
    for regency_id, last in (
        ProgressReport.objects.filter(proposal__in=proposals)
        .values("proposal__regency_id")
        .annotate(last=Max("reported_on"))
        .values_list("proposal__regency_id", "last")
    ):
        rows[regency_id].last_report = last
    return list(rows.values())


def rows_of(listed: list[tuple[Regency, list[Proposal]]]) -> list[RegencyRow]:
    """Rows for the bar from proposals a page already holds (the round's page, the recap): no query."""
    rows = []
    for regency, proposals in listed:
        row = RegencyRow(regency)
        for proposal in proposals:
            row.statuses[proposal.status] = row.statuses.get(proposal.status, 0) + 1
        rows.append(row)
    return rows


def progress(rows: list[RegencyRow]) -> list[Stage]:
    """The round's bar: each participating regency at its furthest stage, then those not yet there."""
    counts = [0] * (len(Status.PROGRESS_STAGES) + 1)
    for row in rows:
        counts[row.furthest_stage()] += 1
    stages = [
        Stage(statuses[0].value, Status(statuses[0]).label if len(statuses) == 1 else _("Diusulkan"), count)
        for statuses, count in zip(Status.PROGRESS_STAGES, counts[1:], strict=True)
    ]
    stages.append(Stage("not-yet", _("Belum mengusulkan"), counts[0]))
    total, before = len(rows) or 1, 0
    for stage in stages:
        stage.offset, stage.share = round(100 * before / total, 2), round(100 * stage.count / total, 2)
        before += stage.count
    return stages


def status_counts(rows: list[RegencyRow]) -> list[Stage]:
    """Proposals by status, every status past draft, in life-cycle order (zeros included)."""
    return [
        Stage(status.value, status.label, sum(row.statuses.get(status.value, 0) for row in rows))
        for status in Status
        if status != Status.DRAFT
    ]


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
    """The dashboard's table as a spreadsheet: a row per participating regency, a column per status."""
    for row in rows:
        yield [
            row.regency.code,
            row.regency.name,
            *(row.statuses.get(status.value, 0) for status in Status if status != Status.DRAFT),
            row.commitments,
            row.last_commitment,
            row.milestones_done,
            row.milestones_due,
            row.milestones_overdue,
            row.last_report,
        ]


def export_header():
    return [
        _("Kode wilayah"),
        _("Kabupaten/kota"),
        *(status.label for status in Status if status != Status.DRAFT),
        _("Komitmen"),
        _("Komitmen terakhir ditandatangani"),
        _("Tahapan selesai"),
        _("Tahapan berjalan"),
        _("Tahapan terlambat"),
        _("Laporan terakhir"),
    ]


def recap(round_: Round) -> list[tuple[Regency, list[Proposal]]]:
    """The round's recap: every participating regency, proposed or not, with its proposals past draft,
    each with its approval instant and commitment (two queries)."""
    scope = Scope(round_.province, [round_])
    proposals = (
        proposals_in(scope)
        .with_lateness()
        .select_related("innovation", "commitment")
        .annotate(
            approved_at=Subquery(
                ProposalEvent.objects.filter(proposal=OuterRef("pk"), action=Action.APPROVE)
                .order_by("-created_at")
                .values("created_at")[:1]
            )
        )
        .order_by("innovation__name", "pk")
    )
    by_regency: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        by_regency.setdefault(proposal.regency_id, []).append(proposal)
    return [(regency, by_regency.get(regency.pk, [])) for regency in participants(scope)]


def recap_rows(recap_: list[tuple[Regency, list[Proposal]]]):
    """The recap as a spreadsheet: a row per proposal, and one for each regency that proposed nothing;
    "Terlambat" marks what was submitted after the original deadline, under an extension."""
    for regency, proposals in recap_:
        if not proposals:
            yield [regency.code, regency.name, "", "", _("Belum mengusulkan"), "", "", "", "", ""]
        for proposal in proposals:
            commitment = getattr(proposal, "commitment", None)
            yield [
                regency.code,
                regency.name,
                proposal.innovation.name,
                proposal.local_name,
                proposal.get_status_display(),
                proposal.letter_number,
                proposal.submitted_at,
                _("ya") if proposal.is_late else "",
                proposal.approved_at,
                commitment.signed_on if commitment else "",
            ]


RECAP_HEADER = [
    _("Kode wilayah"),
    _("Kabupaten/kota"),
    _("Inovasi"),
    _("Nama lokal"),
    _("Status"),
    _("Nomor surat"),
    _("Diajukan pada"),
    _("Terlambat"),
    _("Disetujui pada"),
    _("Komitmen ditandatangani"),
]
