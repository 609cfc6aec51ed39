import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner

import irrigate
from irrigate.cli.main import main
from irrigate.engine.simulate import RAINFED, season_summary, simulate
from irrigate.errors import InputError
from irrigate.output.simulate_table import summary_table
from irrigate.paths import sample_data_dir
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

COTTON = Crop(name="cotton", l_ini=30, l_dev=50, l_mid=60, l_late=55, kcb_ini=0.15,
              kcb_mid=1.15, kcb_end=0.45, kc_ini=0.35, kc_mid=1.17, kc_end=0.6, h_max=1.2,
              zr_min=0.2, zr_max=1.2, p=0.65, sowing="04-20")
WHEAT = Crop(name="spring_wheat", l_ini=20, l_dev=25, l_mid=60, l_late=30, kcb_ini=0.15,
             kcb_mid=1.10, kcb_end=0.25, kc_ini=0.3, kc_mid=1.15, kc_end=0.3, h_max=1.0,
             zr_min=0.2, zr_max=1.2, p=0.55, sowing="03-25")
LOAM = Soil(name="loam", theta_fc=0.25, theta_wp=0.12, rew=9.0, ze=0.10, cn2=75.0)
# Parameters from parameters-literature.md section 3 (FAO fw, FAO TM4 efficiencies) and
# section 6 (mulched drip fw 0.35, film cover 0.7, plastic f_mulch 0.9); loss splits are
# test assumptions.
METHODS = [
    Method("flood", fw=1.0, efficiency=0.60, loss_evap=0.05, loss_ro=0.35, loss_dp=0.60,
           surface=True),
    Method("furrow", fw=0.7, efficiency=0.60, loss_evap=0.05, loss_ro=0.45, loss_dp=0.50,
           surface=True),
    Method("sprinkler", fw=1.0, efficiency=0.75, loss_evap=0.6, loss_ro=0.0, loss_dp=0.4),
    Method("drip", fw=0.35, efficiency=0.90, loss_evap=0.1, loss_ro=0.0, loss_dp=0.9,
           wet_under_canopy=True),
    Method("mulched_drip", fw=0.35, efficiency=0.90, loss_evap=0.1, loss_ro=0.0, loss_dp=0.9,
           film_cover=0.7, film_evap_reduction=0.9, wet_under_canopy=True),
    RAINFED,
]
SYR_DARYA = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"


def synthetic(nlat=3, nlon=4, year=2010, seed=0):
    t = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    rng = np.random.default_rng(seed)
    doy = t.day_of_year.values[:, None, None]
    shape = (len(t), nlat, nlon)
    et0 = 1 + 6 * np.clip(np.sin((doy - 80) / 365 * 2 * np.pi), 0, None) + rng.random(shape)
    precip = rng.gamma(0.3, 8, shape) * (rng.random(shape) < 0.2)
    dims = ("time", "lat", "lon")
    return xr.Dataset(
        {"et0": (dims, et0), "precip": (dims, precip),
         "u2": (dims, 1.5 + 2 * rng.random(shape)), "rh_min": (dims, 20 + 40 * rng.random(shape))},
        coords={"time": t, "lat": 40 + np.arange(nlat) * 0.5,
                "lon": 68 + np.arange(nlon) * 0.5})


@pytest.fixture(scope="module")
def grid():
    return synthetic()


@pytest.fixture(scope="module")
def grid_run(grid):
    return simulate(grid, [COTTON, WHEAT], METHODS, soil=LOAM, schedule=Schedule())


def test_dims_and_names(grid_run):
    ds = grid_run
    assert ds["eta"].dims == ("time", "lat", "lon", "crop", "method")
    assert ds["kcb"].dims == ("time", "lat", "lon", "crop")
    assert ds["et0"].dims == ("time", "lat", "lon")
    for name in ("et0", "kcb", "ke", "ks", "etc", "eta", "e", "t", "dr", "taw", "raw",
                 "precip", "ro", "dp", "irr_net", "irr_gross", "irr_loss", "irr_loss_evap",
                 "irr_loss_ro", "irr_loss_dp", "few", "fc", "zr"):
        assert name in ds
    assert list(ds.method.values) == [m.name for m in METHODS]


