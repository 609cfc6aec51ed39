"""Hourly (ERA5 / ERA5-Land single levels) fields kept hourly: one value per hour.

The hourly counterpart of :func:`irrigate.climate._daily.hourly_fields`, with the same
conventions (see :mod:`irrigate.climate._hourly`). Every value is labelled at the **end**
of its hour (ERA5 accumulations describe the hour ending at their valid time):

- ERA5 ``tp``/``ssrd``: the value of each step is the amount of the hour ending then.
- ERA5-Land ``tp``/``ssrd`` (accumulated from 00 UTC, reset daily): the amount of the hour
  ending at ``t`` is ``A(t) - A(t - 1 h)``; at 01:00 UTC it is ``A(01:00)`` itself (first hour
  after the reset); at 00:00 it is ``A(D+1 00:00) - A(D 23:00)``, the last hour of day D. The
  24 amounts of day D (stamped D 01:00 .. D+1 00:00) add up to ``A(D+1 00:00)``, the daily
  total of the daily path. A step whose previous hour is not in the record (other than
  01:00) is dropped.
- Hourly *rates* (W m-2, kg m-2 s-1, converted to per-day units when read) become amounts
  per hour (rate / 24).
- Instantaneous fields (``t2m``, ``d2m``, ``u10``/``v10``, ``sp``) are the values at the
  time stamp, i.e. at the end of the hour they are paired with.

Amounts are in MJ m-2 h-1 (``rs``) and mm h-1 (``precip``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate import _hourly
from irrigate.climate._daily import _group
from irrigate.climate._fields import ClimateField
from irrigate.errors import InputError

#: Time-stamp convention of the hourly fields returned here (see module docstring).
TIME_LABEL = "end"
#: Units of the hourly amounts (the daily path uses MJ m-2 day-1 and mm day-1).
HOURLY_UNITS = {"rs": "MJ m-2 h-1", "precip": "mm h-1"}

_INSTANT_KINDS = {"t_air": "tmean", "tmean": "tmean", "tdew": "tdew", "ea": "ea",
                  "huss": "huss", "rh": "rh_mean", "rh_mean": "rh_mean",
                  "pressure": "pressure", "wind": "wind", "uz": "wind", "u2": "u2"}
#: Hourly kinds with no hourly meaning here (statistics of the hour, not values).
_SKIPPED = ("tmax", "tmin", "rh_max", "rh_min")


def land_hourly_amounts(da: xr.DataArray) -> xr.DataArray:
    """Amounts of each hour from an ERA5-Land running accumulation (module docstring)."""
    times = pd.DatetimeIndex(da["time"].values)
    first = xr.DataArray((times.hour == 1) & (times.minute == 0), dims="time",
                         coords={"time": da["time"]})
    steps = xr.where(first, da, da - da.shift(time=1))
    has_previous = np.r_[False, np.diff(times.values) == np.timedelta64(1, "h")]
    keep = np.flatnonzero(first.values | has_previous)
    return steps.isel(time=keep)


def _speed(u: ClimateField, v: ClimateField) -> ClimateField:
    a, b = xr.align(u.data, v.data, join="inner")
    return u.with_data(np.sqrt(a**2 + b**2), kind="wind", source=f"{u.source},{v.source}",
                       file=", ".join(dict.fromkeys([u.file, v.file])))


def hourly_steps(fields: list[ClimateField], hints: str, notes: list[str]
                 ) -> tuple[dict[str, ClimateField], str | None]:
    """Return hourly fields by kind on their common hours, and the accumulation convention.

    Parameters
    ----------
    fields : list of ClimateField
        Hourly fields of all input files (several files of one variable are joined).
    hints : str
        File names and global attributes (decide ERA5 vs ERA5-Land).
    notes : list of str
        Receives what was done (for ``climate_notes``).

    """
    by_kind = _group(fields, notes)
    for f in by_kind.values():
        times = pd.DatetimeIndex(f.data["time"].values)
        _hourly.check_hourly(times, f.file)
        if len(times) and ((times.minute != 0) | (times.second != 0)).any():
            stamp = times[(times.minute != 0) | (times.second != 0)][0].strftime("%H:%M")
            raise InputError(
                f"{f.file}: variable '{f.source}' has hourly time stamps off the hour ({stamp}; "
                "period midpoints, as CMIP 1hr means); the hourly path labels each value at "
                "the end of its hour: shift the time axis to the period ends (e.g. cdo "
                "shifttime,30min) or use the daily path")
    if "u_wind" in by_kind and "v_wind" in by_kind:
        u, v = by_kind.pop("u_wind"), by_kind.pop("v_wind")
        if "wind" not in by_kind:
            by_kind["wind"] = _speed(u, v)
            notes.append("hourly wind speed = sqrt(u^2 + v^2)")
    amounts = [f.data for f in by_kind.values() if f.amount]
    convention = None
    if amounts:
        convention, reason = _hourly.detect_accumulation(amounts, hints)
        notes.append(f"hourly accumulations: {convention} convention ({reason})")
    out: dict[str, ClimateField] = {}
    for kind, f in by_kind.items():
        if kind in ("precip", "rs"):
            if not f.amount:
                data = f.data / 24.0
                notes.append(f"{kind} from the rate '{f.source}' ({f.file}) x 1 h")
            elif convention == _hourly.ERA5_LAND:
                data = land_hourly_amounts(f.data)
            else:
                data = f.data
            out[kind] = f.with_data(data)
        elif kind in _INSTANT_KINDS:
            name = _INSTANT_KINDS[kind]
            if name not in out or kind == name:
                out[name] = f.with_data(f.data, kind=name)
        elif kind in _SKIPPED or kind in ("u_wind", "v_wind"):
            notes.append(f"ignored '{f.source}' ({f.file}): not used by the hourly path")
    hours = None
    for f in out.values():
        idx = pd.DatetimeIndex(f.data["time"].values)
        hours = idx if hours is None else hours.intersection(idx)
    if hours is not None and len(hours) == 0:
        raise InputError("hourly inputs share no hour (after de-accumulating ERA5-Land "
                         "totals); give files covering the same period")
    for kind, f in out.items():
        out[kind] = f.with_data(f.data.sel(time=hours))
    return out, convention


def select_days(ds: xr.Dataset, start: object, end: object) -> xr.Dataset:
    """Keep the hours of the dates ``start`` .. ``end`` (inclusive; end-of-hour labels).

    Day D is the hours stamped D 01:00 .. D+1 00:00, the day of the daily path.
    """
    times = pd.DatetimeIndex(ds["time"].values)
    first, last = times[0] - _hourly.HOUR, times[-1] - _hourly.HOUR
    span = f"{first:%Y-%m-%d}..{last:%Y-%m-%d}"
    try:
        lo = None if start is None else pd.Timestamp(start).normalize()
        hi = None if end is None else pd.Timestamp(end).normalize() + _hourly.DAY
    except (ValueError, TypeError):
        raise InputError(f"time range {start}..{end}: not dates; use YYYY-MM-DD") from None
    keep = np.ones(len(times), dtype=bool)
    if lo is not None:
        keep &= times > lo
    if hi is not None:
        keep &= times <= hi
    if not keep.any():
        raise InputError(f"time range {start or ''}..{end or ''}: no climate data in this "
                         f"period; the input covers {span}")
    return ds.isel(time=np.flatnonzero(keep))
