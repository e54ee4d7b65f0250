"""Innovators keep their records fresh: an innovator proposes a change to their own innovation's
public record; the national team reviews it as a diff, then publishes it or returns it with a note,
and the innovator is emailed either way. The published record never changes without that review."""

import pytest
from django.core import mail

from accounts.models import Role
from innovations.models import ChangeStatus, Innovation, InnovationChange
from tests.factories import InnovationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outcome_emails_sent_in_process(monkeypatch):
    from innovations.tasks import send_change_outcome

    monkeypatch.setattr(
        send_change_outcome, "apply_async", lambda args, **options: send_change_outcome.apply(args)
    )


@pytest.fixture
def innovator(gigi):
    user = member("sari.dinkes", Role.INNOVATOR, agency=gigi.owner_agency)
    user.email = "sari@padangpanjang.example"
    user.save()
    return user


def form_of(innovation: Innovation, **changed) -> dict:
    from innovations.changes import FIELDS, current_links, links_text

    return (
        {name: getattr(innovation, name) for name in FIELDS}
        | {"links": links_text(current_links(innovation))}
        | changed
    )


def test_an_innovator_proposes_the_national_team_publishes_and_the_record_changes_with_history(
    client, gigi, innovator, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(innovator)
    page = client.get("/inovasi/menyeting-gigi-emas/usulkan-perubahan/")
    assert page.status_code == 200
    new_summary = "Imunisasi dasar lengkap dijemput ke rumah warga dan dicatat kader posyandu."
    response = client.post(
        "/inovasi/menyeting-gigi-emas/usulkan-perubahan/",
        form_of(gigi, summary=new_summary, contact_phone="0752 999", note="Data 2024."),
    )
    assert response.status_code == 302 and response["Location"] == "/inovasi-saya/"
    change = InnovationChange.objects.get()
    assert change.values == {"summary": new_summary, "contact_phone": "0752 999"}
    gigi.refresh_from_db()
    assert gigi.summary != new_summary  # nothing published before the review
    assert "menunggu tinjauan" in client.get("/inovasi-saya/").content.decode()

    client.force_login(national_admin)
    review = client.get(f"/tinjauan-perubahan/{change.pk}/").content.decode()
    assert "<ins>dan</ins>" in review and "<del>0752</del>" not in review and "<del>111</del>" in review
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "publish"})
    gigi.refresh_from_db()
    assert gigi.summary == new_summary and gigi.contact_phone == "0752 999" and gigi.last_reviewed_on
    latest, before = gigi.history.all()[:2]
    assert {c.field for c in latest.diff_against(before).changes} >= {"summary", "contact_phone"}
    assert latest.history_user == national_admin
    [email] = mail.outbox
    assert email.to == ["sari@padangpanjang.example"] and "diterbitkan" in email.subject
    assert client.get("/inovasi/", {"q": "kader posyandu"}).context["count"] == 1


def test_a_returned_change_leaves_the_record_and_tells_the_innovator_why(
    client, gigi, innovator, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(innovator)
    client.post("/inovasi/menyeting-gigi-emas/usulkan-perubahan/", form_of(gigi, summary="Ringkas sekali."))
    change = InnovationChange.objects.get()
    client.force_login(national_admin)
    missing_note = client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "return"})
    assert missing_note.status_code == 200 and missing_note.context["form"].errors["note"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/tinjauan-perubahan/{change.pk}/", {"action": "return", "note": "Tambahkan data cakupan."}
        )
    change.refresh_from_db()
    gigi.refresh_from_db()
    assert change.status == ChangeStatus.RETURNED and gigi.summary.startswith("Imunisasi")
    assert "Tambahkan data cakupan." in mail.outbox[0].body and "dikembalikan" in mail.outbox[0].subject
    again = client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "publish"})
    assert again.status_code == 302
    gigi.refresh_from_db()
    assert gigi.summary.startswith("Imunisasi")  # a reviewed change is never published later
    client.force_login(innovator)
    assert "Tambahkan data cakupan." in client.get("/inovasi-saya/").content.decode()


def test_one_change_waits_per_innovation_and_an_unchanged_form_is_refused(client, gigi, innovator):
    client.force_login(innovator)
    url = "/inovasi/menyeting-gigi-emas/usulkan-perubahan/"
    unchanged = client.post(url, form_of(gigi))
    assert "Tidak ada yang berubah" in str(unchanged.context["form"].non_field_errors())
    client.post(url, form_of(gigi, summary="Versi pertama."))
    client.post(url, form_of(gigi, summary="Versi kedua."))
    assert list(InnovationChange.objects.values_list("values", flat=True)) == [{"summary": "Versi kedua."}]
    assert client.get(url).context["form"].initial["summary"] == "Versi kedua."