def storage_residual(ds, soil, crops, f_sub=0.0):
    fc_wp = 1000 * (soil.theta_fc - soil.theta_wp)
    taw_max = xr.DataArray([fc_wp * c.zr_max for c in crops], dims="crop")
    taw0 = xr.DataArray([fc_wp * c.zr_min for c in crops], dims="crop")
    w0 = taw_max - f_sub * taw0 - f_sub * (taw_max - taw0)
    last = ds.isel(time=-1)
    w1 = taw_max - last["dr"] - f_sub * (taw_max - last["taw"])
    flux = (ds["precip"] - ds["ro"] + ds["irr_net"] + ds["cr"] - ds["eta"] - ds["dp"]).sum("time")
    return w1 - w0 - flux


def test_mass_balance_every_cell_crop_method(grid_run):
    res = storage_residual(grid_run, LOAM, [COTTON, WHEAT])
    assert res.sizes == {"lat": 3, "lon": 4, "crop": 2, "method": 6}
    assert float(abs(res).max()) < 1e-6
    diff = grid_run["irr_gross"] - (grid_run["irr_net"] + grid_run["irr_loss"])
    assert float(abs(diff).max()) == 0.0


def test_bounds(grid_run):
    ds = grid_run
    assert float(ds.dr.min()) >= 0 and bool((ds.dr <= ds.taw + 1e-9).all())
    assert bool(((ds.ks >= 0) & (ds.ks <= 1)).all())
    assert bool((ds.ke <= ds.few * ds.kc_max + 1e-12).all())


def test_grid_equals_per_cell_runs(grid, grid_run):
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        cell = simulate(grid.isel(lat=i, lon=j), [COTTON, WHEAT], METHODS, soil=LOAM,
                        schedule=Schedule())
        ref = grid_run.isel(lat=i, lon=j)
        for name in ("eta", "dr", "irr_gross", "dp", "ks", "kcb", "e"):
            np.testing.assert_allclose(cell[name].values, ref[name].values, atol=1e-9, rtol=0)


def test_dask_chunked_equals_in_memory(grid, grid_run):
    lazy = simulate(grid.chunk({"lat": 1, "lon": 2}), [COTTON, WHEAT], METHODS, soil=LOAM,
                    schedule=Schedule())
    assert lazy["eta"].chunks is not None
    computed = lazy.compute()
    for name in ("eta", "dr", "irr_gross", "irr_loss_dp", "kcb", "few"):
        np.testing.assert_array_equal(computed[name].values, grid_run[name].values)


def test_irrigation_only_in_season_and_rainfed_has_none(grid_run):
    ds = grid_run
    out = (ds.das < 0) | (ds.das >= ds.season_length)
    assert float(ds.irr_net.where(out, 0).sum()) == 0
    assert float(ds.irr_gross.sel({"method": "rainfed"}).sum()) == 0
    assert float(ds.irr_gross.sel({"method": "drip"}).sum()) > 0


def test_rainfed_equals_none_rule(grid, grid_run):
    none = simulate(grid, [COTTON, WHEAT], METHODS[:1], soil=LOAM, schedule="none")
    for name in ("eta", "dr", "dp", "ks"):
        np.testing.assert_array_equal(none[name].sel({"method": "flood"}).values,
                                      grid_run[name].sel({"method": "rainfed"}).values)


def test_season_summary(grid_run):
    s = season_summary(grid_run)
    assert s["irr_gross"].dims == ("lat", "lon", "crop", "method")
    events = ((grid_run.irr_net > 0).sum("time"))
    np.testing.assert_array_equal(s["n_events"].values, events.values)
    text = summary_table(s)
    assert "mulched_drip" in text and "irr_gross" in text


def _summary_values(text, crop, method):
    """Column -> value of one crop x method row, read across every block of the table."""
    header, out = None, {}
    for line in text.splitlines():
        words = line.split()
        if words[:2] == ["crop", "method"]:
            header = words[2:]
        elif header and words[:2] == [crop, method]:
            out.update(zip(header, map(float, words[2:]), strict=True))
    return out


