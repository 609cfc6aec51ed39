"""Tests of the synthetic Kazakhstan-wide sample grid and its generator."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from irrigate.paths import sample_data_dir

SAMPLE = sample_data_dir() / "kz_synthetic_daily_2021"


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample",
                                                  sample_data_dir() / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ms = _generator()


@pytest.fixture(scope="module")
def climate():
    pytest.importorskip("irrigate.climate")
    from irrigate.climate import open_climate

    return open_climate(sorted(SAMPLE.glob("*.nc")))


@pytest.fixture(scope="module")
def anchors():
    return ms.station_table()


def _city_cell(ds, meta, city):
    return ds.sel(lat=meta.loc[city, "lat"], lon=meta.loc[city, "lon"], method="nearest")


def test_bundled_files_look_like_a_cds_daily_statistics_download():
    files = sorted(p.name for p in SAMPLE.glob("*.nc"))
    assert "2m_temperature_synthetic-2021_daily-max.nc" in files
    assert "2m_temperature_synthetic-2021_daily-min.nc" in files
    assert "total_precipitation_synthetic-2021_daily-mean.nc" in files
    assert len(files) == 10
    total = sum(p.stat().st_size for p in SAMPLE.glob("*.nc"))
    assert total <= 15e6
    with xr.open_dataset(SAMPLE / "2m_temperature_synthetic-2021_daily-max.nc",
                         mask_and_scale=False) as raw:
        assert raw["t2m"].dims == ("valid_time", "latitude", "longitude")
        assert raw["t2m"].dtype == np.int16
        assert "scale_factor" in raw["t2m"].attrs and "add_offset" in raw["t2m"].attrs
        assert raw["t2m"].attrs["units"] == "K"
        lat = raw["latitude"].values
        assert lat[0] == 55.5 and lat[-1] == 40.5 and np.all(np.diff(lat) < 0)
        lon = raw["longitude"].values
        assert lon[0] == 46.5 and lon[-1] == 87.5 and np.all(np.diff(lon) > 0)
        assert "SYNTHETIC" in raw.attrs["title"]
        assert raw.attrs["synthetic"] == "yes"
        assert "make_sample.py" in raw.attrs["source"]
    units = {"2m_dewpoint_temperature": ("d2m", "K"), "10m_u_component_of_wind": ("u10",
             "m s**-1"), "surface_pressure": ("sp", "Pa"),
             "surface_solar_radiation_downwards": ("ssrd", "J m**-2"),
             "total_precipitation": ("tp", "m")}
    for stem, (short, unit) in units.items():
        with xr.open_dataset(SAMPLE / f"{stem}_synthetic-2021_daily-mean.nc") as f:
            assert f[short].attrs["units"] == unit
            # accumulations follow the ERA5 daily-statistics convention and must not be
            # mistaken for ERA5-Land (whose daily statistics lack them)
            if short in ("tp", "ssrd"):
                assert "era5-land" not in " ".join(map(str, f.attrs.values())).lower()


def test_sample_reads_through_open_climate(climate):
    ds = climate
    assert ds.sizes["time"] == 365
    assert ds.sizes["lat"] == 31 and ds.sizes["lon"] == 83
    for name in ("tmax", "tmin", "tdew", "rs", "u2", "precip", "pressure", "elevation"):
        assert name in ds
    assert (ds["tmax"] >= ds["tmin"]).all()
    assert -55 < float(ds["tmin"].min()) and float(ds["tmax"].max()) < 52
    assert float(ds["tdew"].max()) < 26
    assert 0 <= float(ds["rs"].min()) and float(ds["rs"].max()) < 35
    assert 0.3 < float(ds["u2"].mean()) and float(ds["u2"].max()) < 10
    assert float(ds["precip"].min()) == 0.0 and float(ds["precip"].max()) < 100
    assert 80 < float(ds["pressure"].min()) and float(ds["pressure"].max()) < 106
    dry = float((ds["precip"] == 0).mean())
    assert 0.7 < dry < 0.95   # arid to semi-arid: 25-80 rain days a year


def test_monthly_means_near_anchors_at_city_cells(climate, anchors):
    """Tolerances: monthly Tmean 2.5 K (cell centre up to 35 km from the city, plus the
    high-passed weather; measured max 2.24 K), annual Tmean 0.5 K (0.35), annual
    precipitation 15 % (inverse-distance smoothing lowers the wettest foothill city,
    Shymkent: -13 %), rain days >= 1 mm 15 % (10 %), annual mean ea 12 % (10 %)."""
    ds = climate
    meta = anchors["meta"]
    monthly_t = ds["tmean"].resample(time="MS").mean()
    from irrigate.science.et0 import ea_from_tdew

    ea = ea_from_tdew(ds["tdew"])
    for city in meta.index[:20]:
        t = _city_cell(monthly_t, meta, city).values
        normal_t = anchors["tmean_c"].loc[city].to_numpy()
        assert np.abs(t - normal_t).max() < 2.5, city
        assert abs(t.mean() - normal_t.mean()) < 0.5, city
        p = float(_city_cell(ds["precip"], meta, city).sum())
        normal_p = anchors["precip_mm"].loc[city].sum()
        assert p == pytest.approx(normal_p, rel=0.15), city
        wet = int((_city_cell(ds["precip"], meta, city) >= 1.0).sum())
        normal_wet = anchors["precip_days_ge1mm"].loc[city].sum()
        assert wet == pytest.approx(normal_wet, rel=0.15), city
        e = float(_city_cell(ea, meta, city).mean())
        normal_e = anchors["vapour_pressure_hpa"].loc[city].mean() / 10.0
        assert e == pytest.approx(normal_e, rel=0.12), city


def test_seasonal_and_spatial_gradients(climate):
    ds = climate
    july = ds["tmean"].sel(time="2021-07").mean("time")
    january = ds["tmean"].sel(time="2021-01").mean("time")
    # south warmer than north in both seasons; continental winter colder in the north-east
    assert float(july.sel(lat=42.5, lon=68.0)) > float(july.sel(lat=54.5, lon=69.0)) + 5
    assert float(january.sel(lat=42.5, lon=68.0)) > float(january.sel(lat=52.5, lon=77.0)) + 10
    annual_p = ds["precip"].sum("time")
    # the Aral-Kyzylorda desert is drier than the northern steppe
    assert float(annual_p.sel(lat=45.5, lon=62.5)) < float(annual_p.sel(lat=54.5, lon=69.0))


def test_harmonic_operator_preserves_monthly_means():
    h = ms.harmonic_operator(2021)
    days = pd.date_range("2021-01-01", "2021-12-31", freq="D")
    monthly = np.array([-15.0, -13.5, -5.0, 7.0, 15.0, 20.0, 21.0, 19.5, 13.0, 5.0, -4.5, -11.5])
    daily = h @ monthly
    got = pd.Series(daily, index=days).groupby(days.month).mean().to_numpy()
    np.testing.assert_allclose(got, monthly, atol=1e-9)


def test_generator_is_deterministic_on_a_small_grid():
    lat = np.array([51.5, 51.0, 50.5])
    lon = np.array([70.0, 70.5, 71.0, 71.5])
    a = ms.generate(lat, lon, 2021, seed=7)
    b = ms.generate(lat, lon, 2021, seed=7)
    xr.testing.assert_identical(a, b)
    c = ms.generate(lat, lon, 2021, seed=8)
    assert not np.array_equal(a["tmax"].values, c["tmax"].values)
    assert a.sizes["time"] == 365
    # precipitation keeps the monthly normals of the interpolated field exactly
    monthly = ms.monthly_fields(lat, lon, 2021)["precip"]
    got = a["precip"].groupby("time.month").sum().values
    np.testing.assert_allclose(got, monthly, rtol=1e-9)


def test_leap_year_has_366_days():
    a = ms.generate(np.array([45.0, 44.5]), np.array([65.0, 65.5]), 2020, seed=1)
    assert a.sizes["time"] == 366


def test_wet_days_are_cloudier_and_have_a_smaller_diurnal_range():
    lat = np.array([51.5, 51.0])
    lon = np.array([71.0, 71.5])
    ds = ms.generate(lat, lon, 2021, seed=3)
    summer = ds.sel(time=slice("2021-05-01", "2021-08-31"))
    wet = summer["precip"] > 0
    rs_wet = float(summer["rs"].where(wet).mean())
    rs_dry = float(summer["rs"].where(~wet).mean())
    assert rs_wet < 0.8 * rs_dry
    dtr = summer["tmax"] - summer["tmin"]
    assert float(dtr.where(wet).mean()) < float(dtr.where(~wet).mean())


def test_west_east_gradient_of_continentality(climate):
    """Annual temperature range grows from the Caspian coast to the east (continentality)."""
    monthly = climate["tmean"].resample(time="MS").mean()
    amplitude = monthly.max("time") - monthly.min("time")
    assert float(amplitude.sel(lat=44.5, lon=50.5)) + 5 < float(amplitude.sel(lat=50.5, lon=80.5))
