"""Demo data for a local Replikasi, loaded by ``manage.py seed_demo``.

Names, regions, dates and the Padang Panjang letter number come from the seed articles; texts, statuses,
awards and the other letters are invented for the demo. Every row is found by its natural key and written
only when it differs from what is wanted, so a second run creates and changes nothing (and adds no proposal
history). Nothing is deleted: many-to-many links are only added, and uploaded files are only filled in.
"""

import datetime
import functools
import textwrap
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Role
from innovations.models import SDG, Innovation, InnovationForm, KippAward, KippEdition, Stage
from regions.models import Agency, AgencyLevel, Province, Regency
from regions.reference import read_rows
from replications.models import Commitment, Milestone, ProgressReport, Proposal, Round, Status
from replications.reminders import save_scheduled

from .demo_data import INNOVATIONS, TEXT_FIELDS

D = datetime.date

# username, full name, e-mail domain (before ".example"), role, regency or province name
USERS = (
    ("staf.padangpanjang", "Fitri Handayani", "padangpanjang", Role.REGIONAL_STAFF, "Kota Padang Panjang"),
    ("staf.pariaman", "Rudi Saputra", "pariaman", Role.REGIONAL_STAFF, "Kota Pariaman"),
    ("biro.sumbar", "Dewi Kartika", "sumbarprov", Role.PROVINCIAL_BUREAU, "Sumatera Barat"),
    ("biro.jateng", "Bambang Setiawan", "jatengprov", Role.PROVINCIAL_BUREAU, "Jawa Tengah"),
    ("admin.kemenpan", "Siti Rahmawati", "menpan", Role.NATIONAL_ADMIN, None),
)

# Jawa Tengah 2021: key -> (innovation, adopting office, short label, problem, expected results)
JATENG_INNOVATIONS = {
    "sekolah": (
        "Gerakan Kembali Bersekolah Atasi Anak Tidak Sekolah",
        "Dinas Pendidikan dan Kebudayaan",
        "Gerakan Kembali Bersekolah",
        "Masih ada anak usia sekolah yang putus sekolah, dan datanya belum lengkap sampai tingkat desa.",
        "Anak tidak sekolah terdata per desa dan kembali ke sekolah atau pendidikan kesetaraan.",
    ),
    "data": (
        "Data Kota Magelang Open",
        "Dinas Komunikasi dan Informatika",
        "Portal Data Terbuka",
        "Data sektoral tersebar di perangkat daerah dan sulit diakses perencana maupun warga.",
        "Portal data terbuka berisi data sektoral yang mutakhir dan dapat diunduh.",
    ),
    "ibu-anak": (
        "Sayangi dan Dampingi Ibu dan Anak",
        "Dinas Kesehatan",
        "Sayangi dan Dampingi Ibu dan Anak",
        "Kematian ibu dan bayi belum turun karena ibu hamil berisiko terlambat dikenali dan dirujuk.",
        "Setiap ibu hamil berisiko tinggi memiliki pendamping dan dirujuk tepat waktu.",
    ),
    "laboratorium": (
        "Laboratorium Inovasi",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Laboratorium Inovasi",
        "Inovasi perangkat daerah masih sedikit dan jarang berlanjut setelah lomba.",
        "Setiap perangkat daerah menguji coba paling sedikit satu inovasi dalam setahun.",
    ),
    "akta": (
        "Akta Kelahiran dan Kematian Terintegrasi Dana Desa",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Akta Terintegrasi Dana Desa",
        "Kepemilikan akta kelahiran anak di desa masih rendah dan kematian jarang dilaporkan.",
        "Setiap desa memiliki petugas registrasi dan cakupan akta kelahiran anak meningkat.",
    ),
    "plastik": (
        "Bandung Anti Kantong Plastik",
        "Dinas Lingkungan Hidup",
        "Gerakan Anti Kantong Plastik",
        "Sampah kantong plastik sekali pakai terus bertambah dan mencemari sungai.",
        "Toko modern dan pasar berhenti membagikan kantong plastik sekali pakai.",
    ),
}

