"""A provincial bureau opens a replication round in a real browser: participants of its province, a
shortlist from the bank, and a clear message for a deadline before the FGD."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_opens_a_round_of_its_province(live_server, page, screenshot, demo, sign_in):
    from playwright.sync_api import expect

    base = live_server.url
    today = datetime.date.today()
    sign_in(base, "biro.sumbar")
    page.goto(base + "/tinjauan/")
    page.get_by_role("link", name="Buat putaran replikasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Putaran replikasi baru")
    page.get_by_label("Judul").fill("Replikasi Inovasi Pengelolaan Sampah")
    page.get_by_label("Tanggal FGD").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_label("Batas waktu usulan").fill((today + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Pendamping").fill("Universitas Andalas")
    page.get_by_label("Kota Padang Panjang", exact=True).check()
    page.get_by_label("Kota Pariaman", exact=True).check()
    # The demo bank is small: every innovation is already in the menu (search adds only what is not).
    page.get_by_label("Cari inovasi di seluruh bank").fill("kantong plastik")
    page.locator("select[data-suggest]").select_option(label="Bandung Anti Kantong Plastik")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".field-error")).to_have_text("Batas waktu tidak boleh sebelum tanggal FGD.")
    screenshot("1-deadline-before-fgd")
    page.get_by_label("Batas waktu usulan").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".message-success").last).to_contain_text("Putaran replikasi dibuat.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Replikasi Inovasi Pengelolaan Sampah")
    expect(page.get_by_role("link", name="Bandung Anti Kantong Plastik")).to_be_visible()
    expect(page.get_by_role("cell", name="Kota Pariaman")).to_be_visible()
    screenshot("2-round-page")
