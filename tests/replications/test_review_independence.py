"""No one reviews their own proposal: a user holding both the staff and the bureau role may not
return, verify, reject, approve or complete a proposal they created or one of their own regency's."""

import datetime

import pytest
from django.core.files.base import ContentFile

from accounts.models import Membership, Role
from replications.models import Action, Status
from replications.services import TransitionRefused, available_actions, perform
from tests.factories import ProposalFactory, RoundFactory, member, province

pytestmark = pytest.mark.django_db

REVIEW = {Action.RETURN, Action.VERIFY, Action.REJECT, Action.APPROVE, Action.COMPLETE}


def staff_and_bureau(username: str, regency_code: str):
    user = member(username, Role.REGIONAL_STAFF, regency_code=regency_code)
    Membership.objects.create(user=user, role=Role.PROVINCIAL_BUREAU, province=province("13"))
    return user


def proposal_of(user, status: str):
    """A proposal of Kota Padang Panjang created by the user, with its letter, already at the status."""
    proposal = ProposalFactory(round=RoundFactory(province=province("13")), created_by=user)
    proposal.letter_number, proposal.letter_date = (
        "B/061/143/SETDAKO-PP/VIII/2021",
        datetime.date(2021, 8, 27),
    )
    proposal.letter_file.save("surat.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    proposal.status = status
    proposal.save()
    return proposal


def test_staff_who_is_also_the_bureau_cannot_approve_their_regencys_proposal():
    both = staff_and_bureau("ganda.padangpanjang", "13.74")
    proposal = proposal_of(both, Status.VERIFIED)
    assert not {t.action for t in available_actions(proposal, both)} & REVIEW
    with pytest.raises(TransitionRefused) as refused:
        perform(proposal.pk, Action.APPROVE, both)
    assert refused.value.reason == "forbidden"
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED


def test_nor_one_their_regency_colleague_created(staff_padang_panjang):
    both = staff_and_bureau("ganda.padangpanjang", "13.74")
    proposal = proposal_of(staff_padang_panjang, Status.SUBMITTED)
    with pytest.raises(TransitionRefused):
        perform(proposal.pk, Action.VERIFY, both)


def test_the_creator_cannot_review_it_even_after_leaving_the_regency(bureau_sumbar):
    proposal = proposal_of(bureau_sumbar, Status.VERIFIED)
    with pytest.raises(TransitionRefused):
        perform(proposal.pk, Action.APPROVE, bureau_sumbar)


def test_a_bureau_member_who_is_staff_elsewhere_reviews_as_usual(staff_padang_panjang):
    other = staff_and_bureau("ganda.pariaman", "13.77")
    proposal = proposal_of(staff_padang_panjang, Status.VERIFIED)
    assert perform(proposal.pk, Action.APPROVE, other).status == Status.APPROVED