# In the article's order; letters are numbered and dated in this order (11–22 October 2021).
JATENG_PROPOSALS = (
    ("Kabupaten Blora", "akta", Status.IMPLEMENTING),
    ("Kabupaten Cilacap", "sekolah", Status.REPLICATED),
    ("Kabupaten Karanganyar", "laboratorium", Status.COMMITTED),
    ("Kabupaten Kebumen", "sekolah", Status.IMPLEMENTING),
    ("Kabupaten Kendal", "plastik", Status.IMPLEMENTING),
    ("Kabupaten Kudus", "data", Status.REPLICATED),
    ("Kabupaten Purbalingga", "ibu-anak", Status.IMPLEMENTING),
    ("Kabupaten Purworejo", "data", Status.COMMITTED),
    ("Kabupaten Sragen", "plastik", Status.COMMITTED),
    ("Kabupaten Tegal", "ibu-anak", Status.REPLICATED),
    ("Kabupaten Wonosobo", "akta", Status.REPLICATED),
    ("Kota Magelang", "laboratorium", Status.REPLICATED),
)
JATENG_COMMITMENT = (
    D(2021, 11, 2),
    "Penandatanganan Komitmen Pelaksanaan Replikasi Inovasi Pelayanan Publik, secara virtual dari Kantor "
    "Gubernur Jawa Tengah.",
)
# The action plan every Jawa Tengah region signed up to: (step, due, done).
JATENG_PLAN = (
    ("Penetapan tim pelaksana replikasi", D(2021, 11, 30), D(2021, 11, 24)),
    ("Penyusunan SOP dan dasar hukum", D(2022, 2, 28), D(2022, 2, 21)),
    ("Uji coba layanan", D(2022, 5, 31), D(2022, 5, 25)),
    ("Penerapan penuh dan evaluasi", D(2022, 10, 31), D(2022, 10, 19)),
)
# status -> (steps in the plan, steps done, the progress report on the last step done)
JATENG_PROGRESS = {
    Status.COMMITTED: (2, 1, None),
    Status.IMPLEMENTING: (
        3,
        2,
        "Tim pelaksana terbentuk, SOP dan dasar hukum ditetapkan; uji coba layanan sedang disiapkan.",
    ),
    Status.REPLICATED: (
        4,
        4,
        "Layanan diterapkan penuh di seluruh wilayah dan telah dievaluasi; laporan evaluasi terlampir.",
    ),
}

ALL_REGENCIES = None  # a round's participants: every regency of its province

ROUNDS = {
    "sumbar-2021": {
        "title": "JIPP Sumatera Barat 2021",
        "province": "13",
        "fgd_date": D(2021, 8, 26),
        "deadline": D(2021, 8, 30),
        "mentor": "Universitas Andalas",
        "notes": "FGD Identifikasi dan Penetapan Replikasi Inovasi JIPP Sumatera Barat melalui Zoom bersama "
        "KemenPANRB dan kabupaten/kota se-Sumatera Barat. Pilihan inovasi disampaikan tertulis.",
        "participants": ALL_REGENCIES,
        "shortlist": (
            "Menyeting Gigi Emas",
            "Kelas IMUD",
            "SI-JABPRI",
            "PIKOBAR",
            "Home Care Dottoro'ta",
            "Banyuwangi Festival",
            "Posyandu Keluarga",
            "Laboratorium Inovasi",
            "Bela Beli Kulon Progo",
            "Eksistensi Call Centre 112",
            "Lancar HD",
            "Data Kota Magelang Open",
            "Gerakan Kembali Bersekolah Atasi Anak Tidak Sekolah",
            "Lumbung Pangan Nagari",
        ),
    },
    "jateng-2021": {
        "title": "Replikasi Inovasi Pelayanan Publik Jawa Tengah 2021",
        "province": "33",
        "fgd_date": D(2021, 10, 5),
        "deadline": D(2021, 10, 22),
        "mentor": "Tim Pendamping Replikasi KemenPANRB",
        "notes": "Enam inovasi, tiga dari Jawa Tengah dan tiga dari luar, direplikasi di 12 kabupaten/kota. "
        "Komitmen pelaksanaan ditandatangani secara virtual pada 2 November 2021.",
        "participants": tuple(regency for regency, _, _ in JATENG_PROPOSALS),
        "shortlist": tuple(innovation for innovation, *_ in JATENG_INNOVATIONS.values()),
    },
    "sulsel-2016": {
        "title": "Forum Nasional Replikasi 2016 — Sulawesi Selatan",
        "province": "73",
        "fgd_date": D(2016, 10, 26),
        "deadline": D(2016, 10, 27),
        "mentor": "",
        "notes": "Forum Nasional Replikasi Inovasi Pelayanan Publik di Bandung, 26–27 Oktober 2016: "
        "MoU replikasi antara inovator dan kepala daerah.",
        "participants": ("Kota Palopo",),
        "shortlist": ("Home Care Dottoro'ta", "Laboratorium Inovasi"),
    },
}

