"""A catalogue of bad and awkward inputs (issue #16), each with its expected outcome.

Every refused input must end with one line ``error: ...`` naming the file or option, the
values seen and the fix, exit status 2, and nothing written; every accepted awkward input
must give a correct result. The CLI cases run the real entry point
(:func:`irrigate.cli.main.run`) in-process; the API cases call the functions. The counts
are pinned at the end (``test_catalogue_size``).
"""

from __future__ import annotations

import errno
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from irrigate.climate import open_climate
from irrigate.errors import InputError
from irrigate.output import io

DIMS = ("time", "lat", "lon")
LAT, LON = [41.0, 41.5], [68.0, 68.5]


def climate(year: int = 2021, days: int | None = None, calendar: str | None = None
            ) -> xr.Dataset:
    """A small, physically plausible daily grid in CF names and units (2 x 2 cells)."""
    times = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    if days is not None:
        times = times[:days]
    doy = times.day_of_year.values
    season = np.sin(2 * np.pi * (doy - 105) / 365.0)
    shape = (len(times), len(LAT), len(LON))

    def field(values):
        return np.broadcast_to(np.asarray(values, dtype=float)[:, None, None], shape).copy()

    tmax = field(20.0 + 15.0 * season)
    data = {
        "tasmax": (DIMS, tmax, {"units": "degC"}),
        "tasmin": (DIMS, tmax - 14.0, {"units": "degC"}),
        "hurs": (DIMS, field(55.0 - 20.0 * season), {"units": "%"}),
        "rsds": (DIMS, field(15.0 + 9.0 * season), {"units": "MJ m-2 d-1"}),
        "sfcWind": (DIMS, field(np.full(len(times), 2.0)), {"units": "m s-1"}),
        "pr": (DIMS, field(np.where(doy % 9 == 0, 6.0, 0.0)), {"units": "mm d-1"}),
        "orog": (("lat", "lon"), np.full((len(LAT), len(LON)), 300.0), {"units": "m"}),
    }
    return xr.Dataset(data, coords={"time": times, "lat": LAT, "lon": LON})


def write(tmp_path: Path, ds: xr.Dataset, name: str = "clim.nc") -> Path:
    path = tmp_path / name
    ds.to_netcdf(path)
    return path


def cli(*args: object) -> int:
    """Run the real ``irrigate`` entry point in-process; return the exit status."""
    from irrigate.cli.main import run

    saved = sys.argv
    sys.argv = ["irrigate", *map(str, args)]
    try:
        run()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return 0


def _set(name, **attrs):
    def change(ds):
        ds[name].attrs.update(attrs)
        return ds
    return change


def _values(name, func):
    def change(ds):
        ds[name] = ds[name].copy(data=func(ds[name].values.copy()))
        return ds
    return change


def _add(name, values, units, dims=DIMS):
    def change(ds):
        ds[name] = (dims, np.broadcast_to(values, ds["tasmax"].shape).copy()
                    if dims == DIMS else values, {"units": units})
        return ds
    return change


def _one_day(name, value):
    def change(arr):
        arr[10] = value
        return arr
    return _values(name, change)


