import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from irrigate.climate import open_climate
from irrigate.engine.simulate import season_summary, simulate
from irrigate.errors import InputError
from irrigate.library import load_library, read_schedule_csv
from irrigate.paths import models_dir, sample_data_dir
from irrigate.science.schedule import (
    RULES,
    Schedule,
    decide_net_depth,
    make_schedule,
)


def decide(schedule, **over):
    """Decide for 4 elements with defaults that trigger nothing unusual."""
    args = dict(dr=np.array([10.0, 30.0, 50.0, 80.0]), taw=np.full(4, 100.0),
                raw=np.full(4, 40.0), stage=np.array([1, 1, 2, 2]),
                das=np.array([20, 20, 20, 20]), season_length=np.full(4, 150.0),
                days_since=np.full(4, 10.0), cum_net=np.zeros(4), cum_gross=np.zeros(4),
                precip=np.zeros(4), efficiency=np.full(4, 0.5), depth_min=np.zeros(4),
                depth_max=np.full(4, 1000.0), interval_min=np.ones(4),
                irrigated=np.ones(4, bool))
    args.update(over)
    return decide_net_depth(schedule, **args)


def test_defaults_irrigate_when_raw_depleted_and_refill_to_fc():
    net = decide(Schedule())
    np.testing.assert_array_equal(net, [0, 0, 50, 80])


def test_mad_on_taw_per_stage_and_refill_target():
    s = Schedule(rule="mad", mad=(0.2, 0.2, 0.6, 0.6), mad_basis="taw", refill_to=0.1)
    np.testing.assert_array_equal(decide(s), [0, 20, 0, 70])


def test_deficit_applies_fraction_of_refill():
    s = Schedule(rule="deficit", refill_fraction=0.5)
    np.testing.assert_array_equal(decide(s), [0, 0, 25, 40])


def test_fixed_interval_first_allowed_day_then_every_interval():
    s = Schedule(rule="fixed_interval", interval_days=7, depth_mm=30.0, first_day=6)
    # before first_day; first allowed day (no event yet); 6 and 7 days after an event
    net = decide(s, das=np.array([5, 6, 30, 30]),
                 days_since=np.array([1e9, 1e9, 6.0, 7.0]))
    np.testing.assert_array_equal(net, [0, 30, 0, 30])


def test_fixed_interval_without_depth_refills():
    s = Schedule(rule="fixed_interval", interval_days=1)
    np.testing.assert_array_equal(decide(s), [10, 30, 50, 80])


def test_stage_calendar_uses_stage_interval_and_depth():
    s = Schedule(rule="stage_calendar", stage_interval_days=(30, 20, 7, 10),
                 stage_depth_mm=(30, 30, 35, 30))
    net = decide(s, days_since=np.array([20.0, 19.0, 7.0, 6.0]))
    np.testing.assert_array_equal(net, [30, 0, 35, 0])


def test_net_requirement_keeps_depletion_at_raw():
    s = Schedule(rule="net_requirement")
    np.testing.assert_array_equal(decide(s), [0, 0, 10, 40])


def test_user_rule_uses_given_depth_in_season_only():
    s = Schedule(rule="user", events=(("2010-05-01", 25.0, float("nan")),))
    net = decide(s, user_depth=25.0, stage=np.array([-1, 0, 1, 3]))
    np.testing.assert_array_equal(net, [0, 25, 25, 25])


def test_none_and_rainfed_never_irrigate():
    assert not decide(Schedule(rule="none")).any()
    assert not decide(Schedule(), irrigated=np.zeros(4, bool)).any()


def test_window_first_and_last_day():
    s = Schedule(first_day=10, last_day=30)
    net = decide(s, dr=np.full(4, 80.0), das=np.array([9, 10, 119, 120]))
    np.testing.assert_array_equal(net, [0, 80, 80, 0])


def test_method_limits_interval_and_depths():
    net = decide(Schedule(), dr=np.full(4, 60.0), days_since=np.array([1.0, 5.0, 5.0, 5.0]),
                 interval_min=np.full(4, 5.0), depth_min=np.array([0, 0, 70, 0.0]),
                 depth_max=np.array([100, 100, 100, 45.0]))
    np.testing.assert_array_equal(net, [0, 60, 70, 45])


