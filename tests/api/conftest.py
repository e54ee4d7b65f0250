"""The API tests reuse the proposal pages' setting, so both permission matrices share one world."""

from tests.replications.test_proposal_pages import setting  # noqa: F401