# ---------------------------------------------------------------------------------------
# NetCDF climate files through ``irrigate et0``: refused with one line
# ---------------------------------------------------------------------------------------
#: id -> (changes of the good grid, regex of the expected error)
NETCDF_REFUSED = {
    "pressure Pa labelled kPa": ([_add("ps", 98000.0, "kPa")], r"looks like Pa labelled kPa"),
    "pressure hPa labelled kPa": ([_add("ps", 980.0, "kPa")], r"looks like hPa labelled kPa"),
    "pressure far too low": ([_add("ps", 5.0, "kPa")], r"outside 30\.\.110 kPa"),
    "RH fraction labelled %": ([_values("hurs", lambda a: a / 100)],
                               r"looks like a fraction 0-1 labelled %"),
    "RH above 101 %": ([_one_day("hurs", 150.0)], r"reaches 150\.0 %"),
    "RH negative": ([_one_day("hurs", -5.0)], r"negative"),
    "elevation 1e6 m, no pressure": ([_values("orog", lambda a: a * 0 + 1e6)],
                                     r"elevation ranges 1e\+06\.\.1e\+06 m"),
    "elevation 1e6 m, with pressure": ([_values("orog", lambda a: a * 0 + 1e6),
                                        _add("ps", 97.0, "kPa")], r"elevation ranges"),
    "radiation 1e30 on one day": ([_one_day("rsds", 1e30)], r"clear-sky radiation Rso"),
    "radiation J m-2 labelled W m-2": ([_values("rsds", lambda a: a * 1e6),
                                        _set("rsds", units="W m-2")],
                                       r"clear-sky radiation Rso.*J m-2 labelled W m-2"),
    "radiation W m-2 labelled MJ": ([_values("rsds", lambda a: a * 11.57)],
                                    r"clear-sky radiation Rso"),
    "radiation MJ labelled W m-2 (too dark)": ([_set("rsds", units="W m-2")], r"too dark"),
    "radiation negative": ([_one_day("rsds", -3.0)], r"solar radiation rs is negative"),
    "radiation all missing": ([_values("rsds", lambda a: a * np.nan)],
                              r"rs has no valid value"),
    "precip mm/day labelled kg m-2 s-1": ([_set("pr", units="kg m-2 s-1")],
                                          r"looks like a depth per day labelled kg m-2 s-1"),
    "precip 5000 mm in a day": ([_one_day("pr", 5000.0)], r"precipitation reaches 5000"),
    "precip all missing": ([_values("pr", lambda a: a * np.nan)],
                           r"precip has no valid value \(all missing\)"),
    "precip negative": ([_one_day("pr", -4.0)], r"precipitation is negative"),
    "temperature K labelled degC": ([_values("tasmax", lambda a: a + 273.15)],
                                    r"tmax ranges .* outside -90\.\.65"),
    "tmin above tmax (swapped)": ([_values("tasmin", lambda a: a + 20.0)],
                                  r"tmin exceeds tmax"),
    "tmax/tmin cell_methods contradict the names": (
        [_set("tasmax", standard_name="air_temperature", cell_methods="time: minimum"),
         _set("tasmin", standard_name="air_temperature", cell_methods="time: maximum")],
        r"'tasm..' is named as a daily m\w+ but its cell_methods say"),
    "no units on tasmax": ([lambda ds: ds.assign(tasmax=(DIMS, ds["tasmax"].values))],
                           r"tasmax|units"),
    "nonsense units": ([_set("tasmax", units="furlongs")], r"units"),
    "wind speed negative": ([_one_day("sfcWind", -3.0)], r"wind speed is negative"),
    "wind 200 m/s": ([_values("sfcWind", lambda a: a * 100)], r"above any daily mean wind"),
    "wind height 500 m in the file": ([_set("sfcWind", height=500.0)],
                                      r"wind height 500 m \(height in the file\)"),
    "vapour pressure hPa labelled kPa": ([_add("ea", 12.0, "kPa"),
                                          lambda ds: ds.drop_vars("hurs")],
                                         r"vapour pressure ea ranges"),
    "latitude 142": ([lambda ds: ds.assign_coords(lat=[142.0, 142.5])], r"not on the Earth"),
    "longitude 400": ([lambda ds: ds.assign_coords(lon=[400.0, 400.5])], r"not on the Earth"),
    "3-member E-OBS ensemble": ([lambda ds: ds.expand_dims(ensemble=3)],
                                r"3 ensemble members \('ensemble'\)"),
    "no time dimension": ([lambda ds: ds.isel(time=0)], r"has no time dimension"),
    "duplicated time step": ([lambda ds: ds.isel(time=[0, 1, 1, 2, 3])],
                             r"appears more than once"),
    "time not increasing": ([lambda ds: ds.isel(time=[0, 2, 1, 3])], r"not increasing"),
    "no recognised variable": ([lambda ds: ds.rename(
        {v: f"x{k}" for k, v in enumerate(ds.data_vars)})], r"no climate variable recognised"),
}


@pytest.mark.parametrize("changes,message", NETCDF_REFUSED.values(), ids=NETCDF_REFUSED)
def test_netcdf_refused(tmp_path, capsys, changes, message):
    ds = climate()
    for change in changes:
        ds = change(ds)
    path = write(tmp_path, ds)
    out = tmp_path / "et0.nc"
    assert cli("et0", path, "-o", out) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert re.search(message, err), err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["clim.nc"]


def test_refused_input_leaves_an_existing_output_alone(tmp_path, capsys):
    ds = _add("ps", 98000.0, "kPa")(climate())
    path = write(tmp_path, ds)
    out = tmp_path / "et0.nc"
    out.write_text("old")
    assert cli("et0", path, "-o", out, "--overwrite") == 2
    assert out.read_text() == "old"


