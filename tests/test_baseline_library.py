"""The baseline files of issue #12 (library.baseline): values pinned to their sources, and
planted defects that must fail with one line naming file, entry and key."""

from __future__ import annotations

import shutil

import pytest

from irrigate.engine.today import crop_areas
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.library.baseline import AreaKind, Definition, Zone
from irrigate.paths import models_dir


@pytest.fixture(scope="module")
def base():
    return load_library().baseline


def test_areas_by_kind_pinned_to_sources(base):
    # BAQ.kz 2025-10-07: land actually watered in the five southern regions, 880 kha
    watered = {c: base.areas[c].pick(AreaKind.WATERED) for c in
               ("KZ-19", "KZ-33", "KZ-31", "KZ-43", "KZ-61")}
    assert sum(v for _, v in watered.values()) == pytest.approx(880_000)
    assert watered["KZ-31"] == ("watered_2025", 79_000)
    # Zhambyl listed 181 kha (Daryo 2023), Turkestan 575 kha (latest listed, 2026 report)
    assert base.areas["KZ-31"].pick(AreaKind.LISTED) == ("listed_2023", 181_000)
    assert base.areas["KZ-61"].pick(AreaKind.LISTED) == ("listed_2026", 575_000)
    # a region without a listed figure falls back to its default key (and says so)
    assert base.areas["KZ-59"].pick(AreaKind.LISTED) == ("watered_2023", 4_714)
    assert base.areas["KZ-19"].rice() == ("rice_2025", 7_718)
    assert not base.areas["KZ-47"].sourced and base.areas["KZ-61"].sourced
    # Shymkent: no watered figure; its listed 11,000 ha (kungei.kz 2020) is the default
    assert base.areas["KZ-79"].pick(AreaKind.WATERED) == ("listed_2020", 11_000)
    # national default area 1.188 Mha (docs/baseline-data.md)
    total = sum(a.pick(AreaKind.WATERED)[1] for a in base.areas.values())
    assert total == pytest.approx(1_188_000, abs=1_000)


def test_rice_areas_of_today():
    lib = load_library()
    rice = {c: crop_areas(lib, reg, AreaKind.WATERED)[1].get("rice", 0.0)
            for c, reg in lib.regions.items()}
    assert rice["KZ-19"] == 7_718 and rice["KZ-33"] == 951  # sourced 2025 sown areas
    # Kyzylorda: the sourced 2025 rice area (80.9 kha: 70 kha in 2026 = 10.9 kha less,
    # Kazpravda 2026-02-24) replaces its rice share; the other crops share the rest of the
    # 125 kha watered
    assert rice["KZ-43"] == 80_900
    # Turkestan: crop share renormalised on the land watered in 2025 (400,000 x 0.0289 /
    # 0.9642 = 11,989 ha, regions.toml; the shares' sum was 0.9719 before the sourced fruit
    # orchards, 17.9 kha, Kungei); the total is 4 % above the 98.1 kha of 2024 (Sultanov 2024)
    assert sum(rice.values()) == pytest.approx(7_718 + 951 + 80_900 + 11_989, abs=5)


def test_crop_method_matrix(base):
    # cotton drip 0.37 (Saparov 2025: 50 of 135 kha), not scaled; rows sum to 1
    assert base.shares["KZ-61"]["cotton"] == pytest.approx({"drip": 0.37, "furrow": 0.63})
    for code, matrix in base.shares.items():
        for crop, row in matrix.items():
            assert sum(row.values()) == pytest.approx(1.0, abs=1e-3), (code, crop)


def test_today_calendars_by_zone_and_crop(base):
    assert base.today_practice("south", "alfalfa", "flood") == "kz_south_alfalfa_border"
    # border flooding in the north: the zone's gravity (furrow) calendar
    assert base.today_practice("north", "alfalfa", "flood") == "kz_north_furrow"
    assert base.today_practice("south_east", "winter_wheat", "furrow") == \
        "kz_south_wheat_furrow"
    assert base.today_practice("south", "cotton", "furrow") is None  # kz_furrow_current
    assert base.today_practice("north", "potato", "sprinkler") == "kz_north_sprinkler"
    # north: the zone's calendar for the method covers the other crops too
    assert base.today_practice("east", "alfalfa", "furrow") == "kz_north_furrow"
    # the recharge irrigation is an optional line, never a crop's calendar
    assert base.today_zone["kz_winter_wheat_recharge"] is Zone.SOUTH
    # one after-sowing irrigation of 1,100 m3/ha at the field (CAWater-info card pp00087) x 0.60
    assert base.today["kz_winter_wheat_recharge"].depth_mm == 66.0


