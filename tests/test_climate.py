"""Tests of irrigate.climate: every input family from small synthetic files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from irrigate.climate import era5_daily_statistics_layout, open_climate
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir

LAT_DESC = [41.0, 40.75]
LON_360 = [359.75, 0.0, 0.25]  # folds to -0.25, 0, 0.25
NDAYS = 3
START = pd.Timestamp("2021-07-01")


# ---------------------------------------------------------------- synthetic weather
def _hourly_amounts(times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Rain (m) and solar energy (J m-2) of the hour ENDING at each time (grid-broadcast)."""
    mid = times - pd.Timedelta(minutes=30)
    hour = np.asarray(mid.hour + mid.minute / 60.0, dtype=float)
    mday = np.asarray(mid.day)
    sun = np.clip(np.sin(2 * np.pi * (hour - 1.0) / 24.0), 0, None) * 3.0e6  # J m-2 h-1
    rain = np.where((hour > 13) & (hour < 17), 0.0004 * (1 + (mday % 3)), 0.0)  # m
    rain = rain + np.where(hour < 2, 0.0001, 0.0)
    return rain, sun


def _grid(values: np.ndarray, ntime: int, scaled: bool = True) -> np.ndarray:
    shape = (ntime, len(LAT_DESC), len(LON_360))
    scale = 1.0 + 0.1 * np.arange(len(LON_360))[None, None, :] * scaled
    return np.broadcast_to(values[:, None, None], shape) * scale


def _coords(times: pd.DatetimeIndex) -> dict:
    return {"valid_time": times, "latitude": LAT_DESC, "longitude": LON_360}


def hourly_dataset(land: bool) -> xr.Dataset:
    """ERA5 (land=False) or ERA5-Land (land=True) hourly file of the same weather."""
    times = pd.date_range(START, START + pd.Timedelta(days=NDAYS), freq="h")
    n = len(times)
    hour = times.hour.to_numpy()
    t2m = 295.0 + 8.0 * np.sin(2 * np.pi * (hour - 9) / 24.0)
    rain, sun = _hourly_amounts(times)
    if land:  # accumulated from 00 UTC, reset daily: value at D+1 00:00 = total of day D
        day = (times - pd.Timedelta(hours=1)).normalize()
        rain = pd.Series(rain).groupby(day).cumsum().to_numpy()
        sun = pd.Series(sun).groupby(day).cumsum().to_numpy()
    dims = ("valid_time", "latitude", "longitude")
    ds = xr.Dataset(
        {
            "t2m": (dims, _grid(t2m, n, scaled=False), {"units": "K"}),
            "d2m": (dims, _grid(np.full(n, 283.0), n, scaled=False), {"units": "K"}),
            "u10": (dims, np.full((n, 2, 3), 3.0), {"units": "m s**-1"}),
            "v10": (dims, np.full((n, 2, 3), -4.0), {"units": "m s**-1"}),
            "sp": (dims, np.full((n, 2, 3), 95000.0), {"units": "Pa"}),
            "tp": (dims, _grid(rain, n), {"units": "m"}),
            "ssrd": (dims, _grid(sun, n), {"units": "J m**-2"}),
        },
        coords={**_coords(times), "number": 0,
                "expver": ("valid_time", np.array(["0001"] * n))},
    )
    return ds


def expected_daily_totals() -> tuple[np.ndarray, np.ndarray]:
    """Daily totals (mm, MJ m-2) of day D = hours ending D 01:00 .. D+1 00:00."""
    times = pd.date_range(START + pd.Timedelta(hours=1), periods=24 * NDAYS, freq="h")
    rain, sun = _hourly_amounts(times)
    return (rain.reshape(NDAYS, 24).sum(1) * 1000.0, sun.reshape(NDAYS, 24).sum(1) / 1e6)


@pytest.fixture()
def era5_hourly(tmp_path):
    path = tmp_path / "data_stream-oper.nc"
    hourly_dataset(land=False).to_netcdf(path)
    return path


@pytest.fixture()
def land_hourly(tmp_path):
    path = tmp_path / "data_0.nc"
    hourly_dataset(land=True).to_netcdf(path)
    return path


