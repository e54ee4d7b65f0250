"""Named actors every test reuses (docs/conventions.md): one per role, plus the outsider of another region."""

import pytest

from accounts.models import Role
from tests.factories import AgencyFactory, InnovationFactory, UserFactory, member, regency


@pytest.fixture
def staff_padang_panjang(db):
    return member("staf.padangpanjang", Role.REGIONAL_STAFF, regency_code="13.74")


@pytest.fixture
def staff_pariaman(db):
    """The outsider: regional staff of another regency in the same province."""
    return member("staf.pariaman", Role.REGIONAL_STAFF, regency_code="13.77")


@pytest.fixture
def bureau_sumbar(db):
    return member("biro.sumbar", Role.PROVINCIAL_BUREAU, province_code="13")


@pytest.fixture
def bureau_jateng(db):
    return member("biro.jateng", Role.PROVINCIAL_BUREAU, province_code="33")


@pytest.fixture
def national_admin(db):
    user = member("admin.kemenpan", Role.NATIONAL_ADMIN)
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def no_membership_user(db):
    return UserFactory(username="warga.biasa")


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to .data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test has its own cache namespace in the shared Redis (parallel workers included)."""
    import uuid

    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }


@pytest.fixture
def reference_data():
    """Transactional tests empty the database after themselves; this loads the migrations'
    reference rows (regions, SDGs, KIPP editions) again first. Idempotent."""
    from innovations.models import SDG, KippEdition
    from innovations.reference import load_kipp_editions, load_sdgs
    from regions.models import Province, Regency
    from regions.reference import load_regions

    load_regions(Province, Regency)
    load_sdgs(SDG)
    load_kipp_editions(KippEdition)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords are hashed with a fast hasher in tests; production keeps Django's default (PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gigi(db):
    """Menyeting Gigi Emas, owned by the health office of Kota Padang Panjang (an office under its
    government), reviewed on 1 March 2025: the innovation innovators keep."""
    import datetime

    government = AgencyFactory(name="Pemerintah Kota Padang Panjang", regency=regency("13.74"))
    dinkes = AgencyFactory(
        name="Dinas Kesehatan", regency=regency("13.74"), level="office", parent=government
    )
    return InnovationFactory(
        name="Menyeting Gigi Emas", slug="menyeting-gigi-emas", owner_agency=dinkes,
        summary="Imunisasi dasar lengkap dijemput ke rumah warga.", contact_phone="0752 111",
        last_reviewed_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