CURRENT_ROUND_SHORTLIST = (
    "Home Care Dottoro'ta",
    "Banyuwangi Festival",
    "Posyandu Keluarga",
    "LaporGub",
    "Lancar HD",
    "Juragan Koncer",
)

PADANG_PANJANG_LETTER = ("B/061/143/SETDAKO-PP/VIII/2021", D(2021, 8, 27))

PROPOSALS = (
    {
        "round": "sumbar-2021",
        "regency": "Kota Padang Panjang",
        "innovation": "Menyeting Gigi Emas",
        "agency": "Dinas Kesehatan",
        "status": Status.APPROVED,
        "local_name": "Menyeting Gigi Emas Kota Padang Panjang",
        "problem": "Masih ada balita pendek di beberapa kelurahan, dan upaya gizi, ASI eksklusif serta "
        "sanitasi belum menyasar keluarga yang sama.",
        "expected_results": "Keluarga berisiko stunting terdata dan didampingi; balita pendek berkurang.",
        "letter": PADANG_PANJANG_LETTER,
    },
    {
        "round": "sumbar-2021",
        "regency": "Kota Padang Panjang",
        "innovation": "Kelas IMUD",
        "agency": "Dinas Kesehatan",
        "status": Status.APPROVED,
        "local_name": "Kelas IMUD Serambi Mekkah",
        "problem": "Ibu hamil usia muda kurang mendapat bekal tentang kehamilan dan pengasuhan bayi.",
        "expected_results": "Setiap ibu muda ikut kelas sejak hamil dan cakupan ASI eksklusif naik.",
        "letter": PADANG_PANJANG_LETTER,
    },
    {
        "round": "sumbar-2021",
        "regency": "Kota Padang Panjang",
        "innovation": "SI-JABPRI",
        "agency": "Dinas Komunikasi dan Informatika",
        "status": Status.VERIFIED,
        "local_name": "Sistem Informasi Jabatan Kota Padang Panjang",
        "problem": "Peta dan analisis jabatan perangkat daerah disusun manual dan sering tidak sinkron.",
        "expected_results": "Data jabatan seluruh OPD tersedia dalam satu aplikasi yang mudah dimutakhirkan.",
        "letter": PADANG_PANJANG_LETTER,
    },
    {
        "round": "sumbar-2021",
        "regency": "Kota Padang Panjang",
        "innovation": "PIKOBAR",
        "agency": "Dinas Komunikasi dan Informatika",
        "status": Status.SUBMITTED,
        "local_name": "Pusat Informasi dan Koordinasi Covid-19 Kota Padang Panjang",
        "problem": "Informasi Covid-19 bagi warga tersebar di banyak kanal dan data kasus belum terpadu.",
        "expected_results": "Warga mendapat informasi resmi dari satu kanal; data kasus dipantau harian.",
        "letter": PADANG_PANJANG_LETTER,
    },
    {
        "round": "sumbar-current",
        "regency": "Kota Pariaman",
        "innovation": "Home Care Dottoro'ta",
        "agency": "Dinas Kesehatan",
        "status": Status.DRAFT,
        "local_name": "Home Care Kota Pariaman",
        "problem": "Lansia dan pasien penyakit kronis di Kota Pariaman sulit menjangkau puskesmas dan sering "
        "terlambat ditangani.",
        "expected_results": "Pasien kronis dan lansia dikunjungi berkala dan rujukan darurat lebih cepat.",
        "letter": None,
    },
    {
        "round": "sulsel-2016",
        "regency": "Kota Palopo",
        "innovation": "Home Care Dottoro'ta",
        "agency": "Dinas Kesehatan",
        "status": Status.REPLICATED,
        "local_name": "Home Care Kota Palopo",
        "problem": "Warga lanjut usia dan pasien yang sulit bergerak tidak terjangkau layanan puskesmas.",
        "expected_results": "Layanan kesehatan dasar datang ke rumah warga atas panggilan.",
        "letter": ("061/412/ORG/X/2016", D(2016, 10, 24)),
        "commitment": (
            D(2016, 10, 27),
            "MoU replikasi antara inovator dan Wali Kota Palopo, ditandatangani di Bandung.",
        ),
        "plan": (
            ("Penandatanganan MoU dengan inovator", D(2016, 10, 27), D(2016, 10, 27)),
            ("Pembentukan tim home care puskesmas", D(2017, 1, 31), D(2017, 1, 20)),
            ("Peluncuran layanan home care", D(2017, 4, 30), D(2017, 4, 21)),
        ),
        "report": (D(2017, 5, 2), "Layanan home care diluncurkan di seluruh puskesmas kota."),
    },
)


