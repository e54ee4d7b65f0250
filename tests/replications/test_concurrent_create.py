"""A double click on "create": the second request's insert waits on the first one's row, then meets the
one-live-per-round constraint. It answers a clear 409 naming the proposal that exists, on real database
connections, and leaves no uploaded file behind."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from replications.models import Proposal
from tests.factories import ProposalFactory, regency
from tests.replications.proposal_world import real_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def create_body(setting) -> dict:
    return {
        "round": setting["round"].pk,
        "innovation": setting["imud"].pk,
        "local_name": "Kelas Ibu Muda Padang Panjang",
        "adopting_agency": setting["office"].pk,
        "problem": "Angka stunting tinggi.",
        "letter_number": "B/061/2021",
        "letter_date": "2021-08-27",
        "letter_file": SimpleUploadedFile("surat.pdf", real_pdf()),
    }


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is otherwise frozen for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def uploaded_files(media_root) -> list:
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_second_of_two_creates_at_once_gets_a_409_naming_the_first_and_leaves_no_file(
    reference_data, setting, private_media_root, where
):
    staff = setting["users"]["staff"]
    files_before = uploaded_files(private_media_root)
    answers = {}

    def second_click():
        try:
            client = Client()
            client.force_login(staff)
            url = "/api/v1/proposals/" if where == "api" else reverse("proposal-create")
            answers["response"] = client.post(url, create_body(setting))
        finally:
            connection.close()

    with transaction.atomic():  # the first click's insert, not committed yet
        first = ProposalFactory(round=setting["round"], regency=regency("13.74"), innovation=setting["imud"])
        thread = threading.Thread(target=second_click)
        thread.start()
        deadline = time.monotonic() + 10
        while not waiting_on_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_on_a_lock(), "the second insert should wait on the first one's row"
    thread.join(timeout=30)

    response = answers["response"]
    assert response.status_code == 409
    link = reverse("proposal-detail", args=[first.pk])
    if where == "api":
        body = response.json()
        assert body["existing"] == {"id": first.pk, "url": link}
        assert "sudah memiliki usulan" in body["detail"]
    else:
        page = response.content.decode()
        assert "sudah memiliki usulan" in page and f'href="{link}"' in page
    assert list(Proposal.objects.values_list("pk", flat=True).order_by("pk")) == [
        setting["proposal"].pk,
        first.pk,
    ]
    assert uploaded_files(private_media_root) == files_before
