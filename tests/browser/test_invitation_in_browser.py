"""A bureau invites a regional staff member in the browser; the invitee opens the emailed link, sets a
password and lands on their region's page."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def invitations_sent_in_process(monkeypatch):
    from accounts.tasks import send_invitation

    monkeypatch.setattr(send_invitation, "apply_async", lambda args, **options: send_invitation.apply(args))


def test_a_bureau_invites_staff_who_sets_a_password_and_lands_on_their_region(
    live_server, page, screenshot, demo, sign_in
):
    from playwright.sync_api import expect

    base = live_server.url
    sign_in(base, "biro.sumbar")
    page.get_by_role("link", name="Anggota").click()
    page.get_by_role("link", name="Undang anggota").click()
    page.get_by_label("Nama lengkap").fill("Rina Marlina")
    page.get_by_label("Surel", exact=True).fill("rina@pariamankota.example")
    page.get_by_label("Peran", exact=True).select_option(label="Staf kabupaten/kota")
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Pariaman (Sumatera Barat)")
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.locator(".message, .messages").first).to_contain_text("sedang dikirim")
    expect(page.locator("table")).to_contain_text("rina@pariamankota.example")
    screenshot("1-invited")
    page.get_by_role("button", name=re.compile("^Keluar")).click()

    [message] = mail.outbox
    link = re.search(r"http://\S+/undangan/\S+/", message.body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", base))
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Rina Marlina")
    page.get_by_label("Nama pengguna").fill("rina.pariaman")
    page.get_by_label("Kata sandi", exact=True).fill("kelor-balita-2021")
    page.get_by_label("Ulangi kata sandi").fill("kelor-balita-2021")
    screenshot("2-accept")
    page.get_by_role("button", name="Buat akun dan masuk").click()
    expect(page).to_have_url(re.compile(r"/wilayah-saya/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Pariaman")
    screenshot("3-landed")