def test_an_innovator_can_neither_change_another_agencys_innovation_nor_review(
    client, gigi, innovator, staff_padang_panjang
):
    other = InnovationFactory(name="Kelas IMUD", slug="kelas-imud")
    client.force_login(innovator)
    assert client.get("/inovasi/kelas-imud/usulkan-perubahan/").status_code == 404
    client.post("/inovasi/menyeting-gigi-emas/usulkan-perubahan/", form_of(gigi, summary="Baru."))
    change = InnovationChange.objects.get()
    for url in ("/tinjauan-perubahan/", f"/tinjauan-perubahan/{change.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "publish"}).status_code == 404
    client.force_login(staff_padang_panjang)
    assert client.get("/inovasi/menyeting-gigi-emas/usulkan-perubahan/").status_code == 404
    gigi.refresh_from_db()
    other.refresh_from_db()
    assert (
        gigi.summary.startswith("Imunisasi") and InnovationChange.objects.get().status == ChangeStatus.PENDING
    )


def test_links_are_proposed_reviewed_and_published_like_the_sections(
    client, gigi, innovator, national_admin, django_capture_on_commit_callbacks
):
    from innovations.models import InnovationLink

    InnovationLink.objects.create(innovation=gigi, title="Video", url="https://example.go.id/video")
    client.force_login(innovator)
    url = "/inovasi/menyeting-gigi-emas/usulkan-perubahan/"
    assert client.get(url).context["form"].initial["links"] == "Video | https://example.go.id/video"
    bad = client.post(url, form_of(gigi, links="Berita | javascript:alert(1)"))
    assert "bukan alamat http(s) yang sah" in str(bad.context["form"].errors["links"])
    links = "Video | https://example.go.id/video\nBerita 2024 | https://example.go.id/berita"
    client.post(url, form_of(gigi, links=links))
    change = InnovationChange.objects.get()
    assert list(change.values) == ["links"]
    client.force_login(national_admin)
    assert (
        "<ins>https://example.go.id/berita</ins>"
        in client.get(f"/tinjauan-perubahan/{change.pk}/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "publish"})
    assert list(gigi.links.order_by("pk").values_list("title", "url")) == [
        ("Video", "https://example.go.id/video"),
        ("Berita 2024", "https://example.go.id/berita"),
    ]


def test_documents_are_added_and_removed_only_when_the_change_is_published(
    client, gigi, innovator, national_admin, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innovations.models import InnovationDocument
    from tests.replications.proposal_world import real_pdf

    old = InnovationDocument.objects.create(
        innovation=gigi, title="SK 2019", file=ContentFile(real_pdf(), "sk.pdf")
    )
    client.force_login(innovator)
    url = "/inovasi/menyeting-gigi-emas/usulkan-perubahan/"
    not_pdf = client.post(
        url,
        {
            **form_of(gigi),
            "document_title": "Foto",
            "document_file": SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n"),
        },
    )
    assert "bukan PDF" in str(not_pdf.context["form"].errors["document_file"])
    client.post(
        url,
        {**form_of(gigi), "remove_documents": [old.pk], "document_title": "Laporan hasil 2024",
         "document_file": SimpleUploadedFile("laporan.pdf", real_pdf())},
    )  # fmt: skip
    change = InnovationChange.objects.get()
    proposed = change.documents.get()
    assert [d.title for d in gigi.documents.all()] == ["SK 2019"]  # nothing changes before the review
    assert "Laporan hasil 2024" not in client.get("/inovasi/menyeting-gigi-emas/").content.decode()
    download = f"/tinjauan-perubahan/{change.pk}/dokumen/{proposed.pk}.pdf"
    assert client.get(download).status_code == 200  # its innovator may read it back
    client.force_login(member("staf.lain", Role.REGIONAL_STAFF, regency_code="13.74"))
    assert client.get(download).status_code == 404

    client.force_login(national_admin)
    review = client.get(f"/tinjauan-perubahan/{change.pk}/").content.decode()
    assert "<del>2019</del>" in review and "Laporan hasil 2024" in review
    response = client.get(download)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tinjauan-perubahan/{change.pk}/", {"action": "publish"})
    assert [d.title for d in gigi.documents.all()] == ["Laporan hasil 2024"]
    assert "Laporan hasil 2024" in client.get("/inovasi/menyeting-gigi-emas/").content.decode()
