"""Range checks of the canonical daily climate Dataset (one-line InputErrors).

All reductions are computed together, one pass over dask data per batch of
:data:`STATS_BATCH_DAYS` days: computed over a whole multi-year grid at once, dask holds the
shared input chunks of every reduction and the peak memory grows with the record (2.4 GB for
ten years of the 0.1 deg national grid); batch by batch it stays that of one year.
"""

from __future__ import annotations

import warnings

import dask
import numpy as np
import xarray as xr

from irrigate.climate import _plausible
from irrigate.errors import InputError
from irrigate.memory import release_freed_memory

#: Relative humidity above this is an error; values between 100 % and this are set to
#: 100 % (rounding in data sets and supersaturation over ice in reanalyses).
RH_LIMIT = 101.0
#: Negative radiation/precipitation down to these values is set to 0 (GRIB packing
#: noise in ERA5 accumulations); below is an error. MJ m-2 day-1 and mm day-1.
RS_TOLERANCE = -0.05
PRECIP_TOLERANCE = -0.1
#: tmin may exceed tmax by this much (degC) before it is an error (rounding; tmin and
#: tmax taken from different products); smaller excesses are left as they are.
TEMPERATURE_TOLERANCE = 0.5
#: Plausible daily air temperatures, degC; outside means wrong units or a broken file.
TEMPERATURE_RANGE = (-90.0, 65.0)


#: Days of climate reduced at once by the range checks (one year and a day, so a one-year
#: input is one batch).
STATS_BATCH_DAYS = 366


def _stats(ds: xr.Dataset, batch_days: int = STATS_BATCH_DAYS) -> dict[str, float]:
    """Return the reductions of the range and plausibility checks over all of ``ds``.

    Computed in batches of ``batch_days`` along ``time`` (dask data only; in-memory data
    in one pass) and combined by the kind each key names: ``:max`` the largest, ``:min``
    the smallest (NaN only where every batch is NaN), counts summed.
    """
    n = ds.sizes.get("time", 0)
    if n <= batch_days or not ds.chunks:
        return _batch_stats(ds)
    # a variable without time (elevation) is seen whole by every batch: counted once
    timeless = tuple(f"{name}:" for name in ds.data_vars if "time" not in ds[name].dims)
    out: dict[str, float] = {}
    for start in range(0, n, batch_days):
        part = _batch_stats(ds.isel(time=slice(start, start + batch_days)))
        for key, value in part.items():
            if key not in out:
                out[key] = value
            elif not key.startswith(timeless):
                out[key] = _combine(key, out[key], value)
    return out


def _combine(key: str, a: float, b: float) -> float:
    """Combine one reduction of two batches (``:max``, ``:min`` or a count)."""
    kind = key.rsplit(":", 1)[1]
    if kind == "max":
        return float(np.fmax(a, b))
    if kind == "min":
        return float(np.fmin(a, b))
    return a + b


def _batch_stats(ds: xr.Dataset) -> dict[str, float]:
    jobs: dict[str, xr.DataArray] = {}
    for name in ("rh_max", "rh_min", "rh_mean"):
        if name in ds:
            jobs[f"{name}:max"] = ds[name].max()
            jobs[f"{name}:min"] = ds[name].min()
    for name in ("rs", "precip", "u2"):
        if name in ds:
            jobs[f"{name}:min"] = ds[name].min()
    for name in ("tmax", "tmin", "tmean", "tdew"):
        if name in ds:
            jobs[f"{name}:max"] = ds[name].max()
            jobs[f"{name}:min"] = ds[name].min()
    jobs["tmin-tmax:count"] = (ds["tmin"] - ds["tmax"] > TEMPERATURE_TOLERANCE).sum()
    jobs["valid:count"] = (ds["tmax"].notnull() & ds["tmin"].notnull()).sum()
    jobs.update(_plausible.jobs(ds, "daily"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = dask.compute(*jobs.values())
    return {k: float(np.asarray(getattr(v, "values", v))) for k, v in zip(jobs, values,
                                                                           strict=True)}


def _bad(value: float, test) -> bool:
    return bool(not np.isnan(value) and test(value))  # an infinite value is bad too


def check_and_clean(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Validate value ranges and clip harmless noise; return the cleaned Dataset.

    Raises
    ------
    InputError
        Relative humidity above 101 %, negative radiation, precipitation or wind,
        implausible temperatures, tmin above tmax by more than 0.5 degC, no valid
        temperature at all, or any physically implausible variable
        (:mod:`irrigate.climate._plausible`).

    """
    s = _stats(ds)
    release_freed_memory()  # the pass over the whole input leaves freed buffers in the heap
    if s["valid:count"] == 0:
        raise InputError(f"{where}: tmax and tmin have no valid values; check the "
                         "files, the time range and the missing-value attributes")
    _plausible.check(ds, s, where, "daily")
    lo, hi = TEMPERATURE_RANGE
    for name in ("tmax", "tmin", "tmean", "tdew"):
        if f"{name}:max" in s and (_bad(s[f"{name}:max"], lambda v: v > hi)
                                   or _bad(s[f"{name}:min"], lambda v: v < lo)):
            raise InputError(
                f"{where}: {name} ranges {s[f'{name}:min']:.1f}..{s[f'{name}:max']:.1f} "
                f"degC, outside {lo:g}..{hi:g}; check the units attribute of the source "
                "variable"
            )
    for name in ("rh_max", "rh_min", "rh_mean"):
        if f"{name}:max" in s and _bad(s[f"{name}:max"], lambda v: v > RH_LIMIT):
            raise InputError(
                f"{where}: relative humidity {name} reaches {s[f'{name}:max']:.1f} % "
                f"(above {RH_LIMIT:g} %); check the units (a fraction 0-1 needs "
                "units='1', percent needs units='%')"
            )
        if f"{name}:min" in s and _bad(s[f"{name}:min"], lambda v: v < 0):
            raise InputError(f"{where}: relative humidity {name} is negative "
                             f"({s[f'{name}:min']:.1f} %); fix the input")
    if "rs:min" in s and _bad(s["rs:min"], lambda v: v < RS_TOLERANCE):
        raise InputError(f"{where}: solar radiation rs is negative "
                         f"({s['rs:min']:.3g} MJ m-2 day-1); fix the input or its units")
    if "precip:min" in s and _bad(s["precip:min"], lambda v: v < PRECIP_TOLERANCE):
        raise InputError(f"{where}: precipitation is negative ({s['precip:min']:.3g} mm "
                         "day-1); fix the input or its units")
    if "u2:min" in s and _bad(s["u2:min"], lambda v: v < 0):
        raise InputError(f"{where}: wind speed is negative ({s['u2:min']:.3g} m s-1); "
                         "give wind speed, not a wind component")
    if s["tmin-tmax:count"] > 0:
        raise InputError(
            f"{where}: tmin exceeds tmax by more than {TEMPERATURE_TOLERANCE} degC on "
            f"{int(s['tmin-tmax:count'])} cell-days; check that tmax and tmin are not "
            "swapped (--var tmax=... --var tmin=...)"
        )
    out = ds.copy()
    for name in ("rh_max", "rh_min", "rh_mean"):
        if name in out:
            out[name] = out[name].clip(max=100.0)
    for name in ("rs", "precip"):
        if name in out:
            out[name] = out[name].clip(min=0.0)
    return out
