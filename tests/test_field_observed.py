"""Soil water readings (`--observed`) and the daily-normal outlook of `irrigate schedule`."""

import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner

from irrigate.cli.main import main
from irrigate.cli.schedule import OUTLOOKS
from irrigate.engine.field_inputs import (
    Applied,
    Observed,
    ObservedQuantity,
    read_observed_csv,
)
from irrigate.engine.field_schedule import (
    FieldSetup,
    MethodLimits,
    field_setup,
    plan_realtime,
    readings_of,
)
from irrigate.engine.field_weather import (
    FieldWeather,
    OutlookWeather,
    open_field_climate,
    outlook_members,
)
from irrigate.engine.simulate import simulate
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.output.schedule_table import OutputFormat, render
from irrigate.paths import sample_data_dir
from irrigate.science import balance
from irrigate.science.crop import root_depth
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

SYR_DARYA = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
FIELD = [str(SYR_DARYA), "--lat", "41.06", "--lon", "69.06", "--crop", "cotton", "--method",
         "furrow", "--sowing", "2010-04-20"]

# constant synthetic weather, as tests/test_field_schedule.py: ET0 6 mm/day, no rain, no
# wind or humidity (table Kcb); a 1 % wetted fraction makes ETa = Kcb ET0 = 6 mm/day in
# mid-season, when Kcb, Zr and TAW are constant
CROP = Crop(name="testcrop", l_ini=30, l_dev=50, l_mid=60, l_late=40, kcb_ini=0.15,
            kcb_mid=1.0, kcb_end=0.5, kc_ini=0.35, kc_mid=1.05, kc_end=0.6, h_max=1.0,
            zr_min=0.2, zr_max=1.0, p=0.5)
DRIP = Method("testdrip", fw=0.01, efficiency=0.9, loss_evap=0.1, loss_ro=0.0, loss_dp=0.9)
SOIL = Soil(name="testloam", theta_fc=0.25, theta_wp=0.12, rew=9.0, ze=0.1, cn2=75.0,
            theta_sat=0.46)
ETA = 6.0 * CROP.kcb_mid  # mm/day in mid-season
TODAY = dt.date(2010, 7, 10)  # das 100: mid-season, Zr = 1 m, TAW = 130 mm
REFILL = Applied(dt.date(2010, 7, 5), 200.0)  # back to field capacity on 5 July


def constant_weather():
    t = pd.date_range("2009-01-01", "2011-12-31", freq="D")
    ds = xr.Dataset({"et0": ("time", np.full(len(t), 6.0)),
                     "precip": ("time", np.zeros(len(t)))}, coords={"time": t})
    return FieldWeather(ds, "constant test weather", "synthetic")


def setup():
    return FieldSetup(crop=CROP, method=DRIP, soil=SOIL, schedule=Schedule(name="fao_mad"),
                      sowing=dt.date(2010, 4, 1), limits=MethodLimits.of(DRIP))


# -- science: Eq. 87 and the reset in the kernel ---------------------------------------
def test_depletion_from_theta_eq87():
    # Dr = 1000 (θFC - θ) Zr: loam θFC 0.25, reading 0.20, roots 0.9 m -> 45 mm
    assert balance.depletion_from_theta(0.20, 0.25, 0.9) == pytest.approx(45.0, abs=1e-12)
    assert balance.depletion_from_theta(0.27, 0.25, 0.5) == pytest.approx(-10.0, abs=1e-12)


def kernel_run(dr_observed=None, n=200, sow=10):
    series = [np.full((1, n), 6.0), np.zeros((1, n)), np.full((1, n), 2.0),
              np.full((1, n), 45.0)]
    soil = [SOIL.theta_fc, SOIL.theta_wp, SOIL.rew, balance.tew_of(SOIL), SOIL.cn2,
            SOIL.cr_a4, SOIL.cr_b4]
    site = balance.Site(np.array(sow), *soil, np.array(np.nan), np.zeros(1, int),
                        np.zeros(1, int))
    out = balance.run_balance(balance.Forcing(*series, dr_observed=dr_observed), site,
                              balance.Parameters([CROP], [DRIP]),
                              balance.Management(Schedule(name="fao_mad")))
    return {name: out[..., k, :] for k, name in enumerate(balance.ALL_OUTPUTS)}


def test_kernel_reading_equal_to_the_model_changes_nothing():
    base = kernel_run()
    nan = kernel_run(np.full(200, np.nan))
    for name in balance.ALL_OUTPUTS:  # an all-NaN series is no reading at all
        np.testing.assert_array_equal(nan[name], base[name], err_msg=name)
    day = 120
    obs = np.full(200, np.nan)
    obs[day] = base["dr"][0, day - 1]  # the depletion at the start of that day
    same = kernel_run(obs)
    for name in balance.ALL_OUTPUTS:
        np.testing.assert_allclose(same[name], base[name], rtol=0, atol=1e-9, err_msg=name)


