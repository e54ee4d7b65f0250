"""A provincial bureau reads its programme in a real browser: the dashboard with its progress bar and
table, then the round's recap printed on A4 (the print stylesheet hides the site's navigation and the
table fits the page's width)."""

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_AT_96_DPI = {"width": 794, "height": 1123}


def test_the_bureau_reads_its_dashboard_and_prints_the_round_recap(
    live_server, page, screenshot, demo, sign_in
):
    from playwright.sync_api import expect

    base = live_server.url
    sign_in(base, "biro.jateng")
    page.get_by_role("link", name="Dasbor", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor replikasi Jawa Tengah")
    bar = page.locator("svg.progress-bar")
    expect(bar).to_be_visible()
    pieces = bar.locator("rect")
    assert pieces.count() >= 2  # the demo's regencies stand at several stages
    # The bar's numbers are in the table beside it, and add up to the participating regencies.
    counts = [int(text) for text in page.locator(".stage-table tbody td").all_inner_texts()]
    rows = page.locator(".dashboard-table tbody tr")
    assert sum(counts) == rows.count() > 0
    screenshot("1-dashboard")

    page.get_by_role("link", name="Rekap untuk dicetak").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rekap putaran")
    expect(page.get_by_text("Provinsi Jawa Tengah")).to_be_visible()
    screenshot("2-recap")
    page.set_viewport_size(A4_AT_96_DPI)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Cetak")).to_be_hidden()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the recap is {overflow}px wider than an A4 page"
    screenshot("3-recap-printed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "round-recap-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    from pypdf import PdfReader

    first = PdfReader(str(pdf)).pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    assert "Rekap putaran" in first.extract_text() and "Dicetak" in first.extract_text()
