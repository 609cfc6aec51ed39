"""Tests of irrigate.science.et0 / .radiation: FAO-56 worked examples, containers, units, edges."""

from __future__ import annotations

from pathlib import Path

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import assume, given
from hypothesis import strategies as st

from irrigate.errors import InputError
from irrigate.science import et0 as et
from irrigate.science import radiation as rad
from irrigate.validation import evaluate
from irrigate.validation.et0_cases import cases, fallon_et0

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

# --- published values ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.case)
def test_validation_case(case):
    result = evaluate(case)
    assert result.passed, f"{case.case}: computed {result.computed}, published {case.published}"


def test_example_18_uccle_daily_et0():
    # FAO-56 Example 18, p. 72-73: 3.88 mm/day (published rounded to 3.9)
    u2 = et.wind_2m(10.0 / 3.6, 10.0)
    ea = et.ea_from_rh_max_min(21.5, 12.3, 84.0, 63.0)
    lat, doy = 50.8, 187
    ra = rad.extraterrestrial_radiation(lat, doy)
    rs = rad.rs_from_sunshine(9.25, rad.daylight_hours(lat, doy), ra)
    value = et.et0_fao56(21.5, 12.3, ea, rs, u2, lat, doy, 100.0)
    assert abs(value - 3.88) <= 0.01


def test_example_17_bangkok_monthly_et0():
    # FAO-56 Example 17, p. 70-71: 5.72 mm/day, G = 0.14 (Tapr - Tmar) (Eq. 44)
    lat, doy = 13 + 44 / 60, 105
    ra = rad.extraterrestrial_radiation(lat, doy)
    rs = rad.rs_from_sunshine(8.5, rad.daylight_hours(lat, doy), ra)
    g = et.soil_heat_flux_monthly(29.2, t_month=30.2)
    value = et.et0_fao56(34.8, 25.6, 2.85, rs, 2.0, lat, doy, 2.0, g=g)
    assert abs(value - 5.72) <= 0.02


def test_hargreaves_lyon():
    # FAO-56 Example 20, p. 78: Hargreaves (Eq. 52) predicts 5.0 mm/day
    assert abs(et.et0_hargreaves(26.6, 14.8, 45 + 43 / 60, 196) - 5.0) <= 0.05


def test_asce_fallon():
    # ASCE-EWRI standardized ETos, Fallon NV 2015-07-01 (Ref-ET/refet test data): 7.9422320
    assert abs(fallon_et0("full") - 7.9422320) <= 0.01
    # with FAO-56 Eq. 37 for Rso the same day gives ~8.00 (refet method="asce" gives 7.998)
    assert abs(fallon_et0("simple") - 7.998) <= 0.01


def test_fallon_against_refet_when_installed():
    refet = pytest.importorskip("refet")
    from irrigate.validation.et0_cases import fallon_inputs

    x = fallon_inputs()
    d = refet.Daily(tmin=x["tmin"], tmax=x["tmax"], ea=x["ea"], rs=x["rs"], uz=x["u2"], zw=2.0,
                    elev=x["elevation"], lat=x["lat"], doy=x["doy"], method="asce")
    assert abs(float(d.eto()[0]) - fallon_et0("simple")) <= 0.005


@pytest.mark.parametrize(
    ("z", "p", "gamma"),
    # FAO-56 Annex 2, Tables 2.1 and 2.2 (p. 213-214)
    [(0, 101.3, 0.067), (500, 95.5, 0.064), (1000, 90.0, 0.060), (2000, 79.8, 0.053),
     (3000, 70.5, 0.047), (4000, 62.1, 0.041)],
)
def test_annex2_pressure_gamma(z, p, gamma):
    assert abs(et.atmospheric_pressure(z) - p) <= 0.05
    assert abs(et.psychrometric_constant(et.atmospheric_pressure(z)) - gamma) <= 0.0005


