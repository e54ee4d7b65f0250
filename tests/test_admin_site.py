"""The admin made for the national team: its home starts from the work waiting, possible duplicates
found by an import are listed until someone decides, people are managed with where they work, and the
technical sections are for superusers."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import Membership, Role
from innovations.models import ImportStatus, InnovationImport, PossibleDuplicate
from innovations.spreadsheets import importing, reading
from replications.models import Reminder, ReminderKind
from tests.factories import AgencyFactory, InnovationFactory, UserFactory, province, regency
from tests.innovations.spreadsheet_files import HEADER, csv_file

pytestmark = pytest.mark.django_db


def work_on_home(client) -> dict[str, int]:
    return {item.label: item.count for item in client.get("/admin/").context["work"]}


def test_the_admin_home_lists_the_work_waiting_with_links(client, national_admin):
    client.force_login(national_admin)
    assert work_on_home(client) == {}  # nothing waits in an empty bank
    assert "Tidak ada yang menunggu" in client.get("/admin/").content.decode()
    InnovationImport.objects.create(filename="a.xlsx", data=b"", status=ImportStatus.CHECKED)
    InnovationImport.objects.create(filename="b.xlsx", data=b"", status=ImportStatus.REFUSED)
    InnovationFactory(last_reviewed_on=timezone.localdate() - datetime.timedelta(days=400))
    InnovationFactory(last_reviewed_on=timezone.localdate())
    Reminder.objects.create(
        key="x", kind=ReminderKind.ROUND_DEADLINE, recipient=national_admin, due_at=timezone.now(),
        failed_at=timezone.now(), claimed_at=timezone.now(),
    )  # fmt: skip
    assert work_on_home(client) == {
        "Impor menunggu konfirmasi": 1,
        "Impor gagal atau ditolak (30 hari terakhir)": 1,
        "Inovasi belum ditinjau lebih dari setahun": 1,
        "Pengingat gagal terkirim": 1,
    }
    page = client.get("/admin/").content.decode()
    assert "/admin/innovations/innovation/?tinjauan=lewat" in page
    stale = client.get("/admin/innovations/innovation/", {"tinjauan": "lewat"}).context["cl"].result_count
    assert stale == 1
    assert "/admin/replications/reminder/?keadaan=failed" in page
    assert 'href="/dasbor/nasional/"' in page  # where the programme is read, one click from home


def test_the_home_shows_staff_only_the_work_of_sections_they_may_see(client, bureau_sumbar):
    InnovationImport.objects.create(filename="a.xlsx", data=b"", status=ImportStatus.CHECKED)
    InnovationFactory(last_reviewed_on=None)
    bureau_sumbar.is_staff = True
    bureau_sumbar.save()
    bureau_sumbar.user_permissions.add(*Permission.objects.filter(codename__in=["view_innovation"]))
    client.force_login(bureau_sumbar)
    assert work_on_home(client) == {"Inovasi belum ditinjau lebih dari setahun": 1}


def test_an_import_lists_its_possible_duplicates_until_someone_decides(client, national_admin):
    dinkes = AgencyFactory(name="Pemerintah Kota Pariaman", regency=regency("13.77"))
    original = InnovationFactory(name="Kelas Ibu Muda", owner_agency=dinkes)
    data = csv_file(
        HEADER,
        ["Kelas Ibu Mudah", "Pemerintah Kota Pariaman", "13.77", "kesehatan", "Kelas ibu muda."],
        ["Posyandu Remaja", "Pemerintah Kota Pariaman", "13.77", "kesehatan", "Posyandu untuk remaja."],
        ["Posyandu Remaja 2", "Pemerintah Kota Pariaman", "13.77", "kesehatan", "Posyandu remaja lagi."],
    )
    plan = importing.plan_import(reading.read(data))
    assert [row.action for row in plan.rows] == ["new", "new", "new"]
    importing.apply(plan)
    pairs = {(p.innovation.name, p.similar_to.name) for p in PossibleDuplicate.objects.all()}
    assert pairs == {("Kelas Ibu Mudah", original.name), ("Posyandu Remaja 2", "Posyandu Remaja")}
    client.force_login(national_admin)
    assert work_on_home(client)["Kemungkinan duplikat untuk diputuskan"] == 2
    listed = client.get("/admin/innovations/possibleduplicate/", {"resolved_at__isempty": "1"})
    assert listed.context["cl"].result_count == 2
    client.post(
        "/admin/innovations/possibleduplicate/",
        {"action": "resolve", "_selected_action": [p.pk for p in PossibleDuplicate.objects.all()]},
    )
    assert set(PossibleDuplicate.objects.values_list("resolved_by", flat=True)) == {national_admin.pk}
    assert "Kemungkinan duplikat untuk diputuskan" not in work_on_home(client)


def test_people_are_managed_with_their_memberships_and_found_by_region(client, national_admin):
    person = UserFactory(username="sari", first_name="Sari", email="sari@example.go.id")
    client.force_login(national_admin)
    page = client.get(f"/admin/auth/user/{person.pk}/change/")
    assert page.status_code == 200 and "memberships-TOTAL_FORMS" in page.content.decode()
    form = {
        "username": "sari", "first_name": "Sari", "last_name": "", "email": "sari@example.go.id",
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-role": Role.PROVINCIAL_BUREAU, "memberships-0-regency": regency("13.74").pk,
    }  # fmt: skip
    refused = client.post(f"/admin/auth/user/{person.pk}/change/", form)
    assert refused.status_code == 200 and not Membership.objects.filter(user=person).exists()
    form |= {"memberships-0-regency": "", "memberships-0-province": province("13").pk}
    saved = client.post(f"/admin/auth/user/{person.pk}/change/", form)
    assert saved.status_code == 302
    assert Membership.objects.get(user=person).province == province("13")
    found = client.get("/admin/auth/user/", {"q": "Sumatera Barat"}).context["cl"].result_list
    assert list(found) == [person]


def test_technical_sections_are_shown_to_superusers_only(client, national_admin):
    client.force_login(national_admin)
    labels = {app["app_label"] for app in client.get("/admin/").context["app_list"]}
    assert {"django_celery_beat", "axes"} <= labels
    staff = UserFactory(username="staf.admin", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_periodictask", "view_innovation"])
    )
    client.force_login(staff)
    labels = {app["app_label"] for app in client.get("/admin/").context["app_list"]}
    assert labels == {"innovations"}
    beat = client.get("/admin/").content.decode()
    assert "Tugas terjadwal" not in beat
    client.force_login(national_admin)
    assert "Tugas terjadwal" in client.get("/admin/").content.decode()
