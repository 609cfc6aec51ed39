"""Hypothesis fuzzing of the input layer (issue #16): a traceback or a silent NaN fails.

Climate files are built from a good small grid by random damage to what users get wrong:
attribute strings (units, standard_name, cell_methods, calendar-free times), unit spellings,
extra and missing dimensions, dtypes, fill values and missing values. Station CSV text gets
random headers, separators, encodings and cells; output names random strings. Every input
must either be refused with :class:`irrigate.errors.InputError` (one line) or give a climate
whose reference ET has valid values. The number of examples comes from the Hypothesis
profile of ``tests/conftest.py`` (``ci``: 25 per test, a few seconds in all).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irrigate.climate import open_climate
from irrigate.errors import InputError
from irrigate.output.io import check_output
from irrigate.science.et0 import reference_et

DIMS = ("time", "lat", "lon")
NAMES = ["tasmax", "tasmin", "hurs", "rsds", "sfcWind", "pr", "ps", "tdps", "huss", "orog"]
UNITS = ["degC", "K", "celsius", "degF", "%", "1", "0-1", "Pa", "kPa", "hPa", "mbar",
         "W m-2", "J m-2", "MJ m-2 d-1", "MJ/m2", "m s-1", "km h-1", "knots", "mm", "m",
         "mm d-1", "kg m-2 s-1", "kg m-2", "kg kg-1", "g kg-1", "", " ", "??", "1e3 Pa",
         "days since 2000-01-01", "m2 s-2", "mm/day", "cm", "percent", "degrees_north"]
ATTRS = ["units", "standard_name", "cell_methods", "long_name", "height", "_FillValue"]
ATTR_VALUES = st.one_of(
    st.sampled_from(UNITS + ["air_temperature", "relative_humidity", "time: maximum",
                             "time: minimum", "time: mean", "time: sum", "precipitation_flux",
                             "surface_air_pressure", "10 m", "2", "-5"]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**6, 10**6),
)
SUPPRESS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large]


def _good(days: int = 40) -> xr.Dataset:
    times = pd.date_range("2021-05-01", periods=days, freq="D")
    shape = (days, 2, 2)

    def field(value):
        return np.full(shape, value, dtype="f8")

    return xr.Dataset({
        "tasmax": (DIMS, field(30.0), {"units": "degC"}),
        "tasmin": (DIMS, field(15.0), {"units": "degC"}),
        "hurs": (DIMS, field(45.0), {"units": "%"}),
        "rsds": (DIMS, field(24.0), {"units": "MJ m-2 d-1"}),
        "sfcWind": (DIMS, field(2.0), {"units": "m s-1"}),
        "pr": (DIMS, field(0.5), {"units": "mm d-1"}),
        "orog": (("lat", "lon"), np.full((2, 2), 300.0), {"units": "m"}),
    }, coords={"time": times, "lat": [41.0, 41.5], "lon": [68.0, 68.5]})


damage = st.one_of(
    st.tuples(st.just("attr"), st.sampled_from(NAMES), st.sampled_from(ATTRS), ATTR_VALUES),
    st.tuples(st.just("dtype"), st.sampled_from(NAMES),
              st.sampled_from(["f4", "i2", "i4", "u1", "f8"]), st.none()),
    st.tuples(st.just("fill"), st.sampled_from(NAMES),
              st.sampled_from([np.nan, -9999.0, 1e20, 0.0, np.inf, -np.inf]),
              st.floats(0.0, 1.0)),
    st.tuples(st.just("scale"), st.sampled_from(NAMES),
              st.sampled_from([1e-3, 1e-2, 0.1, 10.0, 100.0, 1000.0, 86400.0, -1.0]), st.none()),
    st.tuples(st.just("dim"), st.sampled_from(NAMES),
              st.sampled_from(["drop_time", "extra_1", "extra_3", "swap", "rename_time"]),
              st.none()),
    st.tuples(st.just("drop"), st.sampled_from(NAMES), st.none(), st.none()),
    st.tuples(st.just("coord"), st.sampled_from(["lat", "lon"]),
              st.sampled_from([95.0, -200.0, 400.0, np.nan, 0.0]), st.none()),
)


def _apply(ds: xr.Dataset, change: tuple) -> xr.Dataset:
    kind, name, a, b = change
    if kind == "coord":
        values = ds[name].values.astype(float).copy()
        values[-1] = a
        return ds.assign_coords({name: values})
    if name not in ds:
        return ds
    da = ds[name]
    if kind == "attr":
        attrs = dict(da.attrs)
        if a == "_FillValue":
            try:
                ds[name].encoding["_FillValue"] = float(b)
            except (TypeError, ValueError):
                pass
            return ds
        attrs[a] = b
        ds[name] = da.copy(data=da.values).assign_attrs(attrs)
    elif kind == "dtype":
        with np.errstate(invalid="ignore"):
            ds[name] = da.copy(data=np.nan_to_num(da.values).astype(a))
    elif kind == "fill":
        values = da.values.astype(float).copy()
        values.flat[: int(b * values.size)] = a
        ds[name] = da.copy(data=values)
    elif kind == "scale":
        ds[name] = da.copy(data=da.values * a)
    elif kind == "dim":
        if a == "drop_time" and "time" in da.dims:
            ds[name] = da.isel(time=0, drop=True)
        elif a.startswith("extra"):
            ds[name] = da.expand_dims(level=int(a[-1]))
        elif a == "swap" and da.ndim >= 2:
            ds[name] = da.transpose(*reversed(da.dims))
        elif a == "rename_time" and "time" in da.dims:
            ds = ds.rename_dims(time="t").rename_vars(time="t")
    elif kind == "drop":
        ds = ds.drop_vars(name)
    return ds


def _outcome(path: Path) -> None:
    """Refused with one InputError line, or a climate whose ET0 has valid values."""
    try:
        ds = open_climate(path, require=("tmax", "tmin"))
        et0 = reference_et(ds)
    except InputError as exc:
        text = str(exc)
        assert text and "\n" not in text
        return
    values = np.asarray(et0.values, dtype=float)
    assert np.isfinite(values).any(), "silent all-NaN ET0"
    finite = values[np.isfinite(values)]
    assert finite.min() > -1.0 and finite.max() < 25.0, (finite.min(), finite.max())


@settings(suppress_health_check=SUPPRESS)
@given(st.lists(damage, min_size=1, max_size=3))
def test_fuzzed_netcdf_is_refused_or_correct(changes):
    ds = _good()
    for change in changes:
        try:
            ds = _apply(ds, change)
        except (ValueError, KeyError, TypeError):
            return  # the damage itself is impossible with xarray: nothing to test
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.nc"
        try:
            ds.to_netcdf(path)
        except (ValueError, TypeError, OverflowError, RuntimeError):
            return  # not writable as NetCDF: no user can have such a file
        _outcome(path)


HEADERS = ["date", "tmax[degC]", "tmin[degC]", "rh_mean[%]", "rs[MJ m-2 day-1]",
           "precip[mm day-1]", "uz[m s-1]", "tmax", "tmax[]", "tmax[K", "foo[bar]",
           "pressure[hPa]", "lat", "lon", "station", "rh_mean[1]"]
CELLS = st.one_of(st.floats(-50, 60, allow_nan=False).map(lambda v: f"{v:.1f}"),
                  st.sampled_from(["", "NA", "nan", "-", "1,5", "x", "1e400", "inf", " 3 "]))


@settings(suppress_health_check=SUPPRESS)
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       rows=st.integers(0, 40), cells=st.lists(CELLS, min_size=1, max_size=20),
       sep=st.sampled_from([",", ";", "\t", ", "]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "latin-1"]),
       comment=st.sampled_from(["", "# lat: 41.3\n# lon: 69.3\n", "# lat: x\n",
                                "# station: Шымкент\n# lat: 42.3\n# lon: 69.6\n",
                                "# wind_height: 1e9\n# lat: 41\n# lon: 69\n"]))
def test_fuzzed_station_csv_is_refused_or_correct(header, rows, cells, sep, encoding,
                                                  comment):
    lines = [sep.join(header)]
    for i in range(rows):
        day = (pd.Timestamp("2021-05-01") + pd.Timedelta(days=i)).strftime("%Y-%m-%d")
        row = [day if h == "date" else cells[(i + k) % len(cells)]
               for k, h in enumerate(header)]
        lines.append(sep.join(row))
    text = comment + "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "station.csv"
        try:
            path.write_bytes(text.encode(encoding))
        except UnicodeEncodeError:
            return
        _outcome(path)


@settings(suppress_health_check=SUPPRESS)
@given(name=st.text(min_size=0, max_size=30), suffix=st.sampled_from(
    ["", ".nc", ".csv", ".json", ".md", "/", ".txt", ".NC"]),
       fmt=st.sampled_from([None, "netcdf", "csv", "json", "markdown", "table"]))
def test_fuzzed_output_names_are_checked_in_one_line(name, suffix, fmt):
    with tempfile.TemporaryDirectory() as folder:
        try:
            target = check_output(Path(folder) / (name + suffix) if name else name + suffix,
                                  fmt=fmt)
        except InputError as exc:
            assert "\n" not in str(exc)
            return
        except (ValueError, OSError) as exc:  # NUL bytes, names too long: Python refuses
            assert "\0" in name or len(name.encode()) > 200 or "/" in name, exc
            return
        assert not target.exists()
        assert list(Path(folder).iterdir()) == []  # the probe left nothing behind