def test_limits_not_applied_to_net_requirement():
    net = decide(Schedule(rule="net_requirement"), depth_max=np.full(4, 5.0),
                 interval_min=np.full(4, 30.0))
    np.testing.assert_array_equal(net, [0, 0, 10, 40])


def test_rain_skip():
    net = decide(Schedule(rain_skip_mm=5.0), precip=np.array([0, 0, 5.0, 4.9]))
    np.testing.assert_array_equal(net, [0, 0, 0, 80])


def test_quota_gross_and_net():
    gross = decide(Schedule(quota_mm=100.0), cum_gross=np.full(4, 60.0))
    np.testing.assert_array_equal(gross, [0, 0, 20, 20])  # 40 mm gross left x efficiency 0.5
    net = decide(Schedule(quota_mm=100.0, quota_basis="net"), cum_net=np.full(4, 60.0))
    np.testing.assert_array_equal(net, [0, 0, 40, 40])


@pytest.mark.parametrize("kwargs, match", [
    ({"rule": "flood_it"}, "unknown rule"),
    ({"mad": 1.5}, "fraction"),
    ({"mad": (0.5, 0.5, 0.5)}, "4 values"),
    ({"refill_to": -0.1}, "fraction"),
    ({"refill_fraction": 2.0}, "fraction"),
    ({"mad_basis": "fc"}, "mad_basis"),
    ({"quota_basis": "x"}, "quota_basis"),
    ({"depth_mm": -5.0}, ">= 0"),
    ({"quota_mm": -1.0}, ">= 0"),
    ({"first_day": -1}, "whole number"),
    ({"rule": "fixed_interval"}, "interval_days"),
    ({"rule": "stage_calendar", "stage_interval_days": 7}, "stage_depth_mm"),
    ({"rule": "stage_calendar", "stage_interval_days": 7, "stage_depth_mm": -1}, ">= 0"),
    ({"rule": "user"}, "events"),
])
def test_bad_settings_raise_input_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        Schedule(**kwargs)


def test_unknown_keyword_is_an_error():
    with pytest.raises(InputError, match="unknown setting"):
        make_schedule("mad", madd=0.5)
    with pytest.raises(InputError, match="unknown key"):
        Schedule.from_mapping({"rule": "mad", "threshold": 0.5})
    with pytest.raises(TypeError):
        Schedule(rule="mad", schedule=1)  # dataclass: unknown keyword


def test_from_mapping_accepts_lists():
    s = Schedule.from_mapping({"rule": "stage_calendar", "stage_interval_days": [7, 6, 5, 7],
                               "stage_depth_mm": [30, 35, 45, 30]}, name="xj")
    assert s.stage_depth_mm == (30.0, 35.0, 45.0, 30.0) and s.name == "xj"
    assert set(RULES) >= {"mad", "user", "net_requirement", "none"}


