"""The national team imports spreadsheets from admin: upload, a checked plan, a confirmation, a job with
its progress, and the report kept. The Celery jobs are run here as the worker runs them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from innovations.models import ImportStatus, Innovation, InnovationImport
from innovations.spreadsheets import jobs

from .spreadsheet_files import HEADER, csv_file

pytestmark = pytest.mark.django_db

ADD = "/admin/innovations/innovationimport/add/"


def upload(client, django_capture_on_commit_callbacks, data: bytes, name="bank.csv") -> InnovationImport:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(ADD, {"file": SimpleUploadedFile(name, data)})
    job = InnovationImport.objects.latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/preview/")
    assert len(callbacks) == 1  # the check job, sent once the upload committed
    return job


def test_an_upload_is_checked_then_confirmed_then_imported_with_its_progress(
    client, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    data = csv_file(HEADER, ["Kelas IMUD", "Dinkes", "Kota Pariaman", "kesehatan", "Kelas ibu muda."])
    job = upload(client, django_capture_on_commit_callbacks, data)
    status = f"/admin/innovations/innovationimport/{job.pk}/status/"
    assert client.get(status).json()["status"] == "checking"
    assert (
        "data-status-url"
        in client.get(f"/admin/innovations/innovationimport/{job.pk}/preview/").content.decode()
    )

    jobs.check(job.pk)
    page = client.get(f"/admin/innovations/innovationimport/{job.pk}/preview/").content.decode()
    assert "Kelas IMUD" in page and "Konfirmasi impor" in page
    assert not Innovation.objects.filter(name="Kelas IMUD").exists()

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/admin/innovations/innovationimport/{job.pk}/confirm/")
    assert len(callbacks) == 1
    assert client.get(status).json() == {
        "status": "importing", "label": "Sedang diimpor", "rows_total": 1, "rows_done": 0, "errors": 0,
        "finished": False,
    }  # fmt: skip
    jobs.run(job.pk)
    assert client.get(status).json()["rows_done"] == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.counts["created"] == 1
    assert Innovation.objects.filter(name="Kelas IMUD", owner_agency__regency__code="13.77").exists()


def test_a_file_with_errors_is_refused_whole_and_its_errors_download_as_a_spreadsheet(
    client, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    data = csv_file(
        HEADER,
        ["Sehat", "Dinkes", "13.74", "kesehatan", "R"],
        ["Lain", "Dinkes", "Atlantis", "kesehatan", "R"],
    )
    job = upload(client, django_capture_on_commit_callbacks, data)
    jobs.check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    page = client.get(f"/admin/innovations/innovationimport/{job.pk}/preview/").content.decode()
    assert "Konfirmasi impor" not in page and "1 baris bermasalah" in page
    assert client.post(f"/admin/innovations/innovationimport/{job.pk}/confirm/").status_code == 302
    assert not Innovation.objects.filter(name="Sehat").exists()

    response = client.get(f"/admin/innovations/innovationimport/{job.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("baris", "nama inovasi", "masalah") and rows[1][0] == 3 and "Atlantis" in rows[1][2]


def test_a_file_that_is_no_spreadsheet_is_refused_with_the_reason(
    client, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    job = upload(client, django_capture_on_commit_callbacks, b"\x89PNG\r\n\x1a\n\xff\x00", name="bank.csv")
    jobs.check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED and "bukan XLSX" in job.message


def test_a_second_import_is_refused_clearly_while_one_runs(
    client, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    first = upload(
        client,
        django_capture_on_commit_callbacks,
        csv_file(HEADER, ["A", "Dinkes", "13.74", "kesehatan", "R"]),
    )
    second = upload(
        client,
        django_capture_on_commit_callbacks,
        csv_file(HEADER, ["B", "Dinkes", "13.74", "kesehatan", "R"]),
    )
    jobs.check(first.pk)
    jobs.check(second.pk)
    jobs.confirm(first.pk)
    response = client.post(f"/admin/innovations/innovationimport/{second.pk}/confirm/", follow=True)
    assert "Impor lain sedang berjalan" in response.content.decode()
    second.refresh_from_db()
    assert second.status == ImportStatus.CHECKED


def test_the_template_holds_every_column_and_an_example_row(client, national_admin):
    client.force_login(national_admin)
    response = client.get("/admin/innovations/innovationimport/template.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("nama_inovasi", "nama_panjang", "instansi") and rows[1][0] == "Menyeting Gigi Emas"


def test_imports_are_for_national_admins_only(client, bureau_sumbar):
    bureau_sumbar.is_staff = True
    bureau_sumbar.save()
    client.force_login(bureau_sumbar)
    job = InnovationImport.objects.create(filename="x.csv", data=b"")
    assert client.get(ADD).status_code == 403
    assert client.get(f"/admin/innovations/innovationimport/{job.pk}/preview/").status_code == 404
    assert client.get("/admin/innovations/innovationimport/template.xlsx").status_code == 404
