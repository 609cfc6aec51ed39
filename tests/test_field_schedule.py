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
from irrigate.engine.field_inputs import Applied, read_applied_csv
from irrigate.engine.field_schedule import (
    FieldSetup,
    MethodLimits,
    field_setup,
    plan_realtime,
    plan_season,
)
from irrigate.engine.field_weather import FieldWeather, open_field_climate
from irrigate.errors import InputError
from irrigate.output.schedule_table import OutputFormat, render
from irrigate.paths import sample_data_dir
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

SYR_DARYA = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
POINT = ["--lat", "41.06", "--lon", "69.06"]
FIELD = [str(SYR_DARYA), *POINT, "--crop", "cotton", "--method", "furrow", "--sowing",
         "2010-04-20"]
JSON_KEYS = {"date", "net_mm", "gross_mm", "dr_before_mm", "raw_mm", "taw_mm",
             "eta_etc_to_date", "dr_after_mm", "days_since_last", "rain_since_last_mm",
             "net_m3ha", "gross_m3ha", "decided_by"}


@pytest.fixture(scope="module")
def weather():
    return open_field_climate([SYR_DARYA], 41.06, 69.06)


@pytest.fixture(scope="module")
def furrow():
    return field_setup("cotton", "furrow", "2010-04-20")


@pytest.fixture(scope="module")
def plan(weather, furrow):
    return plan_season(weather, furrow)


def test_totals_equal_simulate(plan):
    """The schedule's season totals are those of `irrigate simulate` for the same inputs
    (the whole station file, --year 2010, same crop, method, soil, schedule, sowing)."""
    from irrigate.climate import open_climate
    from irrigate.engine.simulate import season_summary, simulate

    climate = open_climate(SYR_DARYA, time_range=("2010-01-01", "2010-12-31"))
    daily = simulate(climate, ["cotton"], ["furrow"], soil="loam", schedule="fao_mad",
                     sowing="2010-04-20", season=2010)
    cell = {"station": "cfsr_411691", "crop": "cotton", "method": "furrow"}
    ref = season_summary(daily).sel(cell)
    for name in ("irr_net", "irr_gross", "irr_loss", "eta", "etc", "precip", "dp", "ro",
                 "n_events"):
        assert plan.totals[name] == pytest.approx(float(ref[name]), rel=1e-9, abs=1e-9), name
    assert len(plan.events) == int(ref["n_events"]) == 16
    assert sum(e.net_mm for e in plan.events) == pytest.approx(float(ref["irr_net"]))
    assert sum(e.gross_mm for e in plan.events) == pytest.approx(float(ref["irr_gross"]))
    irrigated = daily["irr_net"].sel(cell)
    days = [pd.Timestamp(t).date() for t in irrigated["time"].values[irrigated.values > 0]]
    assert [e.date for e in plan.events] == days


def test_event_fields_are_consistent(plan):
    first, *rest = plan.events
    assert first.days_since_last is None and first.das == 0
    for prev, e in zip(plan.events, rest, strict=False):
        assert e.days_since_last == (e.date - prev.date).days
        assert e.gross_m3ha == pytest.approx(10 * e.gross_mm)
        assert e.gross_mm == pytest.approx(e.net_mm / 0.60)  # furrow efficiency 0.60
        assert 0 <= e.dr_after_mm <= e.dr_before_mm <= e.taw_mm
        assert e.dr_before_mm > e.raw_mm - e.rain_since_last_mm  # the rule's trigger
    # sowing day: the shallow root zone asks for 18 mm, furrow water cannot be less than 50
    assert first.net_mm == 50.0 and "furrow minimum depth 50 mm" in first.decided_by


def test_limit_record_can_be_passed_and_is_named(weather):
    rotation = MethodLimits("furrow", depth_min=50.0, depth_max=120.0, interval_min=10,
                            sources={"interval_min": "canal rotation, test"})
    setup = field_setup("cotton", "furrow", "2010-04-20", limits=rotation)
    plan = plan_season(weather, setup)
    gaps = [e.days_since_last for e in plan.events if e.days_since_last is not None]
    assert min(gaps) >= 10
    named = [e for e in plan.events if "shortest interval 10 d" in e.decided_by]
    assert named and all(e.days_since_last == 10 for e in named)
    assert "at least 10 d" in plan.provenance["method_limits"]


def test_target_irrigates_later_and_less(weather, plan):
    deficit = plan_season(weather, field_setup("cotton", "furrow", "2010-04-20",
                                               target=0.8))
    assert deficit.totals["n_events"] < plan.totals["n_events"]
    assert deficit.totals["irr_net"] < plan.totals["irr_net"]
    assert 0.8 < deficit.totals["eta_etc"] < plan.totals["eta_etc"]
    with pytest.raises(InputError, match="depletion rule"):
        field_setup("cotton", "furrow", "2010-04-20", schedule="kz_furrow_current",
                    target=0.8)