def test_summary_table_fits_100_columns_and_keeps_every_value():
    """Long library names (xinjiang_cotton, xinjiang_mulched_drip) and all ten columns."""
    crops = ["xinjiang_cotton", "orchard_apple"]
    methods = ["xinjiang_mulched_drip", "alternate_furrow", "rainfed"]
    rng = np.random.default_rng(3)
    names = ("irr_gross", "irr_net", "irr_loss", "eta", "e", "t", "precip", "ro", "dp",
             "n_events")
    shape = (4, len(crops), len(methods))
    s = xr.Dataset({n: (("station", "crop", "method"), 2000 * rng.random(shape))
                    for n in names}, coords={"crop": crops, "method": methods})
    text = summary_table(s)
    assert max(len(line) for line in text.splitlines()) <= 100, text
    assert "mm" in text and "count" in text  # units in the headers
    mean = s.mean("station")
    for c in crops:
        for m in methods:
            got = _summary_values(text, c, m)
            assert set(got) == set(names), (c, m, got)
            for n in names:
                want = float(mean[n].sel({"crop": c, "method": m}))
                assert got[n] == pytest.approx(want, abs=0.051)


def test_film_reduces_evaporation_and_gross(grid_run):
    s = season_summary(grid_run).mean(["lat", "lon"]).sel(crop="cotton")
    e = s["e"].to_series()
    assert e["mulched_drip"] < 0.6 * e["drip"] < e["flood"]


def test_sowing_per_cell_and_per_crop(grid):
    sow = xr.DataArray(np.array([[110, 115, 120, 125]] * 3), dims=("lat", "lon"),
                       coords={"lat": grid.lat, "lon": grid.lon})
    ds = simulate(grid, [COTTON], METHODS[3:4], soil=LOAM, sowing={"cotton": sow})
    first = (ds.das.sel(crop="cotton") == 0).argmax("time")
    np.testing.assert_array_equal(first.values, sow.values - 1)
    dates = xr.DataArray(np.array(["2010-04-20"] * 4, dtype="datetime64[D]"), dims="lon",
                         coords={"lon": grid.lon})
    ds2 = simulate(grid, [COTTON], METHODS[3:4], soil=LOAM, sowing=dates)
    assert int((ds2.das.isel(lat=0, lon=0, crop=0) == 0).argmax("time")) == 109