# ---------------------------------------------------------------------------------------
# files and calendars
# ---------------------------------------------------------------------------------------
def _cftime(ds: xr.Dataset, calendar: str, n: int) -> xr.Dataset:
    times = xr.date_range("2019-01-01", periods=n, freq="D", calendar=calendar,
                          use_cftime=True)
    return ds.isel(time=slice(0, n)).assign_coords(time=times)


@pytest.mark.parametrize("calendar,n", [("360_day", 360), ("all_leap", 366), ("julian", 365)])
def test_calendars_without_real_dates_are_refused(tmp_path, capsys, calendar, n):
    path = write(tmp_path, _cftime(climate(2020), calendar, n))
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 2
    err = capsys.readouterr().err
    assert f"'{calendar}' calendar" in err and "convert the file" in err
    assert not (tmp_path / "o.nc").exists()


def test_noleap_calendar_gets_29_february_by_the_stated_rule(tmp_path):
    ds = xr.concat([climate(2019), climate(2020).isel(time=slice(0, 365))], dim="time",
                   data_vars="all")
    ds = _cftime(ds, "noleap", 730)  # 2019 and 2020 without 29 February
    got = open_climate(write(tmp_path, ds))
    assert got.sizes["time"] == 731
    leap = got.sel(time="2020-02-29")
    for name in ("tmax", "precip", "rs"):
        mean = 0.5 * (got[name].sel(time="2020-02-28") + got[name].sel(time="2020-03-01"))
        np.testing.assert_allclose(leap[name].values, mean.values)
    assert "29 February of leap years inserted" in got.attrs["climate_notes"]


def test_eobs_tx_tn_with_time_mean_and_one_member_ensemble(tmp_path):
    ds = climate().rename(tasmax="tx", tasmin="tn", pr="rr", hurs="hu", rsds="qq",
                          sfcWind="fg")
    for name in ("tx", "tn"):
        ds[name].attrs.update(standard_name="air_temperature", cell_methods="time: mean")
    ds = ds.expand_dims(ensemble=1)
    ds["orog"] = ds["orog"].isel(ensemble=0)
    got = open_climate(write(tmp_path, ds))
    ref = climate()
    np.testing.assert_allclose(got["tmax"].values, ref["tasmax"].values)
    np.testing.assert_allclose(got["tmin"].values, ref["tasmin"].values)
    assert "ensemble" not in got.dims


def test_overlapping_files(tmp_path, capsys):
    ds = climate()
    a = write(tmp_path, ds.isel(time=slice(0, 200)), "a.nc")
    b = write(tmp_path, ds.isel(time=slice(190, None)), "b.nc")
    got = open_climate([a, b])  # ten shared days with equal values: read once, noted
    assert got.sizes["time"] == 365
    assert "already given by an earlier file were skipped" in got.attrs["climate_notes"]
    changed = ds.isel(time=slice(190, None)).copy(deep=True)
    changed["tasmax"][:3] += 1.0
    c = write(tmp_path, changed, "c.nc")
    assert cli("et0", a, c, "-o", tmp_path / "o.nc") == 2
    err = capsys.readouterr().err
    assert "c.nc and a.nc both give 2021-07-10" in err and "different values" in err


def test_files_on_different_grids_are_named(tmp_path, capsys):
    ds = climate()
    a = write(tmp_path, ds[["tasmax", "tasmin", "orog"]], "a.nc")
    b = write(tmp_path, ds[["pr"]].assign_coords(lat=[50.0, 50.5]), "b.nc")
    assert cli("et0", a, b, "-o", tmp_path / "o.nc") == 2
    err = capsys.readouterr().err
    assert "different grids" in err and "a.nc: lat 41.0..41.5" in err and "b.nc: lat 50.0" in err


def test_hdf5_without_netcdf_dimensions(tmp_path, capsys):
    import netCDF4

    path = tmp_path / "plain.h5"
    with netCDF4.Dataset(path, "w") as f:
        for i, n in enumerate((10, 2, 2)):
            f.createDimension(f"phony_dim_{i}", n)
        var = f.createVariable("tasmax", "f4", ("phony_dim_0", "phony_dim_1", "phony_dim_2"))
        var.units = "degC"
        var[:] = np.ones((10, 2, 2))
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 2
    assert "HDF5 file without netCDF dimensions" in capsys.readouterr().err