def test_json_rows_and_provenance(plan):
    doc = json.loads(render(plan, OutputFormat.JSON))
    assert len(doc["events"]) == 16
    for row in doc["events"]:
        assert JSON_KEYS <= set(row)
    prov = doc["provenance"]
    assert "cfsr_syrdarya_points_2000_2014.nc" in prov["weather_source"]
    assert prov["weather_kind"] == "observed or reanalysis"
    assert prov["irrigate_version"] and "sha256" in prov["library"]
    assert doc["totals"]["n_events"] == 16 and doc["next_irrigation"] is None
    text = render(plan, OutputFormat.TABLE)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.startswith("Season plan: 16 irrigations")
    rows = [r for r in render(plan, OutputFormat.CSV).splitlines() if not r.startswith("#")]
    assert rows[0].startswith("date,das,net_mm,gross_mm") and len(rows) == 17
    assert "| date | net mm |" in render(plan, OutputFormat.MARKDOWN)


# -- real time ----------------------------------------------------------------------------
def constant_weather(et0=6.0):
    """Three years of constant weather: no rain, ET0 6 mm/day, no wind/humidity (table Kcb)."""
    t = pd.date_range("2009-01-01", "2011-12-31", freq="D")
    ds = xr.Dataset({"et0": ("time", np.full(len(t), et0)),
                     "precip": ("time", np.zeros(len(t)))}, coords={"time": t})
    return FieldWeather(ds, "constant test weather", "synthetic")


CROP = Crop(name="testcrop", l_ini=30, l_dev=50, l_mid=60, l_late=40, kcb_ini=0.15,
            kcb_mid=1.0, kcb_end=0.5, kc_ini=0.35, kc_mid=1.05, kc_end=0.6, h_max=1.0,
            zr_min=0.2, zr_max=1.0, p=0.5)
# a wetted fraction of 1 % makes soil evaporation negligible: ETa = Kcb ET0 = 6 mm/day
DRIP = Method("testdrip", fw=0.01, efficiency=0.9, loss_evap=0.1, loss_ro=0.0, loss_dp=0.9)
SOIL = Soil(name="testloam", theta_fc=0.25, theta_wp=0.12, rew=9.0, ze=0.1, cn2=75.0)


def test_applied_irrigation_moves_next_event_by_its_days_of_et():
    setup = FieldSetup(crop=CROP, method=DRIP, soil=SOIL, schedule=Schedule(name="fao_mad"),
                       sowing=dt.date(2010, 4, 1), limits=MethodLimits.of(DRIP))
    today = dt.date(2010, 7, 10)  # mid-season: Kcb, Zr and TAW constant
    refill = Applied(dt.date(2010, 7, 5), 200.0)  # back to field capacity
    before = plan_realtime(constant_weather(), setup, today, applied=[refill])
    eta = 6.0 * CROP.kcb_mid
    after = plan_realtime(constant_weather(), setup, today,
                          applied=[refill, Applied(today, 3 * eta)])
    for o in (before.outlook, after.outlook):
        assert len(o.members) == 2 and o.earliest == o.latest  # constant weather
    shift = (after.outlook.median - before.outlook.median).days
    assert shift == 3  # 18 mm given today = three days of ETa (6 mm/day)
    assert after.events[1].decided_by == "applied"
    assert after.outlook.dr_today_mm == pytest.approx(before.outlook.dr_today_mm - 3 * eta,
                                                      abs=0.1)


@pytest.fixture(scope="module")
def applied_csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("applied") / "applied.csv"
    p.write_text("date,gross_mm\n2010-04-20,85\n2010-05-31,95\n2010-06-13,100\n"
                 "2010-06-24,115\n")
    return p


def test_realtime_on_cfsr_next_irrigation_and_spread(weather, furrow, applied_csv):
    given = read_applied_csv(applied_csv, furrow.method.efficiency)
    assert given[1].net_mm == pytest.approx(95 * 0.6)
    plan = plan_realtime(weather, furrow, dt.date(2010, 7, 1), applied=given,
                         years=(2000, 2009))
    o = plan.outlook
    assert [m.label for m in o.members] == [str(y) for y in range(2000, 2010)]
    assert dt.date(2010, 7, 1) < o.earliest <= o.median <= o.latest
    low, mid, high = o.depth_range("net_mm")
    assert 50 <= low <= mid <= high <= 120  # furrow limits
    past = [e for e in plan.events if e.date <= dt.date(2010, 7, 1)]
    assert [e.decided_by for e in past] == ["applied"] * 4
    assert all(e.weather.value == "climatology" for e in plan.events[4:])
    head = render(plan, OutputFormat.TABLE).splitlines()[0]
    assert head.startswith(f"Next irrigation: {o.median}")
    doc = json.loads(render(plan, OutputFormat.JSON))
    assert doc["next_irrigation"]["date"] == str(o.median)
    assert doc["next_irrigation"]["members"] == 10
    assert "2000-2009" in doc["provenance"]["weather_basis"]


