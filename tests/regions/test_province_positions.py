"""The project's own positions of the provinces' capitals (regions/data/province_positions.csv), which
the offline map of Indonesia draws."""

import csv
import math

from portal import maps
from regions.reference import DATA_DIR

# Indonesia from Sabang to Merauke and from Miangas to Rote, with a little margin.
SOUTH, NORTH, WEST, EAST = -11.5, 6.5, 94.5, 141.5


def test_every_province_has_one_position_inside_indonesia():
    with (DATA_DIR / "provinces.csv").open(encoding="utf-8") as handle:
        provinces = {row["code"] for row in csv.DictReader(handle)}
    positions = maps.positions()
    assert set(positions) == provinces and len(positions) == 38
    for position in positions.values():
        assert SOUTH <= position.latitude <= NORTH, position
        assert WEST <= position.longitude <= EAST, position
        assert position.capital


def test_the_positions_note_says_they_are_the_projects_own():
    note = (DATA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "province_positions.csv" in note and "CC0" in note


def test_no_provinces_circle_covers_another_and_all_stay_on_the_map():
    points = {code: position.point for code, position in maps.positions().items()}
    for code, (x, y) in points.items():
        assert maps.RADIUS <= x <= maps.WIDTH - maps.RADIUS and maps.RADIUS <= y <= maps.HEIGHT - maps.RADIUS
        for other, point in points.items():
            if other != code:
                assert math.dist((x, y), point) >= 2 * maps.RADIUS + 1, (code, other)


def test_the_nudges_stay_small():
    assert all(abs(dx) <= 12 and abs(dy) <= 12 for dx, dy in maps.NUDGES.values())


def test_the_legend_cuts_the_numbers_into_at_most_four_steps_after_zero_the_largest_darkest():
    assert [step.label for step in maps.steps_for(0)] == ["0"]
    assert [step.label for step in maps.steps_for(3)] == ["0", "1", "2", "3"]
    assert [step.label for step in maps.steps_for(10)] == ["0", "1–3", "4–6", "7–9", "10"]
    legend = maps.steps_for(10)
    assert [maps.step_of(value, legend) for value in (0, 1, 3, 4, 10)] == [0, 1, 1, 2, 4]
    # Fewer ranges than shades: the largest is still the darkest.
    assert [(step.label, step.number) for step in maps.steps_for(2)] == [("0", 0), ("1", 3), ("2", 4)]


def test_the_coastlines_come_with_their_source_and_lie_in_the_maps_window():
    import json

    from portal import maps
    from regions.reference import DATA_DIR

    outline = json.loads((DATA_DIR / maps.OUTLINE_FILE).read_text())
    assert len(outline["indonesia"]) >= 10 and outline["neighbours"]
    for lon, lat in (point for ring in outline["indonesia"] for point in ring):
        x, y = maps.projected(lon, lat)
        assert 0 <= x <= maps.WIDTH and 0 <= y <= maps.HEIGHT, (lon, lat)
    assert "Natural Earth" in (DATA_DIR / "SOURCE.md").read_text()
    drawn = maps.province_map([], "proposed", label="")["coast"]
    assert drawn["land"].startswith("M") and drawn["land"].count("Z") == len(outline["indonesia"])