def test_user_schedule_csv(grid, tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("date,depth_mm\n2010-06-01,40\n2010-07-01,50\n")
    ds = simulate(grid, [COTTON], METHODS[2:4], soil=LOAM, schedule=p)
    np.testing.assert_allclose(ds.irr_net.sel(time="2010-06-01").values, 40.0)
    assert float(ds.irr_net.sum("time").max()) == pytest.approx(90.0)


def test_climate_dataset_computes_et0_and_adjusts_kcb():
    from irrigate.climate import open_climate

    climate = open_climate(SYR_DARYA, time_range=("2010-01-01", "2010-12-31"))
    ds = simulate(climate, [COTTON], METHODS[3:4], soil=LOAM, sowing="04-20")
    assert "Penman-Monteith" in ds.attrs["et0_source"]
    assert "Eq. 70" in ds.attrs["kcb_climate_adjustment"]
    mid = ds.kcb.sel(time="2010-07-20").isel(crop=0)
    assert float(mid.min()) > COTTON.kcb_mid  # arid climate: Eq. 70 raises Kcb mid


def test_without_humidity_records_no_adjustment(grid):
    ds = simulate(grid.drop_vars(["u2", "rh_min"]), [COTTON], METHODS[3:4], soil=LOAM)
    assert "not applied" in ds.attrs["kcb_climate_adjustment"]
    assert float(ds.kcb.sel(time="2010-07-20").max()) == pytest.approx(COTTON.kcb_mid)


def test_syr_darya_method_ordering():
    """Physical sanity on CFSR Syr Darya weather, cotton, loam, refill at MAD (library)."""
    from irrigate.climate import open_climate

    climate = open_climate(SYR_DARYA, time_range=("2010-01-01", "2010-12-31"))
    ds = simulate(climate, ["cotton"], ["flood", "furrow", "sprinkler", "drip", "mulched_drip",
                                        "rainfed"], soil="loam", schedule="fao_mad")
    s = season_summary(ds).mean("station").sel(crop="cotton")
    g = s["irr_gross"].to_series()
    assert g["mulched_drip"] < g["drip"] < g["sprinkler"] < g["furrow"] <= g["flood"]
    e = s["e"].to_series()
    assert e["mulched_drip"] < 0.5 * e["flood"]
    assert g["rainfed"] == 0


@pytest.mark.parametrize("kwargs, match", [
    ({"crops": ["cottn"]}, "known: .*cotton"),
    ({"methods": ["dripp"]}, "known: .*drip"),
    ({"schedule": "madd"}, "not a rule"),
    ({"sowing": "2010-12-01"}, "within the climate period"),
    ({"sowing": "2009-12-01"}, "within the climate period"),
    ({"sowing": "20 April"}, "not a date"),
    ({"initial_depletion": 1.5}, "initial_depletion"),
    ({"soil": "lom"}, "soil 'lom'"),
    ({"outputs": ["eta", "xyz"]}, "unknown variable"),
    ({"water_table_depth": -1.0}, "water_table_depth"),
])
def test_bad_inputs(grid, kwargs, match):
    args = {"crops": ["cotton"], "methods": ["drip"], "soil": "loam", "sowing": "04-20"}
    args.update(kwargs)
    with pytest.raises(InputError, match=match) as err:
        simulate(grid, **args)
    assert "\n" not in str(err.value)


def test_bad_datasets(grid, tmp_path):
    with pytest.raises(InputError, match="Dataset"):
        simulate(grid["et0"], [COTTON], [METHODS[3]], soil=LOAM)
    with pytest.raises(InputError, match="precip"):
        simulate(grid.drop_vars("precip"), [COTTON], [METHODS[3]], soil=LOAM)
    holes = grid.copy(deep=True)
    holes["precip"][40, 1, 1] = np.nan
    with pytest.raises(InputError, match="precip has missing values .1 days, first 2010-02-10"):
        simulate(holes, [COTTON], [METHODS[3]], soil=LOAM)
    gap = grid.drop_sel(time=grid.time.values[50:52])
    with pytest.raises(InputError, match="consecutive"):
        simulate(gap, [COTTON], [METHODS[3]], soil=LOAM)
    p = tmp_path / "s.csv"
    p.write_text("date,depth_mm\n2011-06-01,40\n")
    with pytest.raises(InputError, match="outside the simulated period"):
        simulate(grid, [COTTON], [METHODS[3]], soil=LOAM, schedule=p)
    rice = Crop(name="rice", l_ini=30, l_dev=30, l_mid=60, l_late=30, kcb_ini=1.0,
                kcb_mid=1.15, kcb_end=0.7, kc_ini=1.05, kc_mid=1.2, kc_end=0.9, h_max=1.0,
                zr_min=0.3, zr_max=0.6, p=0.2, paddy=True)
    with pytest.raises(InputError, match="paddy"):
        simulate(grid, [rice], [METHODS[0]], soil=LOAM, sowing="05-01")


def test_public_api(grid):
    # irrigate.engine.simulate is both the function (lazy API) and the module
    a = irrigate.simulate(grid.isel(lat=0, lon=0), [COTTON], [METHODS[3]], soil=LOAM)
    b = simulate(grid.isel(lat=0, lon=0), [COTTON], [METHODS[3]], soil=LOAM)
    np.testing.assert_array_equal(a.eta.values, b.eta.values)
    assert irrigate.engine.simulate.season_summary is season_summary


def test_cli_writes_netcdf_and_prints_summary(tmp_path):
    out = tmp_path / "out.nc"
    result = CliRunner().invoke(main, [
        "simulate", str(SYR_DARYA), "--crop", "cotton", "--method", "drip",
        "--method", "mulched_drip", "--year", "2010", "--summary", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "mulched_drip" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100, result.output
    ds = xr.open_dataset(out)
    assert ds["irr_gross"].attrs["units"] == "mm day-1"
    assert "method" not in ds["irr_gross"].attrs
    assert "irrigate simulate" in ds.attrs["history"]
    ds.close()


@pytest.mark.parametrize("extra, message", [
    (["--crop", "cottn"], "crop 'cottn'"),
    (["--crop", "cotton", "--method", "dripp"], "method 'dripp'"),
    (["--crop", "cotton", "--schedule", "madd"], "not a rule"),
    (["--crop", "cotton", "--sowing", "2010-12-30"], "climate period"),
])
def test_cli_bad_inputs_nothing_written(tmp_path, extra, message):
    out = tmp_path / "out.nc"
    result = CliRunner().invoke(main, ["simulate", str(SYR_DARYA), "--year", "2010", "-o",
                                       str(out), *extra])
    assert isinstance(result.exception, InputError)  # run() turns it into exit 2
    assert message in str(result.exception) and "\n" not in str(result.exception)
    assert list(tmp_path.iterdir()) == []


def test_cli_exit_2_one_line(tmp_path):
    out = tmp_path / "out.nc"
    cmd = [sys.executable, "-m", "irrigate.cli.main", "simulate", str(SYR_DARYA), "--year",
           "2010", "-o", str(out), "--crop", "cottn"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: crop 'cottn'")
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_to_overwrite(tmp_path):
    out = tmp_path / "out.nc"
    out.write_text("keep")
    proc = subprocess.run([sys.executable, "-m", "irrigate.cli.main", "simulate",
                           str(SYR_DARYA), "--crop", "cotton", "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "--overwrite" in proc.stderr
    assert out.read_text() == "keep"


def test_soil_and_water_table_per_cell(grid):
    soils = xr.DataArray([["loam", "sand", "loam", "clay"]] * 3, dims=("lat", "lon"),
                         coords={"lat": grid.lat, "lon": grid.lon})
    wt = xr.DataArray([np.nan, 1.5, np.nan, np.nan], dims="lon", coords={"lon": grid.lon})
    ds = simulate(grid, [COTTON], METHODS[3:4], soil=soils, water_table_depth=wt)
    sand = simulate(grid.isel(lon=1), [COTTON], METHODS[3:4], soil="sand",
                    water_table_depth=1.5)
    np.testing.assert_allclose(ds.dr.isel(lon=1).values, sand.dr.values, atol=1e-9)
    assert float(ds.cr.isel(lon=1).sum()) > 0 and float(ds.cr.isel(lon=0).sum()) == 0
    assert float(ds.taw.isel(lon=1).max()) < float(ds.taw.isel(lon=3).max())  # sand < clay
    assert ds.attrs["soil"] == "clay,loam,sand"


def test_a_cell_without_data_is_skipped_in_memory_as_with_dask(grid, grid_run):
    """A cell with no value on any day (sea or lake in ERA5-Land) is not land to simulate:
    in-memory input gives NaN there, like dask input, and the other cells are unchanged; a
    cell with data on some days and gaps on others stays an error."""
    sea = grid.copy(deep=True)
    sea["et0"][:, 0, 0] = np.nan
    sea["precip"][:, 0, 0] = np.nan
    out = simulate(sea, [COTTON, WHEAT], METHODS, soil=LOAM, schedule=Schedule())
    assert bool(out["eta"].isel(lat=0, lon=0).isnull().all())
    s, ref = season_summary(out), season_summary(grid_run)
    assert bool(s["irr_net"].isel(lat=0, lon=0).isnull().all())
    xr.testing.assert_allclose(s.isel(lat=slice(1, None)), ref.isel(lat=slice(1, None)))
    xr.testing.assert_allclose(s.isel(lat=0, lon=slice(1, None)),
                               ref.isel(lat=0, lon=slice(1, None)))
    sea["precip"][150:153, 1, 2] = np.nan
    with pytest.raises(InputError, match=r"precip has missing values \(3 days, first "
                                         r".*cells that have data on other days"):
        simulate(sea, [COTTON], [METHODS[3]], soil=LOAM)
    nothing = grid.copy(deep=True)
    nothing["et0"][:] = np.nan
    with pytest.raises(InputError, match="et0 has no values at all"):
        simulate(nothing, [COTTON], [METHODS[3]], soil=LOAM)


def test_missing_climate_in_dask_input_gives_nan_totals_not_zeros(grid, grid_run):
    # dask inputs are not checked for gaps (docs/water-balance.md): a cell with missing
    # et0/precip must come out as NaN (daily irrigation too), and its seasonal totals NaN,
    # never a silent 0 mm; the other cells are unchanged
    bad = grid.copy(deep=True)
    bad["et0"][:, 0, 0] = np.nan                 # a masked cell (sea, lake)
    bad["precip"][:, 0, 0] = np.nan
    bad["precip"][150:153, 1, 2] = np.nan        # a 3-day gap inside both seasons
    lazy = simulate(bad.chunk({"lat": 1, "lon": 2}), [COTTON, WHEAT], METHODS, soil=LOAM,
                    schedule=Schedule())
    daily = lazy.compute()
    assert bool(daily["irr_net"].isel(lat=0, lon=0, time=slice(120, None)).isnull().all())
    s = season_summary(daily)
    for name in ("eta", "irr_net", "irr_gross", "dp", "ro", "n_events"):
        assert bool(s[name].isel(lat=0, lon=0).isnull().all()), name
        assert bool(s[name].isel(lat=1, lon=2).sel(crop="cotton").isnull().all()), name
    ref = season_summary(grid_run)
    xr.testing.assert_allclose(s.isel(lat=2), ref.isel(lat=2))