def test_forecast_days_come_first(weather, furrow):
    forecast = weather.data.sel(time=slice("2010-07-02", "2010-07-15"))
    a = plan_realtime(weather, furrow, dt.date(2010, 7, 1), forecast=forecast,
                      years=(2000, 2009))
    assert "forecast 2010-07-02..2010-07-15" in a.outlook.basis
    with pytest.raises(InputError, match="day after --today"):
        plan_realtime(weather, furrow, dt.date(2010, 7, 1), years=(2000, 2009),
                      forecast=weather.data.sel(time=slice("2010-07-05", "2010-07-15")))
    with pytest.raises(InputError, match="forecast period"):
        plan_realtime(weather, furrow, dt.date(2010, 7, 1), forecast=forecast,
                      applied=[Applied(dt.date(2010, 7, 3), 60.0)])


# -- bad inputs: one line, exit 2, nothing written ---------------------------------------
@pytest.mark.parametrize("args, message", [
    ([*FIELD[:-1], "2016-04-20"], "not inside the input's period"),
    ([str(SYR_DARYA), "--lat", "50", "--lon", "80", *FIELD[5:]], "outside the stations"),
    ([*FIELD, "--applied", "APPLIED"], "only in real time"),
    ([*FIELD, "--today", "2010-07-01", "--applied", "FUTURE"], "after --today"),
    ([*FIELD, "--today", "2010-07-01", "--applied", "BAD"], "line 3: bad date"),
    ([*FIELD, "--today", "2010-07-01", "--applied", "HEADER"], "header must be"),
    ([*FIELD, "--today", "2010-11-01"], "within the season"),
    ([*FIELD, "--today", "2010-07-01", "--climatology", "1990-1995"], "no other year"),
    ([*FIELD[:-1], "20 April"], "not a date"),
    ([*FIELD[:6], "cottn", *FIELD[7:]], "crop 'cottn'"),
])
def test_bad_inputs_one_line_nothing_written(tmp_path, args, message):
    files = {"APPLIED": "date,depth_mm\n2010-06-01,60\n",
             "FUTURE": "date,depth_mm\n2010-06-01,60\n2010-07-04,60\n",
             "BAD": "date,depth_mm\n2010-06-01,60\n2010-6-13,60\n",
             "HEADER": "day,mm\n2010-06-01,60\n"}
    args = list(args)
    for k, text in files.items():
        if k in args:
            p = tmp_path / f"{k.lower()}.csv"
            p.write_text(text)
            args[args.index(k)] = str(p)
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["schedule", *args, "--format", "json", "-o", str(out)])
    assert isinstance(result.exception, InputError), result.output
    assert message in str(result.exception) and "\n" not in str(result.exception)
    assert not out.exists()


def test_cli_exit_2_and_acceptance_command(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "irrigate.cli.main", "schedule", *FIELD[:-1],
                          "2016-04-20"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and bad.stderr.startswith("error: ")
    out = tmp_path / "plan.json"
    ok = CliRunner().invoke(main, ["schedule", *FIELD, "--format", "json", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    doc = json.loads(out.read_text())
    assert len(doc["events"]) == 16 and JSON_KEYS <= set(doc["events"][0])
    again = CliRunner().invoke(main, ["schedule", *FIELD, "-o", str(out)])
    assert isinstance(again.exception, InputError) and "--overwrite" in str(again.exception)


def test_applied_events_replace_the_rule_on_their_dates_in_simulate():
    from irrigate.engine.simulate import simulate

    data = constant_weather().data.sel(time=slice("2010-01-01", "2010-12-31"))
    base = Schedule(name="fao_mad", first_day=100)  # the rule decides from day 100
    given = Schedule(name="fao_mad", first_day=100, events=(("2010-06-01", 33.0, np.nan),))
    runs = [simulate(data, [CROP], [DRIP], soil=SOIL, schedule=s, sowing="2010-04-01")
            .isel(crop=0, method=0) for s in (base, given)]
    before = [r["irr_net"].sel(time=slice(None, "2010-07-09")) for r in runs]
    assert float(before[0].sum()) == 0.0  # days 0-99: the rule may not irrigate
    assert float(before[1].sum()) == 33.0  # the given event, on its date, any rule
    assert float(runs[1]["irr_net"].sel(time="2010-06-01")) == 33.0
