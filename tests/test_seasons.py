"""Many seasons (irrigate.engine.seasons): per-season runs, statistics, limits, scenarios."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner

from irrigate.cli.main import main
from irrigate.climate import open_climate
from irrigate.climate.delta import DeltaChange, apply_delta, read_delta
from irrigate.engine.budget import budget
from irrigate.engine.seasons import (
    ALL,
    budget_seasons,
    complete_seasons,
    parse_limits,
    parse_seasons,
    season_totals,
    simulate_seasons,
    years_text,
)
from irrigate.engine.simulate import simulate
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir

CFSR = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
SEASONS = [2001, 2002, 2003]
KW = {"regions": "KZ-61", "crops": "cotton", "methods": ["furrow", "drip"],
      "schedule": "fao_mad"}


def _drip(ds, name):
    """``ds[name]`` of KZ-61 cotton under drip (dict form: ``method`` is a keyword of sel)."""
    return ds[name].sel({"region": "KZ-61", "crop": "cotton", "method": "drip"})


@pytest.fixture(scope="module")
def three():
    return budget_seasons(CFSR, seasons=SEASONS, limits={"KZ-61": 2300.0}, **KW)


def test_parse_seasons_and_limits():
    assert parse_seasons("2001-2003,2007") == [2001, 2002, 2003, 2007]
    assert parse_seasons("all") == ALL and parse_seasons(None) is None
    with pytest.raises(InputError, match="A-B"):
        parse_seasons("2003-2001")
    assert parse_limits(["KZ-61=3800", "KZ-43=3200,KZ-19=2100"]) == {
        "KZ-61": 3800.0, "KZ-43": 3200.0, "KZ-19": 2100.0}
    with pytest.raises(InputError, match="REGION=VALUE"):
        parse_limits(["KZ-61"])
    assert years_text([2001, 2002, 2003, 2007]) == "2001-2003,2007"


def test_complete_seasons_need_april_to_october():
    # the CFSR points end on 31 July 2014: 2014 is not a complete season
    times = pd.date_range("2000-01-01", "2014-07-31")
    assert complete_seasons(times) == list(range(2000, 2014))
    assert complete_seasons(pd.date_range("2001-04-01", "2001-10-31")) == [2001]


def test_each_season_equals_its_single_season_budget(three):
    assert list(three["season"].values) == SEASONS
    for year in SEASONS:
        one = budget(CFSR, season=year, **KW)
        for name in ("irr_gross_mm", "irr_net_mm", "eta_mm", "withdrawal_current_mcm"):
            np.testing.assert_allclose(three[name].sel(season=year).values, one[name].values,
                                       rtol=1e-12, err_msg=f"{name} {year}")


def test_dependable_value_by_hand_count(three):
    # three seasons, P = 0.75: rank k = 0.75 x 4 = 3 = the largest of the three
    drip = _drip(three, "irr_gross_mm").values
    assert float(_drip(three, "irr_gross_mm_p")) == pytest.approx(np.sort(drip)[2])
    again = budget_seasons(CFSR, seasons=SEASONS, probability=0.5, **KW)
    # P = 0.5: k = 2, the middle season
    assert float(_drip(again, "irr_net_mm_p")) == pytest.approx(
        np.sort(_drip(again, "irr_net_mm").values)[1])
    assert float(_drip(three, "irr_gross_mm_mean")) == pytest.approx(drip.mean())
    assert float(_drip(three, "irr_gross_mm_sd")) == pytest.approx(drip.std(ddof=1))
    # the dependable-year budget: volumes from the depth at P
    design = three.sel({"region": "KZ-61", "crop": "cotton", "method": "drip"})
    expected = (float(design["design_irr_gross_mm"]) * float(design["area_ha"].max())
                * 1e-5 / float(design["conveyance_efficiency"].max()))
    assert float(design["design_withdrawal_mcm"]) == pytest.approx(expected)


def test_limit_counts_seasons_and_excess(three):
    now = three["region_withdrawal_current_mcm"].sel(region="KZ-61").values
    over = now[now > 2300.0]
    assert int(three["seasons_over_limit_current"].sel(region="KZ-61")) == over.size
    if over.size:
        assert float(three["max_excess_current_mcm"].sel(region="KZ-61")) == pytest.approx(
            over.max() - 2300.0)
    with pytest.raises(InputError, match="KZ-43"):
        budget_seasons(CFSR, seasons=[2001], limits={"KZ-43": 1.0}, **KW)


def test_seasons_outside_the_input_refused():
    with pytest.raises(InputError, match="2014 not complete"):
        budget_seasons(CFSR, seasons=[2013, 2014], **KW)


def test_delta_zero_is_the_baseline_and_warming_raises_et0():
    ds = open_climate(CFSR).sel(time=slice("2001-01-01", "2002-12-31"))
    same = apply_delta(ds, read_delta("0,0"))
    np.testing.assert_array_equal(same["tmax"].values, ds["tmax"].values)
    warm = apply_delta(ds, read_delta("2,-10"))
    np.testing.assert_allclose(warm["tmax"].values, ds["tmax"].values + 2.0, atol=1e-5)
    np.testing.assert_allclose(warm["precip"].values, ds["precip"].values * 0.9, rtol=1e-6)
    both = budget_seasons(CFSR, seasons=[2002], delta=read_delta("2,0"), **KW)
    et0 = _drip(both, "et0_mm").sel(season=2002)
    assert float(et0.sel(scenario="delta")) > float(et0.sel(scenario="baseline"))


def test_delta_csv_by_month(tmp_path):
    path = tmp_path / "delta.csv"
    rows = ["month,dt_c,dp_pct"] + [f"{m},{m / 10},{-m}" for m in range(1, 13)]
    path.write_text("\n".join(rows) + "\n")
    delta = read_delta(str(path))
    assert delta.dt[6] == pytest.approx(0.7) and delta.dp[11] == -12
    times = pd.date_range("2001-01-01", "2001-12-31")
    ds = xr.Dataset({"tmax": ("time", np.zeros(times.size)),
                     "precip": ("time", np.ones(times.size))}, coords={"time": times})
    out = apply_delta(ds, delta)
    assert float(out["tmax"].sel(time="2001-07-15")) == pytest.approx(0.7)
    assert float(out["precip"].sel(time="2001-12-31")) == pytest.approx(0.88)
    with pytest.raises(InputError, match="-100"):
        DeltaChange((0.0,) * 12, (-100.0,) * 12, "test")


@pytest.fixture(scope="module")
def three_year_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("seasons") / "three.nc"
    raw = xr.open_dataset(CFSR)
    raw.isel(station=[0, 1]).sel(time=slice("2001-01-01", "2003-12-31")).to_netcdf(path)
    raw.close()
    return path


def test_simulate_writes_every_season_each_equal_to_its_single_season_run(three_year_file,
                                                                          tmp_path):
    many = tmp_path / "many.nc"
    args = ["simulate", str(three_year_file), "--crop", "cotton", "--method", "drip",
            "--method", "furrow", "--schedule", "fao_mad"]
    result = CliRunner().invoke(main, [*args, "-o", str(many)])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(many) as ds:
        assert ds.attrs["seasons"] == "2001-2003"
        for year in (2001, 2002, 2003):
            one = tmp_path / f"{year}.nc"
            result = CliRunner().invoke(main, [*args, "--year", str(year), "-o", str(one)])
            assert result.exit_code == 0, result.output
            with xr.open_dataset(one) as single:
                part = ds.sel(time=str(year))
                for name in ("irr_gross", "eta", "dr", "das"):
                    np.testing.assert_array_equal(part[name].values, single[name].values,
                                                  err_msg=f"{name} {year}")
                # every season irrigates: no zeros after the first one
                assert float(part["irr_gross"].sum()) > 0


def test_simulate_winter_wheat_crop_years(three_year_file):
    clim = open_climate(three_year_file)
    daily = simulate_seasons(clim, ["winter_wheat"], ["drip"], schedule="fao_mad")
    # sown in the autumn of 2001 and 2002; the crop year runs to the day before next sowing
    assert daily.attrs["seasons"] == "2002-2003"
    totals = season_totals(daily)
    assert list(totals["season"].values) == [2002, 2003]
    first = daily.isel(time=np.flatnonzero(
        daily["harvest_year"].sel(crop="winter_wheat").values == 2002))
    start = pd.Timestamp(first["time"].values[0])
    assert start.year == 2001 and start.month in (9, 10)
    assert float(first["das"].isel(time=0).max()) == 0.0
    # the same as one run from that sowing
    one = simulate(clim.sel(time=slice(start, pd.Timestamp(first["time"].values[-1]))),
                   ["winter_wheat"], ["drip"], schedule="fao_mad",
                   sowing=start.strftime("%Y-%m-%d"))
    np.testing.assert_array_equal(first["irr_gross"].values, one["irr_gross"].values)


def test_cli_budget_seasons_json_and_refusals(tmp_path):
    args = ["budget", "--input", str(CFSR), "--region", "KZ-61", "--crop", "cotton",
            "--method", "drip", "--schedule", "fao_mad", "-q"]
    result = CliRunner().invoke(main, [*args, "--seasons", "2001-2002", "--probability",
                                       "80", "--limit-mcm", "KZ-61=2000", "--format",
                                       "json"], standalone_mode=False)
    assert result.exception is None, result.output
    doc = json.loads(result.output)
    assert doc["seasons"] == [2001, 2002] and doc["probability"] == 0.8
    assert "k/(n+1)" in doc["estimator"]
    line = doc["lines"][0]
    for key in ("irr_gross_mm_mean", "irr_gross_mm_sd", "irr_gross_mm_p", "n_seasons",
                "withdrawal_mcm_p", "irr_gross_mm_by_season"):
        assert key in line
    region = doc["regions"][0]
    assert region["limit_mcm"] == 2000.0 and "seasons_over_limit_current" in region
    out = tmp_path / "s.nc"
    result = CliRunner().invoke(main, [*args, "--seasons", "2001-2002", "-o", str(out)],
                                standalone_mode=False)
    assert result.exception is None
    with xr.open_dataset(out) as ds:
        assert ds.sizes["season"] == 2 and "design_irr_gross_mm" in ds
    for extra in (["--probability", "0.8"], ["--limit-mcm", "KZ-61=1"],
                  ["--seasons", "2001", "--season", "2001"]):
        result = CliRunner().invoke(main, [*args, *extra], standalone_mode=False)
        assert isinstance(result.exception, InputError)