def seed_demo(today: datetime.date | None = None) -> Counter:
    """Create or bring up to date every demo row; returns counts by (model label, "created"/"updated")."""
    refuse_default_password_in_production()
    tally = Counter()
    with transaction.atomic():
        staff = seed_users(tally)
        innovations = seed_innovations(tally)
        rounds = seed_rounds(tally, innovations, today)
        for spec in (*PROPOSALS, *jateng_proposals()):
            seed_proposal(tally, spec, rounds, innovations, staff)
    return tally


def refuse_default_password_in_production() -> None:
    if not settings.DEMO_PASSWORD.strip():
        raise CommandError(
            "DEMO_PASSWORD is empty: the demo accounts would have no password. Unset it (local use) "
            "or set a password."
        )
    if not settings.DEBUG and settings.DEMO_PASSWORD == settings.DEMO_PASSWORD_DEFAULT:
        raise CommandError(
            "Refusing to create demo accounts with the default DEMO_PASSWORD while DEBUG is off: "
            "set DEMO_PASSWORD to a secret of your own first."
        )


def upsert(tally: Counter, model, key: dict, values: dict, files: dict | None = None):
    """The row with natural ``key``: created if missing, else written only where it differs from ``values``.

    ``files`` maps a file field to (name, bytes); a file is saved only while the field is empty, so a rerun
    never stores a second copy.
    """
    row = model.objects.filter(**key).order_by("pk").first()
    created = row is None
    if created:
        row = model(**key)
    changed = [field for field, value in values.items() if differs(row, field, value)]
    for field in changed:
        setattr(row, field, values[field])
    for field, (name, content) in (files or {}).items():
        if not getattr(row, field):
            getattr(row, field).save(name, ContentFile(content), save=False)
            changed.append(field)
    if created or changed:
        row.full_clean()
        if isinstance(row, Round | Proposal | Milestone):
            save_scheduled(row)  # their dates and status decide when reminders fall due
        else:
            row.save()
        tally[model._meta.label, "created" if created else "updated"] += 1
    return row


def differs(row, name: str, value) -> bool:
    field = row._meta.get_field(name)
    if field.many_to_one or field.one_to_one:  # compare ids: no query, and no error on an unsaved row
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def add_missing(tally: Counter, row, field: str, wanted) -> None:
    """Add the links of a many-to-many ``field`` that are missing; links someone else added stay."""
    related = getattr(row, field)
    present = set(related.values_list("pk", flat=True))
    missing = [item for item in wanted if item.pk not in present]
    if missing:
        related.add(*missing)
        tally[f"{row._meta.label}.{field}", "linked"] += len(missing)


@functools.cache
def regency_codes() -> dict[str, str]:
    return {row["name"]: row["code"] for row in read_rows("regencies.csv")}


def regency_named(name: str) -> Regency:
    """Look the Kemendagri code up by exact name in regions/data/regencies.csv; never guess one."""
    if name not in regency_codes():
        raise CommandError(f"No regency named {name!r} in regions/data/regencies.csv.")
    return Regency.objects.select_related("province").get(code=regency_codes()[name])


def province_named(name: str) -> Province:
    try:
        return Province.objects.get(name=name)
    except Province.DoesNotExist:
        raise CommandError(f"No province named {name!r}: load the reference regions first.") from None


def agency(tally: Counter, path: tuple[str, ...]) -> Agency:
    """The agency at ``path`` (region name, then office, then unit), with its parents, created if missing."""
    place, *names = path
    if place.startswith(("Kabupaten ", "Kota ")):
        regency = regency_named(place)
        province, level, name = regency.province, AgencyLevel.REGENCY_GOVERNMENT, f"Pemerintah {place}"
    else:
        regency, province = None, province_named(place)
        level, name = AgencyLevel.PROVINCIAL_GOVERNMENT, f"Pemerintah Provinsi {place}"
    where = {"regency": regency, "province": province}
    found = upsert(tally, Agency, {"parent": None, "name": name}, {"level": level, **where})
    for depth, name in enumerate(names):
        level = AgencyLevel.OFFICE if depth == 0 else AgencyLevel.UNIT
        found = upsert(tally, Agency, {"parent": found, "name": name}, {"level": level, **where})
    return found


