"""Hostile PDFs: a page tree that is deep, refers to itself or repeats one node, and a huge valid PDF,
are refused quickly with a clear Indonesian message by every upload, never a server error."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from core.uploads import validate_pdf
from replications.models import Proposal
from tests.replications.proposal_world import real_pdf

pytestmark = pytest.mark.django_db


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_tree(levels: int, fan: int) -> bytes:
    """One real page under ``levels`` nested /Pages nodes, each listing the next one ``fan`` times: with
    fan 1 a deep tree, with fan 2 a few KB that claim fan**levels pages."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    root_ref = writer._pages
    root = root_ref.get_object()
    leaf_ref = root["/Kids"][0]
    parent_ref, parent = root_ref, root
    for level in range(levels):
        node = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Count"): NumberObject(fan ** (levels - level)),
                NameObject("/Parent"): parent_ref,
            }
        )
        ref = writer._add_object(node)
        parent[NameObject("/Kids")] = ArrayObject([ref] * fan)
        parent_ref, parent = ref, node
    parent[NameObject("/Kids")] = ArrayObject([leaf_ref] * fan)
    root[NameObject("/Count")] = NumberObject(fan ** (levels + 1))
    leaf_ref.get_object()[NameObject("/Parent")] = parent_ref
    return written(writer)


def cyclic_page_tree() -> bytes:
    """The root /Pages lists itself among its kids."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    root_ref = writer._pages
    root = root_ref.get_object()
    root["/Kids"].append(root_ref)
    root[NameObject("/Count")] = NumberObject(2)
    return written(writer)


def pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=10, height=10)
    return written(writer)


HOSTILE = {
    "deep": (lambda: page_tree(levels=5000, fan=1), "Struktur halaman"),
    "repeated": (lambda: page_tree(levels=30, fan=2), "Struktur halaman"),
    "cyclic": (cyclic_page_tree, "Struktur halaman"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_page_tree_is_refused_quickly_with_a_clear_message(kind):
    build, message = HOSTILE[kind]
    content = build()
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        validate_pdf(SimpleUploadedFile("surat.pdf", content))
    assert time.monotonic() - started < 1
    assert message in refused.value.messages[0]


def test_a_pdf_with_more_pages_than_the_limit_is_refused_without_reading_them_all(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 1000
    content = pages(3000)
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        validate_pdf(SimpleUploadedFile("surat.pdf", content))
    assert time.monotonic() - started < 1
    assert refused.value.messages == ["PDF ini lebih dari 1000 halaman; unggah dokumen yang lebih ringkas."]


def test_a_pdf_within_the_page_limit_is_accepted(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 20
    validate_pdf(SimpleUploadedFile("surat.pdf", pages(20)))
    validate_pdf(SimpleUploadedFile("surat.pdf", page_tree(levels=3, fan=1)))


def test_the_proposal_page_refuses_a_cyclic_letter_with_a_message_not_a_server_error(client, setting):
    client.force_login(setting["users"]["staff"])
    data = {
        "round": setting["round"].pk,
        "innovation": setting["imud"].pk,
        "local_name": "Kelas Ibu Muda Padang Panjang",
        "adopting_agency": setting["office"].pk,
        "problem": "Angka stunting tinggi.",
        "letter_number": "B/061/2021",
        "letter_date": "2021-08-27",
        "letter_file": SimpleUploadedFile("surat.pdf", page_tree(levels=30, fan=2)),
    }
    response = client.post(reverse("proposal-create"), data)
    assert response.status_code == 200
    assert "Struktur halaman" in response.content.decode()
    assert not Proposal.objects.filter(local_name="Kelas Ibu Muda Padang Panjang").exists()


def test_the_api_refuses_a_deep_letter_with_a_400_naming_the_field(client, setting):
    client.force_login(setting["users"]["staff"])
    response = client.patch(
        f"/api/v1/proposals/{setting['proposal'].pk}/",
        encode_multipart(BOUNDARY, {"letter_file": SimpleUploadedFile("surat.pdf", page_tree(5000, 1))}),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 400
    assert "Struktur halaman" in response.json()["errors"]["letter_file"][0]


def test_a_real_letter_is_still_accepted():
    validate_pdf(SimpleUploadedFile("surat.pdf", real_pdf()))
