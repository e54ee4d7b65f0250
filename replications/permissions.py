"""Who may do what in the replication programme, for pages, API and templates alike.

What anyone may see starts from ``Proposal.objects.visible_to(user)`` (querysets.py): a proposal outside
it is a 404. The predicates here narrow what a user may do with what they see; the ``may_*`` ones answer
yes or no (for buttons and links), the others find the object or refuse with 404/403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import roles_of
from regions.models import Province, Regency

from .models import Proposal, Round, Status

STAFF = "staff"  # regional staff of the proposing regency
BUREAU = "bureau"  # the provincial bureau of the round's province, or a national admin


def own_regency(user) -> Regency:
    """The regency whose staff the user is; others may browse but not propose."""
    regency_ids = sorted(roles_of(user).regency_ids)
    if not regency_ids:
        raise PermissionDenied(_("Hanya staf kabupaten/kota yang dapat mengajukan usulan."))
    return Regency.objects.select_related("province").get(pk=regency_ids[0])


def own_province(user) -> Province:
    """The province whose bureau the user is: only a bureau opens and edits its province's rounds."""
    province_ids = sorted(roles_of(user).province_ids)
    if not province_ids:
        raise PermissionDenied(_("Hanya biro provinsi yang membuat dan mengubah putaran replikasi."))
    return Province.objects.get(pk=province_ids[0])


def visible_proposals(user):
    """The proposals the user may see, with what every proposal page shows (their lateness included)."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("round__province", "regency", "innovation", "adopting_agency")
        .with_lateness()
    )


def closed_round_refusal(round_: Round, now=None) -> str:
    """Why nothing may be proposed or submitted into the round any more ("" while it is open): once its
    deadline has ended in the hub province, no new proposal, submission or resubmission until the bureau
    extends it. The proposal form, ``services.perform`` and so the pages and the API all ask here."""
    if round_.is_open(now):
        return ""
    return _(
        "Batas waktu putaran “%(round)s” sudah lewat (%(date)s pukul 23.59 %(zone)s): usulan tidak dapat "
        "lagi dibuat atau diajukan dalam putaran ini. Bila perlu, mintalah biro provinsi memperpanjang "
        "batas waktunya."
    ) % {
        "round": round_.title,
        "date": date_format(round_.deadline, "DATE_FORMAT"),
        "zone": round_.province.time_zone_abbreviation,
    }


def acting_as(proposal: Proposal, user) -> set[str]:
    """The parts the user plays for this proposal: STAFF, BUREAU or none. No one reviews their own:
    its creator and the staff of its regency are never its BUREAU, whatever other role they hold."""
    roles = roles_of(user)
    parts = set()
    if proposal.regency_id in roles.regency_ids:
        parts.add(STAFF)
    reviewer = roles.is_national_admin or proposal.round.province_id in roles.province_ids
    if reviewer and STAFF not in parts and proposal.created_by_id != user.pk:
        parts.add(BUREAU)
    return parts


def is_proposing_staff(user, proposal: Proposal) -> bool:
    """Staff of the regency that proposed it: only they change its fields (others get a 404)."""
    return proposal.regency_id in roles_of(user).regency_ids


def may_edit_proposal(user, proposal: Proposal) -> bool:
    return proposal.status in Status.EDITABLE and is_proposing_staff(user, proposal)


def may_move_or_delete_draft(user, proposal: Proposal) -> bool:
    """A draft started in the wrong round: its regency's staff move it to another round or delete it.
    Once submitted (or returned, with the bureau's review in its history) it stays."""
    return proposal.status == Status.DRAFT and is_proposing_staff(user, proposal)


def reviews(user, proposal: Proposal) -> bool:
    """The bureau of the round's province or a national admin: their look is remembered for the queue."""
    roles = roles_of(user)
    return roles.is_national_admin or proposal.round.province_id in roles.province_ids


def may_use_review_queue(user) -> bool:
    roles = roles_of(user)
    return roles.is_provincial_bureau or roles.is_national_admin


def may_create_round(user) -> bool:
    return roles_of(user).is_provincial_bureau


def may_manage_round(user, round_: Round) -> bool:
    """A bureau of the round's province edits it; a national admin only looks."""
    return round_.province_id in roles_of(user).province_ids


def may_see_round_progress(user, round_: Round) -> bool:
    """Who proposed what in a round: its province's bureau and national admins."""
    roles = roles_of(user)
    return roles.is_national_admin or round_.province_id in roles.province_ids


def may_see_province_dashboard(user, province: Province) -> bool:
    """A province's programme at a glance: its bureau and national admins."""
    roles = roles_of(user)
    return roles.is_national_admin or province.pk in roles.province_ids


def may_record_implementation(user, proposal: Proposal) -> bool:
    """Commitment, action plan (milestones) and progress reports: once approved, by either side."""
    return proposal.status in Status.IN_IMPLEMENTATION and bool(acting_as(proposal, user))


def proposal_with_files(user, pk: int) -> Proposal:
    """A proposal whose private files (letter, commitment, evidence) the user may download, or a 404:
    those who may see the proposal, never further."""
    return get_object_or_404(Proposal.objects.visible_to(user), pk=pk)


def proposal_for_implementation(user, pk: int) -> Proposal:
    """A proposal the user's regency carries out (or the province oversees), in an implementation status."""
    proposal = get_object_or_404(visible_proposals(user), pk=pk)
    if not acting_as(proposal, user):
        raise Http404
    if proposal.status not in Status.IN_IMPLEMENTATION:
        raise PermissionDenied(_("Komitmen, rencana aksi dan laporan dicatat setelah usulan disetujui."))
    return proposal
