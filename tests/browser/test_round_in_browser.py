"""A provincial bureau opens a replication round in a real browser: participants of its province, a
shortlist from the bank, and a clear message for a deadline before the FGD; every regency at once and a
shortlist built by clicking."""

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
    # The demo bank is small: every innovation is already in the list (search adds only what is not).
    page.get_by_label("Saring atau cari inovasi").fill("kantong plastik")
    page.get_by_label("Bandung Anti Kantong Plastik", exact=False).check()
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


def test_the_bureau_picks_every_regency_at_once_and_builds_the_shortlist_by_clicking(
    live_server, page, screenshot, demo, sign_in, monkeypatch
):
    import re

    from playwright.sync_api import expect

    from regions.models import Province
    from replications.forms import RoundForm
    from replications.models import Round

    # A bank larger than the list: only the three most replicated of other provinces are offered.
    monkeypatch.setattr(RoundForm, "OFFERED_FROM_BANK", 3)
    base = live_server.url
    today = datetime.date.today()
    sign_in(base, "biro.sumbar")
    page.goto(base + "/putaran/baru/")
    page.get_by_label("Judul").fill("Replikasi Layanan Kesehatan")
    page.get_by_label("Batas waktu usulan").fill((today + datetime.timedelta(days=20)).isoformat())
    participants = page.locator("input[name=participants]")
    regencies = Province.objects.get(code="13").regencies.count()
    expect(participants).to_have_count(regencies)
    page.get_by_role("button", name="Pilih semua").click()
    expect(page.locator("input[name=participants]:checked")).to_have_count(regencies)
    page.get_by_role("button", name="Kosongkan").click()
    expect(page.locator("input[name=participants]:checked")).to_have_count(0)
    page.get_by_role("button", name="Pilih semua").click()

    shortlist = page.locator("#id_shortlist")
    shown = shortlist.locator(".picker-list li:visible")
    expect(page.get_by_label("Saring atau cari inovasi")).to_be_visible()  # the script has run
    every = shortlist.locator(".picker-list li").count()
    expect(shown).to_have_count(every)
    page.get_by_label("Saring atau cari inovasi").fill("gigi")
    expect(shown).to_have_count(1)  # the rest are hidden, not gone (or found in the whole bank)
    shortlist.get_by_label(re.compile("Menyeting Gigi Emas")).check()
    page.get_by_label("Saring atau cari inovasi").fill("KELAS")
    shortlist.get_by_label(re.compile("Kelas IMUD")).check()
    expect(shortlist.locator("[data-picker-status]")).to_contain_text("2 dipilih")
    # Not in the list: the filter box finds it in the whole bank, below the list.
    page.get_by_label("Saring atau cari inovasi").fill("juragan")
    found = shortlist.locator("[data-picker-results]")
    found.get_by_label(re.compile("Juragan Koncer")).check()
    expect(shortlist.locator("[data-picker-status]")).to_contain_text("3 dipilih")
    screenshot("1-found-in-the-whole-bank")
    page.get_by_label("Saring atau cari inovasi").fill("")
    expect(shortlist.locator(".picker-list li:visible input:checked")).to_have_count(3)  # found ones stay
    assert shown.count() > every
    screenshot("2-every-regency-and-three-innovations")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".message-success").last).to_contain_text("Putaran replikasi dibuat.")
    round_ = Round.objects.get(title="Replikasi Layanan Kesehatan")
    assert round_.participants.count() == regencies
    assert sorted(round_.shortlist.values_list("name", flat=True)) == [
        "Juragan Koncer", "Kelas IMUD", "Menyeting Gigi Emas",
    ]  # fmt: skip
    screenshot("3-round-page")
