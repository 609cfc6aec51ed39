"""Coordinate and time normalisation of one opened climate file.

Renames ``latitude``/``longitude``/``valid_time`` to ``lat``/``lon``/``time``, folds
0..360 longitudes to -180..180 and sorts both axes ascending, removes the ``expver`` and
``number`` leftovers of CDS downloads, and checks the time axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError

_RENAMES = {"latitude": "lat", "longitude": "lon", "valid_time": "time"}


def normalise(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Return ``ds`` with canonical coordinate names, ascending axes and a clean time axis.

    Raises
    ------
    InputError
        For an ensemble (``number`` with several members), two-dimensional latitude or
        longitude, or a time axis that is empty, not monotonic or duplicated.

    """
    renames = {k: v for k, v in _RENAMES.items() if k in ds.variables or k in ds.dims}
    if "time" in renames.values() and "time" in ds.variables and "valid_time" in ds.dims:
        ds = ds.drop_vars("time")  # GRIB-style forecast reference time next to valid_time
    ds = ds.rename(renames)
    ds = _drop_leftovers(ds, where)
    for name in ("lat", "lon"):
        if name in ds.variables and ds[name].ndim > 1:
            raise InputError(
                f"{where}: two-dimensional '{name}' (curvilinear grid) is not supported; "
                "regrid to a regular latitude/longitude grid first"
            )
    if "lon" in ds.dims:
        lon = ds["lon"]
        if float(lon.max()) > 180.0:
            ds = ds.assign_coords(lon=((lon + 180.0) % 360.0) - 180.0)
        ds = ds.sortby("lon")
    elif "lon" in ds.variables and ds["lon"].ndim == 1:
        lon = ds["lon"]
        ds = ds.assign_coords(lon=xr.where(lon > 180.0, lon - 360.0, lon))
    if "lat" in ds.dims:
        ds = ds.sortby("lat")
    if "time" in ds.dims:
        ds = _calendar(ds, where)
        check_time(pd.DatetimeIndex(ds["time"].values), where)
    return ds


def _drop_leftovers(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Remove ``expver`` and ``number`` (CDS download leftovers)."""
    if "expver" in ds.dims:  # older ERA5/ERA5T files: one of the two is missing per step
        ds = ds.mean("expver", skipna=True, keep_attrs=True)
    if "number" in ds.dims:
        if ds.sizes["number"] > 1:
            raise InputError(
                f"{where}: has {ds.sizes['number']} ensemble members ('number'); "
                "select one member or the ensemble mean first"
            )
        ds = ds.isel(number=0)
    drop = [n for n in ("expver", "number", "step", "surface", "heightAboveGround")
            if n in ds.coords and n not in ds.dims]
    return ds.drop_vars(drop)


def _calendar(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Convert a cftime axis (CMIP noleap/360-day calendars) to numpy datetimes."""
    if np.issubdtype(ds["time"].dtype, np.datetime64):
        return ds
    try:
        return ds.convert_calendar("standard", align_on="date", use_cftime=False)
    except Exception as exc:
        raise InputError(
            f"{where}: time axis could not be read as dates ({exc}); "
            "give time in a standard calendar"
        ) from None


def check_time(times: pd.DatetimeIndex, where: str) -> None:
    """Raise an :class:`InputError` if ``times`` is empty, duplicated or not increasing."""
    if len(times) == 0:
        raise InputError(f"{where}: has no time steps; give a file with data")
    if times.has_duplicates:
        first = times[times.duplicated()][0]
        raise InputError(
            f"{where}: time {first:%Y-%m-%d %H:%M} appears more than once; "
            "remove duplicated time steps (or overlapping files)"
        )
    if not times.is_monotonic_increasing:
        bad = int(np.argmax(np.diff(times.values) < np.timedelta64(0)))
        raise InputError(
            f"{where}: time is not increasing (at {times[bad + 1]:%Y-%m-%d %H:%M}); "
            "sort the file by time"
        )
