import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Membership, Role
from regions.models import Agency, AgencyLevel, Province, Regency, RegencyKind, TimeZone
from tests.factories import UserFactory, province, regency

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_duplicate_province_and_regency_codes_are_rejected_by_the_database():
    assert refused(lambda: Province.objects.create(code="13", name="Sumbar Kembar", time_zone=TimeZone.WIB))
    assert refused(
        lambda: Regency.objects.create(
            code="13.74", province=province("13"), name="Lain", kind=RegencyKind.KOTA
        )
    )


def test_malformed_codes_and_unknown_choices_are_rejected_by_the_database():
    assert refused(lambda: Province.objects.create(code="1A", name="Salah", time_zone=TimeZone.WIB))
    assert refused(lambda: Province.objects.create(code="99", name="Salah", time_zone="Europe/Paris"))
    assert refused(
        lambda: Regency.objects.create(
            code="1374", province=province("13"), name="Salah", kind=RegencyKind.KOTA
        )
    )
    assert refused(
        lambda: Regency.objects.create(code="13.99", province=province("13"), name="Salah", kind="desa")
    )


def test_regency_code_must_start_with_its_province_code():
    wrong = Regency(code="14.99", province=province("13"), name="Kota Salah", kind=RegencyKind.KOTA)
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "code" in error.value.message_dict


def test_an_office_needs_a_parent_and_a_regency_government_needs_its_regency():
    assert refused(lambda: Agency.objects.create(name="Dinas Kesehatan", level=AgencyLevel.OFFICE))
    assert refused(
        lambda: Agency.objects.create(name="Pemerintah Kota X", level=AgencyLevel.REGENCY_GOVERNMENT)
    )
    assert refused(
        lambda: Agency.objects.create(
            name="Pemerintah Provinsi X", level=AgencyLevel.PROVINCIAL_GOVERNMENT, regency=regency("13.74")
        )
    )


def test_agency_names_are_unique_under_one_parent_but_may_repeat_elsewhere():
    padang_panjang = Agency.objects.create(
        name="Pemerintah Kota Padang Panjang", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.74")
    )
    pariaman = Agency.objects.create(
        name="Pemerintah Kota Pariaman", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.77")
    )
    Agency.objects.create(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=padang_panjang)
    Agency.objects.create(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=pariaman)
    assert refused(
        lambda: Agency.objects.create(name="Dinas Kesehatan", level=AgencyLevel.OFFICE, parent=pariaman)
    )
    # Two top-level agencies with the same name are one agency twice (NULLS NOT DISTINCT).
    Agency.objects.create(name="Kepolisian Negara Republik Indonesia", level=AgencyLevel.POLICE)
    assert refused(
        lambda: Agency.objects.create(name="Kepolisian Negara Republik Indonesia", level=AgencyLevel.POLICE)
    )


def test_agency_province_follows_its_regency():
    agency = Agency.objects.create(
        name="Pemerintah Kota Padang Panjang", level=AgencyLevel.REGENCY_GOVERNMENT, regency=regency("13.74")
    )
    assert agency.province == province("13")


def test_membership_role_must_match_its_place():
    user = UserFactory()
    assert refused(
        lambda: Membership.objects.create(user=user, role=Role.REGIONAL_STAFF, province=province("13"))
    )
    assert refused(
        lambda: Membership.objects.create(user=user, role=Role.PROVINCIAL_BUREAU, regency=regency("13.74"))
    )
    assert refused(
        lambda: Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN, province=province("13"))
    )
    Membership.objects.create(user=user, role=Role.REGIONAL_STAFF, regency=regency("13.74"))
    assert refused(
        lambda: Membership.objects.create(user=user, role=Role.REGIONAL_STAFF, regency=regency("13.74"))
    )
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    assert refused(lambda: Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN))


def test_membership_form_validation_names_the_missing_place():
    with pytest.raises(ValidationError) as error:
        Membership(user=UserFactory(), role=Role.PROVINCIAL_BUREAU).full_clean()
    assert "province" in error.value.message_dict
