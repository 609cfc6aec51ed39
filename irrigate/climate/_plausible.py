"""Physical plausibility of the canonical climate, whatever the source (file, CSV, option).

A wrong but valid-looking unit label (surface pressure in Pa labelled kPa, relative humidity
as a fraction labelled %, J m-2 labelled W m-2, a rate labelled as a flux) converts without
complaint and gives numbers that look like results. These checks compare every variable,
after unit conversion, with what the atmosphere can do, and refuse the input with one line
naming the variable, the values seen and the likely fix:

=================  =====================================================================
variable           plausible (daily; hourly where different)
=================  =====================================================================
every variable     at least one valid value (an all-missing variable is an error)
``pressure``       30-110 kPa (Everest summit about 33 kPa; record sea-level high 108.4)
``ea``             0-10 kPa (saturation at 46 degC); above: hPa labelled kPa
``elevation``      -500-9,000 m (Dead Sea shore -430 m, Everest 8,849 m)
``precip``         at most 1,000 mm day-1 (world record 1,825 mm in a day; Central Asian
                   daily records below 200 mm); 300 mm h-1 hourly
``rs``             at most 1.5 Rso of the day on any day and 1.1 Rso on at most half of
                   the days (Rso = (0.75 + 2e-5 z) Ra, FAO-56 Eq. 37; FAO-56 p. 59
                   limits Rs/Rso to 1.0); hourly: at most 5 MJ m-2 h-1 (the solar constant
                   is 4.92 MJ m-2 h-1 at the top of the atmosphere); a year of daily values
                   that never reaches 0.3 Rso is refused as too dark (a unit too small)
``rh_*``           a record of 30 days or more whose largest value is below 1.5 % is a
                   fraction 0-1 labelled % (daily mean RH never stays that low)
``u2``             at most 75 m s-1 daily, 100 m s-1 hourly
=================  =====================================================================

Latitude and longitude are checked when a file is opened (:mod:`irrigate.climate._coords`),
wind height when it is chosen (:mod:`irrigate.climate._wind`), temperatures and the order
``tmin <= tmax`` by :mod:`irrigate.climate._checks`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate._coords import off_earth
from irrigate.errors import InputError
from irrigate.science.radiation import clear_sky_radiation, extraterrestrial_radiation

PRESSURE_RANGE = (30.0, 110.0)  # kPa
EA_MAX = 10.0  # kPa
ELEVATION_RANGE = (-500.0, 9000.0)  # m
PRECIP_MAX = {"daily": 1000.0, "hourly": 300.0}  # mm per day / per hour
RS_HOURLY_MAX = 5.0  # MJ m-2 h-1
RS_RSO_MAX = 1.5  # on any day
RS_RSO_HIGH = 1.1  # on at most RS_HIGH_SHARE of the days
RS_HIGH_SHARE = 0.5
RS_RSO_DARK = 0.3  # a year that never reaches this share of Rso is too dark
RH_FRACTION_MAX = 1.5  # %: a record whose maximum stays below is a fraction labelled %
RH_MIN_DAYS = 30
WIND_MAX = {"daily": 75.0, "hourly": 100.0}  # m s-1
#: Rso below this (MJ m-2 day-1: polar night, low sun) is not used for the Rs/Rso test.
_RSO_FLOOR = 1.0


def _rs_ratio(ds: xr.Dataset) -> xr.DataArray | None:
    """Daily Rs / Rso (FAO-56 Eq. 37 with Eq. 21), NaN where Rso is too small or unknown."""
    if "rs" not in ds or "lat" not in ds.coords:
        return None
    doy = xr.DataArray(pd.DatetimeIndex(ds["time"].values).dayofyear, dims="time",
                       coords={"time": ds["time"]})
    lat = ds["lat"].astype(float)
    z = ds["elevation"].fillna(0.0) if "elevation" in ds else 0.0
    rso = clear_sky_radiation(extraterrestrial_radiation(lat, doy), z)
    return (ds["rs"] / rso.where(rso > _RSO_FLOOR)).reset_coords(drop=True)


def jobs(ds: xr.Dataset, step: str) -> dict[str, Any]:
    """Reductions the plausibility checks need (computed with the range checks, one pass).

    ``step`` is ``"daily"`` or ``"hourly"``.
    """
    out: dict[str, Any] = {}
    for name in ds.data_vars:
        out[f"{name}:valid"] = ds[name].notnull().sum()
        if ds[name].dtype.kind == "f":
            out[f"{name}:inf"] = np.isinf(ds[name]).sum()
    for name in ("pressure", "ea", "precip", "u2", "rs", "rh_max", "rh_min", "rh_mean"):
        if name in ds:
            out[f"{name}:max"] = ds[name].max()
    for name in ("pressure", "ea"):
        if name in ds:
            out[f"{name}:min"] = ds[name].min()
    if "elevation" in ds:
        out["elevation:min"] = ds["elevation"].min()
        out["elevation:max"] = ds["elevation"].max()
    ratio = _rs_ratio(ds) if step == "daily" else None
    if ratio is not None:
        out["rs_rso:max"] = ratio.max()
        out["rs_rso:high"] = (ratio > RS_RSO_HIGH).sum()
        out["rs_rso:count"] = ratio.notnull().sum()
    return out


def _given(s: dict[str, float], key: str) -> bool:
    """Return True when ``key`` has a value (an infinite one too: it fails every range)."""
    return not bool(np.isnan(s.get(key, np.nan)))


def check(ds: xr.Dataset, s: dict[str, float], where: str, step: str) -> None:
    """Refuse physically impossible values (see the module table); one line each.

    Raises
    ------
    InputError
        The first implausible variable: the values seen and the likely fix.

    """
    for name in ds.data_vars:
        if s.get(f"{name}:valid", 1) == 0:
            raise InputError(f"{where}: {name} has no valid value (all missing); check the "
                             "file, its _FillValue/missing_value attributes and the time "
                             "range")
        if s.get(f"{name}:inf", 0) > 0:
            raise InputError(f"{where}: {name} has {int(s[f'{name}:inf'])} infinite values; "
                             "a missing-value marker without a _FillValue attribute? mark "
                             "them missing (NaN) or fix the file")
    _coordinates(ds, where)
    _pressure(s, where)
    _elevation(s, where)
    _precip(s, where, step)
    _radiation(s, where, step, ds.sizes.get("time", 0))
    _humidity(s, where, ds.sizes.get("time", 0), step)
    wind = WIND_MAX[step]
    if _given(s, "u2:max") and s["u2:max"] > wind:
        raise InputError(f"{where}: wind speed u2 reaches {s['u2:max']:.4g} m s-1, above any "
                         f"{step} mean wind ({wind:g} m s-1); check the units of the wind "
                         "input (km h-1 or cm s-1 labelled m s-1?) and --wind-height")


def _coordinates(ds: xr.Dataset, where: str) -> None:
    """Latitude -90..90 and longitude -180..360 degrees, wherever they came from."""
    bad = off_earth(ds, coords_only=True)
    if bad is not None:
        name, what, vmin, vmax, lo, hi = bad
        raise InputError(f"{where}: {what} {vmin:g}..{vmax:g} is not on the Earth "
                         f"({lo:g}..{hi:g} degrees); fix the station location (CSV "
                         f"'# {name}:' line or column, --{name})")


def _pressure(s: dict[str, float], where: str) -> None:
    lo, hi = PRESSURE_RANGE
    if _given(s, "pressure:max") and (s["pressure:max"] > hi or s["pressure:min"] < lo):
        vmin, vmax = s["pressure:min"], s["pressure:max"]
        if lo * 1000 <= vmax <= hi * 1000:
            hint = "looks like Pa labelled kPa: set units='Pa'"
        elif lo * 10 <= vmax <= hi * 10:
            hint = "looks like hPa labelled kPa: set units='hPa'"
        elif lo / 1000 <= vmax <= hi / 1000:
            hint = "looks like kPa labelled Pa: set units='kPa'"
        else:
            hint = "check the units attribute, or drop pressure and give --elev"
        raise InputError(f"{where}: surface pressure ranges {vmin:.4g}..{vmax:.4g} kPa, "
                         f"outside {lo:g}..{hi:g} kPa (sea level to 9,000 m); {hint}")
    if _given(s, "ea:max") and (s["ea:max"] > EA_MAX or s["ea:min"] < 0):
        vmin, vmax = s["ea:min"], s["ea:max"]
        hint = ("looks like hPa labelled kPa: set units='hPa'" if vmax <= EA_MAX * 10
                else "check the units attribute")
        raise InputError(f"{where}: vapour pressure ea ranges {vmin:.4g}..{vmax:.4g} kPa, "
                         f"outside 0..{EA_MAX:g} kPa (saturation at 46 degC); {hint}")


def _elevation(s: dict[str, float], where: str) -> None:
    lo, hi = ELEVATION_RANGE
    if _given(s, "elevation:max") and (s["elevation:max"] > hi or s["elevation:min"] < lo):
        vmin, vmax = s["elevation:min"], s["elevation:max"]
        hint = ("looks like geopotential (m2 s-2) read as metres: name it z or set "
                "standard_name='geopotential'" if vmax <= hi * 9.81 and vmax > hi
                else "check its units (m) or pass --elev METRES")
        raise InputError(f"{where}: elevation ranges {vmin:.6g}..{vmax:.6g} m, outside "
                         f"{lo:g}..{hi:g} m (Dead Sea shore to Everest); {hint}")


def _precip(s: dict[str, float], where: str, step: str) -> None:
    limit = PRECIP_MAX[step]
    per = "day" if step == "daily" else "h"
    if _given(s, "precip:max") and s["precip:max"] > limit:
        vmax = s["precip:max"]
        hint = ("looks like a depth per day labelled kg m-2 s-1 (read as x 86400): set "
                "units='mm day-1'" if vmax > 20 * limit else
                "check its units (m or mm? per day or per second?)")
        raise InputError(f"{where}: precipitation reaches {vmax:.4g} mm {per}-1, above "
                         f"{limit:g} mm {per}-1 (the world record is 1,825 mm in a day); "
                         f"{hint}")


def _radiation(s: dict[str, float], where: str, step: str, ntime: int) -> None:
    if step == "hourly":
        if _given(s, "rs:max") and s["rs:max"] > RS_HOURLY_MAX:
            raise InputError(f"{where}: hourly solar radiation rs reaches {s['rs:max']:.4g} "
                             f"MJ m-2 h-1, above the {RS_HOURLY_MAX:g} MJ m-2 h-1 of the top "
                             "of the atmosphere; check its units (J m-2 labelled W m-2?)")
        return
    if not _given(s, "rs_rso:max"):
        return
    top, count = s["rs_rso:max"], s["rs_rso:count"]
    share = s["rs_rso:high"] / count if count else 0.0
    if top > RS_RSO_MAX or share > RS_HIGH_SHARE:
        raise InputError(
            f"{where}: solar radiation rs reaches {top:.4g} x the clear-sky radiation Rso of "
            f"the day (FAO-56 Eq. 37; max rs {s.get('rs:max', np.nan):.4g} MJ m-2 day-1) and "
            f"exceeds {RS_RSO_HIGH:g} Rso on {int(s['rs_rso:high'])} of {int(count)} "
            "cell-days; check its units (J m-2 labelled W m-2? W m-2 labelled MJ m-2 "
            "day-1?)")
    if ntime >= 300 and top < RS_RSO_DARK:
        raise InputError(
            f"{where}: solar radiation rs never exceeds {top:.3g} x the clear-sky radiation "
            f"Rso in {ntime} days (max {s.get('rs:max', np.nan):.4g} MJ m-2 day-1): too "
            "dark for any climate; check its units (MJ m-2 day-1 labelled W m-2?)")


def _humidity(s: dict[str, float], where: str, ntime: int, step: str) -> None:
    days = ntime if step == "daily" else ntime / 24
    if days < RH_MIN_DAYS:
        return
    for name in ("rh_max", "rh_min", "rh_mean"):
        if _given(s, f"{name}:max") and s[f"{name}:max"] < RH_FRACTION_MAX:
            raise InputError(
                f"{where}: relative humidity {name} never exceeds {s[f'{name}:max']:.3g} % in "
                f"{int(days)} days: looks like a fraction 0-1 labelled %; set units='1' "
                "(or multiply by 100)")
