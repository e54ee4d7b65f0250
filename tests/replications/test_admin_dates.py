"""Admin refuses deadlines and due dates at the calendar's ends as the pages do, rather than a server
error from the reminder arithmetic."""

import pytest

from replications.models import Milestone
from tests.replications.proposal_world import approved

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("due_on", ["9999-12-31", "0001-01-01"])
def test_admin_refuses_a_milestone_due_at_the_calendars_end(client, setting, national_admin, due_on):
    proposal = approved(setting)
    client.force_login(national_admin)
    response = client.post(
        "/admin/replications/milestone/add/",
        {"proposal": proposal.pk, "title": "Pelatihan kader", "due_on": due_on, "position": 0},
    )
    assert response.status_code == 200
    assert "antara tahun 2000 dan 2099" in response.content.decode()
    assert not Milestone.objects.exists()


def test_admin_refuses_a_round_deadline_at_the_calendars_end(client, setting, national_admin):
    round_ = setting["round"]
    client.force_login(national_admin)
    response = client.get(f"/admin/replications/round/{round_.pk}/change/")
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        province=round_.province_id,
        deadline="9999-12-31",
        original_deadline="9999-12-31",
        participants=[p.pk for p in round_.participants.all()],
    )
    data.pop("shortlist", None)
    response = client.post(f"/admin/replications/round/{round_.pk}/change/", data)
    assert response.status_code == 200
    assert "antara tahun 2000 dan 2099" in response.content.decode()
    round_.refresh_from_db()
    assert round_.deadline.year == 2030
