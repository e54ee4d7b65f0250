"""The map of Indonesia drawn by templates/includes/province_map.html: one circle per province at its
capital, shaded in steps by a number, with the number in the circle, in its title and in a table.

Offline by design: the positions are the project's own (regions/data/province_positions.csv, CC0), the
projection is equirectangular and the map is inline SVG, so no tile server, CDN or script is needed.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import cache

from regions.reference import DATA_DIR

POSITIONS_FILE = "province_positions.csv"
OUTLINE_FILE = "indonesia_outline.json"  # Natural Earth's coastlines, public domain (regions/data/SOURCE.md)

# Equirectangular: SVG units per degree of longitude and of latitude, from this north-west corner.
SCALE = 20.0
WEST, NORTH = 94.5, 6.5
RADIUS = 11
WIDTH, HEIGHT = 940, 350

# Capitals closer than a circle's width on this scale (Java's and Bali's, and Bandar Lampung across
# the Sunda Strait) are moved by these few SVG units, so that no circle hides another.
NUDGES = {
    "18": (-6, -10),  # Lampung, from Banten
    "31": (2, -10),  # Jakarta, from Banten and Jawa Barat
    "32": (4, 8),  # Jawa Barat, from Jakarta
    "36": (-8, 0),  # Banten, from Jakarta
    "33": (0, -6),  # Jawa Tengah, from Yogyakarta
    "34": (-2, 8),  # Yogyakarta, from Jawa Tengah
    "51": (-7, 0),  # Bali, from Nusa Tenggara Barat
    "52": (7, 0),  # Nusa Tenggara Barat, from Bali
}

# Where the main islands' names are written, in the sea beside their provinces: (name, latitude,
# longitude). Only a guide for the eye; the circles carry the provinces.
ISLANDS = (
    ("Sumatera", -4.6, 98.6),
    ("Jawa", -9.3, 108.4),
    ("Kalimantan", 1.6, 112.4),
    ("Sulawesi", 2.4, 120.4),
    ("Nusa Tenggara", -10.4, 117.4),
    ("Maluku", -6.0, 129.6),
    ("Papua", -6.2, 137.2),
)

# Shading: 0 has a step of its own; the rest of 1..max is cut into at most this many equal ranges.
STEPS = 4


@dataclass(frozen=True)
class Position:
    code: str
    capital: str
    latitude: float
    longitude: float

    @property
    def point(self) -> tuple[float, float]:
        """Where the province's circle stands in the map's SVG units (nudge included)."""
        dx, dy = NUDGES.get(self.code, (0, 0))
        x = (self.longitude - WEST) * SCALE + dx
        y = (NORTH - self.latitude) * SCALE + dy
        return round(x, 1), round(y, 1)


@cache
def positions() -> dict[str, Position]:
    """Each province's capital by the province's Kemendagri code."""
    with (DATA_DIR / POSITIONS_FILE).open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Position(
                row["code"], row["capital"], float(row["latitude"]), float(row["longitude"])
            )
            for row in csv.DictReader(handle)
        }


def projected(longitude: float, latitude: float) -> tuple[float, float]:
    return round((longitude - WEST) * SCALE, 1), round((NORTH - latitude) * SCALE, 1)


@cache
def coastlines() -> dict[str, list[str]]:
    """Indonesia's and its neighbours' coastlines as SVG path data in the map's units, read once."""
    with (DATA_DIR / OUTLINE_FILE).open(encoding="utf-8") as handle:
        outline = json.load(handle)

    def path(rings: list[list[list[float]]]) -> str:
        return " ".join(
            "M" + " L".join("{},{}".format(*projected(lon, lat)) for lon, lat in ring) + " Z"
            for ring in rings
        )

    return {"land": path(outline["indonesia"]), "neighbours": path(outline["neighbours"])}


@dataclass(frozen=True)
class Step:
    number: int  # its shade: the CSS class map-step-<number>, 0 to STEPS
    low: int
    high: int

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def steps_for(largest: int) -> list[Step]:
    """The legend: 0, then equal ranges up to ``largest`` (1–3, 4–6, …), at most STEPS of them, the
    last in the darkest shade."""
    legend = [Step(0, 0, 0)]
    if largest <= 0:
        return legend
    width = math.ceil(largest / STEPS)
    lows = range(1, largest + 1, width)
    # The largest range always takes the darkest shade, so that one replication stands out as well.
    first_shade = STEPS - len(lows) + 1
    for shade, low in enumerate(lows, start=first_shade):
        legend.append(Step(shade, low, min(low + width - 1, largest)))
    return legend


def step_of(value: int, legend: list[Step]) -> int:
    return next(step.number for step in legend if step.low <= value <= step.high)


def province_map(rows: list[dict], measure: str, *, label: str) -> dict:
    """What the map include draws from province rows (``code``, ``name``, ``url`` and numbers): a
    circle for each row whose province has a position, shaded by ``rows[i][measure]``, its title
    naming the province with ``details`` (``[{"label", "value"}]``, as the row gives them)."""
    where = positions()
    legend = steps_for(max((row[measure] for row in rows), default=0))
    shapes = []
    for row in rows:
        position = where.get(row["code"])
        if position is None:
            continue
        x, y = position.point
        value = row[measure]
        shapes.append(
            {
                "code": row["code"],
                "name": row["name"],
                "url": row["url"],
                "x": x,
                "y": y,
                "value": value,
                "step": step_of(value, legend),
                "details": row.get("details", []),
            }
        )
    return {
        "shapes": shapes,
        "coast": coastlines(),
        "islands": [
            {
                "name": name,
                "x": round((longitude - WEST) * SCALE, 1),
                "y": round((NORTH - latitude) * SCALE, 1),
            }
            for name, latitude, longitude in ISLANDS
        ],
        "legend": legend,
        "label": label,
        "radius": RADIUS,
        "width": WIDTH,
        "height": HEIGHT,
    }