# ---------------------------------------------------------------- ERA5 / ERA5-Land hourly
def test_era5_and_era5_land_hourly_give_same_daily_totals(era5_hourly, land_hourly):
    a = open_climate(era5_hourly)
    b = open_climate(land_hourly)
    rain, sun = expected_daily_totals()
    assert list(a.time.values) == list(pd.date_range(START, periods=NDAYS))
    assert list(b.time.values) == list(a.time.values)
    for ds in (a, b):
        cell = ds.sel(lat=41.0, lon=-0.25)  # first cell, scale 1
        np.testing.assert_allclose(cell["precip"], rain, rtol=1e-9)
        np.testing.assert_allclose(cell["rs"], sun, rtol=1e-9)
    np.testing.assert_allclose(a["precip"], b["precip"], rtol=1e-9)
    np.testing.assert_allclose(a["rs"], b["rs"], rtol=1e-9)
    assert "era5-hourly" in a.attrs["climate_source_family"]
    assert "era5-land-hourly" in b.attrs["climate_source_family"]


def test_era5_land_detected_from_file_name(tmp_path):
    path = tmp_path / "era5-land_2021_07.nc"
    hourly_dataset(land=True).to_netcdf(path)
    ds = open_climate(path)
    assert "file name or attributes" in ds.attrs["climate_notes"]
    np.testing.assert_allclose(ds["precip"].isel(lat=1, lon=0), expected_daily_totals()[0])


def test_hourly_instantaneous_aggregation(era5_hourly):
    ds = open_climate(era5_hourly)
    hour = np.arange(24)
    t = 295.0 + 8.0 * np.sin(2 * np.pi * (hour - 9) / 24.0) - 273.15
    cell = ds.isel(lat=0, lon=0)
    np.testing.assert_allclose(cell["tmax"], t.max(), rtol=1e-6)
    np.testing.assert_allclose(cell["tmin"], t.min(), rtol=1e-6)
    np.testing.assert_allclose(cell["tmean"], t.mean(), atol=1e-9)
    np.testing.assert_allclose(cell["tdew"], 283.0 - 273.15, rtol=1e-9)
    np.testing.assert_allclose(cell["pressure"], 95.0)
    # wind speed 5 m/s at 10 m -> FAO-56 Eq. 47: 5 * 4.87 / ln(672.58) = 3.740
    np.testing.assert_allclose(cell["u2"], 5 * 4.87 / np.log(67.8 * 10 - 5.42), rtol=1e-9)
    assert ds.attrs["climate_wind_height_m"] == 10.0
    assert "tdew" in ds.attrs["climate_humidity_source"]
    assert "ea" not in ds and "rh_mean" not in ds


def test_coordinates_normalised(era5_hourly):
    ds = open_climate(era5_hourly)
    assert list(ds["lon"].values) == [-0.25, 0.0, 0.25]
    assert list(ds["lat"].values) == [40.75, 41.0]
    assert ds["tmax"].dims == ("time", "lat", "lon")
    assert "number" not in ds.coords and "expver" not in ds.coords
    assert ds["tmax"].attrs["units"] == "degC"
    assert ds["lat"].attrs["units"] == "degrees_north"


def test_one_variable_per_file_and_monthly_split(tmp_path):
    full = hourly_dataset(land=False)
    paths = []
    for name in full.data_vars:
        for part, sl in (("a", slice(0, 40)), ("b", slice(40, None))):
            p = tmp_path / f"{name}_{part}.nc"
            full[[name]].isel(valid_time=sl).to_netcdf(p)
            paths.append(p)
    ds = open_climate(paths)
    ref = open_climate(_write(tmp_path / "all.nc", full))
    xr.testing.assert_allclose(ds[["tmax", "precip", "rs", "u2"]],
                               ref[["tmax", "precip", "rs", "u2"]])


def _write(path, ds):
    ds.to_netcdf(path)
    return path


def test_mx2t_mn2t_used_when_present(tmp_path):
    ds = hourly_dataset(land=False)
    n = ds.sizes["valid_time"]
    ds["mx2t"] = (ds["t2m"].dims, np.full((n, 2, 3), 310.0), {"units": "K"})
    ds["mn2t"] = (ds["t2m"].dims, np.full((n, 2, 3), 280.0), {"units": "K"})
    out = open_climate(_write(tmp_path / "x.nc", ds))
    np.testing.assert_allclose(out["tmax"], 310.0 - 273.15)
    np.testing.assert_allclose(out["tmin"], 280.0 - 273.15)


