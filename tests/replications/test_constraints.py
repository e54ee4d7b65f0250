import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from regions.models import Agency, AgencyLevel
from replications.models import Proposal, Round, Status
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province, regency

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def with_letter(proposal: Proposal) -> Proposal:
    proposal.letter_number = "B/061/143/SETDAKO-PP/VIII/2021"
    proposal.letter_date = datetime.date(2021, 8, 27)
    proposal.letter_file.save("surat.pdf", ContentFile(PDF), save=False)
    return proposal


def test_one_live_proposal_per_regency_innovation_and_round():
    first = ProposalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(round=first.round, innovation=first.innovation, regency=first.regency)
    # Another regency, another innovation or another round is fine.
    ProposalFactory(round=first.round, innovation=first.innovation, regency=regency("13.77"))
    ProposalFactory(round=first.round, regency=first.regency)
    ProposalFactory(innovation=first.innovation, regency=first.regency)


def test_a_rejected_or_cancelled_proposal_frees_the_slot_for_a_new_one():
    first = with_letter(ProposalFactory.build(round=RoundFactory(), innovation=InnovationFactory()))
    first.status = Status.REJECTED
    first.save()
    second = ProposalFactory(round=first.round, innovation=first.innovation, regency=first.regency)
    second.status = Status.CANCELLED
    second.save()
    ProposalFactory(round=first.round, innovation=first.innovation, regency=first.regency)


def test_past_draft_a_proposal_must_carry_its_letter():
    proposal = ProposalFactory()
    proposal.status = Status.SUBMITTED
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal.save()
    with_letter(proposal).save()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.letter_file.name.startswith("private/letters/")
    assert not proposal.letter_file.name.endswith("surat.pdf")


def test_proposal_must_come_from_a_regency_of_the_hub_province_and_use_its_own_agency():
    jateng_round = RoundFactory(province=province("33"))
    pariaman_office = Agency.objects.create(
        name="Dinas Kesehatan Kota Pariaman", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.77")
    )
    proposal = ProposalFactory.build(
        round=jateng_round,
        innovation=InnovationFactory(),
        regency=regency("13.74"),
        adopting_agency=pariaman_office,
    )
    with pytest.raises(ValidationError) as error:
        proposal.full_clean()
    assert {"regency", "adopting_agency"} <= set(error.value.message_dict)


def test_round_deadline_cannot_precede_its_fgd():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(fgd_date=datetime.date(2021, 8, 26), deadline=datetime.date(2021, 8, 25))


def test_round_deadline_is_the_end_of_the_day_in_the_hub_province():
    sumbar = RoundFactory(deadline=datetime.date(2021, 8, 30))
    papua = Round.objects.create(province=province("91"), title="Papua", deadline=datetime.date(2021, 8, 30))
    assert sumbar.deadline_instant().isoformat() == "2021-08-30T23:59:59.999999+07:00"
    assert papua.deadline_instant().isoformat() == "2021-08-30T23:59:59.999999+09:00"


def test_proposal_changes_are_kept_in_its_history():
    proposal = ProposalFactory()
    proposal.problem = "Angka stunting tinggi"
    proposal.save()
    assert [h.history_type for h in proposal.history.order_by("history_date")] == ["+", "~"]
