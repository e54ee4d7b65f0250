"""A visitor opens the programme's statistics from the home page, reads the map of Indonesia, shades it
by another measure and clicks a province; a national admin opens the national dashboard."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_map_leads_to_a_province(live_server, page, screenshot, demo, sign_in):
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("link", name="Lihat statistik replikasi nasional dan peta provinsi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistik replikasi nasional")
    figure = page.locator("figure.province-map")
    expect(figure.locator("a.map-province")).to_have_count(38)
    # Jawa Tengah holds most of the demo's replications: its circle is shaded, its number in its title.
    jateng = figure.locator('a.map-province[data-code="33"]')
    expect(jateng.locator("title")).to_contain_text("Jawa Tengah — Diusulkan:")
    assert "map-step-0" not in (jateng.locator("circle").get_attribute("class") or "")
    expect(page.get_by_role("table", name=re.compile("Angka setiap provinsi"))).to_be_visible()
    screenshot("1-statistics")

    page.get_by_role("link", name="Selesai direplikasi", exact=True).click()
    expect(page).to_have_url(re.compile(r"ukuran=selesai"))
    expect(page.locator(".measure-links a[aria-current]")).to_have_text("Selesai direplikasi")
    screenshot("2-shaded-by-completed")
    figure.screenshot(path=str(ARTIFACTS / "national-map.png"))  # the map alone, at full size

    jateng.click()
    expect(page).to_have_url(re.compile(r"/wilayah/33/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jawa Tengah")
    screenshot("3-province-page")

    page.goto(base + "/inovasi/menyeting-gigi-emas/")
    expect(page.locator("#replication-map-caption")).to_be_visible()
    screenshot("4-profile-map")

    sign_in(base, "admin.kemenpan")
    page.goto(base + "/dasbor/nasional/?tahun=abc")
    expect(page.locator("#year-error")).to_contain_text("Tahun tidak dikenal")
    expect(page.locator("figure.province-map a.map-province")).to_have_count(38)
    page.get_by_label("Tahun", exact=True).select_option(index=1)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile(r"tahun=\d{4}"))
    expect(page.locator("#year-error")).to_have_count(0)
    screenshot("5-national-dashboard")


def test_the_statistics_page_works_on_a_phone_screen(live_server, browser, demo):
    """The map shrinks to the screen; the wide province table scrolls in its own box."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="id-ID")
    page = context.new_page()
    page.goto(live_server.url + "/statistik/")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(ARTIFACTS / "phone-statistics.png"), full_page=True)
    context.close()
    assert width <= 375, f"the statistics page scrolls sideways on a phone ({width}px)"