def test_hourly_dask_stays_lazy(era5_hourly):
    ds = open_climate(era5_hourly, chunks={"lat": 1, "lon": 2})
    for name in ("tmax", "precip", "rs", "u2", "tdew"):
        assert ds[name].chunks is not None, name


# ---------------------------------------------------------------- CDS daily statistics
def _daily_stats_files(tmp_path, tp_name="total_precipitation_0_daily-mean.nc"):
    days = pd.date_range(START, periods=NDAYS)
    c = _coords(days)
    dims = ("valid_time", "latitude", "longitude")

    def put(fname, var, values, units):
        arr = np.broadcast_to(np.asarray(values, float)[:, None, None], (NDAYS, 2, 3))
        xr.Dataset({var: (dims, arr.copy(), {"units": units})}, coords=c).to_netcdf(
            tmp_path / fname)
        return tmp_path / fname

    return [
        put("2m_temperature_0_daily-max.nc", "t2m", [305.0, 306.0, 307.0], "K"),
        put("2m_temperature_stream-oper_daily-min.nc", "t2m", [290.0, 291.0, 292.0], "K"),
        put("2m_dewpoint_temperature_0_daily-mean.nc", "d2m", [280.0] * 3, "K"),
        put("10m_u_component_of_wind_0_daily-mean.nc", "u10", [3.0] * 3, "m s**-1"),
        put("10m_v_component_of_wind_0_daily-mean.nc", "v10", [4.0] * 3, "m s**-1"),
        put("surface_pressure_0_daily-mean.nc", "sp", [95000.0] * 3, "Pa"),
        put("surface_solar_radiation_downwards_0_daily-mean.nc", "ssrd",
            [1.0e6, 1.1e6, 1.2e6], "J m**-2"),
        put(tp_name, "tp", [0.0, 1e-4, 2e-4], "m"),
    ]


def test_daily_statistics_files(tmp_path):
    ds = open_climate(_daily_stats_files(tmp_path))
    cell = ds.isel(lat=0, lon=0)
    np.testing.assert_allclose(cell["tmax"], [31.85, 32.85, 33.85], atol=1e-9)
    np.testing.assert_allclose(cell["tmin"], [16.85, 17.85, 18.85], atol=1e-9)
    # daily mean of hourly accumulations x 24 = daily total
    np.testing.assert_allclose(cell["rs"], [24.0, 26.4, 28.8], rtol=1e-9)
    np.testing.assert_allclose(cell["precip"], [0.0, 2.4, 4.8], rtol=1e-9)
    np.testing.assert_allclose(cell["u2"], 5 * 4.87 / np.log(672.58), rtol=1e-9)
    assert ds.attrs["climate_source_family"] == "era5-daily-statistics"
    assert "24 x daily mean" in ds.attrs["climate_notes"]


def test_daily_sum_file_is_a_total(tmp_path):
    ds = open_climate(_daily_stats_files(tmp_path, "total_precipitation_0_daily-sum.nc"))
    np.testing.assert_allclose(ds["precip"].isel(lat=0, lon=0), [0.0, 0.1, 0.2], rtol=1e-9)


def test_era5_land_daily_mean_accumulation_refused(tmp_path):
    files = _daily_stats_files(tmp_path, "era5-land_total_precipitation_2021_daily-mean.nc")
    with pytest.raises(InputError, match="not a daily total"):
        open_climate(files)


def test_daily_t2m_without_statistic_is_an_error(tmp_path):
    files = _daily_stats_files(tmp_path)
    files[0] = files[0].rename(tmp_path / "t2m_max.nc")
    with pytest.raises(InputError, match="cannot tell whether daily 't2m'"):
        open_climate(files)


def test_layout_helper_matches_reader():
    layout = era5_daily_statistics_layout()
    assert layout["tmax"]["variable"] == "t2m"
    assert layout["precip"]["units"] == "m"