@pytest.mark.parametrize("content,message", [
    (b"", "is not a NetCDF file"),
    (b"this is not netcdf\n", "is not a NetCDF file"),
    (b"\x89HDF\r\n\x1a\n" + b"\0" * 64, "is not a NetCDF file"),
], ids=["empty file", "text file", "broken HDF5 signature"])
def test_unreadable_files(tmp_path, capsys, content, message):
    path = tmp_path / "x.nc"
    path.write_bytes(content)
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 2
    assert message in capsys.readouterr().err


def test_missing_file_and_folder_as_input(tmp_path, capsys):
    assert cli("et0", tmp_path / "none.nc", "-o", tmp_path / "o.nc") == 2
    assert "file not found" in capsys.readouterr().err
    assert cli("et0", tmp_path, "-o", tmp_path / "o.nc") == 2
    assert capsys.readouterr().err.startswith("error: ")


# ---------------------------------------------------------------------------------------
# options
# ---------------------------------------------------------------------------------------
OPTIONS_REFUSED = {
    "--wind-height 1e6": (["--wind-height", "1e6"], r"wind height 1e\+06 m \(given with"),
    "--wind-height 0": (["--wind-height", "0"], r"not a measurement height"),
    "--wind-height nan": (["--wind-height", "nan"], r"not a measurement height"),
    "--elev 1e6": (["--elev", "1e6"], r"--elev 1e6: not a land elevation"),
    "--elev missing file": (["--elev", "nowhere.nc"], r"neither a number"),
    "--lon without --lat": (["--lon", "68"], r"--lon without --lat"),
    "--lat without --lon": (["--lat", "41"], r"--lat without --lon"),
    "--lat 95": (["--lat", "95", "--lon", "68"], r"latitude must be within"),
    "--var without =": (["--var", "tmax"], r"NAME=VARIABLE"),
    "--var to a missing variable": (["--var", "tmax=TX"], r"no variable 'TX'"),
    "--start after --end": (["--start", "2021-05-01", "--end", "2021-04-01"],
                            r"the end is before the start"),
    "--start not a date": (["--start", "May"], r"not a date"),
    "--chunks bad": (["--chunks", "lat"], r"DIM=SIZE"),
    "time range outside the data": (["--start", "2030-01-01"], r"no climate data"),
}