def test_conveyance_per_method_efficiencies_at_most_one(base):
    assert all(0 < v <= 1 for v in base.on_farm.values())
    # furrow keeps the system figure; pipe-fed drip does not lose the ditch share 0.80
    assert base.method_efficiency(0.60, "furrow") == pytest.approx(0.60)
    assert base.method_efficiency(0.60, "drip") == pytest.approx(0.75)
    assert base.method_efficiency(0.90, "drip") == pytest.approx(1.0)  # capped at the edge
    assert base.method_efficiency(0.60, "continuous_flooding") == pytest.approx(0.60)
    rng = base.conveyance_ranges["KZ-19"]
    assert (rng.low, rng.high) == (0.35, 0.65)  # Ile-Balkhash earth canals 0.3-0.4 low end


def test_leaching_range_and_deliveries(base):
    t = base.leaching["KZ-61"]
    # low frequency 0.67 (INF26: 104,300 ha leached in winter 2025/26 / 400 kha watered
    # / saline share 0.387); before: assumption 0.5
    assert t.yearly_depth("low") == pytest.approx(0.387 * 0.67 * 175)
    assert t.yearly_depth("high") == pytest.approx(0.678 * 1.0 * 275)
    assert t.groundwater_share == 0.10
    d = base.deliveries["KZ-61"]
    assert (d.value, d.low, d.high) == (3.4, 2.8, 3.5)
    assert base.deliveries["KZ-43"].definition is Definition.INTAKE
    assert sum(x.value for x in base.deliveries.values()) == pytest.approx(10.71)


def test_fitted_factors_inside_bounds(base):
    lo, hi = base.fit_bounds
    assert (lo, hi) == (0.4, 1.2)
    for f in base.factors.values():
        assert lo <= f.low <= f.factor <= f.high <= hi
        assert f.source.startswith("calibrated:")


DEFECTS = [
    ("areas.toml", 'default = "watered_2025"\nsourced = true\nlisted_2023',
     'default = "watered_2099"\nsourced = true\nlisted_2023', "watered_2099"),
    ("areas.toml", 'watered_2025 = { value = 79000, unit = "ha"',
     'watered_2025 = { value = 79000, unit = "km2"', "unit 'km2' is wrong"),
    ("practice_shares.toml", '["KZ-61".cotton]\ndrip = { value = 0.37',
     '["KZ-61".cotton]\ndrip = { value = 0.57', "sum to"),
    ("practice_shares.toml", '["KZ-61".cotton]\ndrip', '["KZ-61".cottn]\ndrip',
     "unknown crop"),
    ("practices_today.toml", 'zone = "north"', 'zone = "arctic"', "'arctic'"),
    ("conveyance_ranges.toml", 'on_farm = { value = 1.0, unit = "1", source = "D: as drip"',
     'on_farm = { value = 1.25, unit = "1", source = "D: as drip"', "out of range"),
    ("leaching_offseason.toml", 'depth_low_mm = { value = 175.0, unit = "mm", source = '
     '"salinity.toml slightly saline class (D)" }\ndepth_high_mm = { value = 425.0',
     'depth_low_mm = { value = 475.0, unit = "mm", source = "salinity.toml slightly saline '
     'class (D)" }\ndepth_high_mm = { value = 425.0', "exceeds depth_high_mm"),
    ("deliveries.toml", 'definition = "intake"', 'definition = "taken"', "'taken'"),
    ("deliveries.toml", 'withdrawal_low = { value = 2.8', 'withdrawal_low = { value = 3.45',
     "not inside"),
    ("baseline_factors.toml", 'factor = { value = 0.', 'factor = { value = 1.9', "out of range"),
]


@pytest.mark.parametrize(("fname", "old", "new", "expected"), DEFECTS)
def test_planted_defect_fails_loudly(tmp_path, fname, old, new, expected):
    user = tmp_path / "models"
    shutil.copytree(models_dir(), user)
    text = (user / fname).read_text()
    assert old in text, f"defect anchor not found in {fname}"
    (user / fname).write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as err:  # areas.toml is read on load, the rest on use
        _ = load_library(user).baseline
    msg = str(err.value)
    assert fname in msg and expected in msg and "\n" not in msg


def test_practice_list_shows_todays_calendars_and_long_crop_lists():
    from irrigate.cli.library import WIDTH, _table

    text = _table(load_library(), "practices")
    assert "today's calendars by zone and crop" in text
    row = next(line for line in text.splitlines() if line.startswith("kz_north_sprinkler"))
    assert "more" in row and "north" in row  # five crops, cut with a count
    assert max(len(line) for line in text.splitlines()) <= WIDTH
