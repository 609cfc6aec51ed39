"""Tests of ``irrigate et0 --hourly`` (CliRunner and the console script)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from click.testing import CliRunner
from test_climate import hourly_dataset

from irrigate.cli.main import main
from irrigate.climate import open_climate_hourly
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir
from irrigate.science.et0_hourly import daily_et0_from_hourly, reference_et_hourly
from irrigate.variables import VARIABLES


@pytest.fixture()
def era5(tmp_path):
    path = tmp_path / "era5_hourly.nc"
    hourly_dataset(land=False).to_netcdf(path)
    return path


def _run(args):
    return CliRunner().invoke(main, ["et0", *map(str, args)], standalone_mode=False)


def test_writes_et0_hourly_with_table_attrs(tmp_path, era5):
    out = tmp_path / "et0h.nc"
    result = _run(["--hourly", era5, "-o", out, "--elev", "300"])
    assert result.exception is None, result.exception
    assert "et0_hourly, 73 hours" in result.output
    with xr.open_dataset(out) as ds:
        assert list(ds.data_vars) == ["et0_hourly"]
        attrs = ds["et0_hourly"].attrs
        for key, value in VARIABLES["et0_hourly"].attrs().items():
            assert attrs[key] == value
        assert attrs["units"] == "mm h-1"
        assert "Eq. 53" in attrs["method"] and "end of hour" in attrs["method"]
        assert ds.attrs["climate_time_label"] == "end"
        assert "end of the hour" in ds.attrs["et0_time_label"]
        expected = reference_et_hourly(open_climate_hourly(era5, elevation=300.0), label="end")
        np.testing.assert_allclose(ds["et0_hourly"], expected, rtol=1e-12)


def test_daily_sum_writes_complete_days(tmp_path, era5):
    out = tmp_path / "et0d.nc"
    result = _run(["--hourly", "--daily-sum", "--night-ratio", "0.7", era5, "-o", out,
                   "--elev", "300"])
    assert result.exception is None, result.exception
    with xr.open_dataset(out) as ds:
        assert list(ds.data_vars) == ["et0"]
        assert ds["et0"].attrs["units"] == "mm day-1"
        # the first stamp (2021-07-01 00:00) is the last hour of June 30: no complete day
        assert list(pd.DatetimeIndex(ds.time.values)) == list(pd.date_range("2021-07-01",
                                                                            periods=3))
        hourly = reference_et_hourly(open_climate_hourly(era5, elevation=300.0),
                                     night_ratio=0.7)
        expected = daily_et0_from_hourly(hourly).sel(time=ds.time)
        np.testing.assert_allclose(ds["et0"], expected, rtol=1e-12)
        assert np.isfinite(ds["et0"]).all()
        assert "night Rs/Rso = 0.7" in ds.attrs["et0_method"]


def _bad_cases(tmp_path, era5):
    csv = next(sample_data_dir().glob("cfsr_tashkent*.csv"))
    daily = tmp_path / "daily.nc"
    xr.Dataset({"tas": (("time", "lat", "lon"), np.full((3, 1, 1), 20.0), {"units": "degC"})},
               coords={"time": pd.date_range("2021-07-01", periods=3), "lat": [41.0],
                       "lon": [69.0]}).to_netcdf(daily)
    return {
        "csv": (["--hourly", csv], "station CSV files hold daily values"),
        "daily_file": (["--hourly", daily, "--elev", "300"], "is daily, not hourly"),
        "no_elevation": (["--hourly", era5], "missing required hourly variable(s) elevation"),
        "daily_sum_alone": ([era5, "--daily-sum"], "--daily-sum: only with --hourly"),
        "night_ratio": (["--hourly", era5, "--elev", "300", "--night-ratio", "2"],
                        "--night-ratio 2: Rs/Rso must be within 0.3-1.0"),
        "hargreaves": (["--hourly", era5, "--method", "hargreaves"], "Penman-Monteith"),
        "utc_offset": (["--hourly", era5, "--elev", "300", "--utc-offset", "5"],
                       "time stamps are UTC"),
    }


def test_bad_inputs_refused_with_one_line_and_no_output(tmp_path, era5):
    for name, (args, match) in _bad_cases(tmp_path, era5).items():
        out = tmp_path / f"{name}.out.nc"
        result = _run([*args, "-o", out])
        assert isinstance(result.exception, InputError), (name, result.exception)
        message = str(result.exception)
        assert "\n" not in message and match in message, (name, message)
        assert not out.exists(), name
    assert not [p for p in tmp_path.iterdir() if ".out.nc" in p.name]


def test_console_script_exit_2_one_line(tmp_path, era5):
    cases = _bad_cases(tmp_path, era5)
    procs = []
    for name in ("csv", "daily_file", "utc_offset"):  # concurrently: start-up is ~1 s each
        args, match = cases[name]
        out = tmp_path / f"{name}.out.nc"
        cmd = [sys.executable, "-m", "irrigate.cli.main", "et0", *map(str, args), "-o", str(out)]
        procs.append((name, match, out, subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                                         stderr=subprocess.PIPE, text=True)))
    for name, match, out, proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        lines = stderr.splitlines()
        assert proc.returncode == 2, (name, stderr)
        assert len(lines) == 1 and lines[0].startswith("error: ") and match in lines[0], name
        assert "Traceback" not in stdout + stderr
        assert not out.exists(), name