@pytest.mark.parametrize(
    ("t", "e0", "delta"),
    # FAO-56 Annex 2, Tables 2.3 and 2.4 (p. 215-216)
    [(1.0, 0.657, 0.047), (12.0, 1.403, 0.092), (25.0, 3.168, 0.189), (37.0, 6.275, 0.342),
     (48.5, 11.447, 0.574)],
)
def test_annex2_vapour_pressure(t, e0, delta):
    assert abs(et.saturation_vapour_pressure(t) - e0) <= 0.0005
    assert abs(et.slope_vapour_pressure_curve(t) - delta) <= 0.0005


@pytest.mark.parametrize(("z", "factor"), [(1.0, 1.178), (3.0, 0.921), (10.0, 0.748)])
def test_annex2_wind_factor(z, factor):
    # FAO-56 Annex 2, Table 2.9 (p. 222)
    assert abs(et.wind_2m(1.0, z) - factor) <= 0.0005


@pytest.mark.parametrize(("t", "sigma_t4"), [(1.0, 27.70), (21.5, 36.96), (48.5, 52.49)])
def test_annex2_stefan_boltzmann(t, sigma_t4):
    # FAO-56 Annex 2, Table 2.8 (p. 221): sigma T_K^4 with the constants of Eq. 39; and Eq. 39
    # itself at Tmax = Tmin = t, ea = 0 and Rs = Rso is sigma T_K^4 x 0.34 x 1.0
    assert abs(rad.STEFAN_BOLTZMANN * (t + rad.KELVIN_OFFSET) ** 4 - sigma_t4) <= 0.005
    rnl = rad.net_longwave_radiation(t, t, 0.0, 20.0, 20.0)
    assert abs(rnl / 0.34 - sigma_t4) <= 0.005


# --- radiation at every latitude ---------------------------------------------------------------


@pytest.mark.parametrize("lat", [-90.0, -80.0, 80.0, 90.0])
@pytest.mark.parametrize("doy", [1, 172, 173, 355, 356, 365])
def test_ra_polar_finite_nonnegative(lat, doy):
    ra = rad.extraterrestrial_radiation(lat, doy)
    assert np.isfinite(ra) and ra >= 0.0
    n = rad.daylight_hours(lat, doy)
    assert 0.0 <= n <= 24.0


def test_polar_day_and_night_limits():
    # June solstice: polar day in the north (omega_s = pi, N = 24 h), polar night in the south
    assert rad.sunset_hour_angle(80.0, 172) == pytest.approx(np.pi)
    assert rad.daylight_hours(80.0, 172) == pytest.approx(24.0)
    assert rad.sunset_hour_angle(-80.0, 172) == 0.0
    assert rad.extraterrestrial_radiation(-80.0, 172) == 0.0
    # polar day Ra exceeds the mid-latitude value near the solstice (FAO-56 Fig. 13 trend)
    assert rad.extraterrestrial_radiation(90.0, 172) > rad.extraterrestrial_radiation(50.0, 172)


def test_ra_whole_globe_grid():
    lat = np.linspace(-90.0, 90.0, 181)[:, None]
    doy = np.arange(1, 367)[None, :]
    ra = rad.extraterrestrial_radiation(lat, doy)
    assert np.all(np.isfinite(ra)) and np.all(ra >= 0.0) and ra.max() < 50.0


def test_et0_finite_in_polar_night():
    value = et.et0_fao56(-20.0, -30.0, 0.1, 0.0, 3.0, -80.0, 172, 100.0)
    assert np.isfinite(value)


# --- containers: numpy, DataArray, dask ----------------------------------------------------------


def _weather(n_time=30, n_lat=4, n_lon=3, seed=1):
    rng = np.random.default_rng(seed)
    shape = (n_time, n_lat, n_lon)
    tmin = rng.uniform(-5.0, 25.0, shape)
    tmax = tmin + rng.uniform(2.0, 18.0, shape)
    tdew = tmin - rng.uniform(0.0, 6.0, shape)
    lat = np.linspace(40.0, 55.0, n_lat)
    time = pd.date_range("2020-04-01", periods=n_time, freq="D")
    doy = time.day_of_year.to_numpy()
    ra = rad.extraterrestrial_radiation(lat[None, :, None], doy[:, None, None])
    rs = ra * rng.uniform(0.3, 0.75, shape)
    u2 = rng.uniform(0.3, 6.0, shape)
    elev = rng.uniform(0.0, 1500.0, (n_lat, n_lon))
    return dict(tmin=tmin, tmax=tmax, tdew=tdew, rs=rs, u2=u2, lat=lat, time=time, doy=doy,
                elevation=elev)


