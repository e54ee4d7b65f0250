"""Provinces bring their own people in: the national admin invites bureaus, a bureau invites regional
staff of its own regencies and its colleagues; the emailed one-time link sets a password and lands the
invitee on their work. A bureau manages the members of its province and no one else (404)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import ApiToken, Invitation, Membership, Role, UserPreference
from tests.factories import UserFactory, member, province, regency

pytestmark = pytest.mark.django_db

INVITE = "/akun/undangan/"


@pytest.fixture(autouse=True)
def invitations_sent_in_process(monkeypatch):
    """The email task runs in the test's process (retries included) instead of going to the broker."""
    from accounts.tasks import send_invitation

    monkeypatch.setattr(send_invitation, "apply_async", lambda args, **options: send_invitation.apply(args))


def invite(client, callbacks, **fields) -> Invitation:
    data = {"name": "Rina Marlina", "email": "rina@pariamankota.example", "language": "id"} | fields
    with callbacks(execute=True):
        response = client.post(INVITE, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Invitation.objects.get(email=data["email"])


def link_in(message) -> str:
    return re.search(r"http://[^/]+(/undangan/[^/\s]+/)", message.body).group(1)


def test_a_bureau_invites_staff_of_its_regency_who_sets_a_password_and_lands_on_their_region(
    client, bureau_sumbar, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    invitation = invite(
        client, django_capture_on_commit_callbacks, role=Role.REGIONAL_STAFF, regency=regency("13.77").pk
    )
    assert invitation.invited_by == bureau_sumbar and invitation.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["rina@pariamankota.example"]
    assert "Staf kabupaten/kota, Kota Pariaman" in message.body
    html = message.alternatives[0][0]
    assert "Terima undangan" in html and link_in(message) in html
    client.logout()

    page = client.get(link_in(message))
    assert page.status_code == 200 and "Selamat datang, Rina Marlina" in page.content.decode()
    response = client.post(
        link_in(message),
        {"username": "rina", "password1": "kelor-balita-2021", "password2": "kelor-balita-2021"},
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/wilayah-saya/"
    membership = Membership.objects.get(user__username="rina")
    assert (membership.role, membership.regency) == (Role.REGIONAL_STAFF, regency("13.77"))
    assert membership.user.email == "rina@pariamankota.example" and membership.user.first_name == "Rina"
    again = client.get(link_in(message))
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()


def test_the_invitation_email_is_in_the_invitees_language(
    client, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    invite(
        client, django_capture_on_commit_callbacks, email="dewi@jatengprov.example", language="en",
        role=Role.PROVINCIAL_BUREAU, province=province("33").pk,
    )  # fmt: skip
    [message] = mail.outbox
    assert message.subject.startswith("[Replikasi] Invitation to join as") and "Jawa Tengah" in message.body
    client.logout()
    client.post(
        link_in(message), {"username": "dewi", "password1": "gigi-emas-2021!", "password2": "gigi-emas-2021!"}
    )
    assert UserPreference.objects.get(user__username="dewi").language == "en"


def test_a_bureau_cannot_invite_outside_its_province_nor_a_national_admin(
    client, bureau_sumbar, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    for fields in (
        {"role": Role.REGIONAL_STAFF, "regency": regency("33.01").pk},
        {"role": Role.PROVINCIAL_BUREAU, "province": province("33").pk},
        {"role": Role.NATIONAL_ADMIN},
        {"role": Role.REGIONAL_STAFF},  # no regency chosen
    ):
        response = client.post(INVITE, {"name": "X", "email": "x@example.go.id", "language": "id", **fields})
        assert response.status_code == 200 and response.context["form"].errors, fields
    assert not Invitation.objects.exists() and mail.outbox == []


def test_staff_and_visitors_may_not_invite_or_list_members(client, staff_padang_panjang):
    assert client.get(INVITE).status_code == 302  # to the login page
    client.force_login(staff_padang_panjang)
    for url in (INVITE, "/akun/anggota/"):
        assert client.get(url).status_code == 404


def test_an_expired_revoked_or_replaced_link_is_refused_clearly(
    client, bureau_sumbar, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    invitation = invite(
        client, django_capture_on_commit_callbacks, role=Role.REGIONAL_STAFF, regency=regency("13.74").pk
    )
    first = link_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/akun/undangan/{invitation.pk}/kirim-ulang/")
    second = link_in(mail.outbox[1])
    assert first != second
    client.logout()
    assert "tidak dikenal" in client.get(first).content.decode()

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = client.get(second)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.content.decode()
    refused = client.post(
        second, {"username": "x", "password1": "kelor-balita-2021", "password2": "kelor-balita-2021"}
    )
    assert refused.status_code == 410 and not Membership.objects.filter(user__username="x").exists()

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(bureau_sumbar)
    client.post(f"/akun/undangan/{invitation.pk}/cabut/")
    client.logout()
    assert "dicabut" in client.get(second).content.decode()


def test_one_open_invitation_per_address_and_none_for_an_existing_account(
    client, bureau_sumbar, staff_padang_panjang, django_capture_on_commit_callbacks
):
    client.force_login(bureau_sumbar)
    invite(client, django_capture_on_commit_callbacks, role=Role.REGIONAL_STAFF, regency=regency("13.74").pk)
    again = client.post(
        INVITE, {"name": "Rina", "email": "RINA@pariamankota.example", "language": "id", "role": Role.REGIONAL_STAFF,
                 "regency": regency("13.74").pk},
    )  # fmt: skip
    assert "Sudah ada undangan terbuka" in str(again.context["form"].non_field_errors())
    staff_padang_panjang.email = "staf@padangpanjang.example"
    staff_padang_panjang.save()
    existing = client.post(
        INVITE, {"name": "Staf", "email": "staf@padangpanjang.example", "language": "id",
                 "role": Role.REGIONAL_STAFF, "regency": regency("13.74").pk},
    )  # fmt: skip
    assert "Sudah ada akun" in str(existing.context["form"].non_field_errors())


def test_a_bureau_manages_the_members_of_its_province_only(
    client, bureau_sumbar, staff_padang_panjang, staff_pariaman, bureau_jateng
):
    jawa = member("staf.semarang", Role.REGIONAL_STAFF, regency_code="33.74")
    client.force_login(bureau_sumbar)
    listed = client.get("/akun/anggota/").context["page"].object_list
    assert {m.username for m in listed} == {"staf.padangpanjang", "staf.pariaman", "biro.sumbar"}
    filtered = client.get("/akun/anggota/", {"kabupaten": regency("13.77").pk}).context["page"].object_list
    assert [m.username for m in filtered] == ["staf.pariaman"]
    for url in (f"/akun/anggota/{jawa.pk}/", f"/akun/anggota/{bureau_jateng.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/akun/anggota/{jawa.pk}/status/", {"action": "deactivate"}).status_code == 404
    jawa.refresh_from_db()
    assert jawa.is_active

    moved = client.post(
        f"/akun/anggota/{staff_pariaman.pk}/", {"role": Role.REGIONAL_STAFF, "regency": regency("13.75").pk}
    )
    assert moved.status_code == 302
    assert Membership.objects.get(user=staff_pariaman).regency == regency("13.75")
    outside = client.post(
        f"/akun/anggota/{staff_pariaman.pk}/", {"role": Role.REGIONAL_STAFF, "regency": regency("33.01").pk}
    )
    assert outside.status_code == 200 and Membership.objects.get(user=staff_pariaman).regency == regency(
        "13.75"
    )


def test_deactivating_a_member_ends_their_session_and_tokens_at_once(client, bureau_sumbar, staff_pariaman):
    from django.test import Client

    theirs = Client()
    theirs.force_login(staff_pariaman)
    assert theirs.get("/wilayah-saya/").status_code == 200
    token, secret = ApiToken.objects.issue(staff_pariaman, "Portal kota")
    client.force_login(bureau_sumbar)
    client.post(f"/akun/anggota/{staff_pariaman.pk}/status/", {"action": "deactivate"})

    assert theirs.get("/wilayah-saya/").status_code == 302  # signed out
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/proposals/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert Membership.objects.filter(user=staff_pariaman).exists()  # their history stays
    client.post(f"/akun/anggota/{staff_pariaman.pk}/status/", {"action": "reactivate"})
    staff_pariaman.refresh_from_db()
    assert staff_pariaman.is_active


def test_each_role_lands_where_its_work_is_after_signing_in(
    client, staff_padang_panjang, bureau_sumbar, national_admin
):
    for user, place in (
        (staff_padang_panjang, "/wilayah-saya/"),
        (bureau_sumbar, "/tinjauan/"),
        (national_admin, "/admin/"),
        (UserFactory(username="tanpa.peran"), "/"),
    ):
        client.force_login(user)
        assert client.get("/masuk/lanjut/")["Location"] == place, user


def test_a_spreadsheet_of_invitations_is_previewed_then_invited_whole(
    client, bureau_sumbar, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.innovations.spreadsheet_files import csv_file

    header = ["nama", "surel", "wilayah", "peran", "bahasa"]
    good = [
        ["Rina Marlina", "rina@pariamankota.example", "Kota Pariaman", "staf", "id"],
        ["Budi Santoso", "budi@agamkab.example", "13.06", "Staf kabupaten/kota", "en"],
        ["Sari Dewi", "sari@sumbarprov.example", "Sumatera Barat", "biro", ""],
    ]
    client.force_login(bureau_sumbar)
    bad = [
        *good,
        ["Jawa", "jawa@example.go.id", "Kota Semarang", "staf", ""],
        ["Ganda", "RINA@pariamankota.example", "Solok", "staf", ""],
    ]
    preview = client.post(
        "/akun/undangan/impor/", {"file": SimpleUploadedFile("u.csv", csv_file(header, *bad))}
    )
    errors = {row.number: row.errors for row in preview.context["plan"].rows if row.errors}
    assert list(errors) == [5, 6]
    assert "tidak dapat mengundang" in errors[5][0]
    assert any("Kabupaten Solok (13.02), Kota Solok (13.72)" in e for e in errors[6])
    assert any("baris 2" in e for e in errors[6])
    assert not preview.context["payload"] and not Invitation.objects.exists()

    preview = client.post(
        "/akun/undangan/impor/", {"file": SimpleUploadedFile("u.csv", csv_file(header, *good))}
    )
    assert [row.place for row in preview.context["plan"].rows] == [
        "Kota Pariaman",
        "Kabupaten Agam",
        "Sumatera Barat",
    ]
    payload = preview.context["payload"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/akun/undangan/impor/konfirmasi/", {"payload": payload})
    assert done.status_code == 302
    invited = {(i.email, i.role, i.language) for i in Invitation.objects.all()}
    assert invited == {
        ("rina@pariamankota.example", Role.REGIONAL_STAFF, "id"),
        ("budi@agamkab.example", Role.REGIONAL_STAFF, "en"),
        ("sari@sumbarprov.example", Role.PROVINCIAL_BUREAU, "id"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for email, _r, _l in invited)
    again = client.post("/akun/undangan/impor/konfirmasi/", {"payload": payload}, follow=True)
    assert "Tidak ada yang diundang" in again.content.decode() and Invitation.objects.count() == 3
    forged = client.post("/akun/undangan/impor/konfirmasi/", {"payload": payload[:-3] + "abc"}, follow=True)
    assert "kedaluwarsa atau rusak" in forged.content.decode()


def test_a_bureau_invites_an_innovator_of_an_agency_of_its_province_who_sees_who_replicates(
    client, bureau_sumbar, django_capture_on_commit_callbacks
):
    from replications.statuses import Status
    from tests.factories import AgencyFactory, InnovationFactory, ProposalFactory, RoundFactory
    from tests.replications.reminder_helpers import submitted_proposal

    government = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    dinkes = AgencyFactory(
        name="Dinas Kesehatan", regency=regency("13.74"), level="office", parent=government
    )
    gigi = InnovationFactory(name="Menyeting Gigi Emas", owner_agency=dinkes)
    other = InnovationFactory(name="Kelas IMUD", owner_agency=AgencyFactory(regency=regency("13.77")))
    round_ = RoundFactory()
    submitted_proposal(round_, regency("13.77"), innovation=gigi, status=Status.COMMITTED)
    ProposalFactory(round=round_, innovation=gigi, regency=regency("13.75"))  # a draft: the region's own
    submitted_proposal(round_, regency("13.06"), innovation=other)

    client.force_login(bureau_sumbar)
    wrong = client.post(
        INVITE, {"name": "Sari", "email": "sari@padangpanjang.example", "language": "id", "role": Role.INNOVATOR,
                 "regency": regency("13.74").pk, "agency_name": "Dinas Kesehatn Kota"},
    )  # fmt: skip
    assert "Yang paling mirip: Dinas Kesehatan" in str(wrong.context["form"].errors["agency_name"])
    invitation = invite(
        client, django_capture_on_commit_callbacks, email="sari@padangpanjang.example", role=Role.INNOVATOR,
        regency=regency("13.74").pk, agency_name="dinas  kesehatan",
    )  # fmt: skip
    assert invitation.agency == dinkes and invitation.regency is None
    assert "Inovator (instansi pemilik inovasi), Dinas Kesehatan" in mail.outbox[0].body
    client.logout()
    client.post(
        link_in(mail.outbox[0]),
        {"username": "sari", "password1": "gigi-emas-2021!", "password2": "gigi-emas-2021!"},
    )
    assert client.get("/masuk/lanjut/")["Location"] == "/inovasi-saya/"
    page = client.get("/inovasi-saya/")
    [shown] = page.context["innovations"]
    assert shown == gigi
    assert [(p.regency.name, p.status) for p in shown.replication_list] == [
        ("Kota Pariaman", Status.COMMITTED)
    ]
    assert "Kota Pariaman" in page.content.decode() and "Kelas IMUD" not in page.content.decode()


def test_an_innovator_cannot_be_invited_into_another_province_and_others_have_no_innovator_desk(
    client, bureau_jateng, staff_padang_panjang
):
    from tests.factories import AgencyFactory

    AgencyFactory(name="Dinas Kesehatan", regency=regency("13.74"))
    client.force_login(bureau_jateng)
    refused = client.post(
        INVITE, {"name": "Sari", "email": "sari@example.go.id", "language": "id", "role": Role.INNOVATOR,
                 "regency": regency("13.74").pk, "agency_name": "Dinas Kesehatan"},
    )  # fmt: skip
    assert refused.status_code == 200 and "regency" in refused.context["form"].errors
    assert not Invitation.objects.exists()
    client.force_login(staff_padang_panjang)
    assert client.get("/inovasi-saya/").status_code == 404


def test_a_bureau_neither_sees_nor_resends_nor_revokes_another_provinces_invitations(
    client, bureau_sumbar, bureau_jateng, django_capture_on_commit_callbacks
):
    client.force_login(bureau_jateng)
    theirs = invite(
        client, django_capture_on_commit_callbacks, email="dewi@semarangkota.example", role=Role.REGIONAL_STAFF,
        regency=regency("33.74").pk,
    )  # fmt: skip
    client.force_login(bureau_sumbar)
    assert list(client.get(INVITE).context["page"].object_list) == []
    for action in ("kirim-ulang", "cabut"):
        assert client.post(f"/akun/undangan/{theirs.pk}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and len(mail.outbox) == 1
