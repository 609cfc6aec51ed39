"""Tests of irrigate.climate.open_climate_hourly (hourly path of the climate adapter)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from test_climate import NDAYS, START, _hourly_amounts, hourly_dataset

from irrigate.climate import open_climate, open_climate_hourly
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir
from irrigate.science.et0_hourly import daily_et0_from_hourly, reference_et_hourly

HOUR = pd.Timedelta(hours=1)
ELEV = 300.0


def _write(path, ds):
    ds.to_netcdf(path)
    return path


@pytest.fixture()
def era5(tmp_path):
    return _write(tmp_path / "data_stream-oper.nc", hourly_dataset(land=False))


@pytest.fixture()
def land(tmp_path):
    return _write(tmp_path / "data_0.nc", hourly_dataset(land=True))


def _day_sums(da: xr.DataArray) -> xr.DataArray:
    """Sum the hours stamped D 01:00 .. D+1 00:00 into day D (complete days only)."""
    shifted = da.assign_coords(time=da["time"].values - HOUR.to_timedelta64())
    return shifted.resample(time="1D").sum(min_count=24)


@pytest.mark.parametrize("which", ["era5", "land"])
def test_hourly_amounts_sum_exactly_to_daily_adapter_values(which, era5, land):
    path = era5 if which == "era5" else land
    hourly = open_climate_hourly(path, elevation=ELEV)
    daily = open_climate(path, elevation=ELEV)
    for name in ("rs", "precip"):
        sums = _day_sums(hourly[name]).sel(time=daily["time"])
        np.testing.assert_allclose(sums, daily[name], rtol=1e-9, atol=1e-9)
    # and both equal the synthetic amounts: 3 days x 24 hours, all cells
    assert int(_day_sums(hourly["rs"]).notnull().all(["lat", "lon"]).sum()) == NDAYS


def test_era5_land_deaccumulation_matches_era5_hour_by_hour(era5, land):
    a = open_climate_hourly(era5, elevation=ELEV)
    b = open_climate_hourly(land, elevation=ELEV)
    # ERA5-Land: the 00:00 step of the first day has no previous hour -> dropped
    assert pd.Timestamp(b.time.values[0]) == START + HOUR
    assert pd.Timestamp(a.time.values[0]) == START
    times = pd.DatetimeIndex(b.time.values)
    rain, sun = _hourly_amounts(times)
    cell = b.sel(lat=41.0, lon=-0.25)  # scale 1
    np.testing.assert_allclose(cell["precip"], rain * 1000.0, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cell["rs"], sun / 1e6, rtol=1e-9, atol=1e-12)
    # 01:00 is the running total itself, 00:00 the last hour of the day before
    assert float(cell["precip"].sel(time=START + HOUR)) == pytest.approx(0.1)
    common = a.sel(time=b.time)
    for name in ("rs", "precip", "tmean", "tdew", "u2", "pressure"):
        np.testing.assert_allclose(common[name], b[name], rtol=1e-9, atol=1e-12)


def test_hourly_et0_same_from_era5_and_era5_land(era5, land):
    a = open_climate_hourly(era5, elevation=ELEV)
    b = open_climate_hourly(land, elevation=ELEV)
    label = a.attrs["climate_time_label"]
    assert label == b.attrs["climate_time_label"] == "end"
    ea = reference_et_hourly(a, label=label)
    eb = reference_et_hourly(b, label=label)
    np.testing.assert_allclose(ea.sel(time=eb.time), eb, rtol=1e-9, atol=1e-12)
    assert float(eb.max()) > 0.3  # a July afternoon, not a silent zero
    da, db = daily_et0_from_hourly(ea), daily_et0_from_hourly(eb)
    np.testing.assert_allclose(da.sel(time=db.time.values[:NDAYS]),
                               db.isel(time=slice(0, NDAYS)), rtol=1e-9)


def test_values_units_and_labels(era5):
    ds = open_climate_hourly(era5, elevation=ELEV)
    assert ds["rs"].attrs["units"] == "MJ m-2 h-1"
    assert ds["precip"].attrs["units"] == "mm h-1"
    assert ds["tmean"].attrs["units"] == "degC"
    assert ds["u2"].attrs["units"] == "m s-1"
    assert ds["pressure"].attrs["units"] == "kPa"
    assert ds.attrs["climate_time_step"] == "1 hour"
    assert "era5-hourly" in ds.attrs["climate_source_family"]
    assert ds["tmean"].dims == ("time", "lat", "lon")
    hour = pd.DatetimeIndex(ds.time.values).hour.to_numpy()
    t = 295.0 + 8.0 * np.sin(2 * np.pi * (hour - 9) / 24.0) - 273.15  # value at the stamp
    np.testing.assert_allclose(ds["tmean"].isel(lat=0, lon=0), t, rtol=1e-9)
    np.testing.assert_allclose(ds["tdew"], 283.0 - 273.15, rtol=1e-9)
    np.testing.assert_allclose(ds["pressure"], 95.0)
    # hourly speed sqrt(3^2 + 4^2) = 5 m/s at 10 m -> FAO-56 Eq. 47
    np.testing.assert_allclose(ds["u2"], 5 * 4.87 / np.log(67.8 * 10 - 5.42), rtol=1e-9)
    assert float(ds["elevation"]) == ELEV
    assert "ea" not in ds and "rh_mean" not in ds


def test_split_files_and_dask(tmp_path):
    full = hourly_dataset(land=True)
    # two downloads overlapping by one step (the 00 UTC value each needs)
    a = _write(tmp_path / "era5-land_a.nc", full.isel(valid_time=slice(0, 26)))
    b = _write(tmp_path / "era5-land_b.nc", full.isel(valid_time=slice(25, None)))
    joined = open_climate_hourly([a, b], elevation=ELEV, chunks={"lat": 1})
    assert joined["rs"].chunks is not None
    ref = open_climate_hourly(_write(tmp_path / "era5-land_all.nc", full), elevation=ELEV)
    xr.testing.assert_allclose(joined.compute(), ref)
    assert "already given by an earlier file" in joined.attrs["climate_notes"]


def test_time_range_uses_end_of_hour_days(era5):
    ds = open_climate_hourly(era5, elevation=ELEV, time_range=("2021-07-02", "2021-07-02"))
    times = pd.DatetimeIndex(ds.time.values)
    assert len(times) == 24
    assert times[0] == pd.Timestamp("2021-07-02 01:00")
    assert times[-1] == pd.Timestamp("2021-07-03 00:00")
    with pytest.raises(InputError, match="no climate data in this period"):
        open_climate_hourly(era5, elevation=ELEV, time_range=("2022-01-01", None))


def test_daily_and_csv_inputs_are_refused(tmp_path):
    csv = next(sample_data_dir().glob("cfsr_tashkent*.csv"))
    with pytest.raises(InputError, match="station CSV files hold daily values") as err:
        open_climate_hourly(csv)
    assert "\n" not in str(err.value)
    days = pd.date_range(START, periods=3)
    daily = xr.Dataset({"tas": (("time", "lat", "lon"), np.full((3, 1, 1), 20.0),
                                {"units": "degC"})},
                       coords={"time": days, "lat": [41.0], "lon": [69.0]})
    with pytest.raises(InputError, match="'tas' is daily, not hourly; .* drop --hourly"):
        open_climate_hourly(_write(tmp_path / "tas_day.nc", daily), elevation=ELEV)


def test_mid_hour_time_stamps_are_refused(tmp_path):
    """CMIP 1hr means are stamped at hh:30 (period midpoints); read as end-of-hour values
    they would sit 30 minutes early, so the hourly path refuses them with one line."""
    t = pd.date_range("2021-07-01 00:30", periods=48, freq="h")
    dims = ("time", "lat", "lon")

    def grid(v):
        return np.full((t.size, 1, 1), v)

    ds = xr.Dataset({"tas": (dims, grid(295.0), {"units": "K"}),
                     "hurs": (dims, grid(40.0), {"units": "%"}),
                     "rsds": (dims, grid(300.0), {"units": "W m-2"}),
                     "sfcWind": (dims, grid(2.0), {"units": "m s-1"}),
                     "pr": (dims, grid(0.0), {"units": "kg m-2 s-1"})},
                    coords={"time": t, "lat": [43.0], "lon": [68.0]})
    with pytest.raises(InputError, match=r"time stamps off the hour \(00:30; period midpoints") \
            as err:
        open_climate_hourly(_write(tmp_path / "cf_1hr.nc", ds), elevation=ELEV)
    assert "\n" not in str(err.value)


def test_missing_and_bad_values(tmp_path, era5):
    with pytest.raises(InputError, match="missing required hourly variable.*elevation.*--elev"):
        open_climate_hourly(era5, require=("tmean", "elevation"))
    ds = hourly_dataset(land=False)
    ds["ssrd"] = ds["ssrd"] - 1.0e6  # -1 MJ m-2 at night
    with pytest.raises(InputError, match="hourly solar radiation rs is negative"):
        open_climate_hourly(_write(tmp_path / "neg.nc", ds), elevation=ELEV)
    ds = hourly_dataset(land=False)
    ds["t2m"].attrs["units"] = "degC"  # Kelvin values labelled degC
    with pytest.raises(InputError, match="hourly tmean ranges"):
        open_climate_hourly(_write(tmp_path / "k.nc", ds), elevation=ELEV)


def test_packing_noise_is_clipped(tmp_path):
    ds = hourly_dataset(land=False)
    ds["tp"] = ds["tp"] - 1e-8  # -0.00001 mm in dry hours
    out = open_climate_hourly(_write(tmp_path / "noise.nc", ds), elevation=ELEV)
    assert float(out["precip"].min()) == 0.0
