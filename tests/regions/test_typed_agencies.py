"""An office typed into a proposal's form is the regency's word only: it is not listed publicly (its
page, the agencies' API, its government's page) until a proposal naming it is approved or a national
admin lists it in admin."""

import datetime

import pytest
from django.core.files.base import ContentFile

from regions.models import Agency
from replications.models import Action, Status
from replications.services import perform, regency_office
from tests.factories import ProposalFactory, RoundFactory, province, regency

pytestmark = pytest.mark.django_db

TYPED = "Dinas Apa Saja Yang Diketik"


def publicly_listed(client, agency: Agency) -> bool:
    page = client.get(f"/instansi/{agency.pk}/").status_code
    api = [a["id"] for a in client.get("/api/v1/agencies/", {"name": "Diketik"}).json()["results"]]
    government = client.get(f"/instansi/{agency.parent_id}/").content.decode()
    assert (page == 200) == (agency.pk in api) == (TYPED in government)
    return page == 200


def verified_proposal(office: Agency):
    proposal = ProposalFactory(round=RoundFactory(province=province("13")), adopting_agency=office)
    proposal.letter_number, proposal.letter_date = (
        "B/061/143/SETDAKO-PP/VIII/2021",
        datetime.date(2021, 8, 27),
    )
    proposal.letter_file.save("surat.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    proposal.status = Status.VERIFIED
    proposal.save()
    return proposal


def test_an_office_typed_into_a_draft_is_not_public(client):
    office = regency_office(regency("13.74"), TYPED)
    assert not office.listed
    assert not publicly_listed(client, office)


def test_it_is_listed_once_a_proposal_naming_it_is_approved(client, bureau_sumbar):
    office = regency_office(regency("13.74"), TYPED)
    proposal = verified_proposal(office)
    perform(proposal.pk, Action.APPROVE, bureau_sumbar)
    office.refresh_from_db()
    assert office.listed and publicly_listed(client, office)


def test_or_once_a_national_admin_lists_it(client, national_admin):
    office = regency_office(regency("13.74"), TYPED)
    admin = type(client)()
    admin.force_login(national_admin)
    admin.post("/admin/regions/agency/", {"action": "list_publicly", "_selected_action": [office.pk]})
    office.refresh_from_db()
    assert office.listed and publicly_listed(client, office)
