"""Hourly (ERA5 / ERA5-Land single levels) fields turned into UTC-day values.

Day D is the UTC day D 00:00 .. D+1 00:00.

- Instantaneous fields (``t2m``, ``d2m``, ``u10``, ``v10``, ``sp``, hourly ``tas`` ...)
  use the 24 values valid at D 00:00 .. D 23:00.
- ``mx2t``/``mn2t`` and ERA5 accumulations describe the hour *ending* at their valid
  time, so day D uses valid times D 01:00 .. D+1 00:00 (ECMWF, "ERA5: How to calculate
  daily total precipitation"; the CDS daily-statistics code shifts these by one hour
  for the same reason).
- ERA5 ``tp``/``ssrd``: accumulation over the preceding hour; daily total = sum of the
  24 values valid D 01:00 .. D+1 00:00.
- ERA5-Land ``tp``/``ssrd``: accumulated from 00 UTC and reset daily; the value valid at
  D+1 00:00 is the total of day D (summing would count each hour up to 24 times).

Only complete days are kept: a day needs all 24 hourly values (or, for ERA5-Land
accumulations, the value at D+1 00:00).
"""

from __future__ import annotations

import dask
import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate._names import is_era5_land
from irrigate.errors import InputError

HOUR = pd.Timedelta(hours=1)
DAY = pd.Timedelta(days=1)

#: hourly accumulation conventions
ERA5 = "era5"
ERA5_LAND = "era5-land"


def is_subdaily(times: pd.DatetimeIndex) -> bool:
    """Return True if the time axis has steps shorter than one day."""
    if len(times) < 2:
        return bool(len(times) == 1 and (times[0] != times[0].normalize()))
    return bool(pd.Series(times).diff().dropna().median() < DAY)


def check_hourly(times: pd.DatetimeIndex, where: str) -> None:
    """Raise unless ``times`` are regular 1-hourly steps."""
    steps = np.unique(np.diff(times.values))
    if len(steps) != 1 or pd.Timedelta(steps[0]) != HOUR:
        raise InputError(
            f"{where}: sub-daily data must be regular 1-hourly steps (found steps of "
            f"{', '.join(str(pd.Timedelta(s)) for s in steps[:3])}); "
            "download hourly data or daily values"
        )


def _complete(times: pd.DatetimeIndex, need: int) -> pd.DatetimeIndex:
    counts = pd.Series(1, index=times).resample("D").count()
    return pd.DatetimeIndex(counts.index[counts.to_numpy() == need])


def daily(da: xr.DataArray, how: str, shift: bool = False) -> tuple[xr.DataArray,
                                                                    pd.DatetimeIndex]:
    """Aggregate an hourly field to UTC days.

    Parameters
    ----------
    da : xarray.DataArray
        Hourly field with a ``time`` dimension.
    how : {"mean", "max", "min", "sum"}
        Daily statistic.
    shift : bool
        True for values describing the hour ending at their time stamp (accumulations,
        ``mx2t``/``mn2t``): day D then uses D 01:00 .. D+1 00:00.

    Returns
    -------
    tuple
        The daily field and the days that had all 24 values.

    """
    times = pd.DatetimeIndex(da["time"].values)
    if shift:
        times = times - HOUR
        da = da.assign_coords(time=times)
    out = getattr(da.resample(time="1D"), how)(keep_attrs=True)
    return out, _complete(times, 24)


def land_daily_total(da: xr.DataArray) -> tuple[xr.DataArray, pd.DatetimeIndex]:
    """Daily totals of an ERA5-Land accumulation: the value valid at D+1 00:00 (day D)."""
    times = pd.DatetimeIndex(da["time"].values)
    at_midnight = np.flatnonzero(times == times.normalize())
    out = da.isel(time=at_midnight)
    days = times[at_midnight] - DAY
    out = out.assign_coords(time=days)
    return out, days


def detect_accumulation(fields: list[xr.DataArray], hints: str) -> tuple[str, str]:
    """Decide whether hourly accumulations follow the ERA5 or the ERA5-Land convention.

    The file name and global attributes are searched first for "era5-land" (also
    "era5_land", "era5land", "reanalysis-era5-land"). Otherwise the data decide: ERA5-Land
    values grow through the UTC day (never decrease between D 01:00 and D+1 00:00), ERA5
    hourly values of solar radiation or precipitation rise and fall. Only the first ten
    days are read.

    Returns
    -------
    tuple
        ``(convention, reason)``.

    """
    if is_era5_land(hints):
        return ERA5_LAND, "file name or attributes name ERA5-Land"
    for limit in (240, None):  # the first ten days; the whole record if they are all dry
        falls, rises = _falls_rises(fields, limit)
        if falls:
            return ERA5, "hourly accumulations rise and fall within days (ERA5 convention)"
        if rises:
            return ERA5_LAND, ("hourly accumulations only grow within days (ERA5-Land "
                               "convention)")
    return ERA5, "accumulations constant within days; ERA5 convention assumed"


def _falls_rises(fields: list[xr.DataArray], limit: int | None) -> tuple[bool, bool]:
    """Whether hourly values ever fall / rise between hours of the same UTC day."""
    falls = rises = False
    for da in fields:
        times = pd.DatetimeIndex(da["time"].values) - HOUR  # hour-ending labels
        n = len(times) if limit is None else min(len(times), limit)
        sub = da.isel(time=slice(0, n))
        same_day = np.flatnonzero(times[1:n].normalize() == times[: n - 1].normalize())
        if same_day.size == 0:
            continue
        diffs = sub.diff("time").isel(time=same_day)
        scale, low, high = dask.compute(abs(sub).max(), diffs.min(), diffs.max())
        scale, low, high = (float(np.asarray(v)) for v in (scale, low, high))
        if not np.isfinite(scale) or scale == 0.0:
            continue
        falls |= low < -1e-6 * scale
        rises |= high > 1e-6 * scale
    return falls, rises