def test_read_schedule_csv(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("date,depth_mm,fw\n2010-05-01,30,0.4\n2010-05-08,25,\n2010-05-08,5,\n")
    s = read_schedule_csv(p)
    assert s.rule == "user"
    assert s.events[0] == ("2010-05-01", 30.0, 0.4)
    assert s.events[1][:2] == ("2010-05-08", 30.0) and math.isnan(s.events[1][2])


@pytest.mark.parametrize("text, match", [
    ("date,depth\n2010-05-01,30\n", "header"),
    ("date,depth_mm\n2010-13-01,30\n", "bad date"),
    ("date,depth_mm\n01/05/2010,30\n", "bad date"),
    ("date,depth_mm\n2010-05-01,-3\n", ">= 0"),
    ("date,depth_mm\n2010-05-01,abc\n", "not a number"),
    ("date,depth_mm,fw\n2010-05-01,3,1.5\n", "fw"),
    ("date,depth_mm\n", "no irrigation events"),
])
def test_read_schedule_csv_errors(tmp_path, text, match):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(InputError, match=match) as err:
        read_schedule_csv(p)
    assert "\n" not in str(err.value)


def test_missing_csv(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_schedule_csv(tmp_path / "nope.csv")


# ---- calendar window (canal season) ----------------------------------------------------------
CANAL = {"window_start": "04-01", "window_end": "09-30"}


def test_calendar_mask_inclusive_and_wrapping():
    days = pd.to_datetime(["2021-03-31", "2021-04-01", "2021-09-30", "2021-10-01",
                           "2020-02-29", "2021-12-31"])
    np.testing.assert_array_equal(Schedule(**CANAL).calendar_mask(days),
                                  [False, True, True, False, False, False])
    winter = Schedule(window_start="11-15", window_end="02-29")  # wraps over the new year
    np.testing.assert_array_equal(winter.calendar_mask(days),
                                  [False, False, False, False, True, True])
    assert Schedule().calendar_mask(days).all()
    assert Schedule(window_start="06-01", window_end="06-01").calendar_mask(
        pd.date_range("2021-01-01", "2021-12-31")).sum() == 1


@pytest.mark.parametrize("rule, extra", [
    ("mad", {}), ("deficit", {"refill_fraction": 0.5}),
    ("fixed_interval", {"interval_days": 1}),
    ("stage_calendar", {"stage_interval_days": 1, "stage_depth_mm": 30}),
    ("net_requirement", {}),
    ("user", {"events": (("2021-05-01", 25.0, float("nan")),)}),
])
def test_calendar_window_blocks_every_rule(rule, extra):
    s = Schedule(rule=rule, **CANAL, **extra)
    inside = decide(s, user_depth=25.0, in_calendar=True)
    assert inside.sum() > 0
    np.testing.assert_array_equal(decide(s, user_depth=25.0, in_calendar=False), 0.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"window_start": "04-01"}, "both window_start and window_end"),
    ({"window_end": "09-30"}, "both window_start and window_end"),
    ({"window_start": "4-1", "window_end": "09-30"}, "window_start must be a calendar day"),
    ({"window_start": "04-01", "window_end": "13-01"}, "window_end must be a calendar day"),
    ({"window_start": "02-30", "window_end": "09-30"}, "MM-DD"),
    ({"window_start": "04/01", "window_end": "09-30"}, "MM-DD"),
    ({"window_start": 401, "window_end": "09-30"}, "MM-DD"),
])
def test_bad_window_is_an_input_error(kwargs, match):
    with pytest.raises(InputError, match=match) as err:
        Schedule(rule="mad", **kwargs)
    assert "\n" not in str(err.value)