# ---------------------------------------------------------------- CF / CMIP and E-OBS
def _cmip(tmp_path, calendar="noleap"):
    import cftime

    times = [cftime.datetime(2021, 7, d, 12, calendar=calendar) for d in (1, 2, 3)]
    dims = ("time", "lat", "lon")
    c = {"time": times, "lat": [40.0, 41.0], "lon": [68.0, 69.0]}

    def arr(v):
        return np.full((3, 2, 2), v, float)

    ds = xr.Dataset({
        "tasmax": (dims, arr(303.15), {"units": "K", "standard_name": "air_temperature",
                                        "cell_methods": "time: maximum"}),
        "tasmin": (dims, arr(288.15), {"units": "K", "standard_name": "air_temperature",
                                        "cell_methods": "time: minimum"}),
        "pr": (dims, arr(1.0 / 86400.0), {"units": "kg m-2 s-1",
                                          "standard_name": "precipitation_flux"}),
        "rsds": (dims, arr(300.0), {"units": "W m-2"}),
        "huss": (dims, arr(0.01), {"units": "1", "standard_name": "specific_humidity"}),
        "ps": (dims, arr(95000.0), {"units": "Pa"}),
        "sfcWind": (dims, arr(4.0), {"units": "m s-1"}),
    }, coords={**c, "height": 10.0})
    path = tmp_path / "cmip.nc"
    ds.to_netcdf(path)
    return path


def test_cmip_units_and_huss(tmp_path):
    ds = open_climate(_cmip(tmp_path))
    cell = ds.isel(lat=0, lon=0, time=0)
    assert float(cell["tmax"]) == pytest.approx(30.0)
    assert float(cell["precip"]) == pytest.approx(1.0)
    assert float(cell["rs"]) == pytest.approx(300.0 * 0.0864)  # W m-2 -> MJ m-2 day-1
    # ea = q p / (0.622 + 0.378 q) = 0.01 * 95 / 0.62578
    assert float(cell["ea"]) == pytest.approx(0.01 * 95.0 / (0.622 + 0.378 * 0.01))
    assert float(cell["u2"]) == pytest.approx(4 * 4.87 / np.log(672.58))
    assert pd.Timestamp(ds.time.values[0]) == pd.Timestamp("2021-07-01")


def test_eobs_names_with_constant_elevation(tmp_path):
    dims = ("time", "latitude", "longitude")
    c = {"time": pd.date_range("2021-07-01", periods=2), "latitude": [43.0],
         "longitude": [77.0]}
    one = np.ones((2, 1, 1))
    xr.Dataset({
        "tx": (dims, 30 * one, {"units": "Celsius"}), "tn": (dims, 15 * one,
                                                             {"units": "Celsius"}),
        "rr": (dims, 2 * one, {"units": "mm"}), "qq": (dims, 250 * one, {"units": "W/m2"}),
        "hu": (dims, 50 * one, {"units": "%"}), "fg": (dims, 3 * one, {"units": "m/s"}),
    }, coords=c).to_netcdf(tmp_path / "eobs.nc")
    ds = open_climate(tmp_path / "eobs.nc", elevation="700")
    assert float(ds["elevation"]) == 700.0
    assert float(ds["precip"][0, 0, 0]) == pytest.approx(2.0)
    assert float(ds["rh_mean"][0, 0, 0]) == pytest.approx(50.0)
    assert float(ds["rs"][0, 0, 0]) == pytest.approx(21.6)


def test_var_map_for_unknown_names(tmp_path):
    dims = ("time", "lat", "lon")
    c = {"time": pd.date_range("2021-07-01", periods=2), "lat": [43.0], "lon": [77.0]}
    one = np.ones((2, 1, 1))
    xr.Dataset({"TX": (dims, 30 * one, {"units": "degC"}),
                "TN": (dims, 15 * one, {"units": "degC"}),
                "PRCP": (dims, one, {"units": "mm/day"})}, coords=c).to_netcdf(
        tmp_path / "x.nc")
    ds = open_climate(tmp_path / "x.nc", var_map={"tmax": "TX", "tmin": "TN",
                                                   "precip": "PRCP"}, elevation=500.0)
    assert float(ds["tmax"][0, 0, 0]) == 30.0
    assert ds["tmax"].attrs["source"].startswith("TX")


