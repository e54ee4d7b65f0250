"""The worlds the replication tests share: the proposal world of the pages' and the API's tests, and
life-cycle emails sent in the test's process."""

from tests.replications.proposal_world import setting  # noqa: F401
from tests.replications.step_mail import step_emails_sent_in_process  # noqa: F401
