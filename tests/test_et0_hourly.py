"""Tests of irrigate.science.et0_hourly: FAO-56 Example 19, containers, daily sums, nights."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from irrigate.errors import InputError
from irrigate.science import et0 as et
from irrigate.science import et0_hourly as hr
from irrigate.science import radiation as rad
from irrigate.validation import evaluate
from irrigate.validation.et0_hourly_cases import EX19, EX19_HOURS, cases, ex19

# --- FAO-56 Example 19 (pp. 75-76)  -----------------------------------------------------------


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.case)
def test_validation_case(case):
    result = evaluate(case)
    assert result.passed, f"{case.case}: computed {result.computed}, published {case.published}"


def _ex19_direct(hour: str) -> float:
    t_mid, t, rh, u2, rs = EX19_HOURS[hour]
    d = EX19
    return hr.et0_fao56_hourly(t, hr.ea_from_rh_hourly(t, rh), rs, u2, d["lat"], d["doy"],
                               t_mid, d["lon"], d["z"], rs_rso_night=0.8, lz=d["lz"])


def test_example_19_et0():
    # FAO-56 Example 19, p. 76: 0.63 mm/hour (14-15 h) and 0.00 mm/hour (02-03 h)
    assert abs(_ex19_direct("14-15 h") - 0.63) <= 0.005
    assert abs(_ex19_direct("02-03 h") - 0.00) <= 0.005
    # published partial terms (p. 76): radiation term 0.46, aerodynamic term 0.17 mm/hour
    x = ex19("14-15 h")
    t, u2 = EX19_HOURS["14-15 h"][1], EX19_HOURS["14-15 h"][3]
    denominator = x["delta"] + x["gamma"] * (1 + 0.34 * u2)
    assert abs(0.408 * x["delta"] * (x["rn"] - x["g"]) / denominator - 0.46) <= 0.005
    assert abs(x["gamma"] * 37 / (t + 273) * u2 * x["vpd"] / denominator - 0.17) <= 0.005


def _example_19_dataset(chunks: dict | None = None) -> xr.Dataset:
    """Two stations x 24 hours of 1 October; Example 19 weather at 03:00 and 15:00 (hour end)."""
    times = pd.date_range("2021-10-01 01:00", periods=24, freq="h")
    t = np.full((24, 2), 30.0)
    rh = np.full((24, 2), 70.0)
    u2 = np.full((24, 2), 2.0)
    rs = np.zeros((24, 2))
    for hour, (_, t_hr, rh_hr, u2_hr, rs_hr) in EX19_HOURS.items():
        i = int(hour[:2])  # 02-03 h ends at 03:00 = index 2
        t[i], rh[i], u2[i], rs[i] = t_hr, rh_hr, u2_hr, rs_hr
    ds = xr.Dataset(
        {"tmean": (("time", "station"), t), "rh_mean": (("time", "station"), rh),
         "rs": (("time", "station"), rs), "u2": (("time", "station"), u2)},
        coords={"time": times, "lat": ("station", [EX19["lat"]] * 2),
                "lon": ("station", [EX19["lon"]] * 2), "elevation": EX19["z"]})
    return ds.chunk(chunks) if chunks else ds


def test_example_19_through_the_dataset_entry_point():
    # Lz = 15 degrees west: a UTC-1 clock; the example assumes Rs/Rso = 0.8 at night
    out = hr.reference_et_hourly(_example_19_dataset(), utc_offset=-1.0, night_ratio=0.8)
    assert out.name == "et0_hourly" and out.attrs["units"] == "mm h-1"
    assert "Eq. 53" in out.attrs["method"] and "0.8 (assumed" in out.attrs["method"]
    assert out.dims == ("time", "station")
    night = out.sel(time="2021-10-01 03:00").values
    day = out.sel(time="2021-10-01 15:00").values
    np.testing.assert_allclose(night, _ex19_direct("02-03 h"), atol=1e-12)
    np.testing.assert_allclose(day, _ex19_direct("14-15 h"), atol=1e-12)
    assert np.all(np.abs(day - 0.63) <= 0.005) and np.all(np.abs(night) <= 0.005)


def test_label_start_shifts_the_period_by_one_hour():
    ds = _example_19_dataset()
    start = ds.assign_coords(time=ds["time"] - pd.Timedelta(hours=1))
    a = hr.reference_et_hourly(ds, utc_offset=-1.0, night_ratio=0.8)
    b = hr.reference_et_hourly(start, label="start", utc_offset=-1.0, night_ratio=0.8)
    np.testing.assert_allclose(a.values, b.values, atol=1e-12)


# --- containers: numpy, DataArray, dask  ------------------------------------------------------

def _grid(chunks: dict | None = None) -> xr.Dataset:
    """Three days of hourly weather on a 3 x 2 grid in Kazakhstan (UTC time stamps)."""
    rng = np.random.default_rng(19)
    times = pd.date_range("2021-07-14 01:00", periods=72, freq="h")
    lat, lon = np.array([41.5, 43.3, 47.0]), np.array([68.25, 76.9])
    shape = (72, 3, 2)
    mid = times - pd.Timedelta(minutes=30)
    hour = (mid.hour + mid.minute / 60).to_numpy()[:, None, None]
    doy = mid.day_of_year.to_numpy()[:, None, None]
    ra = hr.extraterrestrial_radiation_period(lat[None, :, None], doy, hour,
                                              lon[None, None, :])
    cloud = rng.uniform(0.35, 0.75, shape)
    t = 27 + 8 * np.sin(2 * np.pi * (hour + 5 - 9) / 24) + rng.normal(0, 1, shape)
    ds = xr.Dataset(
        {"tmean": (("time", "lat", "lon"), t),
         "tdew": (("time", "lat", "lon"), t - rng.uniform(5, 20, shape)),
         "rs": (("time", "lat", "lon"), cloud * ra),
         "u2": (("time", "lat", "lon"), rng.uniform(0.2, 6, shape))},
        coords={"time": times, "lat": lat, "lon": lon,
                "elevation": (("lat", "lon"), [[200.0, 700.0], [210.0, 900.0], [80.0, 350.0]])})
    return ds.chunk(chunks) if chunks else ds


def test_pure_chain_numpy_dataarray_dask_identical():
    ds = _grid()
    mid = ds["time"] - pd.Timedelta(minutes=30)
    doy, hour = mid.dt.day_of_year, mid.dt.hour + 0.5
    args = dict(rs_rso_night=0.7)
    labelled = hr.et0_fao56_hourly(ds["tmean"], et.ea_from_tdew(ds["tdew"]), ds["rs"], ds["u2"],
                                   ds["lat"], doy, hour, ds["lon"], ds["elevation"], **args)
    assert isinstance(labelled, xr.DataArray)
    b = (slice(None), None, None)
    plain = hr.et0_fao56_hourly(
        ds["tmean"].values, et.ea_from_tdew(ds["tdew"].values), ds["rs"].values,
        ds["u2"].values, ds["lat"].values[None, :, None], doy.values[b], hour.values[b],
        ds["lon"].values[None, None, :], ds["elevation"].values[None], **args)
    assert isinstance(plain, np.ndarray)
    lazy = hr.et0_fao56_hourly(
        da.from_array(ds["tmean"].values, chunks=(24, 1, 2)), et.ea_from_tdew(ds["tdew"].values),
        da.from_array(ds["rs"].values, chunks=(24, 1, 2)), ds["u2"].values,
        ds["lat"].values[None, :, None], doy.values[b], hour.values[b],
        ds["lon"].values[None, None, :], ds["elevation"].values[None], **args)
    assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(labelled.transpose("time", "lat", "lon").values, plain,
                               atol=1e-12)
    np.testing.assert_allclose(lazy.compute(), plain, atol=1e-12)


@pytest.mark.parametrize("chunks", [{"lat": 1}, {"time": 24, "lon": 1}])
def test_reference_et_hourly_memory_and_dask_identical(chunks):
    eager = hr.reference_et_hourly(_grid(), utc_offset=0.0)
    lazy = hr.reference_et_hourly(_grid(chunks), utc_offset=0.0)
    assert lazy.chunks is not None  # still lazy
    assert lazy.dims == eager.dims == ("time", "lat", "lon")
    np.testing.assert_allclose(lazy.values, eager.values, atol=1e-12)
    assert np.isfinite(eager.values).all()
    daily_lazy = hr.daily_et0_from_hourly(lazy)
    np.testing.assert_allclose(daily_lazy.values, hr.daily_et0_from_hourly(eager).values,
                               atol=1e-12, equal_nan=True)


# --- extraterrestrial radiation and solar time  -----------------------------------------------

@pytest.mark.parametrize("lat, doy", [(-20.0, 246), (16.22, 274), (43.3, 196), (55.0, 355),
                                      (50.8, 187), (70.0, 172), (75.0, 355), (0.0, 80)])
@pytest.mark.parametrize("lon, utc_offset", [(0.0, 0.0), (76.9, 0.0), (68.25, 5.0),
                                             (-120.0, -8.0)])
def test_hourly_ra_adds_up_to_daily_ra(lat, doy, lon, utc_offset):
    # Eq. 28 limited to sunrise/sunset integrates to Eq. 21 over the 24 hours of a solar day
    # (with doy held fixed; also at polar day, lat 70 in June, and polar night, lat 75 in Dec)
    lz = 15.0 * utc_offset
    hours = np.arange(24) + 0.5
    ra = hr.extraterrestrial_radiation_period(lat, doy, hours, lon, lz)
    assert np.all(ra >= 0)
    assert abs(ra.sum() - rad.extraterrestrial_radiation(lat, doy)) <= 1e-9


def test_solar_time_angle_wraps_for_utc_clocks_far_from_greenwich():
    # 23:00-24:00 UTC at 80 degE in June is about 04:50 local solar time: sun up at 45 degN
    omega = hr.solar_time_angle(23.5, 172, 80.0)
    assert -np.pi <= omega < 0
    assert bool(hr.is_daytime(45.0, 172, 23.5, 80.0))
    # the same solar time on a Greenwich clock (80 deg x 0.06667 h/deg after 23:30, minus 24 h)
    same = hr.extraterrestrial_radiation_period(45.0, 172, 23.5 + 80 * 0.06667 - 24, 0.0)
    assert same > 0.2
    assert abs(hr.extraterrestrial_radiation_period(45.0, 172, 23.5, 80.0) - same) <= 1e-9


def test_sunrise_hour_gets_the_part_with_the_sun_up():
    # an hour whose midpoint is before sunrise but which contains it: 0 < Ra < next hour's Ra
    lat, doy = 43.3, 196
    omega_s = rad.sunset_hour_angle(lat, doy)
    sunrise = 12.0 - omega_s * 12 / np.pi - hr.seasonal_correction(doy)  # local solar clock
    mid = sunrise - 0.2  # midpoint 12 minutes before sunrise
    assert not bool(hr.is_daytime(lat, doy, mid, 0.0))
    ra = hr.extraterrestrial_radiation_period(lat, doy, mid, 0.0)
    assert 0 < ra < hr.extraterrestrial_radiation_period(lat, doy, mid + 1, 0.0)


# --- soil heat flux, Rs/Rso, night-time rules  ------------------------------------------------

def test_soil_heat_flux_day_and_night():
    # Eqs. 45-46 (p. 55): G = 0.1 Rn by day, 0.5 Rn at night
    rn = np.array([1.749, -0.100])
    np.testing.assert_allclose(hr.soil_heat_flux_hourly(rn, np.array([True, False])),
                               [0.1749, -0.050], atol=1e-12)


def test_relative_shortwave_radiation_hourly_limits():
    ratio = hr.relative_shortwave_radiation_hourly(np.array([0.05, 3.0, 1.0, 0.0, 0.1]),
                                                   np.array([1.0, 2.0, 2.0, 0.0, 0.0]))
    np.testing.assert_allclose(ratio[:3], [0.3, 1.0, 0.5])
    assert np.isnan(ratio[3:]).all()  # Rso = 0: undefined (night takes the night ratio)


def test_carry_night_ratio_forward_and_first_night_backward():
    ratio = xr.DataArray([np.nan, 0.9, 0.6, 0.7, np.nan, np.nan, 0.8, 0.5, np.nan],
                         dims="time")
    window = xr.DataArray([False, False, True, False, False, False, False, True, False],
                          dims="time")
    carried = hr.carry_night_ratio(ratio, window)
    np.testing.assert_allclose(carried.values, [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5])
    no_window = hr.carry_night_ratio(ratio, window & False)
    assert np.isnan(no_window.values).all()


def _clear_then_cloudy(afternoon_ratio: float) -> xr.Dataset:
    """Two days at 43.3N, 68.25E (UTC+5 clock): Rs = ratio x Rso in the afternoon window."""
    lat, lon, z, utc = 43.3, 68.25, 210.0, 5.0
    times = pd.date_range("2021-07-15 01:00", periods=48, freq="h")
    mid = times - pd.Timedelta(minutes=30)
    hour, doy = (mid.hour + 0.5).to_numpy(), mid.day_of_year.to_numpy()
    rso = rad.clear_sky_radiation(
        hr.extraterrestrial_radiation_period(lat, doy, hour, lon, 15 * utc), z)
    window = hr.night_window(lat, doy, hour, lon, 15 * utc)
    rs = np.where(window, afternoon_ratio * rso, rso)
    n = len(times)
    return xr.Dataset({"tmean": ("time", np.full(n, 25.0)), "ea": ("time", np.full(n, 1.5)),
                       "rs": ("time", rs), "u2": ("time", np.full(n, 2.0))},
                      coords={"time": times, "lat": lat, "lon": lon, "elevation": z})


def test_night_uses_the_ratio_two_to_three_hours_before_sunset():
    # FAO-56 p. 75: night-time Rs/Rso = Rs/Rso of the period with
    # (omega_s - 0.79) <= omega <= (omega_s - 0.52)
    ds = _clear_then_cloudy(0.5)
    rule = hr.reference_et_hourly(ds, utc_offset=5.0)
    fixed = hr.reference_et_hourly(ds, utc_offset=5.0, night_ratio=0.5)
    assert "2-3 h before sunset" in rule.attrs["method"]
    np.testing.assert_allclose(rule.values, fixed.values, atol=1e-12)  # every night got 0.5
    other = hr.reference_et_hourly(ds, utc_offset=5.0, night_ratio=0.8)
    mid = ds["time"] - pd.Timedelta(minutes=30)
    night = ~hr.is_daytime(ds["lat"], mid.dt.day_of_year, mid.dt.hour + 0.5, ds["lon"], 75.0)
    assert int(night.sum()) >= 12
    # a cloudier night (0.5 < 0.8) loses less longwave radiation (Eq. 39): higher ET0
    assert (rule.where(night, drop=True) > other.where(night, drop=True)).all()
    day = ~night
    np.testing.assert_allclose(rule.where(day, drop=True), other.where(day, drop=True),
                               atol=1e-12)


def test_negative_night_values_are_kept():
    # Eq. 53 at night in nearly saturated, calm air: Rn - G < 0 outweighs the small
    # aerodynamic term; FAO-56 sets no lower limit (Example 19 prints a -0.01 radiation term)
    t = 12.0
    value = hr.et0_fao56_hourly(t, 0.98 * et.saturation_vapour_pressure(t), 0.0, 0.5, 50.8, 187,
                                1.5, 4.35, 100.0, rs_rso_night=0.8, lz=15.0)
    assert value < 0
    # the daily sum keeps it too
    times = pd.date_range("2021-07-06 01:00", periods=24, freq="h")
    hourly = xr.DataArray(np.r_[value, np.full(23, 0.2)], dims="time",
                          coords={"time": times})
    daily = hr.daily_et0_from_hourly(hourly)
    assert daily.sizes["time"] == 1
    assert abs(float(daily[0]) - (value + 23 * 0.2)) <= 1e-12


# --- daily sums  ------------------------------------------------------------------------------

def test_daily_sum_needs_24_values_and_respects_the_label():
    times = pd.date_range("2021-07-06 01:00", periods=47, freq="h")  # 06 01:00 .. 07 23:00
    hourly = xr.DataArray(np.full(47, 0.25), dims="time", coords={"time": times})
    daily = hr.daily_et0_from_hourly(hourly)  # label end: 07 00:00 closes the 6th
    assert daily.name == "et0" and daily.attrs["units"] == "mm day-1"
    np.testing.assert_allclose(daily.sel(time="2021-07-06").values, 6.0)
    assert np.isnan(daily.sel(time="2021-07-07").values).all()  # 23 hours only
    start = hr.daily_et0_from_hourly(hourly, label="start")  # 06 01:00 .. 06 23:00: 23 hours
    assert np.isnan(start.sel(time="2021-07-06").values).all()
    np.testing.assert_allclose(start.sel(time="2021-07-07").values, 6.0)


def _clear_day(lat, lon, z, date, tmax, tmin, tdew, u2, utc_offset):
    """Hourly ET0 summed over a clear day and the daily FAO-56 ET0 of the same weather.

    Three identical clear days (Rs = Rso every hour), T a sine between tmin (03 h) and tmax
    (15 h local solar time), constant dewpoint and wind; the middle day is compared.
    """
    times = pd.date_range(pd.Timestamp(date) - pd.Timedelta(hours=23), periods=72, freq="h")
    mid = times - pd.Timedelta(minutes=30)
    hour, doy = (mid.hour + 0.5).to_numpy(), mid.day_of_year.to_numpy()
    lz = 15.0 * utc_offset
    rs = rad.clear_sky_radiation(hr.extraterrestrial_radiation_period(lat, doy, hour, lon, lz),
                                 z)
    solar_hour = hr.solar_time_angle(hour, doy, lon, lz) * 12 / np.pi + 12
    t = 0.5 * (tmax + tmin) + 0.5 * (tmax - tmin) * np.cos(2 * np.pi * (solar_hour - 15) / 24)
    ds = xr.Dataset({"tmean": ("time", t), "tdew": ("time", np.full(72, tdew)),
                     "rs": ("time", rs), "u2": ("time", np.full(72, u2))},
                    coords={"time": times, "lat": lat, "lon": lon, "elevation": z})
    hourly = hr.reference_et_hourly(ds, utc_offset=utc_offset)
    summed = float(hr.daily_et0_from_hourly(hourly).sel(time=date))
    day = pd.Timestamp(date).day_of_year
    daily = et.et0_fao56(tmax, tmin, et.ea_from_tdew(tdew), float(rs[24:48].sum()), u2, lat,
                         day, z)
    return summed, float(daily)


@pytest.mark.parametrize("site, expected", [
    # Turkestan region, 15 July: hot, dry, clear (measured -4.7 %)
    ((43.3, 68.25, 210.0, "2021-07-15", 36.0, 20.0, 12.0, 2.0, 5.0), -0.047),
    # Astana, 15 July (measured -4.8 %)
    ((51.2, 71.4, 350.0, "2021-07-15", 27.0, 13.0, 10.0, 3.0, 6.0), -0.048),
    # Turkestan region, 15 April: cool and dry (measured +0.2 %)
    ((43.3, 68.25, 210.0, "2021-04-15", 22.0, 7.0, 3.0, 2.0, 5.0), 0.002),
    # Uccle, 6 July, Example 18 temperatures, clear (measured -2.4 %)
    ((50.8, 4.35, 100.0, "2021-07-06", 21.5, 12.3, 10.9, 2.078, 1.0), -0.024),
])
def test_clear_day_hourly_sum_against_daily(site, expected):
    # FAO-56 p. 75: hourly values summed over 24 h are "generally equivalent" to the 24-hour
    # calculation. Measured here: the sum is 0-5 % below daily Eq. 6 on clear days (e° of
    # the hourly temperatures averages below [e°(Tmax) + e°(Tmin)]/2, and G does not cancel
    # over the day: 0.1 Rn by day, 0.5 Rn at night). Tolerance: 6 % of the daily value.
    summed, daily = _clear_day(*site)
    relative = (summed - daily) / daily
    assert abs(relative) <= 0.06
    assert abs(relative - expected) <= 0.005  # pins the measured difference


# --- errors  ----------------------------------------------------------------------------------

def test_errors_are_one_line_input_errors():
    ds = _example_19_dataset()
    with pytest.raises(InputError, match="label 'middle'"):
        hr.reference_et_hourly(ds, label="middle")
    with pytest.raises(InputError, match="night_ratio 0.1"):
        hr.reference_et_hourly(ds, night_ratio=0.1)
    with pytest.raises(InputError, match="missing rs, u2"):
        hr.reference_et_hourly(ds.drop_vars(["rs", "u2"]))
    with pytest.raises(InputError, match="no humidity"):
        hr.reference_et_hourly(ds.drop_vars("rh_mean"))
    with pytest.raises(InputError, match="regular 1 hour"):
        hr.reference_et_hourly(ds.isel(time=[0, 1, 3]))
    daily_units = ds.assign(rs=ds["rs"].assign_attrs(units="MJ m-2 day-1"))
    with pytest.raises(InputError, match="rs has units 'MJ m-2 day-1'"):
        hr.reference_et_hourly(daily_units)
    hourly_units = ds.assign(rs=ds["rs"].assign_attrs(units="MJ m-2 h-1"))
    assert hr.reference_et_hourly(hourly_units, night_ratio=0.8).notnull().all()
    with pytest.raises(InputError, match="missing lon"):
        hr.reference_et_hourly(ds.drop_vars("lon"))
    with pytest.raises(InputError, match="label 'x'"):
        hr.daily_et0_from_hourly(hr.reference_et_hourly(ds, night_ratio=0.8), label="x")