@pytest.mark.parametrize("args,message", OPTIONS_REFUSED.values(), ids=OPTIONS_REFUSED)
def test_options_refused(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, climate())
    assert cli("et0", path, "-o", tmp_path / "o.nc", *args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert re.search(message, err), err
    assert not (tmp_path / "o.nc").exists()


def test_simulate_water_table_nan_refused(tmp_path, capsys):
    path = write(tmp_path, climate())
    assert cli("simulate", path, "--crop", "cotton", "--water-table", "nan", "--summary") == 2
    assert "--water-table nan" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# station CSV
# ---------------------------------------------------------------------------------------
CSV = ("# lat: 41.37\n# lon: 69.38\n# elevation: 522\n"
       "date,tmax[degC],tmin[degC],precip[mm day-1],rh_mean[%],rs[MJ m-2 day-1]\n"
       + "".join(f"2021-06-{d:02d},33.1,18.4,0.0,41.0,27.5\n" for d in range(1, 31)))
CSV_REFUSED = {
    "cp1251 station name": (("# station: Ташкент\n" + CSV).encode("cp1251"),
                            r"not UTF-8 text \(byte 0x.. on line 1"),
    "latin-1 station name": (("# station: Zürich\n" + CSV).encode("latin-1"),
                             r"not UTF-8 text"),
    "semicolons": (CSV.replace(",", ";").encode(), r"separated by ';'"),
    "semicolons and decimal commas": (CSV.replace(",", ";").replace(".", ",").encode(),
                                      r"separated by ';'"),
    "decimal commas": (CSV.replace("33.1", "33,1").encode(), r"decimal commas"),
    "tabs": (CSV.replace(",", "\t").encode(), r"separated by tabs"),
    "header without units": (CSV.replace("tmax[degC]", "tmax").encode(), r"has no units"),
    "text in a number cell": (CSV.replace("33.1", "hot", 1).encode(), r"not a number"),
    "no date column": (CSV.replace("date,", "day,").encode(), r"no 'date' column|unknown"),
    "bad date": (CSV.replace("2021-06-05", "05/06/2021").encode(), r"not ISO dates"),
    "duplicated date": ((CSV + "2021-06-30,33.1,18.4,0.0,41.0,27.5\n").encode(),
                        r"appears more than once"),
    "unknown column": (CSV.replace("rs[", "sun[").encode(), r"unknown column"),
    "latitude 142 in the header": (CSV.replace("41.37", "142").encode(), r"not on the Earth"),
    "wind height not a number": (("# wind_height: ten\n" + CSV.replace(
        "rs[MJ m-2 day-1]", "uz[m s-1]")).encode(), r"wind_height: ten' is not a number"),
    "RH fraction labelled %": (CSV.replace(",41.0,", ",0.41,").encode() * 1,
                               r"fraction 0-1 labelled %"),
    "empty file": (b"", r"could not be read as CSV|no time steps|no 'date'"),
}


@pytest.mark.parametrize("content,message", CSV_REFUSED.values(), ids=CSV_REFUSED)
def test_station_csv_refused(tmp_path, capsys, content, message):
    path = tmp_path / "station.csv"
    path.write_bytes(content)
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert re.search(message, err), err
    assert not (tmp_path / "o.nc").exists()


def test_station_csv_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "station.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    ds = open_climate(path)
    assert float(ds["tmax"].max()) == pytest.approx(33.1)


# ---------------------------------------------------------------------------------------
# outputs: names, formats, folders, races, full disks
# ---------------------------------------------------------------------------------------
def test_output_names_refused_before_any_computation(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, climate())
    called = []
    monkeypatch.setattr("irrigate.climate.open_climate",
                        lambda *a, **k: called.append(1))  # never reached
    (tmp_path / "exists.nc").write_text("old")
    cases = [
        (["-o", f"{tmp_path}/newdir/"], "ends with '/'"),
        (["-o", tmp_path / "exists.nc"], "output exists; pass --overwrite"),
        (["-o", tmp_path / "x.csv"], "the suffix .csv means csv, but the output is netcdf"),
        (["-o", tmp_path / "x.json"], "name it x.nc"),
        (["-o", tmp_path / "missing" / "o.nc"], "does not exist; create it first"),
        (["-o", tmp_path], "is a directory"),  # click's own check of -o, one line too
        (["-o", "/proc/irrigate-test.nc"], "cannot write in folder /proc"),
    ]
    for args, message in cases:
        assert cli("et0", path, *args) == 2
        err = capsys.readouterr().err
        assert message in err, (args, err)
    assert not called
    assert (tmp_path / "exists.nc").read_text() == "old"


def test_budget_format_and_suffix_must_agree(tmp_path, capsys):
    assert cli("budget", "-q", "--format", "csv", "-o", tmp_path / "x.json") == 2
    assert "the suffix .json means json, but the output is csv" in capsys.readouterr().err
    assert cli("report", "-q", "--region", "KZ-61", "-o", tmp_path / "r.nc") == 2
    assert "for CSV, JSON or NetCDF use 'irrigate budget'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_file_created_during_the_run_is_not_clobbered(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(InputError, match="a file appeared at this path"):
        with io.atomic_path(target) as tmp:
            tmp.write_text("new")
            target.write_text("someone else's")  # another run finished first
    assert target.read_text() == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with io.atomic_path(target, overwrite=True) as tmp:  # with --overwrite it is replaced
        tmp.write_text("new")
    assert target.read_text() == "new"


def test_two_writers_one_output(tmp_path):
    target = tmp_path / "out.txt"
    first = io.atomic_path(target)
    second = io.atomic_path(target)
    a, b = first.__enter__(), second.__enter__()
    a.write_text("first")
    b.write_text("second")
    first.__exit__(None, None, None)
    with pytest.raises(InputError, match="a file appeared"):
        second.__exit__(None, None, None)
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    target = tmp_path / "out.nc"
    with pytest.raises(InputError, match="the disk is full"):
        with io.atomic_path(target):
            raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_netcdf_library_error_while_writing(tmp_path, monkeypatch):
    def broken(self, path, **kwargs):
        Path(path).write_bytes(b"partial")
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", broken)
    with pytest.raises(InputError, match="could not be written \\(NetCDF: HDF error\\)"):
        io.write_netcdf(xr.Dataset({"et0": ("time", [1.0])}), tmp_path / "o.nc")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------
# the top-level handler
# ---------------------------------------------------------------------------------------
def test_os_error_is_one_line_with_path_and_fix(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, climate())

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("irrigate.climate.open_climate", denied)
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {path}: Permission denied; check the permissions or choose " \
                  "another file or folder"


def test_unexpected_error_one_line_and_debug_traceback(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, climate())

    def bug(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("irrigate.climate.open_climate", bug)
    assert cli("et0", path, "-o", tmp_path / "o.nc") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ZeroDivisionError: division by zero (unexpected; run again "
                          "with --debug")
    assert "\n" not in err
    with pytest.raises(ZeroDivisionError):  # --debug: the traceback, not the line
        cli("et0", path, "-o", tmp_path / "o.nc", "--debug")


# ---------------------------------------------------------------------------------------
# API: the same checks without the CLI
# ---------------------------------------------------------------------------------------
API_REFUSED = {
    "open_climate: lat= without lon=": (dict(lat=41.0), "without"),
    "open_climate: wind_height=1e6": (dict(wind_height=1e6), "not a measurement height"),
    "open_climate: elevation=-1000": (dict(elevation=-1000), "not a land elevation"),
    "open_climate: var_map to nothing": (dict(var_map={"tmax": "TX"}), "no variable 'TX'"),
    "open_climate: time_range not dates": (dict(time_range=("x", "y")), "not dates"),
}


@pytest.mark.parametrize("kwargs,message", API_REFUSED.values(), ids=API_REFUSED)
def test_api_refused(tmp_path, kwargs, message):
    path = write(tmp_path, climate())
    with pytest.raises(InputError, match=message):
        open_climate(path, **kwargs)


def test_api_pressure_in_pa_labelled_kpa(tmp_path):
    path = write(tmp_path, _add("ps", 98000.0, "kPa")(climate()))
    with pytest.raises(InputError, match="looks like Pa labelled kPa"):
        open_climate(path)


def test_api_hourly_radiation_above_the_solar_constant(tmp_path):
    times = pd.date_range("2021-06-01 01:00", periods=48, freq="h")
    shape = (len(times), 2, 2)
    ds = xr.Dataset({
        "t2m": (DIMS, np.full(shape, 300.0), {"units": "K"}),
        "d2m": (DIMS, np.full(shape, 285.0), {"units": "K"}),
        "ssrd": (DIMS, np.full(shape, 3.6e7), {"units": "J m-2"}),  # 36 MJ in an hour
        "sp": (DIMS, np.full(shape, 97000.0), {"units": "Pa"}),
    }, coords={"time": times, "lat": LAT, "lon": LON})
    path = write(tmp_path, ds, "era5_hourly.nc")
    from irrigate.climate import open_climate_hourly

    with pytest.raises(InputError, match="above the 5 MJ m-2 h-1 of the top of the"):
        open_climate_hourly(path, elevation=300)


def test_api_calibration_observations(tmp_path):
    from irrigate.calibration import load_observations

    nc = write(tmp_path, climate())
    with pytest.raises(InputError, match="not a TOML text file"):
        load_observations(nc)
    text = (Path(__file__).resolve().parent.parent / "models" / "calibration"
            / "xinjiang_observations.toml").read_text(encoding="utf-8")
    import re

    bad = re.sub(r"(\[\[observations\]\][^\[]*?\nvalue = )[0-9.]+", r"\1nan", text, count=1)
    assert bad != text
    (tmp_path / "obs.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match="is not a finite number"):
        load_observations(tmp_path / "obs.toml")


def test_catalogue_size():
    """The catalogue holds at least 60 bad or awkward inputs (issue #16 acceptance)."""
    parametrised = (len(NETCDF_REFUSED) + len(OPTIONS_REFUSED) + len(CSV_REFUSED)
                    + len(API_REFUSED) + 3 + 3)  # calendars, unreadable files
    single = 22  # the other test functions of this module, one input each or more
    assert parametrised + single >= 60


def test_budget_with_all_missing_precipitation_is_refused(tmp_path):
    """Issue #16 row: was 'KZ-61 not covered by the climate input' and a header-only CSV."""
    from irrigate.engine.budget import budget

    path = write(tmp_path, _values("pr", lambda a: a * np.nan)(climate()))
    with pytest.raises(InputError, match="precip has no valid value"):
        budget(path, regions="KZ-61", crops="cotton")


def test_budget_with_pressure_in_pa_labelled_kpa_is_refused(tmp_path, capsys):
    """Issue #16 row: was budget ET0 1,410 instead of 1,058 mm, exit 0."""
    path = write(tmp_path, _add("ps", 98000.0, "kPa")(climate()))
    out = tmp_path / "b.csv"
    assert cli("budget", "-q", "--input", path, "--region", "KZ-61", "--crop", "cotton",
               "-o", out) == 2
    assert "looks like Pa labelled kPa" in capsys.readouterr().err
    assert not out.exists()