def test_kernel_resets_depletion_and_clips_to_taw():
    base = kernel_run()
    day = 120
    assert base["irr_net"][0, day] == 0.0
    obs = np.full(200, np.nan)
    obs[day] = 10.0
    r = kernel_run(obs)
    np.testing.assert_array_equal(r["dr"][0, :day], base["dr"][0, :day])
    # Eq. 85 from the reading: Dr = 10 + ETa - CR (no rain, no irrigation that day)
    assert r["dr"][0, day] == pytest.approx(10.0 + r["eta"][0, day] - r["cr"][0, day])
    obs[day] = 1e4  # beyond TAW: the balance stops at the wilting point (Eq. 86)
    assert kernel_run(obs)["dr"][0, day] <= kernel_run(obs)["taw"][0, day]


def test_simulate_refuses_bad_observed_depletion():
    data = constant_weather().data.sel(time=slice("2010-01-01", "2010-12-31"))
    t = pd.to_datetime(["2011-03-01"])
    with pytest.raises(InputError, match="outside the simulated period"):
        simulate(data, [CROP], [DRIP], soil=SOIL, schedule="fao_mad", sowing="2010-04-01",
                 observed_depletion=xr.DataArray([5.0], dims="time", coords={"time": t}))
    t = pd.to_datetime(["2010-06-01"])
    with pytest.raises(InputError, match="below 0 mm"):
        simulate(data, [CROP], [DRIP], soil=SOIL, schedule="fao_mad", sowing="2010-04-01",
                 observed_depletion=xr.DataArray([-5.0], dims="time", coords={"time": t}))


# -- engine: readings in real time -----------------------------------------------------
def test_reading_equal_to_the_model_changes_nothing_in_the_plan():
    weather = constant_weather()
    # the depletion at the start of TODAY is the end of the day before
    eve = plan_realtime(weather, setup(), TODAY - dt.timedelta(days=1), applied=[REFILL])
    model = eve.outlook.dr_today_mm
    base = plan_realtime(weather, setup(), TODAY, applied=[REFILL])
    same = plan_realtime(weather, setup(), TODAY, applied=[REFILL],
                         observed=[Observed(TODAY, model, ObservedQuantity.DEPLETION)])
    assert same.outlook.readings[0].model_dr_mm == pytest.approx(model, abs=1e-9)
    assert same.outlook.dr_today_mm == pytest.approx(base.outlook.dr_today_mm, abs=1e-9)
    assert [e.date for e in same.events] == [e.date for e in base.events]
    for a, b in zip(same.events, base.events, strict=True):
        assert a.net_mm == pytest.approx(b.net_mm, abs=1e-9)
        assert a.dr_before_mm == pytest.approx(b.dr_before_mm, abs=1e-9)
    for k, v in base.totals.items():
        assert same.totals[k] == pytest.approx(v, abs=1e-9), k


@pytest.mark.parametrize("quantity", list(ObservedQuantity))
def test_wetter_reading_moves_next_event_by_its_days_of_et(quantity):
    weather = constant_weather()
    eve = plan_realtime(weather, setup(), TODAY - dt.timedelta(days=1), applied=[REFILL])
    # 5 days of ETa since the refill (30 mm) and a little evaporation of the 1 % wetted soil
    model = eve.outlook.dr_today_mm
    assert model == pytest.approx(5 * ETA, abs=0.5)
    before = plan_realtime(weather, setup(), TODAY, applied=[REFILL])
    wetter = model - 3 * ETA  # the probe finds 18 mm more water than the model
    zr = float(root_depth((TODAY - setup().sowing).days, CROP))
    value = wetter if quantity is ObservedQuantity.DEPLETION else \
        SOIL.theta_fc - wetter / (1000.0 * zr)  # Eq. 87 solved for θ
    after = plan_realtime(weather, setup(), TODAY, applied=[REFILL],
                          observed=[Observed(TODAY, value, quantity)])
    for o in (before.outlook, after.outlook):
        assert o.earliest == o.latest  # constant weather: every member agrees
    assert (after.outlook.median - before.outlook.median).days == 3
    reading = after.outlook.readings[0]
    assert reading.dr_mm == pytest.approx(wetter, abs=1e-9)
    assert reading.taw_mm == pytest.approx(130.0, abs=1e-9)  # 1000 (0.25 - 0.12) 1.0
    assert after.outlook.dr_today_mm == pytest.approx(before.outlook.dr_today_mm - 3 * ETA,
                                                      abs=0.1)
    doc = json.loads(render(after, OutputFormat.JSON))
    assert doc["next_irrigation"]["observed"][0]["dr_mm"] == pytest.approx(wetter, abs=0.05)
    assert "1 soil water reading" in doc["provenance"]["observed"]


