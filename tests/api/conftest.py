"""The API tests share the proposal world of the pages' tests, so both permission matrices share one world."""

from tests.replications.proposal_world import setting  # noqa: F401
from tests.replications.step_mail import step_emails_sent_in_process  # noqa: F401