def _numpy_et0(w):
    return et.et0_fao56(w["tmax"], w["tmin"], et.ea_from_tdew(w["tdew"]), w["rs"], w["u2"],
                        w["lat"][None, :, None], w["doy"][:, None, None],
                        w["elevation"][None, :, :])


def _dataset(w, chunks=None):
    dims = ("time", "lat", "lon")
    ds = xr.Dataset(
        {name: (dims, w[name]) for name in ("tmax", "tmin", "tdew", "rs", "u2")},
        coords={"time": w["time"], "lat": w["lat"], "lon": np.arange(w["tmax"].shape[2]),
                "elevation": (("lat", "lon"), w["elevation"])},
    )
    return ds.chunk(chunks) if chunks else ds


def test_et0_fao56_numpy_dataarray_dask_identical():
    w = _weather()
    expected = _numpy_et0(w)
    ds = _dataset(w)
    doy = ds["time"].dt.day_of_year
    args = (ds["tmax"], ds["tmin"], et.ea_from_tdew(ds["tdew"]), ds["rs"], ds["u2"], ds["lat"],
            doy, ds["elevation"])
    labelled = et.et0_fao56(*args)
    assert isinstance(labelled, xr.DataArray)
    np.testing.assert_allclose(labelled.transpose("time", "lat", "lon").values, expected,
                               rtol=0, atol=1e-9)
    dsk = _dataset(w, chunks={"time": 10, "lat": 2})
    lazy = et.et0_fao56(dsk["tmax"], dsk["tmin"], et.ea_from_tdew(dsk["tdew"]), dsk["rs"],
                        dsk["u2"], dsk["lat"], dsk["time"].dt.day_of_year, dsk["elevation"])
    assert isinstance(lazy.data, da.Array)
    np.testing.assert_allclose(lazy.transpose("time", "lat", "lon").values, expected,
                               rtol=0, atol=1e-9)
    # bare dask arrays too
    bare = et.et0_fao56(da.from_array(w["tmax"], chunks=10), w["tmin"],
                        et.ea_from_tdew(w["tdew"]), w["rs"], w["u2"], w["lat"][None, :, None],
                        w["doy"][:, None, None], w["elevation"][None])
    assert isinstance(bare, da.Array)
    np.testing.assert_allclose(bare.compute(), expected, rtol=0, atol=1e-9)


