"""Hourly FAO-56 grass reference evapotranspiration (FAO-56 Eq. 53 and its hourly terms).

Pure functions in fixed units: temperature degC, vapour pressure kPa, radiation and heat
fluxes MJ m-2 hour-1, wind m s-1 at 2 m, elevation m, latitude and longitude in decimal
degrees (positive north and **east**), day of year 1-366, clock time in hours. They use
arithmetic, numpy ufuncs and ``xr.where`` only, so they work the same on floats, numpy
arrays, ``xarray.DataArray`` and dask-backed arrays. They reuse the daily building blocks
of :mod:`irrigate.science.et0` (e°, Delta, gamma, P) and :mod:`irrigate.science.radiation`
(d_r, delta,
omega_s, Rso, Rns, Rn), which hold for any period length.

:func:`reference_et_hourly` is the Dataset entry point (hourly ``et0_hourly`` in mm h-1);
:func:`daily_et0_from_hourly` sums it to daily ``et0`` (mm day-1).

Longitudes: FAO-56 Eq. 31 counts Lz and Lm in degrees **west** of Greenwich; here both are
degrees east (``lon``, ``lz``), so Lz - Lm of Eq. 31 is ``lon - lz``. The longitude of the
time-zone centre is ``lz = 15 * utc_offset`` (utc_offset in hours east of UTC; 0 for UTC
time stamps such as ERA5's).

Reference: Allen, R.G., Pereira, L.S., Raes, D., Smith, M. (1998). Crop evapotranspiration.
FAO Irrigation and Drainage Paper 56 ("FAO-56"), pp. 47-48 (Eqs. 28-33), 54-55 (Eqs. 45-46)
and 74-76 (Eqs. 53-54, Example 19).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError
from irrigate.science import humidity, radiation
from irrigate.science.et0 import (
    U2_MIN,
    atmospheric_pressure,
    ea_from_tdew,
    psychrometric_constant,
    saturation_vapour_pressure,
    slope_vapour_pressure_curve,
)
from irrigate.science.radiation_hourly import (  # re-exported: part of this module's API
    HOURS_PER_DEGREE,
    NIGHT_WINDOW,
    RS_RSO_MIN,
    STEFAN_BOLTZMANN_HOURLY,
    extraterrestrial_radiation_period,
    is_daytime,
    net_longwave_radiation_hourly,
    night_window,
    period_hour_angles,
    relative_shortwave_radiation_hourly,
    seasonal_correction,
    solar_time_angle,
)
from irrigate.variables import attrs_for

__all__ = [
    "CN_HOURLY",
    "G_RATIO_DAY",
    "G_RATIO_NIGHT",
    "HOURLY_RS_UNITS",
    "HOURS_PER_DEGREE",
    "HUMIDITY_VARIABLES",
    "LABELS",
    "NIGHT_WINDOW",
    "RS_RSO_MIN",
    "STEFAN_BOLTZMANN_HOURLY",
    "carry_night_ratio",
    "daily_et0_from_hourly",
    "ea_from_rh_hourly",
    "et0_fao56_hourly",
    "extraterrestrial_radiation_period",
    "is_daytime",
    "net_longwave_radiation_hourly",
    "night_window",
    "penman_monteith_hourly",
    "period_hour_angles",
    "reference_et_hourly",
    "relative_shortwave_radiation_hourly",
    "seasonal_correction",
    "soil_heat_flux_hourly",
    "solar_time_angle",
]

ArrayLike = Any  # numpy array, xarray.DataArray, dask array or float

#: Numerator coefficient of Eq. 53 (= 900 / 24), FAO-56 p. 74.
CN_HOURLY = 37.0
#: G/Rn during daylight (Eq. 45) and at night (Eq. 46), FAO-56 p. 55.
G_RATIO_DAY = 0.1
G_RATIO_NIGHT = 0.5
#: Time-stamp conventions of an hourly Dataset: the label is the start or the end of the hour.
LABELS = ("end", "start")
HUMIDITY_VARIABLES = ("ea", "tdew", "rh_mean")
#: Spellings of MJ m-2 h-1 accepted in the ``units`` attribute of an hourly ``rs`` (no spaces).
HOURLY_RS_UNITS = ("MJm-2h-1", "MJm-2hour-1", "MJm-2hr-1", "MJ/m2/h", "MJ/m^2/h")


def soil_heat_flux_hourly(rn: ArrayLike, daytime: ArrayLike) -> ArrayLike:
    """Hourly soil heat flux G (MJ m-2 hour-1) (FAO-56 Eqs. 45-46, p. 55).

    G = 0.1 Rn during daylight periods (Eq. 45), G = 0.5 Rn at night (Eq. 46).

    Parameters
    ----------
    rn : array-like
        Hourly net radiation (MJ m-2 hour-1).
    daytime : array-like of bool
        True for daylight periods, e.g. from :func:`is_daytime`.

    """
    return rn * (G_RATIO_NIGHT - (G_RATIO_NIGHT - G_RATIO_DAY) * daytime)


# --- hourly Penman-Monteith  ------------------------------------------------------------------

def ea_from_rh_hourly(t: ArrayLike, rh: ArrayLike) -> ArrayLike:
    """Average hourly actual vapour pressure ea (kPa) (FAO-56 Eq. 54, p. 74).

    ea = e°(T_hr) RH_hr / 100, with e° from Eq. 11 and RH_hr in %.
    """
    return saturation_vapour_pressure(t) * rh / 100.0


def penman_monteith_hourly(
    rn: ArrayLike,
    g: ArrayLike,
    t: ArrayLike,
    u2: ArrayLike,
    es: ArrayLike,
    ea: ArrayLike,
    delta: ArrayLike,
    gamma: ArrayLike,
) -> ArrayLike:
    """FAO-56 Penman-Monteith reference ET0 for hourly periods (mm hour-1) (FAO-56 Eq. 53).

    ET0 = [0.408 Delta (Rn - G) + gamma 37/(T_hr + 273) u2 (e°(T_hr) - ea)]
          / [Delta + gamma (1 + 0.34 u2)]  (p. 74).

    Not limited to >= 0: at night Rn - G < 0 and, in humid air, the result can be slightly
    negative (condensation, dew); FAO-56 gives no limit (Example 19 prints a -0.01 mm/h
    radiation term at 02:00-03:00).

    Parameters
    ----------
    rn, g : array-like
        Net radiation and soil heat flux (MJ m-2 hour-1).
    t : array-like
        Mean hourly air temperature T_hr (degC).
    u2 : array-like
        Average hourly wind speed at 2 m (m s-1).
    es, ea : array-like
        Saturation vapour pressure e°(T_hr) and average hourly actual vapour pressure (kPa).
    delta, gamma : array-like
        Slope of the vapour pressure curve at T_hr and psychrometric constant (kPa degC-1).

    """
    numerator = (0.408 * delta * (rn - g)
                 + gamma * CN_HOURLY / (t + 273.0) * u2 * (es - ea))
    return numerator / (delta + gamma * (1.0 + 0.34 * u2))


def et0_fao56_hourly(
    t: ArrayLike,
    ea: ArrayLike,
    rs: ArrayLike,
    u2: ArrayLike,
    lat: ArrayLike,
    doy: ArrayLike,
    hour: ArrayLike,
    lon: ArrayLike,
    elevation: ArrayLike,
    *,
    rs_rso_night: ArrayLike,
    lz: ArrayLike = 0.0,
    pressure: ArrayLike | None = None,
    u2_min: float = U2_MIN,
) -> ArrayLike:
    """Hourly FAO-56 Penman-Monteith grass reference ET0 (mm hour-1) (FAO-56 Eq. 53, pp. 74-75).

    Chains Eq. 7 (P, unless ``pressure`` is given), Eq. 8 (gamma), Eqs. 11 and 13 at T_hr
    (e°, Delta), Eqs. 28-33 (hourly Ra), Eq. 37 (Rso = (0.75 + 2e-5 z) Ra, hourly Ra), Eq. 38
    (Rns), Eq. 39 in its hourly form (Rnl, sigma/24, T_hr^4), Eq. 40 (Rn), Eqs. 45-46 (G) and
    Eq. 53, as FAO-56 Example 19 (pp. 75-76) does.

    Parameters
    ----------
    t : array-like
        Mean hourly air temperature T_hr (degC).
    ea : array-like
        Average hourly actual vapour pressure (kPa), e.g. :func:`ea_from_rh_hourly` (Eq. 54).
    rs : array-like
        Solar radiation of the hour (MJ m-2 hour-1).
    u2 : array-like
        Average hourly wind speed at 2 m (m s-1).
    lat, lon : array-like
        Latitude and longitude (decimal degrees north and east).
    doy : array-like
        Day of the year of the period's midpoint.
    hour : array-like
        Standard clock time at the midpoint of the hour (e.g. 14.5 for 14:00-15:00).
    elevation : array-like
        Elevation (m), for Eq. 37 and (without ``pressure``) Eq. 7.
    rs_rso_night : array-like
        Rs/Rso used in Rnl for night periods (sun below the horizon at the midpoint): the
        ratio of the period 2-3 h before sunset (what :func:`reference_et_hourly` carries
        forward) or an assumed value, 0.4-0.6 in humid and 0.7-0.8 in arid climates, 0.3 for
        total cloud cover (FAO-56 p. 75; Example 19 assumes 0.8).
    lz : array-like
        Longitude of the time-zone centre of ``hour`` (degrees east), 15 x UTC offset.
    pressure : array-like, optional
        Atmospheric pressure (kPa) to use instead of Eq. 7.
    u2_min : float
        Lower limit of u2 (m s-1); FAO-56 p. 63 recommends about 0.5 m/s for the ETo
        equation, applied here to Eq. 53 as well; 0 disables it.

    Returns
    -------
    array-like
        ET0 in mm hour-1, same container type as the inputs; not limited to >= 0.

    """
    if pressure is None:
        pressure = atmospheric_pressure(elevation)
    ra = extraterrestrial_radiation_period(lat, doy, hour, lon, lz)
    rso = radiation.clear_sky_radiation(ra, elevation)
    daytime = is_daytime(lat, doy, hour, lon, lz)
    rs_rso = xr.where(daytime, relative_shortwave_radiation_hourly(rs, rso), rs_rso_night)
    rn = radiation.net_radiation(radiation.net_shortwave_radiation(rs),
                                 net_longwave_radiation_hourly(t, ea, rs_rso))
    return penman_monteith_hourly(
        rn=rn,
        g=soil_heat_flux_hourly(rn, daytime),
        t=t,
        u2=np.maximum(u2, u2_min),
        es=saturation_vapour_pressure(t),
        ea=ea,
        delta=slope_vapour_pressure_curve(t),
        gamma=psychrometric_constant(pressure),
    )


# --- Dataset entry point  ---------------------------------------------------------------------

def _field(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    if name in ds.data_vars or name in ds.coords:
        return ds[name]
    return None


def _fill_along_last(values: np.ndarray) -> np.ndarray:
    """Forward-fill NaNs along the last axis, then back-fill the leading ones."""
    def forward(a: np.ndarray) -> np.ndarray:
        positions = np.arange(a.shape[-1])
        idx = np.where(np.isnan(a), 0, positions)
        np.maximum.accumulate(idx, axis=-1, out=idx)
        return np.take_along_axis(a, idx, axis=-1)

    return forward(forward(values)[..., ::-1])[..., ::-1]


def carry_night_ratio(rs_rso: xr.DataArray, window: xr.DataArray,
                      dim: str = "time") -> xr.DataArray:
    """Rs/Rso of the last period 2-3 h before sunset, carried along ``dim`` (FAO-56 p. 75).

    Each period gets the ratio of the most recent window period (:func:`night_window`) at
    or before it; periods before the first window of the record (the first night) get the
    first window's ratio. NaN where the record has no window at all (e.g. polar night):
    give an assumed night ratio instead. Dask arrays are processed with ``dim`` in one chunk.
    """
    marked = rs_rso.where(window)
    return xr.apply_ufunc(
        _fill_along_last, marked, input_core_dims=[[dim]], output_core_dims=[[dim]],
        dask="parallelized", output_dtypes=[float],
        dask_gufunc_kwargs={"allow_rechunk": True},
    ).transpose(*marked.dims)


def _midpoints(ds: xr.Dataset, label: str) -> xr.DataArray:
    """Return the midpoint time of each hourly period; check the hourly steps."""
    if "time" not in ds.coords:
        raise InputError("hourly climate dataset: no 'time' coordinate; hourly reference ET "
                         "needs the clock time of each hour")
    try:
        times = pd.DatetimeIndex(ds["time"].values)
    except (TypeError, ValueError) as exc:
        raise InputError("hourly climate dataset: 'time' is not a datetime coordinate; "
                         "decode times (xarray.decode_cf) first") from exc
    steps = np.unique(np.diff(times.values))
    if len(times) < 1 or len(steps) > 1 or (len(steps) == 1 and pd.Timedelta(steps[0])
                                            != pd.Timedelta(hours=1)):
        found = ", ".join(str(pd.Timedelta(s)) for s in steps[:3]) or "none"
        raise InputError(f"hourly climate dataset: time steps must be regular 1 hour (found "
                         f"{found}); give hourly data (daily data: use reference_et)")
    half = pd.Timedelta(minutes=30)
    return ds["time"] - half if label == "end" else ds["time"] + half


def _hourly_humidity(ds: xr.Dataset, t: xr.DataArray) -> tuple[xr.DataArray, str]:
    choice = humidity.pick_humidity([n for n in HUMIDITY_VARIABLES if _field(ds, n) is not None],
                                    allowed=HUMIDITY_VARIABLES)
    if choice == ("ea",):
        return ds["ea"], "ea given"
    if choice == ("tdew",):
        return ea_from_tdew(ds["tdew"]), "ea from tdew (Eq. 14)"
    if choice == ("rh_mean",):
        return ea_from_rh_hourly(t, ds["rh_mean"]), "ea from hourly rh_mean (Eq. 54)"
    raise InputError("hourly climate dataset: no humidity; give ea (kPa), tdew (degC) or "
                     "rh_mean (% , hourly mean relative humidity)")


def reference_et_hourly(
    ds: xr.Dataset,
    *,
    label: str = "end",
    utc_offset: float = 0.0,
    night_ratio: float | None = None,
    u2_min: float = U2_MIN,
) -> xr.DataArray:
    """Hourly grass reference evapotranspiration ``et0_hourly`` (mm h-1) of an hourly Dataset.

    FAO-56 Eq. 53 with the hourly terms of FAO-56 pp. 47-48, 55 and 74-75 (see
    :func:`et0_fao56_hourly`).

    Parameters
    ----------
    ds : xarray.Dataset
        Hourly climate with the canonical names: ``tmean`` (mean air temperature of the hour,
        degC); humidity as ``ea`` (kPa), ``tdew`` (degC) or ``rh_mean`` (hourly mean, %, Eq.
        54); ``rs`` (solar radiation of the hour, **MJ m-2 h-1**); ``u2`` (m s-1 at 2 m);
        optional ``pressure`` (kPa). Coordinates ``time`` (regular 1-hourly datetimes),
        ``lat`` and ``lon`` (degrees north and east; dimensions of a grid or coordinates
        along ``station``) and ``elevation`` (m; coordinate or data variable). In memory or
        dask-chunked; the result is lazy if the inputs are.
    label : {"end", "start"}
        Whether a time stamp is the end (ERA5 accumulations, most loggers) or the start of
        its hour.
    utc_offset : float
        Hours east of UTC of the time stamps (0 for UTC); the time-zone centre of Eq. 31 is
        15 x ``utc_offset`` degrees east.
    night_ratio : float, optional
        Rs/Rso for night periods. None (default): FAO-56 p. 75 rule, the ratio of the period
        2-3 h before sunset carried through the following night (:func:`carry_night_ratio`;
        ``time`` is then processed in one dask chunk). A number: that value for every night
        (FAO-56 p. 75: 0.4-0.6 humid, 0.7-0.8 arid, 0.3 total cloud cover), for records too
        short to contain an afternoon.
    u2_min : float
        Lower limit of u2 (m s-1), 0.5 by default (FAO-56 p. 63).

    Returns
    -------
    xarray.DataArray
        ``et0_hourly`` (mm h-1) with the dimensions of ``tmean``; attributes from the
        variables table plus ``method``. Not limited to >= 0 (see
        :func:`penman_monteith_hourly`).

    Raises
    ------
    InputError
        Unknown ``label``; a ``night_ratio`` outside 0.3-1.0; missing ``tmean``, humidity,
        ``rs``, ``u2``, ``elevation``, ``lat``, ``lon`` or ``time``; time steps that are not
        regular hours.

    """
    _check_hourly_inputs(ds, label, night_ratio)
    t, rs, u2 = ds["tmean"], ds["rs"], ds["u2"]
    lat, lon, elevation = ds["lat"], ds["lon"], ds["elevation"]
    ea, humidity = _hourly_humidity(ds, t)
    mid = _midpoints(ds, label)
    doy, hour = mid.dt.day_of_year, mid.dt.hour + mid.dt.minute / 60.0
    lz = 15.0 * utc_offset

    if night_ratio is None:
        ra = extraterrestrial_radiation_period(lat, doy, hour, lon, lz)
        ratio = relative_shortwave_radiation_hourly(rs, radiation.clear_sky_radiation(ra,
                                                                                      elevation))
        window = night_window(lat, doy, hour, lon, lz).broadcast_like(ratio)
        night = carry_night_ratio(ratio, window)
        night_text = "night Rs/Rso from the period 2-3 h before sunset (p. 75)"
    else:
        night = night_ratio
        night_text = f"night Rs/Rso = {night_ratio:g} (assumed, p. 75)"

    pressure = _field(ds, "pressure")
    et0 = et0_fao56_hourly(t, ea, rs, u2, lat, doy, hour, lon, elevation, rs_rso_night=night,
                           lz=lz, pressure=pressure, u2_min=u2_min)
    parts = ["FAO-56 Penman-Monteith, hourly (Eq. 53)", humidity,
             "P given" if pressure is not None else "P from elevation (Eq. 7)",
             f"Ra hourly (Eqs. 28-33, time stamps = {label} of hour, UTC{utc_offset:+g})",
             "Rso (Eq. 37)", "Rnl hourly (Eq. 39, sigma/24, Rs/Rso 0.3-1.0)", night_text,
             "G = 0.1 Rn day, 0.5 Rn night (Eqs. 45-46)", f"u2 >= {u2_min:g} m/s (p. 63)"]
    et0 = et0.transpose(*t.dims, ...).rename("et0_hourly")
    et0.attrs = {**attrs_for("et0_hourly"), "method": "; ".join(parts)}
    return et0


def _check_hourly_inputs(ds: xr.Dataset, label: str, night_ratio: float | None) -> None:
    """Raise InputError on a bad label or night ratio, a missing field or rs not per hour."""
    if label not in LABELS:
        raise InputError(f"label {label!r}: use 'end' (time stamp ends the hour) or 'start'")
    if night_ratio is not None and not RS_RSO_MIN <= night_ratio <= 1.0:
        raise InputError(f"night_ratio {night_ratio:g}: Rs/Rso must be within 0.3-1.0 "
                         "(FAO-56 p. 75: 0.4-0.6 humid, 0.7-0.8 arid)")
    missing = [n for n in ("tmean", "rs", "u2", "elevation", "lat", "lon")
               if _field(ds, n) is None]
    if missing:
        raise InputError(f"hourly climate dataset: missing {', '.join(missing)}; hourly "
                         "FAO-56 ET0 (Eq. 53) needs tmean (degC), rs (MJ m-2 h-1), u2 (m/s), "
                         "elevation (m) and lat/lon (degrees) (no missing-data procedures)")
    units = ds["rs"].attrs.get("units")
    if units is not None and units.replace(" ", "") not in HOURLY_RS_UNITS:
        raise InputError(f"hourly climate dataset: rs has units {units!r}; hourly reference "
                         "ET takes the solar radiation of each hour in MJ m-2 h-1 (J m-2 per "
                         "hour / 1e6, W m-2 x 0.0036)")


def daily_et0_from_hourly(et0_hourly: xr.DataArray, *, label: str = "end") -> xr.DataArray:
    """Daily ET0 (mm day-1) as the sum of the 24 hourly values of each day.

    A day is the 24 hours whose midpoints fall on that date of the time stamps' clock (with
    ``label="end"``, the hour stamped 00:00 belongs to the day before). Days without all 24
    hourly values are NaN. FAO-56 p. 75: hourly Eq. 53 values summed over 24 hours are
    "generally equivalent" to a 24-hour Eq. 6 calculation.

    Parameters
    ----------
    et0_hourly : xarray.DataArray
        Hourly ET0 (mm h-1) with a 1-hourly ``time`` dimension, e.g. from
        :func:`reference_et_hourly`.
    label : {"end", "start"}
        Time-stamp convention of ``et0_hourly`` (as in :func:`reference_et_hourly`).

    Returns
    -------
    xarray.DataArray
        ``et0`` (mm day-1) on daily ``time`` (00:00 of each date).

    """
    if label not in LABELS:
        raise InputError(f"label {label!r}: use 'end' (time stamp ends the hour) or 'start'")
    half = pd.Timedelta(minutes=30)
    mid = et0_hourly["time"] - half if label == "end" else et0_hourly["time"] + half
    shifted = et0_hourly.assign_coords(time=mid.values)
    daily = shifted.resample(time="1D").sum(min_count=24)
    daily = daily.rename("et0")
    daily.attrs = {**attrs_for("et0"), "cell_methods": "time: sum (24 hourly values)"}
    return daily
