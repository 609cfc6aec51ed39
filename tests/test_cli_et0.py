"""Tests of ``irrigate et0`` through click's CliRunner and the installed console script."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner

from irrigate.cli.main import main
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir

CFSR = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
DIMS = ("time", "lat", "lon")


def _grid(path, drop=(), times=None, **over):
    times = pd.date_range("2021-07-01", periods=3) if times is None else times
    n = len(times)

    def full(v):
        return np.full((n, 1, 1), v)

    data = {
        "tasmax": (DIMS, full(32.0), {"units": "degC"}),
        "tasmin": (DIMS, full(18.0), {"units": "degC"}),
        "hurs": (DIMS, full(40.0), {"units": "%"}),
        "rsds": (DIMS, full(25.0), {"units": "MJ m-2 d-1"}),
        "sfcWind": (DIMS, full(3.0), {"units": "m s-1"}),
        "orog": (("lat", "lon"), np.full((1, 1), 250.0), {"units": "m"}),
    }
    data.update(over)
    for name in drop:
        data.pop(name)
    xr.Dataset(data, coords={"time": times, "lat": [41.0], "lon": [69.0]}).to_netcdf(path)
    return path


def _bad_inputs(tmp_path):
    """(name, input file) for every bad input the command must refuse cleanly."""
    not_nc = tmp_path / "not_netcdf.nc"
    not_nc.write_text("this is not a NetCDF file\n")
    return [
        ("missing_variable", _grid(tmp_path / "a.nc", drop=("tasmax",))),
        ("missing_units", _grid(tmp_path / "b.nc", tasmax=(DIMS, np.full((3, 1, 1), 30.0), {}))),
        ("unknown_units", _grid(tmp_path / "c.nc", tasmax=(DIMS, np.full((3, 1, 1), 30.0),
                                                           {"units": "bogus_units"}))),
        ("rh_above_100", _grid(tmp_path / "d.nc", hurs=(DIMS, np.full((3, 1, 1), 130.0),
                                                        {"units": "%"}))),
        ("negative_radiation", _grid(tmp_path / "e.nc", rsds=(DIMS, np.full((3, 1, 1), -5.0),
                                                              {"units": "MJ m-2 d-1"}))),
        ("time_not_monotonic", _grid(tmp_path / "f.nc", times=pd.DatetimeIndex(
            ["2021-07-02", "2021-07-01", "2021-07-03"]))),
        ("empty_file", _grid(tmp_path / "g.nc", times=pd.DatetimeIndex([]))),
        ("not_netcdf", not_nc),
    ]


EXPECTED = {
    "missing_variable": "missing required variable(s) tmax",
    "missing_units": "has no units attribute",
    "unknown_units": "cannot read",
    "rh_above_100": "relative humidity",
    "negative_radiation": "solar radiation rs is negative",
    "time_not_monotonic": "time is not increasing",
    "empty_file": "has no time steps",
    "not_netcdf": "is not a NetCDF file",
}


def test_cli_runner_refuses_bad_inputs(tmp_path):
    runner = CliRunner()
    for name, path in _bad_inputs(tmp_path):
        out = tmp_path / f"{name}.out.nc"
        result = runner.invoke(main, ["et0", str(path), "-o", str(out)],
                               standalone_mode=False)
        assert isinstance(result.exception, InputError), (name, result.exception)
        message = str(result.exception)
        assert "\n" not in message and EXPECTED[name] in message, (name, message)
        assert not out.exists(), name
        assert not list(tmp_path.glob(f".{out.name}.*")), name


def test_console_script_bad_inputs_exit_2_one_line(tmp_path):
    """Each bad input: exit 2, one stderr line 'error: ...', no traceback, no output."""
    cases = _bad_inputs(tmp_path)
    procs = []
    for name, path in cases:  # run concurrently: each start-up costs about a second
        out = tmp_path / f"{name}.out.nc"
        cmd = [sys.executable, "-m", "irrigate.cli.main", "et0", str(path), "-o", str(out)]
        procs.append((name, out, subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                                  stderr=subprocess.PIPE, text=True)))
    for name, out, proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        lines = stderr.splitlines()
        assert proc.returncode == 2, (name, stderr)
        assert len(lines) == 1 and lines[0].startswith("error: "), (name, stderr)
        assert EXPECTED[name] in lines[0], (name, lines[0])
        assert "Traceback" not in stderr + stdout, name
        assert not out.exists(), name
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_console_script_success_on_bundled_cfsr(tmp_path):
    out = tmp_path / "et0.nc"
    cmd = [sys.executable, "-m", "irrigate.cli.main", "et0", str(CFSR), "-o", str(out),
           "--start", "2010-01-01", "--end", "2012-12-31"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ds = xr.open_dataset(out)
    assert ds["et0"].attrs["units"] == "mm day-1"
    assert ds["et0"].attrs["cell_methods"] == "time: sum"
    assert "Penman-Monteith" in ds.attrs["et0_method"]
    assert "cfsr_syrdarya_points_2000_2014.nc" in ds.attrs["input_files"]
    july = ds["et0"].sel(time=ds["time"].dt.month == 7).mean("time")
    # Syr Darya basin, July: FAO-56 grass ET0 about 6-8.5 mm/day at every CFSR point
    assert float(july.min()) > 6.0 and float(july.max()) < 8.5
    january = ds["et0"].sel(time=ds["time"].dt.month == 1).mean("time")
    assert float(january.max()) < 2.0
    assert set(ds.coords) >= {"time", "station", "lat", "lon"}


def test_cli_runner_csv_hargreaves_and_overwrite(tmp_path):
    csv = next(sample_data_dir().glob("cfsr_tashkent*.csv"))
    out = tmp_path / "h.nc"
    runner = CliRunner()
    args = ["et0", str(csv), "-o", str(out), "--method", "hargreaves"]
    result = runner.invoke(main, args, standalone_mode=False)
    assert result.exception is None, result.output
    ds = xr.open_dataset(out)
    assert "Hargreaves" in ds.attrs["et0_method"]
    assert ds["et0"].dims == ("time", "station")
    ds.close()
    again = runner.invoke(main, args, standalone_mode=False)
    assert isinstance(again.exception, InputError) and "--overwrite" in str(again.exception)
    assert runner.invoke(main, [*args, "--overwrite"], standalone_mode=False).exception is None


def test_cli_var_elev_wind_height_chunks(tmp_path):
    path = tmp_path / "odd.nc"
    xr.Dataset({
        "TX": (DIMS, np.full((3, 2, 2), 32.0), {"units": "degC"}),
        "TN": (DIMS, np.full((3, 2, 2), 18.0), {"units": "degC"}),
        "W": (DIMS, np.full((3, 2, 2), 3.0), {"units": "m/s"}),
    }, coords={"time": pd.date_range("2021-07-01", periods=3), "lat": [41.0, 42.0],
               "lon": [69.0, 70.0]}).to_netcdf(path)
    out = tmp_path / "o.nc"
    result = CliRunner().invoke(main, [
        "et0", str(path), "-o", str(out), "--var", "tmax=TX", "--var", "tmin=TN",
        "--var", "wind=W", "--wind-height", "3", "--elev", "400", "--chunks", "lat=1,lon=1",
    ], standalone_mode=False)
    assert result.exception is None, result.exception
    ds = xr.open_dataset(out)
    assert ds["et0"].dims == ("time", "lat", "lon")
    assert "at 3 m" in ds.attrs["climate_wind"]
    assert np.isfinite(ds["et0"]).all()


@pytest.mark.parametrize(("option", "match"), [
    (["--var", "tmax"], "NAME=VARIABLE"),
    (["--chunks", "lat"], "DIM=SIZE"),
    (["--elev", "nowhere.nc"], "neither a number"),
])
def test_cli_option_errors(tmp_path, option, match):
    path = _grid(tmp_path / "ok.nc")
    result = CliRunner().invoke(main, ["et0", str(path), "-o", str(tmp_path / "x.nc"),
                                       *option], standalone_mode=False)
    assert isinstance(result.exception, InputError) and match in str(result.exception)


def test_ko_and_krs_reach_the_missing_data_procedures(tmp_path):
    """--ko (Eq. 48) and --krs (Eq. 50) change ET0 from temperature-only input as the API
    does; they are refused where they have no effect and outside their FAO-56 ranges."""
    from irrigate.climate import open_climate
    from irrigate.science.et0 import reference_et

    path = _grid(tmp_path / "t_only.nc", drop=("hurs", "rsds"))
    runner = CliRunner()

    def run(*extra):
        out = tmp_path / f"o{len(list(tmp_path.iterdir()))}.nc"
        result = runner.invoke(main, ["et0", str(path), "-o", str(out), *extra],
                               standalone_mode=False)
        assert result.exception is None, result.exception
        with xr.open_dataset(out) as ds:
            return ds["et0"].values.ravel()

    plain, arid = run(), run("--ko", "2", "--krs", "0.19")
    clim = open_climate([path], require=("tmax", "tmin"))
    np.testing.assert_allclose(arid, reference_et(clim, ko=2.0, krs=0.19).values.ravel(),
                               rtol=1e-12)
    # drier air (lower Tdew) and more estimated radiation: ET0 goes up
    assert (arid > plain + 0.3).all()
    with_humidity = _grid(tmp_path / "full.nc")
    result = runner.invoke(main, ["et0", str(with_humidity), "-o", str(tmp_path / "bad.nc"),
                                  "--ko", "2"], standalone_mode=False)
    assert isinstance(result.exception, InputError)
    assert "the input has humidity (rh_mean)" in str(result.exception)
    for extra, match in ((["--ko", "2", "--method", "hargreaves"], "--ko: used only"),
                         (["--krs", "0.3"], "--krs 0.3: must be within"),
                         (["--ko", "-1"], "--ko -1: Tmin - Tdew")):
        result = runner.invoke(main, ["et0", str(path), "-o", str(tmp_path / "bad.nc"),
                                      *extra], standalone_mode=False)
        assert isinstance(result.exception, InputError), extra
        assert match in str(result.exception)
        assert not (tmp_path / "bad.nc").exists()
