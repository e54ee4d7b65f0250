"""An innovator proposes a change to their innovation's record in the browser, the national admin
publishes it after reviewing the diff, and the public profile shows it."""

import re

import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import Role
from innovations.models import Innovation
from tests.browser.conftest import DEMO_PASSWORD
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def outcome_emails_sent_in_process(monkeypatch):
    from innovations.tasks import send_change_outcome

    monkeypatch.setattr(
        send_change_outcome, "apply_async", lambda args, **options: send_change_outcome.apply(args)
    )


def test_an_innovator_proposes_the_national_admin_publishes_the_profile_shows_it(
    live_server, page, screenshot, demo, sign_in
):
    from playwright.sync_api import expect

    gigi = Innovation.objects.get(name="Menyeting Gigi Emas")
    innovator = member("inovator.gigi", Role.INNOVATOR, agency=gigi.owner_agency)
    innovator.password = make_password(DEMO_PASSWORD)
    innovator.save()
    base = live_server.url
    sign_in(base, "inovator.gigi")
    expect(page).to_have_url(re.compile(r"/inovasi-saya/$"))
    page.get_by_role("link", name="Usulkan perubahan").first.click()
    summary = page.get_by_label("Ringkasan")
    summary.fill(summary.input_value() + " Kini juga lewat kader posyandu keliling.")
    page.get_by_label("Catatan untuk tim nasional").fill("Program diperluas pada 2024.")
    page.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(page.locator("main")).to_contain_text("menunggu tinjauan")
    screenshot("1-proposed")
    page.get_by_role("button", name=re.compile("^Keluar")).click()

    sign_in(base, "admin.kemenpan")
    page.goto(base + "/tinjauan-perubahan/")
    page.get_by_role("link", name="Menyeting Gigi Emas").click()
    expect(page.locator("ins").first).to_be_visible()
    screenshot("2-diff")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator("main")).to_contain_text("Perubahan diterbitkan.")

    page.goto(base + f"/inovasi/{gigi.slug}/")
    expect(page.locator("main")).to_contain_text("kader posyandu keliling")
    screenshot("3-profile")