def seed_users(tally: Counter) -> dict:
    """The demo accounts and their memberships; returns the regional staff by regency name."""
    user_model = get_user_model()
    staff = {}
    for username, full_name, domain, role, place in USERS:
        first_name, last_name = full_name.split(" ", 1)
        is_admin = role == Role.NATIONAL_ADMIN
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@{domain}.example",
            "is_active": True,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        }
        existing = user_model.objects.filter(username=username).first()
        if existing is None or not existing.check_password(settings.DEMO_PASSWORD):
            values["password"] = make_password(settings.DEMO_PASSWORD)
        user = upsert(tally, user_model, {"username": username}, values)
        membership = {
            "user": user,
            "role": role,
            "regency": regency_named(place) if role == Role.REGIONAL_STAFF else None,
            "province": province_named(place) if role == Role.PROVINCIAL_BUREAU else None,
        }
        upsert(tally, Membership, membership, {})
        if role == Role.REGIONAL_STAFF:
            staff[place] = user
    return staff


def seed_innovations(tally: Counter) -> dict[str, Innovation]:
    sdgs = {sdg.number: sdg for sdg in SDG.objects.all()}
    editions = {edition.year: edition for edition in KippEdition.objects.all()}
    innovations = {}
    for entry in INNOVATIONS:
        contact_name, contact_email = entry["contact"]
        values = {
            "name": entry["name"],
            "long_name": entry.get("long_name", ""),
            "owner_agency": agency(tally, entry["owner"]),
            "category": entry["category"],
            "affair": entry["affair"],
            "form": entry.get("form", InnovationForm.PUBLIC_SERVICE),
            "is_digital": entry.get("is_digital", False),
            "stage": entry.get("stage", Stage.IMPLEMENTATION),
            "launch_year": entry["launch_year"],
            "is_published": entry.get("is_published", True),
            "last_reviewed_on": entry["last_reviewed_on"],
            "contact_name": contact_name,
            "contact_email": contact_email,
            **{field: entry.get(field, "") for field in TEXT_FIELDS},
        }
        innovation = upsert(tally, Innovation, {"slug": slugify(entry["name"])}, values)
        add_missing(tally, innovation, "sdgs", [sdgs[number] for number in entry["sdgs"]])
        for year, group, tier in entry.get("awards", ()):
            key = {"innovation": innovation, "edition": editions[year]}
            upsert(tally, KippAward, key, {"group": group, "tier": tier})
        innovations[entry["name"]] = innovation
    return innovations


def current_round(today: datetime.date | None) -> dict:
    """This year's Sumatera Barat round: FGD two days ago, proposals due in five days (WIB)."""
    sumbar = Province.objects.get(code="13")
    today = today or timezone.localdate(timezone=sumbar.tzinfo)
    return {
        "title": f"JIPP Sumatera Barat {today.year}",
        "province": sumbar.code,
        "fgd_date": today - datetime.timedelta(days=2),
        "deadline": today + datetime.timedelta(days=5),
        "mentor": "Universitas Andalas",
        "notes": "FGD identifikasi masalah daerah dan penetapan inovasi yang akan direplikasi. Pilihan "
        "inovasi disampaikan tertulis kepada Biro Organisasi paling lambat pada batas waktu.",
        "participants": ALL_REGENCIES,
        "shortlist": CURRENT_ROUND_SHORTLIST,
        # Five days before falls this morning at 08.00 WIB, six days before yesterday morning: whatever the
        # hour, the first sweep after `make run` has a fresh deadline reminder to send (mail in the console).
        "reminder_offsets": [6, 5, 3, 1, 0],
    }


def seed_rounds(tally: Counter, innovations: dict, today: datetime.date | None) -> dict[str, Round]:
    rounds = {}
    for key, spec in {**ROUNDS, "sumbar-current": current_round(today)}.items():
        province = Province.objects.get(code=spec["province"])
        values = {field: spec[field] for field in ("fgd_date", "deadline", "mentor", "notes")}
        values["reminder_offsets"] = spec.get("reminder_offsets")
        round_ = upsert(tally, Round, {"province": province, "title": spec["title"]}, values)
        if spec["participants"] is ALL_REGENCIES:
            participants = list(province.regencies.all())
        else:
            participants = [regency_named(name) for name in spec["participants"]]
        add_missing(tally, round_, "participants", participants)
        add_missing(tally, round_, "shortlist", [innovations[name] for name in spec["shortlist"]])
        rounds[key] = round_
    return rounds


