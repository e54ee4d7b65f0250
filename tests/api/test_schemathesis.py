"""Schemathesis against the live WSGI application and its live schema (/api/schema/): every operation,
with all its default checks (server errors, status codes, content types, response schemas, negative and
positive data, ignored authentication, …), once signed out and once with a real personal API token.

Examples are bounded per operation so the suite stays fast; the figures are printed with -s. The cases
are derived from a fixed seed, so a run proves the same cases as the last one (a red CI is a regression,
never a new draw); SCHEMATHESIS_EXPLORE=1 draws fresh random cases to look for new gaps.
"""

import os
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from accounts.models import ApiToken
from regions.models import Agency, AgencyLevel
from tests.factories import InnovationFactory, ProposalFactory, RoundFactory, province

EXAMPLES_PER_OPERATION = 6

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings, reference_data, staff_padang_panjang):
    """Rates high enough for a fuzzer; a proposal and a round so that some ids exist."""
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    ProposalFactory(round__title="Putaran Uji Schemathesis")
    return {"token": ApiToken.objects.issue(staff_padang_panjang, "Schemathesis")[1]}


# Loaded from the running application when the tests are collected (schema generation reads no table).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
PROFILE = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=os.environ.get("SCHEMATHESIS_EXPLORE") != "1",
    suppress_health_check=list(HealthCheck),
)
CALLS = {"signed out": 0, "with token": 0}


@schema.parametrize()
@PROFILE
def test_the_api_conforms_to_its_schema_signed_out(case, world):
    CALLS["signed out"] += 1
    case.call_and_validate()


@schema.parametrize()
@PROFILE
def test_the_api_conforms_to_its_schema_with_a_token(case, world):
    CALLS["with token"] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"})


@pytest.fixture
def sparse_world(world, staff_padang_panjang):
    """Records whose every optional relation and date is empty, which random ids rarely reach: a
    province's own agency (no regency), an innovation replicated from nothing with no launch year and no
    review date, a round with no FGD date, a draft with no adopting agency and no letter."""
    agency = Agency.objects.create(
        name="Biro Organisasi Setda Provinsi Uji",
        level=AgencyLevel.PROVINCIAL_GOVERNMENT,
        province=province("13"),
    )
    innovation = InnovationFactory(name="Inovasi Tanpa Asal", owner_agency=agency, launch_year=None)
    round_ = RoundFactory(title="Putaran Tanpa FGD", fgd_date=None)
    proposal = ProposalFactory(round=round_, innovation=innovation, adopting_agency=None, letter_date=None)
    proposal.created_by = staff_padang_panjang
    proposal.save(update_fields=["created_by"])
    return {
        "agency": agency.pk,
        "slug": innovation.slug,
        "round": round_.pk,
        "proposal": proposal.pk,
        "token": world["token"],
    }


SPARSE_READS = [
    ("/api/v1/agencies/", {}, {"province": "13", "page_size": 100}),
    ("/api/v1/agencies/{id}/", {"id": "agency"}, {}),
    ("/api/v1/innovations/", {}, {"q": "Tanpa Asal"}),
    ("/api/v1/innovations/{slug}/", {"slug": "slug"}, {}),
    ("/api/v1/rounds/", {}, {"page_size": 100}),
    ("/api/v1/rounds/{id}/", {"id": "round"}, {}),
    ("/api/v1/proposals/", {}, {"page_size": 100}),
    ("/api/v1/proposals/{id}/", {"id": "proposal"}, {}),
]


@pytest.mark.parametrize(
    ("path", "path_parameters", "query"), SPARSE_READS, ids=[read[0] for read in SPARSE_READS]
)
def test_records_with_empty_optional_relations_conform_to_the_schema(
    sparse_world, path, path_parameters, query
):
    operation = schema[path]["GET"]
    case = operation.Case(
        path_parameters={name: sparse_world[key] for name, key in path_parameters.items()}, query=query
    )
    response = case.call_and_validate(headers={"Authorization": f"Bearer {sparse_world['token']}"})
    assert response.status_code == 200
    body = response.json()
    assert body.get("count", 1) >= 1


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    started = time.monotonic()
    yield
    print(f"\nschemathesis: {CALLS} examples in {time.monotonic() - started:.1f} s")