def test_elevation_from_geopotential_file(tmp_path, era5_hourly):
    z = xr.Dataset({"z": (("valid_time", "latitude", "longitude"),
                          np.full((1, 2, 3), 9.80665 * 350.0), {"units": "m**2 s**-2"})},
                   coords=_coords(pd.DatetimeIndex([START])))
    z.to_netcdf(tmp_path / "geo.nc")
    ds = open_climate(era5_hourly, elevation=tmp_path / "geo.nc")
    np.testing.assert_allclose(ds["elevation"], 350.0)
    assert ds["elevation"].dims == ("lat", "lon")


# ---------------------------------------------------------------- stations and CSV
def test_bundled_cfsr_points():
    path = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
    raw = xr.open_dataset(path)
    ds = open_climate(path)
    assert ds["tmax"].dims == ("time", "station")
    np.testing.assert_allclose(ds["rh_mean"], raw["hurs"].transpose("time", "station") * 100,
                               rtol=1e-6)
    np.testing.assert_allclose(ds["precip"], raw["pr"].transpose("time", "station"))
    np.testing.assert_allclose(ds["rs"], raw["rsds"].transpose("time", "station"))
    np.testing.assert_allclose(ds["elevation"], raw["elevation"])
    assert ds.attrs["climate_wind_height_m"] == 10.0
    assert 15 < float(ds["rh_mean"].mean()) < 90  # percent, not a fraction


def test_station_selection_by_lat_lon():
    path = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
    ds = open_climate(path, lat=41.37, lon=69.4, time_range=("2010-07-01", "2010-07-31"))
    assert ds.sizes == {"time": 31, "station": 1}
    assert str(ds["station"].values[0]) == "cfsr_414694"


def test_bundled_station_csv():
    csv = next(sample_data_dir().glob("cfsr_tashkent*.csv"))
    ds = open_climate(csv)
    assert ds["tmax"].dims == ("time", "station")
    assert float(ds["lat"][0]) == pytest.approx(41.3703)
    assert float(ds["elevation"][0]) == 522.0
    assert ds.attrs["climate_wind_height_m"] == 10.0
    first = ds.isel(time=0, station=0)
    assert float(first["tmax"]) == pytest.approx(14.202)
    assert float(first["rh_mean"]) == pytest.approx(58.85)
    assert float(first["u2"]) == pytest.approx(2.963 * 4.87 / np.log(672.58))


def test_csv_with_options(tmp_path):
    p = tmp_path / "st.csv"
    p.write_text("date,tmax[degF],tmin[degC],precip[mm],u2[m/s],rh_max[%],rh_min[%]\n"
                 "2021-07-01,86,15,0,2,80,30\n2021-07-02,95,16,1.5,2,80,30\n")
    ds = open_climate(p, lat=43.2, lon=76.9, elevation=800)
    assert float(ds["tmax"][0, 0]) == pytest.approx(30.0)
    assert float(ds["precip"][1, 0]) == pytest.approx(1.5)
    assert "rh_max" in ds and "rh_min" in ds
    assert float(ds["lat"][0]) == 43.2


# ---------------------------------------------------------------- errors
def _daily_grid(tmp_path, name="d.nc", **over):
    dims = ("time", "lat", "lon")
    times = over.pop("times", pd.date_range("2021-07-01", periods=3))
    n = len(times)
    base = {
        "tasmax": (dims, np.full((n, 1, 1), 30.0), {"units": "degC"}),
        "tasmin": (dims, np.full((n, 1, 1), 15.0), {"units": "degC"}),
        "pr": (dims, np.full((n, 1, 1), 1.0), {"units": "mm d-1"}),
        "hurs": (dims, np.full((n, 1, 1), 50.0), {"units": "%"}),
        "rsds": (dims, np.full((n, 1, 1), 20.0), {"units": "MJ m-2 d-1"}),
        "orog": (("lat", "lon"), np.full((1, 1), 300.0), {"units": "m"}),
    }
    base.update(over)
    base = {k: v for k, v in base.items() if v is not None}
    path = tmp_path / name
    xr.Dataset(base, coords={"time": times, "lat": [43.0], "lon": [77.0]}).to_netcdf(path)
    return path


