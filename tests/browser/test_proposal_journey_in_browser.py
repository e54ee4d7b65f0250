"""The replication journey in a real browser: staff submit with a signed PDF, the province returns it,
staff fix and resubmit, the province verifies and approves."""

import io
import re

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_letter(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "B-061-143-SETDAKO-PP-VIII-2021.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def sign_out(page):
    page.get_by_role("button", name=re.compile("^Keluar")).click()


def test_submit_return_fix_resubmit_approve(live_server, page, screenshot, demo, signed_letter, sign_in):
    from playwright.sync_api import expect

    base = live_server.url
    sign_in(base, "staf.padangpanjang")
    page.goto(base + "/wilayah-saya/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Padang Panjang")
    page.get_by_role("link", name="Buat usulan replikasi").click()
    page.get_by_label("Putaran").select_option(index=1)
    page.get_by_label("Permasalahan yang diatasi").fill("Sampah plastik menumpuk di pasar dan saluran kota.")
    # The form's problem, searched with the find-by-problem ranking, offers matching innovations too.
    page.get_by_role("button", name="Cari inovasi untuk permasalahan yang diisi").click()
    expect(page.locator("optgroup option", has_text="Bandung Anti Kantong Plastik")).to_have_count(1)
    # Search-as-you-type over the whole bank adds matches below the shortlist.
    page.get_by_label("Cari inovasi di seluruh bank").fill("kantong plastik")
    suggestion = page.locator("optgroup option", has_text="Bandung Anti Kantong Plastik")
    expect(suggestion).to_have_count(1)
    page.locator("select[data-suggest]").select_option(value=suggestion.get_attribute("value"))
    page.get_by_label("Perangkat daerah pelaksana").select_option(index=1)
    page.get_by_label("Nomor surat").fill("B/999/143/SETDAKO-PP/XI/2026")
    page.get_by_label("Tanggal surat").fill("2026-11-20")
    page.get_by_label("Surat resmi yang ditandatangani (PDF)").set_input_files(str(signed_letter))
    screenshot("1-staff-form")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.locator(".message-success").last).to_contain_text("Usulan diajukan ke provinsi.")
    proposal_url = page.url
    sign_out(page)

    sign_in(base, "biro.sumbar")
    page.goto(base + "/tinjauan/")
    page.get_by_role("link", name="Bandung Anti Kantong Plastik").first.click()
    page.get_by_label("Catatan atau alasan").first.fill("Nomor surat belum sesuai agenda. Mohon diperbaiki.")
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(page.locator(".badge.status-returned")).to_be_visible()
    screenshot("2-bureau-returned")
    sign_out(page)

    sign_in(base, "staf.padangpanjang")
    page.goto(proposal_url)
    expect(page.locator(".timeline")).to_contain_text("Nomor surat belum sesuai agenda")
    page.get_by_role("link", name="Ubah usulan").click()
    page.get_by_label("Nomor surat").fill("B/061/143/SETDAKO-PP/XI/2026")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.locator(".badge.status-submitted")).to_be_visible()
    sign_out(page)

    sign_in(base, "biro.sumbar")
    page.goto(proposal_url)
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator(".badge.status-approved")).to_have_text("Disetujui")
    timeline = page.locator(".timeline li")
    expect(timeline).to_have_count(6)  # created, submitted, returned, submitted, verified, approved
    screenshot("3-bureau-approved")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
