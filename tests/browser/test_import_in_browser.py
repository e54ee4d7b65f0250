"""The national admin loads a spreadsheet in admin: upload, the checked plan, confirm, the progress bar
following a real Celery worker, then the new innovations found by the public search."""

import re
import uuid

import pytest

from tests import workers
from tests.innovations.spreadsheet_files import HEADER, csv_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def import_worker(settings):
    settings.IMPORT_QUEUE = settings.SEARCH_INDEX_QUEUE = queue = f"test-import-{uuid.uuid4().hex}"
    worker = workers.start_worker(workers.worker_env(IMPORT_QUEUE=queue, SEARCH_INDEX_QUEUE=queue), [queue])
    yield worker
    workers.stop(worker)
    workers.forget(queue)


def test_upload_check_confirm_follow_progress_then_search(
    live_server, page, screenshot, demo, sign_in, import_worker
):
    from playwright.sync_api import expect

    sign_in(live_server.url, "admin.kemenpan")
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Pekerjaan menunggu")).to_be_visible()
    page.goto(live_server.url + "/admin/innovations/innovationimport/")
    page.locator(".object-tools").get_by_role("link", name=re.compile("Tambah")).click()
    rows = [
        ["Kebun Kelor Balita", "Dinas Kesehatan", "Kota Pariaman", "kesehatan", "Kelor untuk gizi balita."],
        ["Sekolah Lapang Iklim", "Dinas Pertanian", "Kab. Agam", "Ketahanan pangan", "Petani belajar iklim."],
    ]
    page.get_by_label("Berkas (XLSX atau CSV)").set_input_files(
        {"name": "bank.csv", "mimeType": "text/csv", "buffer": csv_file(HEADER, *rows)}
    )
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/preview/$"))

    # The check runs in the worker; the page follows it and shows the plan when it is done.
    confirm = page.get_by_role("button", name="Konfirmasi impor")
    expect(confirm).to_be_visible(timeout=60_000)
    expect(page.locator("#content")).to_contain_text("Instansi baru akan dibuat: Dinas Pertanian")
    screenshot("1-checked-plan")
    confirm.click()
    expect(page.locator("[data-import-label]")).to_have_text("Selesai", timeout=60_000)
    expect(page.locator("[data-import-count]")).to_contain_text("2 dari 2 baris")
    screenshot("2-imported")

    page.goto(live_server.url + "/inovasi/?q=kelor")
    expect(page.locator(".results .card")).to_have_count(1)
    expect(page.locator(".results .card")).to_contain_text("Kebun Kelor Balita")