@pytest.mark.parametrize(("over", "match"), [
    ({"tasmax": None}, r"missing required variable\(s\) tmax.*--var tmax=NAME"),
    ({"tasmax": (("time", "lat", "lon"), np.full((3, 1, 1), 30.0), {})},
     r"variable 'tasmax' has no units attribute; add one, e.g. units='degC'"),
    ({"tasmax": (("time", "lat", "lon"), np.full((3, 1, 1), 30.0), {"units": "bogus_units"})},
     r"units 'bogus_units' that irrigate cannot read"),
    ({"tasmax": (("time", "lat", "lon"), np.full((3, 1, 1), 30.0), {"units": "mm"})},
     r"do not fit 'tmax'"),
    ({"hurs": (("time", "lat", "lon"), np.full((3, 1, 1), 150.0), {"units": "%"})},
     r"relative humidity rh_mean reaches 150.0 %"),
    ({"hurs": (("time", "lat", "lon"), np.full((3, 1, 1), 50.0), {"units": "1"})},
     r"reaches 5000.0 %.*units='1'"),
    ({"rsds": (("time", "lat", "lon"), np.full((3, 1, 1), -3.0), {"units": "MJ m-2 d-1"})},
     r"solar radiation rs is negative"),
    ({"tasmin": (("time", "lat", "lon"), np.full((3, 1, 1), 35.0), {"units": "degC"})},
     r"tmin exceeds tmax by more than 0.5 degC on 3 cell-days"),
    ({"tasmax": (("time", "lat", "lon"), np.full((3, 1, 1), 303.0), {"units": "degC"})},
     r"tmax ranges 303.0..303.0 degC"),
    ({"times": pd.DatetimeIndex(["2021-07-02", "2021-07-01", "2021-07-03"])},
     r"time is not increasing \(at 2021-07-01 00:00\)"),
    ({"times": pd.DatetimeIndex(["2021-07-01", "2021-07-01", "2021-07-03"])},
     r"time 2021-07-01 00:00 appears more than once"),
    ({"times": pd.DatetimeIndex([])}, r"has no time steps"),
    ({"orog": None}, r"no surface pressure and no elevation; pass --elev"),
])
def test_bad_input_errors(tmp_path, over, match):
    path = _daily_grid(tmp_path, **over)
    with pytest.raises(InputError, match=match):
        open_climate(path)


def test_not_netcdf_and_missing_file(tmp_path):
    bad = tmp_path / "notes.nc"
    bad.write_text("hello")
    with pytest.raises(InputError, match="is not a NetCDF file"):
        open_climate(bad)
    with pytest.raises(InputError, match="file not found"):
        open_climate(tmp_path / "nope.nc")


def test_var_map_errors(tmp_path):
    path = _daily_grid(tmp_path)
    with pytest.raises(InputError, match="unknown name 'tmaxx'"):
        open_climate(path, var_map={"tmaxx": "A"})
    with pytest.raises(InputError, match="no variable 'TX'"):
        open_climate(path, var_map={"tmax": "TX"})


def test_rh_tolerance_clipped(tmp_path):
    path = _daily_grid(tmp_path, hurs=(("time", "lat", "lon"), np.full((3, 1, 1), 100.7),
                                       {"units": "%"}))
    assert float(open_climate(path)["rh_mean"].max()) == 100.0


def test_errors_are_one_line(tmp_path):
    path = _daily_grid(tmp_path, tasmax=None)
    with pytest.raises(InputError) as info:
        open_climate(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value) or path.name in str(info.value)