def test_reading_wetter_than_field_capacity_is_field_capacity():
    r = readings_of([Observed(TODAY, 0.30, ObservedQuantity.THETA)], setup(), TODAY)
    assert r[0].dr_mm == 0.0


@pytest.mark.parametrize("observed, message", [
    (Observed(dt.date(2010, 7, 11), 10.0, ObservedQuantity.DEPLETION), "after --today"),
    (Observed(dt.date(2010, 3, 1), 10.0, ObservedQuantity.DEPLETION), "before sowing"),
    (Observed(TODAY, 0.47, ObservedQuantity.THETA), "above saturation 0.46"),
    (Observed(TODAY, 0.10, ObservedQuantity.THETA), "exceeds TAW 130 mm"),
    (Observed(TODAY, 131.0, ObservedQuantity.DEPLETION), "exceeds TAW 130 mm"),
])
def test_impossible_readings_refused(observed, message):
    with pytest.raises(InputError, match=message):
        readings_of([observed], setup(), TODAY)


def test_bundled_soils_have_saturation_above_field_capacity():
    soils = load_library().soils
    assert all(s.theta_fc < s.theta_sat < 0.6 for s in soils.values())
    assert soils["loam"].theta_sat == 0.463  # Rawls et al. (1982) Table 2, loam


# -- the daily normal ------------------------------------------------------------------
def test_outlook_enum_matches_cli_choices():
    assert OUTLOOKS == tuple(o.value for o in OutlookWeather)


def test_daily_normal_is_the_mean_of_the_years_per_calendar_day():
    weather = open_field_climate([SYR_DARYA], 41.06, 69.06).data
    today, end = pd.Timestamp("2010-07-01"), pd.Timestamp("2010-10-16")
    args = (weather, pd.Timestamp("2010-01-01"), today, end, 2010, (2000, 2009))
    normal, labels, basis = outlook_members(*args, outlook=OutlookWeather.NORMAL)
    years, ylabels, _ = outlook_members(*args)
    assert labels == ["normal"] and ylabels == [str(y) for y in range(2000, 2010)]
    assert "daily normal (mean per calendar day) of 10 other years" in basis
    for name in ("precip", "tmax", "rs"):
        got = normal[name].sel(member="normal")
        want = years[name].mean("member")
        np.testing.assert_allclose(got.sel(time=slice("2010-07-02", None)),
                                   want.sel(time=slice("2010-07-02", None)), rtol=1e-12)
        # observed days are the season's own weather, untouched by the averaging
        np.testing.assert_array_equal(got.sel(time=slice(None, today)),
                                      weather[name].sel(time=slice("2010-01-01", today)))


def test_daily_normal_plan_is_one_run_on_cfsr(tmp_path):
    furrow = field_setup("cotton", "furrow", "2010-04-20")
    weather = open_field_climate([SYR_DARYA], 41.06, 69.06)
    plan = plan_realtime(weather, furrow, dt.date(2010, 7, 1), years=(2000, 2009),
                         outlook=OutlookWeather.NORMAL)
    o = plan.outlook
    assert [m.label for m in o.members] == ["normal"]
    assert o.earliest == o.median == o.latest and o.median > dt.date(2010, 7, 1)
    assert all(e.weather.value == "normal" for e in plan.events if e.date > o.today)
    text = render(plan, OutputFormat.TABLE)
    assert "after today: the daily normal" in text and "one run, no spread" in text
    assert "the daily normal" in plan.provenance["weather_basis"]
    assert json.loads(render(plan, OutputFormat.JSON))["next_irrigation"]["outlook"] == \
        "normal"


# -- the command: readings file and refusals -------------------------------------------
def test_read_observed_csv(tmp_path):
    p = tmp_path / "soil.csv"
    p.write_text("# probe at 30 and 60 cm, mean\ndate,theta_m3m3\n2010-06-28,0.21\n"
                 "2010-07-01,0.24\n")
    got = read_observed_csv(p)
    assert got == (Observed(dt.date(2010, 6, 28), 0.21, ObservedQuantity.THETA),
                   Observed(dt.date(2010, 7, 1), 0.24, ObservedQuantity.THETA))