def test_window_from_mapping_and_library(tmp_path):
    s = Schedule.from_mapping({"rule": "mad", **CANAL}, name="m")
    assert (s.window_start, s.window_end) == ("04-01", "09-30")
    lib = load_library()
    for name in ("kz_furrow_current", "xinjiang_mulched_drip"):
        p = lib.practice(name)
        assert (p.window_start, p.window_end) == ("04-01", "09-30")
        assert lib.unit("practice", name, "window_start") == "MM-DD"
        assert "ICWC" in lib.source("practice", name, "window_start")
    assert lib.practice("fao_mad").window_start is None  # the FAO-56 reference rule
    # a malformed window in a user library names file, entry and key
    text = (models_dir() / "practices.toml").read_text(encoding="utf-8")
    (tmp_path / "practices.toml").write_text(
        text.replace('value = "09-30"', 'value = "9-30"', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"practices.toml: \[kz_furrow_current\] window_end"):
        load_library(tmp_path)


# ---- winter wheat on the bundled synthetic sample -------------------------------------------
# South Kazakhstan cells near Shymkent/Turkestan, Taraz (Zhambyl) and the Ili valley (Almaty).
CELLS = {"lat": xr.DataArray([42.5, 43.0, 44.0], dims="cell"),
         "lon": xr.DataArray([68.5, 71.5, 77.0], dims="cell")}


def _two_years(ds):
    """The typical year 2021 preceded by itself as 2020 (29 Feb from 28 Feb)."""
    prev = pd.date_range("2020-01-01", "2020-12-31", freq="D")
    src = [pd.Timestamp(2021, t.month, 28 if (t.month, t.day) == (2, 29) else t.day)
           for t in prev]
    return xr.concat([ds.sel(time=src).assign_coords(time=prev), ds], dim="time",
                     data_vars="all")


@pytest.fixture(scope="module")
def wheat_climate():
    folder = sample_data_dir() / "kz_synthetic_daily_2021"
    ds = open_climate(sorted(folder.glob("*.nc"))).sel(CELLS).load()
    sow = pd.Timestamp(2020, 1, 1) + pd.Timedelta(days=load_library().sowing_doy(
        "south", "winter_wheat") - 1)
    return _two_years(ds).sel(time=slice(sow, None)), sow.strftime("%Y-%m-%d")


def _wheat(climate, schedule, methods=("furrow",)):
    data, sow = climate
    return simulate(data, ["winter_wheat"], list(methods), soil="loam", schedule=schedule,
                    sowing=sow)


def test_winter_wheat_furrow_practice_irrigates_only_in_the_canal_season(wheat_climate):
    practice = load_library().practice("kz_furrow_current")
    daily = _wheat(wheat_climate, practice)
    months = daily["time"].dt.month
    events = daily["irr_net"] > 0
    assert int(events.where((months < 4) | (months > 9), False).sum()) == 0
    assert daily.attrs["schedule_window"] == "04-01..09-30"
    totals = season_summary(daily).isel(crop=0, method=0)
    # 2-4 growing-season irrigations of winter wheat (CAWater-info project card PP00076,
    # Tajikistan); net 350-500 mm for wheat under border/flood (parameters-literature 6:
    # FAO56, DB65); gross at most 0.7 x 1200 mm, the top of the Fergana furrow-cotton range
    # (REDDY12) times the wheat/cotton water ratio 0.6-0.7 (LIQ21)
    assert ((totals["n_events"] >= 2) & (totals["n_events"] <= 4)).all()
    assert ((totals["irr_net"] >= 350) & (totals["irr_net"] <= 500)).all()
    assert (totals["irr_gross"] <= 840).all()
    # the same calendar without the window irrigates the dormant winter (the old defect)
    unbounded = _wheat(wheat_climate, replace(practice, window_start=None, window_end=None))
    winter = unbounded["irr_net"].where(unbounded["time"].dt.month.isin([12, 1, 2]), 0)
    assert int((winter > 0).sum()) >= 3
    assert float(season_summary(unbounded)["irr_net"].min()) > 900


def test_winter_wheat_window_keeps_the_mass_balance(wheat_climate):
    lib = load_library()
    daily = _wheat(wheat_climate, lib.practice("xinjiang_mulched_drip"),
                   methods=("furrow", "mulched_drip"))
    months = daily["time"].dt.month
    assert int((daily["irr_net"] > 0).where((months < 4) | (months > 9), False).sum()) == 0
    soil, crop = lib.soil("loam"), lib.crop("winter_wheat")
    fc_wp = 1000 * (soil.theta_fc - soil.theta_wp)
    w0 = fc_wp * crop.zr_max
    last = daily.isel(time=-1)
    w1 = fc_wp * crop.zr_max - last["dr"]
    flux = (daily["precip"] - daily["ro"] + daily["irr_net"] + daily["cr"] - daily["eta"]
            - daily["dp"]).sum("time")
    assert float(abs(w1 - w0 - flux).max()) < 1e-6
    gross = daily["irr_gross"] - daily["irr_net"] - daily["irr_loss"]
    assert float(abs(gross).max()) < 1e-9


def test_fao_mad_does_not_irrigate_dormant_winter_wheat(wheat_climate):
    daily = _wheat(wheat_climate, "fao_mad", methods=("furrow", "sprinkler"))
    months = daily["time"].dt.month
    dormant = (months >= 11) | (months <= 3)
    assert int((daily["irr_net"] > 0).where(dormant, False).sum()) == 0
    assert int((daily["irr_net"] > 0).sum()) > 0