def test_land_daily_statistics_with_hourly_accumulations(tmp_path):
    """The ERA5-Land workflow: daily statistics for states, hourly file for tp/ssrd."""
    files = _daily_stats_files(tmp_path)[:-2]  # no tp/ssrd daily statistics
    hourly = hourly_dataset(land=True)[["tp", "ssrd"]]
    files.append(_write(tmp_path / "reanalysis-era5-land_accum.nc", hourly))
    ds = open_climate(files, chunks={"lat": 1})
    rain, sun = expected_daily_totals()
    assert ds.sizes["time"] == NDAYS
    np.testing.assert_allclose(ds["precip"].sel(lat=41.0, lon=-0.25), rain, rtol=1e-9)
    np.testing.assert_allclose(ds["rs"].sel(lat=41.0, lon=-0.25), sun, rtol=1e-9)
    assert ds["tmax"].chunks is not None
    assert "era5-land-hourly" in ds.attrs["climate_source_family"]
    assert "era5-daily-statistics" in ds.attrs["climate_source_family"]


def test_old_expver_dimension_is_merged(tmp_path, era5_hourly):
    """Older ERA5/ERA5T downloads: dims (time, expver, ...), one half NaN in each."""
    ds = hourly_dataset(land=False).drop_vars(["expver", "number"])
    ds = ds.rename(valid_time="time")
    cut = 40
    a = ds.where(ds["time"] < ds["time"][cut])
    b = ds.where(ds["time"] >= ds["time"][cut])
    both = xr.concat([a, b], dim=xr.DataArray([1, 5], dims="expver", name="expver"))
    for name in both.data_vars:
        both[name].attrs = ds[name].attrs
    out = open_climate(_write(tmp_path / "old.nc", both))
    ref = open_climate(era5_hourly)
    xr.testing.assert_allclose(out[["tmax", "precip", "rs"]], ref[["tmax", "precip", "rs"]])


def test_csv_several_stations_and_time_range(tmp_path):
    p = tmp_path / "two.csv"
    rows = ["station,lat,lon,elevation[m],date,tmax[degC],tmin[degC],precip[mm day-1]"]
    for st, lat in (("a", 43.0), ("b", 44.0)):
        for d in ("2021-07-01", "2021-07-02", "2021-07-03"):
            rows.append(f"{st},{lat},77,600,{d},30,15,0")
    p.write_text("\n".join(rows) + "\n")
    ds = open_climate(p, time_range=("2021-07-02", None))
    assert ds.sizes == {"time": 2, "station": 2}
    assert list(ds["lat"].values) == [43.0, 44.0]
    np.testing.assert_allclose(ds["elevation"], 600.0)


def test_overlapping_downloads_are_joined(tmp_path, era5_hourly):
    """Consecutive downloads overlapping by some hours: later copies are skipped."""
    full = hourly_dataset(land=True)
    a = _write(tmp_path / "era5-land_a.nc", full.isel(valid_time=slice(0, 49)))
    b = _write(tmp_path / "era5-land_b.nc", full.isel(valid_time=slice(24, None)))
    ds = open_climate([b, a])
    np.testing.assert_allclose(ds["precip"].sel(lat=41.0, lon=-0.25),
                               expected_daily_totals()[0], rtol=1e-9)
    assert "already given by an earlier file were skipped" in ds.attrs["climate_notes"]


def test_accumulation_convention_found_after_a_dry_start(tmp_path):
    """tp alone, dry for the first 12 days: the whole record decides (ERA5-Land here)."""
    times = pd.date_range("2021-07-01", periods=24 * 14 + 1, freq="h")
    hourly = np.where((times > pd.Timestamp("2021-07-13")) & (times.hour.isin([14, 15])),
                      0.001, 0.0)  # m per hour, on the 13th and 14th
    day = (times - pd.Timedelta(hours=1)).normalize()
    running = pd.Series(hourly).groupby(day).cumsum().to_numpy()
    dims = ("valid_time", "latitude", "longitude")
    other = hourly_dataset(land=False).isel(valid_time=0, drop=True)
    ds = xr.Dataset({"tp": (dims, running[:, None, None], {"units": "m"})},
                    coords={"valid_time": times, "latitude": [41.0], "longitude": [69.0]})
    for name in ("t2m", "d2m", "sp"):
        value = float(other[name].isel(latitude=0, longitude=0))
        ds[name] = (dims, np.full((len(times), 1, 1), value), {"units": other[name].attrs[
            "units"]})
    out = open_climate(_write(tmp_path / "data_0.nc", ds))
    np.testing.assert_allclose(out["precip"].sel(time="2021-07-13"), 2.0, rtol=1e-9)
    np.testing.assert_allclose(out["precip"].sel(time="2021-07-01"), 0.0)
    assert "only grow" in out.attrs["climate_notes"]


