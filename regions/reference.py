"""Reference data: Indonesia's 38 provinces and 514 regencies/cities (Kemendagri codes).

The rows ship in ``regions/data/`` (idn-area-data 4.0.1, ODbL 1.0: see SOURCE.md and
LICENSE-ODbL.md there). Loading is idempotent: it inserts what is missing and corrects names,
kinds, provinces and time zones that changed, keyed by the Kemendagri code.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadResult:
    provinces_created: int
    regencies_created: int
    updated: int


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def regency_kind(name: str) -> str:
    return "kota" if name.startswith("Kota ") else "kabupaten"


def load_regions(province_model, regency_model) -> LoadResult:
    """Insert or correct every province and regency. Takes model classes so a migration can call it."""
    from regions.models import PROVINCE_TIME_ZONES

    created_provinces = created_regencies = updated = 0
    existing_provinces = {p.code: p for p in province_model.objects.all()}
    provinces = {}
    for row in read_rows("provinces.csv"):
        wanted = {"name": row["name"], "time_zone": str(PROVINCE_TIME_ZONES[row["code"]])}
        province = existing_provinces.get(row["code"])
        if province is None:
            province = province_model.objects.create(code=row["code"], **wanted)
            created_provinces += 1
        elif any(getattr(province, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(province, field, value)
            province.save(update_fields=list(wanted))
            updated += 1
        provinces[row["code"]] = province

    existing_regencies = {r.code: r for r in regency_model.objects.all()}
    new_regencies = []
    for row in read_rows("regencies.csv"):
        wanted = {
            "name": row["name"],
            "kind": regency_kind(row["name"]),
            "province_id": provinces[row["province_code"]].pk,
        }
        regency = existing_regencies.get(row["code"])
        if regency is None:
            new_regencies.append(regency_model(code=row["code"], **wanted))
        elif any(getattr(regency, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(regency, field, value)
            regency.save(update_fields=["name", "kind", "province"])
            updated += 1
    regency_model.objects.bulk_create(new_regencies)
    created_regencies = len(new_regencies)
    return LoadResult(created_provinces, created_regencies, updated)