def jateng_proposals() -> list[dict]:
    proposals = []
    for number, (regency, key, status) in enumerate(JATENG_PROPOSALS):
        innovation, office, label, problem, expected = JATENG_INNOVATIONS[key]
        steps, done, report = JATENG_PROGRESS[status]
        plan = [
            (title, due, done_on if n < done else None) for n, (title, due, done_on) in enumerate(JATENG_PLAN)
        ]
        last_done_on = plan[done - 1][2]
        proposals.append(
            {
                "round": "jateng-2021",
                "regency": regency,
                "innovation": innovation,
                "agency": office,
                "status": status,
                "local_name": f"{label} {regency.removeprefix('Kabupaten ')}",
                "problem": problem,
                "expected_results": expected,
                "letter": (f"B/061/{101 + number}/ORG/X/2021", D(2021, 10, 11 + number)),
                "commitment": JATENG_COMMITMENT,
                "plan": plan[:steps],
                "report": (last_done_on, report) if report else None,
            }
        )
    return proposals


def seed_proposal(tally: Counter, spec: dict, rounds: dict, innovations: dict, staff: dict) -> Proposal:
    round_ = rounds[spec["round"]]
    regency = regency_named(spec["regency"])
    innovation = innovations[spec["innovation"]]
    values = {
        "local_name": spec["local_name"],
        "adopting_agency": agency(tally, (spec["regency"], spec["agency"])),
        "problem": spec["problem"],
        "expected_results": spec["expected_results"],
        "status": spec["status"],
        "letter_number": "",
        "letter_date": None,
        "submitted_at": None,
        "created_by": staff.get(regency.name),
    }
    files = {}
    if spec["letter"]:
        number, date = spec["letter"]
        values["letter_number"], values["letter_date"] = number, date
        values["submitted_at"] = datetime.datetime.combine(
            date, datetime.time(10), tzinfo=round_.province.tzinfo
        )
        letter = pdf(
            f"Pemerintah {regency.name}",
            f"Nomor: {number}",
            f"Tanggal: {date:%d-%m-%Y}",
            f"Kepada Yth. Gubernur {round_.province.name}",
            f"Perihal: Usulan replikasi inovasi {innovation.name}",
            "Dokumen contoh untuk demo Replikasi.",
        )
        files["letter_file"] = ("surat-usulan.pdf", letter)
    key = {"round": round_, "regency": regency, "innovation": innovation}
    proposal = upsert(tally, Proposal, key, values, files)

    if "commitment" in spec:
        signed_on, notes = spec["commitment"]
        document = pdf(
            f"Komitmen replikasi {innovation.name}", f"{regency.name}, {signed_on:%d-%m-%Y}", notes
        )
        upsert(
            tally,
            Commitment,
            {"proposal": proposal},
            {"signed_on": signed_on, "notes": notes},
            {"document": ("komitmen.pdf", document)},
        )
    last_done = None
    for position, (title, due_on, done_on) in enumerate(spec.get("plan", ()), start=1):
        step = {"due_on": due_on, "done_on": done_on, "position": position}
        milestone = upsert(tally, Milestone, {"proposal": proposal, "title": title}, step)
        last_done = milestone if done_on else last_done
    if spec.get("report"):
        reported_on, summary = spec["report"]
        report = {"summary": summary, "milestone": last_done, "author": proposal.created_by}
        evidence = pdf(f"Laporan kemajuan {proposal.local_name}", f"Tanggal: {reported_on:%d-%m-%Y}", summary)
        key = {"proposal": proposal, "reported_on": reported_on}
        upsert(tally, ProgressReport, key, report, {"evidence": ("laporan.pdf", evidence)})
    return proposal


def pdf(*lines: str) -> bytes:
    """A one-page A4 PDF showing ``lines``, built by hand with a correct cross-reference table."""

    def literal(text: str) -> str:
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    wrapped = [piece for line in lines for piece in textwrap.wrap(line, 80) or [""]]
    shown = " T* ".join(f"{literal(line)} Tj" for line in wrapped)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td {shown} ET".encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(document)