@pytest.mark.parametrize(("units", "value", "expected"), [
    ("K", 303.15, 30.0), ("degC", 30.0, 30.0), ("degrees Celsius", 30.0, 30.0),
    ("degrees_C", 30.0, 30.0), ("Celsius", 30.0, 30.0), ("degF", 86.0, 30.0),
])
def test_temperature_unit_spellings(tmp_path, units, value, expected):
    path = _daily_grid(tmp_path, tasmax=(("time", "lat", "lon"), np.full((3, 1, 1), value),
                                         {"units": units}))
    assert float(open_climate(path)["tmax"][0, 0, 0]) == pytest.approx(expected)


@pytest.mark.parametrize(("name", "units", "value", "out", "expected"), [
    ("pr", "kg m-2 s-1", 1 / 86400, "precip", 1.0),
    ("pr", "m", 0.002, "precip", 2.0),
    ("pr", "kg m-2", 3.0, "precip", 3.0),
    ("rsds", "W m-2", 250.0, "rs", 21.6),
    ("rsds", "J m-2", 2.0e7, "rs", 20.0),
    ("hurs", "1", 0.5, "rh_mean", 50.0),
    ("ps", "hPa", 950.0, "pressure", 95.0),
])
def test_unit_conversions(tmp_path, name, units, value, out, expected):
    path = _daily_grid(tmp_path, **{name: (("time", "lat", "lon"), np.full((3, 1, 1), value),
                                           {"units": units})})
    assert float(open_climate(path)[out][0, 0, 0]) == pytest.approx(expected)


def test_bundled_synthetic_grid_reads_as_daily_statistics():
    folder = sample_data_dir() / "kz_synthetic_daily_2021"
    files = sorted(folder.glob("*.nc"))
    if not files:
        pytest.skip("synthetic sample grid not present")
    ds = open_climate(files, chunks={"lat": 16, "lon": 42})
    assert ds.attrs["climate_source_family"] == "era5-daily-statistics"
    assert ds["tmax"].chunks is not None and ds.sizes["time"] == 365
    assert "tdew" in ds and "pressure" in ds and "elevation" in ds
    # daily means of hourly accumulations x 24: Kazakhstan-wide annual rain 150-450 mm
    annual = float(ds["precip"].sum("time").mean())
    assert 150.0 < annual < 450.0
    july_rs = float(ds["rs"].sel(time="2021-07").mean())
    assert 18.0 < july_rs < 30.0


def test_point_selection_wraps_longitude_and_refuses_far_points(tmp_path):
    """--lat/--lon pick the nearest cell of a grid: a 0..360 longitude is wrapped to the
    file's -180..180 axis, and a point more than one grid step away is an error (it used
    to pick the edge cell silently)."""
    from irrigate.climate import open_climate
    from irrigate.errors import InputError

    days = pd.date_range("2021-07-01", periods=3)
    lon = np.array([-0.25, 0.0, 0.25])
    dims = ("time", "lat", "lon")
    shape = (3, 2, 3)
    ds = xr.Dataset({
        "tasmax": (dims, np.full(shape, 30.0) + lon, {"units": "degC"}),
        "tasmin": (dims, np.full(shape, 15.0), {"units": "degC"}),
        "pr": (dims, np.zeros(shape), {"units": "mm d-1"}),
    }, coords={"time": days, "lat": [41.0, 41.25], "lon": lon})
    path = tmp_path / "g.nc"
    ds.to_netcdf(path)
    west = open_climate(path, lat=41.1, lon=359.75, elevation=100.0)
    assert float(west["lon"].values[0]) == -0.25
    assert float(west["tmax"].isel(time=0).squeeze()) == pytest.approx(29.75)
    with pytest.raises(InputError, match=r"--lon 90 is outside the grid") as err:
        open_climate(path, lat=41.1, lon=90.0, elevation=100.0)
    assert "\n" not in str(err.value)
    with pytest.raises(InputError, match=r"--lat 45 is outside the grid"):
        open_climate(path, lat=45.0, lon=0.0, elevation=100.0)