@pytest.mark.parametrize("text, today, message", [
    ("date,dr_mm\n2010-07-05,20\n", "2010-07-01", "after --today 2010-07-01"),
    ("date,dr_mm\n2010-04-01,20\n", "2010-07-01", "before sowing"),
    ("date,dr_mm\n2010-06-30,-5\n", "2010-07-01", "line 2: dr_mm -5 is negative"),
    ("date,theta_m3m3\n2010-06-30,0.48\n", "2010-07-01", "above saturation 0.463"),
    ("date,theta_m3m3\n2010-06-30,25\n", "2010-07-01", "not a volume fraction"),
    ("date,theta_pct\n2010-06-30,25\n", "2010-07-01", "header must be date,theta_m3m3"),
    ("date,theta\n2010-06-30,0.2\n", "2010-07-01", "header must be date,theta_m3m3"),
    ("date,dr_mm,probe\n2010-06-30,20,a\n", "2010-07-01", "header must be"),
    ("date,dr_mm\n2010-06-30,20,5\n", "2010-07-01", "line 2: 3 columns"),
    ("date,dr_mm\n30.06.2010,20\n", "2010-07-01", "bad date"),
    ("date,dr_mm\n2010-06-30,20\n2010-06-30,25\n", "2010-07-01", "a second reading"),
    ("date,dr_mm\n2010-06-30,500\n", "2010-07-01", "exceeds TAW"),
    ("date,dr_mm\n2010-06-30,20\n", None, "--observed: only in real time"),
])
def test_bad_observed_files_one_line_nothing_written(tmp_path, text, today, message):
    soil = tmp_path / "soil.csv"
    soil.write_text(text)
    out = tmp_path / "plan.json"
    args = ["schedule", *FIELD, "--observed", str(soil), "--format", "json", "-o", str(out)]
    if today:
        args += ["--today", today, "--climatology", "2000-2009"]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, InputError), result.output
    assert message in str(result.exception) and "\n" not in str(result.exception)
    assert not out.exists()


def test_cli_observed_exit_2_and_walkthrough(tmp_path):
    soil = tmp_path / "soil.csv"
    soil.write_text("date,theta_m3m3\n2010-06-30,0.9\n")
    bad = subprocess.run([sys.executable, "-m", "irrigate.cli.main", "schedule", *FIELD,
                          "--today", "2010-07-01", "--observed", str(soil)],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and bad.stderr.startswith("error: ")
    outlook = CliRunner().invoke(main, ["schedule", *FIELD, "--outlook", "normal"])
    assert isinstance(outlook.exception, InputError)
    assert "--outlook: only in real time" in str(outlook.exception)
    soil.write_text("date,theta_m3m3\n2010-07-01,0.24\n")
    out = tmp_path / "plan.json"
    ok = CliRunner().invoke(main, ["schedule", *FIELD, "--today", "2010-07-01",
                                   "--climatology", "2000-2009", "--observed", str(soil),
                                   "--format", "json", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    reading = json.loads(out.read_text())["next_irrigation"]["observed"][0]
    assert reading["date"] == "2010-07-01" and reading["theta_m3m3"] == 0.24
    # Eq. 87 with loam θFC 0.25 and the cotton roots of 1 July (das 72)
    zr = float(root_depth(72, load_library().crop("cotton")))
    assert reading["dr_mm"] == pytest.approx(1000 * (0.25 - 0.24) * zr, abs=0.05)


def test_simulate_observed_per_cell_and_dask_equal_in_memory():
    data = constant_weather().data.sel(time=slice("2010-01-01", "2010-12-31"))
    data = data.expand_dims(station=["a", "b"]).transpose("time", "station")
    day = pd.Timestamp("2010-07-10")
    obs = xr.DataArray(np.full((2, data.sizes["time"]), np.nan), dims=("station", "time"),
                       coords={"station": ["a", "b"], "time": data["time"]})
    obs.loc[{"station": "b", "time": day}] = 10.0  # only cell b measured
    kw = {"soil": SOIL, "schedule": "fao_mad", "sowing": "2010-04-01",
          "observed_depletion": obs}
    eager = simulate(data, [CROP], [DRIP], **kw)
    lazy = simulate(data.chunk({"station": 1}), [CROP], [DRIP], **kw).compute()
    for name in ("dr", "irr_net", "eta"):
        np.testing.assert_array_equal(lazy[name].values, eager[name].values, err_msg=name)
    plain = simulate(data, [CROP], [DRIP], soil=SOIL, schedule="fao_mad", sowing="2010-04-01")
    np.testing.assert_array_equal(eager["dr"].sel(station="a").values,
                                  plain["dr"].sel(station="a").values)
    dr_b = eager["dr"].sel(station="b", time=day).item()
    eta_b = eager["eta"].sel(station="b", time=day).item()
    assert dr_b == pytest.approx(10.0 + eta_b, abs=1e-9)  # Eq. 85 from the reading, no CR
