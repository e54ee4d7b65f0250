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

from regions.models import ApiToken
from tests.factories import ProposalFactory

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


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    started = time.monotonic()
    yield
    print(f"\nschemathesis: {CALLS} examples in {time.monotonic() - started:.1f} s")
