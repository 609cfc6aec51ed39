"""Range checks of the canonical hourly climate Dataset (one-line InputErrors).

The limits of the daily checks (:mod:`irrigate.climate._checks`) applied to hourly values;
all reductions are computed together (one pass over dask data).
"""

from __future__ import annotations

import warnings

import dask
import numpy as np
import xarray as xr

from irrigate.climate import _plausible
from irrigate.climate._checks import (
    PRECIP_TOLERANCE,
    RH_LIMIT,
    RS_TOLERANCE,
    TEMPERATURE_RANGE,
)
from irrigate.errors import InputError

_TEMPERATURES = ("tmean", "tdew")


def _stats(ds: xr.Dataset) -> dict[str, float]:
    jobs: dict[str, xr.DataArray] = {"valid:count": ds["tmean"].notnull().sum()}
    for name in (*_TEMPERATURES, "rh_mean"):
        if name in ds:
            jobs[f"{name}:max"] = ds[name].max()
            jobs[f"{name}:min"] = ds[name].min()
    for name in ("rs", "precip", "u2"):
        if name in ds:
            jobs[f"{name}:min"] = ds[name].min()
    jobs.update(_plausible.jobs(ds, "hourly"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = dask.compute(*jobs.values())
    return {k: float(np.asarray(getattr(v, "values", v)))
            for k, v in zip(jobs, values, strict=True)}


def _below(s: dict[str, float], key: str, limit: float) -> bool:
    value = s.get(key, np.nan)
    return bool(not np.isnan(value) and value < limit)  # -inf is below too


def _above(s: dict[str, float], key: str, limit: float) -> bool:
    value = s.get(key, np.nan)
    return bool(not np.isnan(value) and value > limit)


def check_hourly_values(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Validate hourly value ranges and clip harmless noise; return the cleaned Dataset.

    Raises
    ------
    InputError
        No valid ``tmean``; temperatures outside -90..65 degC; relative humidity above
        101 % or negative; solar radiation below -0.05 MJ m-2 h-1 or precipitation below
        -0.1 mm h-1 (smaller negatives, GRIB packing noise of accumulations, are set to 0);
        negative wind speed.

    """
    s = _stats(ds)
    if s["valid:count"] == 0:
        raise InputError(f"{where}: tmean (hourly t2m) has no valid values; check the files, "
                         "the time range and the missing-value attributes")
    _plausible.check(ds, s, where, "hourly")
    lo, hi = TEMPERATURE_RANGE
    for name in _TEMPERATURES:
        if _below(s, f"{name}:min", lo) or _above(s, f"{name}:max", hi):
            raise InputError(
                f"{where}: hourly {name} ranges {s[f'{name}:min']:.1f}.."
                f"{s[f'{name}:max']:.1f} degC, outside {lo:g}..{hi:g}; check the units "
                "attribute of the source variable"
            )
    if "rh_mean:max" in s:
        if _above(s, "rh_mean:max", RH_LIMIT):
            raise InputError(f"{where}: hourly relative humidity reaches "
                             f"{s['rh_mean:max']:.1f} % (above {RH_LIMIT:g} %); check the "
                             "units (a fraction 0-1 needs units='1')")
        if _below(s, "rh_mean:min", 0.0):
            raise InputError(f"{where}: hourly relative humidity is negative "
                             f"({s['rh_mean:min']:.1f} %); fix the input")
    if _below(s, "rs:min", RS_TOLERANCE):
        raise InputError(f"{where}: hourly solar radiation rs is negative "
                         f"({s['rs:min']:.3g} MJ m-2 h-1); fix the input or its units")
    if _below(s, "precip:min", PRECIP_TOLERANCE):
        raise InputError(f"{where}: hourly precipitation is negative "
                         f"({s['precip:min']:.3g} mm h-1); fix the input or its units")
    if _below(s, "u2:min", 0.0):
        raise InputError(f"{where}: wind speed is negative ({s['u2:min']:.3g} m s-1); give "
                         "wind speed, not a wind component")
    out = ds.copy()
    if "rh_mean" in out:
        out["rh_mean"] = out["rh_mean"].clip(max=100.0)
    for name in ("rs", "precip"):
        if name in out:
            out[name] = out[name].clip(min=0.0)
    return out
