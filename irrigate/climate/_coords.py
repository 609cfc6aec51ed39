"""Coordinate and time normalisation of one opened climate file.

Renames ``latitude``/``longitude``/``valid_time`` to ``lat``/``lon``/``time``, folds
0..360 longitudes to -180..180 and sorts both axes ascending, removes the ``expver`` and
``number`` leftovers of CDS downloads and a single-member ensemble dimension (E-OBS
``ensemble``), checks that the coordinates are on the Earth, reads the calendar by a stated
rule, and checks the time axis.

Calendars (CF ``calendar`` attribute): ``standard``/``gregorian``/``proleptic_gregorian``
are real dates. ``noleap``/``365_day`` dates are real dates too, but 29 February is missing
in leap years: the day is inserted with the mean of 28 February and 1 March of every
variable (amounts included), and ``climate_notes`` says so. ``360_day``, ``all_leap``/
``366_day`` and ``julian`` are refused: their days are not the days of the real calendar
(a 360-day year has 30 February), so any mapping would invent or drop weather; convert the
file to the standard calendar first (e.g. ``cdo setcalendar`` with interpolation, or
``xclim.core.calendar.convert_calendar``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError

_RENAMES = {"latitude": "lat", "longitude": "lon", "valid_time": "time"}
#: Dimensions of ensemble members: one member is squeezed, several are an error.
_MEMBER_DIMS = ("number", "ensemble", "realization", "member")
#: Calendars whose dates are real dates; ``noleap`` lacks 29 February (inserted).
_REAL = ("standard", "gregorian", "proleptic_gregorian")
_NOLEAP = ("noleap", "365_day")


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
    _check_on_earth(ds, where)
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
    for dim in _MEMBER_DIMS:
        if dim in ds.dims:
            if ds.sizes[dim] > 1:
                raise InputError(
                    f"{where}: has {ds.sizes[dim]} ensemble members ('{dim}'); "
                    "select one member or the ensemble mean first"
                )
            ds = ds.isel({dim: 0})
    drop = [n for n in ("expver", "step", "surface", "heightAboveGround", *_MEMBER_DIMS)
            if n in ds.coords and n not in ds.dims]
    return ds.drop_vars(drop)


#: Coordinates that must lie on the Earth: name, lowest and highest degrees, the word for it.
EARTH_RANGES = (("lat", -90.0, 90.0, "latitude"), ("lon", -180.0, 360.0, "longitude"))


def off_earth(ds: xr.Dataset, coords_only: bool = False
              ) -> tuple[str, str, float, float, float, float] | None:
    """Return ``(name, word, min, max, lo, hi)`` of the first coordinate off the Earth, or None.

    Latitudes must lie in -90..90 and longitudes in -180..360 degrees; all-NaN or empty
    coordinates are skipped. ``coords_only``: look at coordinates, not data variables.
    """
    names = ds.coords if coords_only else ds.variables
    for name, lo, hi, what in EARTH_RANGES:
        if name not in names or ds[name].size == 0:
            continue
        values = np.asarray(ds[name].values, dtype=float)
        if np.isnan(values).all():
            continue
        vmin, vmax = float(np.nanmin(values)), float(np.nanmax(values))
        if vmin < lo or vmax > hi:
            return name, what, vmin, vmax, lo, hi
    return None


def _check_on_earth(ds: xr.Dataset, where: str) -> None:
    """Refuse latitudes outside -90..90 and longitudes outside -180..360 degrees."""
    bad = off_earth(ds)
    if bad is not None:
        _, what, vmin, vmax, lo, hi = bad
        hint = ("radians? give degrees" if max(abs(vmin), abs(vmax)) <= 6.3 else
                "are lat and lon swapped, or is it a projected (x/y) grid?")
        raise InputError(f"{where}: {what} {vmin:g}..{vmax:g} is not on the Earth "
                         f"({lo:g}..{hi:g} degrees); {hint} Fix the coordinate")


def _calendar(ds: xr.Dataset, where: str) -> xr.Dataset:
    """Read a cftime axis (CMIP calendars) as real dates, by the rule of the module doc."""
    if np.issubdtype(ds["time"].dtype, np.datetime64):
        return ds
    calendar = str(getattr(ds["time"].values[0], "calendar", "") or
                   ds["time"].encoding.get("calendar", "")).lower()
    if calendar not in _REAL + _NOLEAP:
        raise InputError(
            f"{where}: time is in the '{calendar or 'unknown'}' calendar, whose days are not "
            "the days of the real calendar (a 360-day year has 30 February); convert the "
            "file to the standard calendar first (e.g. cdo setcalendar,standard, or "
            "xclim.core.calendar.convert_calendar with interpolation)")
    try:
        out = ds.convert_calendar("standard", align_on="date", use_cftime=False)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError(
            f"{where}: time axis could not be read as dates ({exc}); "
            "give time in a standard calendar"
        ) from None
    if calendar in _NOLEAP:
        out = _insert_leap_days(out)
        out.attrs["irrigate_calendar_note"] = (
            f"{calendar} calendar: 29 February of leap years inserted as the mean of "
            "28 February and 1 March")
    return out


def _insert_leap_days(ds: xr.Dataset) -> xr.Dataset:
    """Insert 29 February (mean of 28 February and 1 March) where a leap year lacks it."""
    times = pd.DatetimeIndex(ds["time"].values)
    one = pd.Timedelta(days=1)
    feb28 = times[(times.month == 2) & (times.day == 28) & times.is_leap_year]
    add = [(t + one, t, t + 2 * one) for t in feb28
           if t + one not in times and t + 2 * one in times]
    if not add:
        return ds
    timed = [v for v in ds.data_vars if "time" in ds[v].dims]
    extra = xr.concat([(0.5 * (ds[timed].sel(time=a) + ds[timed].sel(time=b)))
                       .assign_coords(time=leap) for leap, a, b in add], dim="time")
    out = xr.concat([ds[timed], extra], dim="time", combine_attrs="override").sortby("time")
    for name in timed:
        out[name].attrs = ds[name].attrs
    # the time-less rest keeps the original time coordinate: join it onto the new one
    return out.merge(ds.drop_vars(timed), join="outer", combine_attrs="override")


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