def test_reference_et_grid_memory_and_dask_identical():
    w = _weather()
    expected = _numpy_et0(w)
    eager = et.reference_et(_dataset(w))
    lazy = et.reference_et(_dataset(w, chunks={"time": 7, "lon": 2}))
    assert eager.dims == ("time", "lat", "lon") and lazy.dims == eager.dims
    assert isinstance(lazy.data, da.Array)
    np.testing.assert_allclose(eager.values, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(lazy.values, expected, rtol=0, atol=1e-9)
    assert eager.name == "et0" and eager.attrs["units"] == "mm day-1"
    assert "Eq. 14" in eager.attrs["method"] and "Rs given" in eager.attrs["method"]


def test_reference_et_stations():
    w = _weather(n_lat=5, n_lon=1)
    ds = xr.Dataset(
        {name: (("time", "station"), w[name][:, :, 0]) for name in
         ("tmax", "tmin", "tdew", "rs", "u2")},
        coords={"time": w["time"], "station": [f"s{i}" for i in range(5)],
                "lat": ("station", w["lat"]), "elevation": ("station", w["elevation"][:, 0])},
    )
    out = et.reference_et(ds)
    assert out.dims == ("time", "station")
    np.testing.assert_allclose(out.values, _numpy_et0(w)[:, :, 0], rtol=0, atol=1e-9)
    lazy = et.reference_et(ds.chunk({"station": 2}))
    np.testing.assert_allclose(lazy.values, out.values, rtol=0, atol=1e-9)


def test_reference_et_elevation_as_data_variable_and_pressure():
    w = _weather()
    ds = _dataset(w).reset_coords("elevation")
    base = et.reference_et(ds)
    np.testing.assert_allclose(base.values, _numpy_et0(w), rtol=0, atol=1e-9)
    ds["pressure"] = et.atmospheric_pressure(ds["elevation"]).broadcast_like(ds["tmax"])
    with_p = et.reference_et(ds)
    np.testing.assert_allclose(with_p.values, base.values, rtol=0, atol=1e-9)
    assert "P given" in with_p.attrs["method"]


def test_reference_et_auto_missing_data_matches_example_20():
    # FAO-56 Example 20: Tmax/Tmin only -> Eq. 48, Eq. 50 (kRs 0.16), u2 = 2 m/s -> 4.56
    time = pd.DatetimeIndex(["2021-07-15"])
    ds = xr.Dataset({"tmax": (("time", "lat"), [[26.6]]), "tmin": (("time", "lat"), [[14.8]])},
                    coords={"time": time, "lat": [45 + 43 / 60], "elevation": 200.0})
    out = et.reference_et(ds)
    assert abs(float(out[0, 0]) - 4.56) <= 0.01
    method = out.attrs["method"]
    assert "Eq. 48" in method and "Eq. 50, kRs=0.16" in method and "u2 default 2 m/s" in method
    hg = et.reference_et(ds, method="hargreaves")
    assert abs(float(hg[0, 0]) - 5.0) <= 0.05 and "Eq. 52" in hg.attrs["method"]


@pytest.mark.parametrize(
    ("present", "expected"),
    [(("ea",), "ea given"), (("rh_max", "rh_min"), "Eq. 17"), (("rh_max",), "Eq. 18"),
     (("rh_mean",), "Eq. 19"), (("tdew", "rh_mean"), "Eq. 14")],
)
def test_reference_et_humidity_choice(present, expected):
    w = _weather()
    ds = _dataset(w)[["tmax", "tmin", "rs", "u2"]]
    values = {"ea": 1.2, "tdew": 5.0, "rh_max": 90.0, "rh_min": 40.0, "rh_mean": 60.0}
    for name in present:
        ds[name] = xr.full_like(ds["tmax"], values[name])
    out = et.reference_et(ds, method="penman-monteith")
    assert expected in out.attrs["method"]
    assert np.all(np.isfinite(out.values))


def test_reference_et_errors():
    w = _weather()
    ds = _dataset(w)
    with pytest.raises(InputError, match="unknown reference ET method"):
        et.reference_et(ds, method="penman")
    with pytest.raises(InputError, match="missing tmax"):
        et.reference_et(ds.drop_vars("tmax"))
    with pytest.raises(InputError, match="needs rs, u2"):
        et.reference_et(ds.drop_vars(["rs", "u2"]), method="penman-monteith")
    with pytest.raises(InputError, match="humidity"):
        et.reference_et(ds.drop_vars("tdew"), method="penman-monteith")
    with pytest.raises(InputError, match="elevation"):
        et.reference_et(ds.drop_vars("elevation"))
    with pytest.raises(InputError, match="'lat'"):
        et.reference_et(ds.rename({"lat": "y"}))
    with pytest.raises(InputError, match="'time'"):
        et.reference_et(ds.rename({"time": "t"}))
    with pytest.raises(TypeError):
        et.reference_et(ds, krs_value=0.19)  # unknown keyword
    # Hargreaves needs neither elevation nor humidity
    assert et.reference_et(ds.drop_vars(["elevation", "tdew"]), method="hargreaves").notnull().all()


def test_auto_defaults_recorded():
    w = _weather()
    ds = _dataset(w).drop_vars(["rs", "u2", "tdew"])
    out = et.reference_et(ds, krs=0.19, ko=2.0, u2_default=1.5)
    m = out.attrs["method"]
    assert "kRs=0.19" in m and "Tmin - 2" in m and "u2 default 1.5 m/s" in m
    lazy = et.reference_et(ds.chunk({"time": 5}), krs=0.19, ko=2.0, u2_default=1.5)
    assert isinstance(lazy.data, da.Array)
    np.testing.assert_allclose(lazy.values, out.values, rtol=0, atol=1e-9)
    expected = et.et0_fao56(
        w["tmax"], w["tmin"], et.ea_from_tmin(w["tmin"], 2.0),
        rad.rs_from_temperature(
            w["tmax"], w["tmin"],
            rad.extraterrestrial_radiation(w["lat"][None, :, None], w["doy"][:, None, None]),
            krs=0.19,
            rso=rad.clear_sky_radiation(
                rad.extraterrestrial_radiation(w["lat"][None, :, None], w["doy"][:, None, None]),
                w["elevation"][None])),
        1.5, w["lat"][None, :, None], w["doy"][:, None, None], w["elevation"][None])
    np.testing.assert_allclose(out.values, expected, rtol=0, atol=1e-9)


def test_soil_heat_flux_monthly_needs_one_form():
    with pytest.raises(InputError):
        et.soil_heat_flux_monthly(10.0)
    with pytest.raises(InputError):
        et.soil_heat_flux_monthly(10.0, t_next=12.0, t_month=11.0)


def test_u2_lower_limit():
    args = (30.0, 15.0, 1.0, 25.0)
    low = et.et0_fao56(*args, 0.1, 45.0, 180, 300.0)
    half = et.et0_fao56(*args, 0.5, 45.0, 180, 300.0)
    assert low == half
    assert et.et0_fao56(*args, 0.1, 45.0, 180, 300.0, u2_min=0.0) != half


# --- units through the climate adapter ----------------------------------------------------------


def _hourly_foreign_units(tmp_path, days=6):
    """Same weather every day: hourly K, Pa, J m-2 (hourly accumulation) in a NetCDF file."""
    tmax, tmin, tdew, rs_day, u2, p_kpa = 31.0, 17.0, 9.0, 26.0, 2.5, 95.0
    hours = pd.date_range("2021-07-01", periods=24 * days, freq="h")
    phase = 2 * np.pi * (hours.hour.to_numpy() - 9) / 24.0
    t = 0.5 * (tmax + tmin) + 0.5 * (tmax - tmin) * np.sin(phase)
    t[hours.hour.to_numpy() == 15] = tmax
    t[hours.hour.to_numpy() == 3] = tmin
    shape = (len(hours), 1, 1)
    coords = {"time": hours, "lat": [45.0], "lon": [70.0]}
    ds = xr.Dataset(
        {
            "tmax": (("time", "lat", "lon"), np.broadcast_to(t[:, None, None], shape).copy(),
                     {"units": "K"}),
            "d2m": (("time", "lat", "lon"), np.full(shape, tdew + 273.15), {"units": "K"}),
            "ssrd": (("time", "lat", "lon"), np.full(shape, rs_day * 1e6 / 24.0),
                     {"units": "J m-2"}),
            "u2": (("time", "lat", "lon"), np.full(shape, u2), {"units": "m s-1"}),
            "sp": (("time", "lat", "lon"), np.full(shape, p_kpa * 1000.0), {"units": "Pa"}),
        },
        coords=coords,
    )
    ds["tmax"] = ds["tmax"] + 273.15
    ds = ds.rename({"tmax": "t2m"})
    ds.coords["elevation"] = (("lat", "lon"), [[500.0]], {"units": "m"})
    path = tmp_path / "hourly.nc"
    ds.to_netcdf(path)
    return path, dict(tmax=tmax, tmin=tmin, tdew=tdew, rs=rs_day, u2=u2, pressure=p_kpa)


def test_units_k_pa_hourly_joules_match_fao_units(tmp_path):
    climate = pytest.importorskip("irrigate.climate")
    path, v = _hourly_foreign_units(tmp_path)
    ds = climate.open_climate(path, require=("tmax", "tmin"))
    out = et.reference_et(ds)
    days = pd.DatetimeIndex(ds["time"].values)
    expected = et.et0_fao56(v["tmax"], v["tmin"], et.ea_from_tdew(v["tdew"]), v["rs"], v["u2"],
                            45.0, days.day_of_year.to_numpy(), 500.0, pressure=v["pressure"])
    np.testing.assert_allclose(out.squeeze().values, expected, rtol=0, atol=1e-9)


def test_reference_et_on_cfsr_sample_stations():
    # end to end: bundled CFSR points (Syr Darya, 2000-2014) through the climate adapter
    climate = pytest.importorskip("irrigate.climate")
    path = SAMPLE / "cfsr_syrdarya_points_2000_2014.nc"
    if not path.is_file():
        pytest.skip("sample data not present")
    ds = climate.open_climate(path, require=("tmax", "tmin"))
    out = et.reference_et(ds)
    assert out.dims == ds["tmax"].dims and "Eq. 19" in out.attrs["method"]
    assert bool(out.notnull().all())
    # the same numbers from the bare function on numpy arrays (the default conventions
    # bound Rs/Rso to 0.3-1.0; the bare function follows Eq. 39 as printed unless told)
    doy = ds["time"].dt.day_of_year.values[:, None]
    args = (ds["tmax"].values, ds["tmin"].values,
            et.ea_from_rh_mean(ds["tmax"].values, ds["tmin"].values, ds["rh_mean"].values),
            ds["rs"].values, ds["u2"].values, ds["lat"].values[None, :], doy,
            ds["elevation"].values[None, :])
    # float32 input: reference_et keeps float32 (computed in float64, rounded once); the
    # bare numpy chain computes partly in float32, so the two agree to float32 precision
    assert out.dtype == ds["tmax"].dtype
    np.testing.assert_allclose(out.values, et.et0_fao56(*args, rs_rso_min=0.3), rtol=1e-5)
    # dtype=float64 (what the water balance takes): the float64 numpy chain to 1e-9 mm/day
    double = et.reference_et(ds, dtype=np.float64)
    args64 = [np.asarray(a, dtype=np.float64) for a in args]
    args64[2] = et.ea_from_rh_mean(*(ds[v].values.astype(np.float64)
                                     for v in ("tmax", "tmin", "rh_mean")))
    assert double.dtype == np.float64
    np.testing.assert_allclose(double.values, et.et0_fao56(*args64, rs_rso_min=0.3),
                               rtol=0, atol=1e-9)
    literal = et.reference_et(ds, conventions="fao56-examples")
    np.testing.assert_allclose(literal.values, et.et0_fao56(*args), rtol=1e-5)
    assert float((literal - out).max()) > 0.05  # overcast days: Rnl < 0 without the bound
    # plausibility: mean annual grass reference ET in the irrigated Syr Darya lowlands
    annual = out.groupby("time.year").sum().sel(year=slice(2000, 2013)).mean("year")
    assert bool(((annual > 1000.0) & (annual < 2000.0)).all())


# --- properties -----------------------------------------------------------------------------------

_temps = st.floats(-25.0, 40.0)
_range = st.floats(0.0, 25.0)


@given(tmin=_temps, dt=_range, dew_dep=st.floats(0.0, 20.0), frac=st.floats(0.0, 1.0),
       u2=st.floats(0.0, 15.0), lat=st.floats(-60.0, 60.0), doy=st.integers(1, 366),
       z=st.floats(-50.0, 3500.0))
def test_et0_finite_and_bounded(tmin, dt, dew_dep, frac, u2, lat, doy, z):
    tmax = tmin + dt
    ea = et.ea_from_tdew(tmin - dew_dep)
    ra = rad.extraterrestrial_radiation(lat, doy)
    rs = frac * rad.clear_sky_radiation(ra, z)
    value = et.et0_fao56(tmax, tmin, ea, rs, u2, lat, doy, z)
    assert np.isfinite(value)
    # inputs reach Tmax 65 degC, u2 15 m/s and a 20 degC dew-point depression: PM gives up to
    # ~40 mm/day there (30.02 was found); the bound catches unit and sign errors, not climate
    assert -3.0 <= value <= 45.0


def _longwave_factor(tmax, tmin, ea):
    t4 = 0.5 * ((tmax + rad.KELVIN_OFFSET) ** 4 + (tmin + rad.KELVIN_OFFSET) ** 4)
    return rad.STEFAN_BOLTZMANN * t4 * (0.34 - 0.14 * np.sqrt(ea))


@given(tmin=_temps, dt=_range, dew_dep=st.floats(0.0, 20.0), f1=st.floats(0.05, 1.3),
       f2=st.floats(0.05, 1.3), u2=st.floats(0.5, 10.0), lat=st.floats(-60.0, 60.0),
       doy=st.integers(1, 365), z=st.floats(0.0, 3000.0))
def test_pm_monotone_in_rs(tmin, dt, dew_dep, f1, f2, u2, lat, doy, z):
    # dRn/dRs = 0.77 - 1.35 sigma T^4 (0.34 - 0.14 sqrt(ea)) / Rso below Rso (Eq. 38-39), so
    # ET0 rises with Rs wherever that is positive (always once Rs >= Rso); see docs/et0.md.
    tmax = tmin + dt
    ea = et.ea_from_tdew(tmin - dew_dep)
    rso = rad.clear_sky_radiation(rad.extraterrestrial_radiation(lat, doy), z)
    assume(rso > 1.0)
    assume(0.77 * rso > 1.35 * _longwave_factor(tmax, tmin, ea))
    lo, hi = sorted((f1 * rso, f2 * rso))
    e_lo = et.et0_fao56(tmax, tmin, ea, lo, u2, lat, doy, z)
    e_hi = et.et0_fao56(tmax, tmin, ea, hi, u2, lat, doy, z)
    assert e_hi >= e_lo - 1e-12


@given(tmin=_temps, dt=_range, dep1=st.floats(0.0, 25.0), dep2=st.floats(0.0, 25.0),
       rs_frac=st.floats(0.2, 1.0), u2=st.floats(0.5, 10.0), lat=st.floats(-60.0, 60.0),
       doy=st.integers(1, 365), z=st.floats(0.0, 3000.0))
def test_pm_monotone_in_vpd(tmin, dt, dep1, dep2, rs_frac, u2, lat, doy, z):
    # Lower ea (larger VPD) raises the aerodynamic term by gamma 900/(T+273) u2 per kPa and
    # lowers Rn through Eq. 39 by 0.07 sigma T^4 f/sqrt(ea) per kPa; ET0 rises with VPD where
    # the first dominates (checked at the smaller ea, where the second is largest).
    tmax = tmin + dt
    tmean = 0.5 * (tmax + tmin)
    ea_dry, ea_wet = sorted((et.ea_from_tdew(tmin - dep1), et.ea_from_tdew(tmin - dep2)))
    ra = rad.extraterrestrial_radiation(lat, doy)
    rso = rad.clear_sky_radiation(ra, z)
    assume(rso > 1.0)
    rs = rs_frac * rso
    gamma = et.psychrometric_constant(et.atmospheric_pressure(z))
    delta = et.slope_vapour_pressure_curve(tmean)
    cloud = 1.35 * min(rs / rso, 1.0) - 0.35
    t4 = 0.5 * ((tmax + rad.KELVIN_OFFSET) ** 4 + (tmin + rad.KELVIN_OFFSET) ** 4)
    radiative = 0.408 * delta * rad.STEFAN_BOLTZMANN * t4 * 0.07 / np.sqrt(ea_dry) * cloud
    assume(gamma * 900.0 / (tmean + 273.0) * u2 > radiative)
    dry = et.et0_fao56(tmax, tmin, ea_dry, rs, u2, lat, doy, z)
    wet = et.et0_fao56(tmax, tmin, ea_wet, rs, u2, lat, doy, z)
    assert dry >= wet - 1e-12


@given(rn=st.floats(-5, 30), vpd1=st.floats(0, 6), vpd2=st.floats(0, 6), t=_temps,
       u2=st.floats(0.5, 10.0))
def test_penman_monteith_equation_monotone_in_vpd_at_fixed_rn(rn, vpd1, vpd2, t, u2):
    lo, hi = sorted((vpd1, vpd2))
    delta, gamma = et.slope_vapour_pressure_curve(t), 0.066
    es = 7.0
    a = et.penman_monteith(rn, 0.0, t, u2, es, es - lo, delta, gamma)
    b = et.penman_monteith(rn, 0.0, t, u2, es, es - hi, delta, gamma)
    assert b >= a - 1e-12
