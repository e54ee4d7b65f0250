from collections import Counter

import pytest
from django.core.management import call_command

from regions.models import PROVINCE_TIME_ZONES, Province, Regency, RegencyKind, TimeZone

pytestmark = pytest.mark.django_db


def test_all_38_provinces_and_514_regencies_are_loaded():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    kinds = Counter(Regency.objects.values_list("kind", flat=True))
    assert kinds == {RegencyKind.KABUPATEN: 416, RegencyKind.KOTA: 98}


def test_every_regency_sits_in_the_province_its_code_names():
    wrong = [
        regency.code
        for regency in Regency.objects.select_related("province")
        if not regency.code.startswith(regency.province.code + ".")
    ]
    assert wrong == []
    assert Regency.objects.get(code="13.74").province.name == "Sumatera Barat"
    assert Regency.objects.get(code="33.71").name == "Kota Magelang"


def test_every_province_has_its_time_zone():
    zones = dict(Province.objects.values_list("code", "time_zone"))
    assert zones == {code: str(zone) for code, zone in PROVINCE_TIME_ZONES.items()}
    assert zones["13"] == TimeZone.WIB  # Sumatera Barat
    assert zones["73"] == TimeZone.WITA  # Sulawesi Selatan
    assert zones["91"] == TimeZone.WIT  # Papua
    assert zones["61"] == TimeZone.WIB  # Kalimantan Barat, unlike the rest of Kalimantan east of it
    assert zones["64"] == TimeZone.WITA


def test_load_regions_command_is_idempotent_and_repairs_drift(capsys):
    Regency.objects.filter(code="13.74").update(name="Padang Panjang (salah)")
    call_command("load_regions")
    assert "updated: 1" in capsys.readouterr().out
    assert Regency.objects.get(code="13.74").name == "Kota Padang Panjang"

    call_command("load_regions")
    out = capsys.readouterr().out
    assert "provinces created: 0, regencies created: 0, updated: 0" in out
    assert Regency.objects.count() == 514


def test_deadline_day_ends_at_local_midnight_of_each_time_zone():
    import datetime

    day = datetime.date(2021, 8, 30)
    sumbar_end = Province.objects.get(code="13").end_of_day(day)
    papua_end = Province.objects.get(code="91").end_of_day(day)
    assert sumbar_end.utcoffset() == datetime.timedelta(hours=7)
    assert papua_end.utcoffset() == datetime.timedelta(hours=9)
    # Papua's day ends two hours earlier than Sumatera Barat's, in absolute time.
    assert sumbar_end - papua_end == datetime.timedelta(hours=2)
