"""A visitor searches the bank, narrows by two facets, opens a profile, switches to English and back."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_narrow_open_profile_and_switch_language(live_server, page, screenshot, demo):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Cari inovasi untuk masalah Anda").fill("kesehatan")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page).to_have_url(re.compile(r"/inovasi/\?q=kesehatan"))
    expect(page.locator(".results .card").first).to_be_visible()
    expect(page.locator(".snippet mark").first).to_be_visible()
    found = page.locator(".results .card").count()
    assert found > 1
    screenshot("1-search")

    # Two facets: the checkboxes apply themselves (progressive enhancement).
    page.locator("fieldset", has_text="Sektor").get_by_label(re.compile("Kesehatan")).check()
    expect(page).to_have_url(re.compile(r"category=health"))
    page.locator("fieldset", has_text="Provinsi").get_by_label(re.compile("Jawa Barat")).check()
    expect(page).to_have_url(re.compile(r"province=32"))
    cards = page.locator(".results .card")
    expect(cards).to_have_count(2)  # PIKOBAR and Menyeting Gigi Emas, both health innovations of Jawa Barat
    assert cards.count() < found
    expect(page.locator(".results-count")).to_contain_text("2 inovasi")
    screenshot("2-two-facets")

    page.get_by_role("link", name="Menyeting Gigi Emas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Menyeting Gigi Emas")
    expect(page.get_by_role("heading", name="Sudah direplikasi di")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kota Padang Panjang")
    screenshot("3-profile")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Already replicated in")).to_be_visible()
    screenshot("4-profile-english")
    page.goto(live_server.url + "/inovasi/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is remembered

    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    screenshot("5-back-to-indonesian")


def test_the_bank_works_on_a_phone_screen(live_server, browser, demo):
    """No page scrolls sideways: a wide table scrolls in its own box, and the filters are a tap away."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="id-ID")
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in [
        ("phone-search", "/inovasi/?q=stunting"),
        ("phone-profile", "/inovasi/menyeting-gigi-emas/"),
        ("phone-province", "/wilayah/13/"),
        ("phone-editions", "/kipp/"),
    ]:
        page.goto(live_server.url + path)
        # Tables as wide as long region and agency names make them (40rem in the bench's data).
        page.evaluate(
            "document.querySelectorAll('.table-wrap table').forEach(t => t.style.minWidth = '40rem')"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
    page.goto(live_server.url + "/inovasi/?q=stunting")
    page.get_by_role("link", name="Saring hasil").click()
    expect(page.locator("#facets-title")).to_be_in_viewport()
    # Signed in with the most links (a national admin), the header still takes two lines: the brand,
    # then the links in one row that scrolls on its own.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill("admin.kemenpan")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(live_server.url + "/inovasi/")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.nav-links a')).lineHeight)")
    brand, links = (
        page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().height")
        for selector in (".brand", ".nav-links")
    )
    assert brand < 2 * line and links < 2.5 * line, (brand, links, line)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-signed-in-header.png"))
    context.close()


def test_filters_and_sorting_wait_for_their_button_when_changed_from_the_keyboard(live_server, page, demo):
    """A change made with the keyboard never moves the visitor to a new page (WCAG 3.2.2)."""
    from playwright.sync_api import expect

    page.goto(live_server.url + "/inovasi/?q=kesehatan")
    page.get_by_label("Urutkan", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert "sort=" not in page.url
    page.get_by_role("button", name="Urutkan").click()
    expect(page).to_have_url(re.compile(r"sort="))

    box = page.locator("fieldset", has_text="Sektor").get_by_label(re.compile("Kesehatan"))
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert "category=" not in page.url
    expect(box).to_be_checked()
    page.get_by_role("button", name="Terapkan saringan").click()
    expect(page).to_have_url(re.compile(r"category=health"))
    expect(page.get_by_role("list", name="Saringan aktif")).to_contain_text("Sektor: Kesehatan")
