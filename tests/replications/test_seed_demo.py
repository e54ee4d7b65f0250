import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Membership, Role
from replications.models import Proposal, Round, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_password(settings):
    """pytest runs with DEBUG off, where seed_demo rightly refuses the default password."""
    settings.DEMO_PASSWORD = "sandi-demo-khusus-uji"


DEMO_USERS = {
    "staf.padangpanjang": (Role.REGIONAL_STAFF, "Kota Padang Panjang"),
    "staf.pariaman": (Role.REGIONAL_STAFF, "Kota Pariaman"),
    "biro.sumbar": (Role.PROVINCIAL_BUREAU, "Sumatera Barat"),
    "biro.jateng": (Role.PROVINCIAL_BUREAU, "Jawa Tengah"),
    "admin.kemenpan": (Role.NATIONAL_ADMIN, None),
}


def snapshot() -> dict[str, list]:
    """Every row of every domain table (and users), by primary key, minus timestamps."""
    rows = {}
    for label in ["regions", "innovations", "replications", "auth"]:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.attname not in {"created_at", "updated_at", "last_login", "history_date", "uploaded_at"}
            ]
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def test_seed_demo_twice_gives_the_same_rows(settings):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert len(first["innovations.Innovation"]) >= 15


def test_demo_accounts_have_their_roles_and_the_configured_password(settings):
    call_command("seed_demo")
    for username, (role, place) in DEMO_USERS.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == role
        assert str(membership.regency or membership.province or "") == (place or "")
    assert get_user_model().objects.get(username="admin.kemenpan").is_superuser


def test_the_articles_facts_are_in_the_demo_data():
    call_command("seed_demo")
    sumbar = Round.objects.get(province__code="13", deadline="2021-08-30")
    assert sumbar.mentor == "Universitas Andalas"
    picks = Proposal.objects.filter(round=sumbar, regency__name="Kota Padang Panjang")
    assert picks.count() == 4
    assert set(picks.values_list("letter_number", flat=True)) == {"B/061/143/SETDAKO-PP/VIII/2021"}
    assert {"Menyeting Gigi Emas", "Kelas IMUD", "SI-JABPRI", "PIKOBAR"} <= {
        name.split(" (")[0] for name in picks.values_list("innovation__name", flat=True)
    }
    jateng = Proposal.objects.filter(round__province__code="33")
    assert jateng.values("regency").distinct().count() == 12
    assert jateng.values("innovation").distinct().count() == 6
    assert Round.objects.filter(deadline__gt=timezone.localdate()).exists()
    assert Proposal.objects.filter(regency__name="Kota Pariaman", status=Status.DRAFT).exists()


def test_seed_demo_refuses_the_default_password_in_production(settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = settings.DEMO_PASSWORD_DEFAULT
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="staf.padangpanjang").exists()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("password", ["", "   "])
def test_seed_demo_refuses_an_empty_password(settings, debug, password):
    settings.DEBUG = debug
    settings.DEMO_PASSWORD = password
    with pytest.raises(CommandError, match="DEMO_PASSWORD is empty"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="staf.padangpanjang").exists()


def test_the_current_demo_round_has_a_deadline_reminder_to_send_right_away(settings):
    import io

    from django.core import mail

    call_command("seed_demo")
    output = io.StringIO()
    call_command("send_reminders", stdout=output)
    to_pariaman = [m for m in mail.outbox if m.to[0].startswith("staf.pariaman@")]
    assert len(to_pariaman) == 1 and "hari lagi" in to_pariaman[0].subject
    assert "staf.pariaman@" in output.getvalue()
    call_command("send_reminders", stdout=io.StringIO())
    assert len([m for m in mail.outbox if m.to[0].startswith("staf.pariaman@")]) == 1
