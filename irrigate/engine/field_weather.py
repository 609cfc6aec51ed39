"""Weather of one field for the season plan: the point, the observed days and the outlook.

:func:`open_field_climate` opens any climate input the package reads at one point and
records where the weather comes from; :func:`outlook_members` builds the real-time ensemble:
the input's own weather up to ``today``, then, for each climatology year, that year's weather
on the same calendar days (optionally a forecast file first), or one member on the daily
normal (:class:`OutlookWeather`). Members are stacked on a ``member`` dimension so that one
call of :func:`irrigate.engine.simulate.simulate` runs them all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.errors import InputError

#: A station farther than this from the field (degrees of latitude/longitude) is not its
#: weather when the input has a single station (with several: their median spacing).
SINGLE_STATION_REACH_DEG = 0.5


class WeatherBasis(Enum):
    """Where the weather of a stretch of the season comes from."""

    OBSERVED = "observed"
    CLIMATOLOGY = "climatology"
    FORECAST = "forecast"
    NORMAL = "normal"


class OutlookWeather(StrEnum):
    """What stands for the weather after today (after the forecast, if one is given).

    ``CLIMATOLOGY``: each other year of the input on the same calendar days, one member per
    year (the spread of the next irrigation over the years). ``NORMAL``: the daily normal,
    the mean of those years' weather on each calendar day, one member (no spread; rain is
    spread thin over many days, so it wets less and runs off less than real storms).
    """

    CLIMATOLOGY = "climatology"
    NORMAL = "normal"


@dataclass(frozen=True)
class FieldWeather:
    """Daily canonical climate at one point and where it comes from.

    Attributes
    ----------
    data : xarray.Dataset
        Canonical daily variables (:func:`irrigate.climate.open_climate`) on ``time`` only;
        ``lat`` and ``lon`` are scalar coordinates.
    source : str
        Input files and the cell or station taken.
    kind : str
        ``"synthetic"`` when an input file says so, else ``"observed or reanalysis"``.

    """

    data: xr.Dataset
    source: str
    kind: str


def _synthetic(paths: Sequence[Path]) -> bool:
    """Return True if any NetCDF input declares itself synthetic in its global attributes."""
    for path in paths:
        if path.suffix.lower() == ".csv":
            text = path.read_text(encoding="utf-8", errors="replace")[:4000].lower()
            if "synthetic" in text:
                return True
            continue
        # not closed here: the climate reader may share the cached handle of this file
        attrs = {k.lower(): str(v).lower()
                 for k, v in xr.open_dataset(path, decode_times=False).attrs.items()}
        if "synthetic" in attrs or "synthetic" in attrs.get("title", ""):
            return True
    return False


def _station_reach(all_stations: xr.Dataset) -> float:
    """Median distance (degrees) from each station to its nearest neighbour."""
    lat = np.asarray(all_stations["lat"].values, dtype=float)
    lon = np.asarray(all_stations["lon"].values, dtype=float)
    if lat.size < 2:
        return SINGLE_STATION_REACH_DEG
    d = np.hypot(lat[:, None] - lat[None, :], lon[:, None] - lon[None, :])
    d[np.diag_indices_from(d)] = np.inf
    return float(np.median(d.min(axis=1)))


def open_field_climate(paths: Sequence[str | os.PathLike], lat: float, lon: float,
                       var_map: dict[str, str] | None = None) -> FieldWeather:
    """Open climate files at the field's point (nearest cell or station).

    Parameters
    ----------
    paths : list of paths
        NetCDF (grid or stations) and/or station CSV files.
    lat, lon : float
        The field, degrees north and east.
    var_map : dict, optional
        Canonical name -> variable name in the files (as ``open_climate``).

    Returns
    -------
    FieldWeather

    Raises
    ------
    InputError
        Missing files; a point outside the grid (one grid step, checked by
        ``open_climate``) or farther from every station than their median spacing.

    """
    from irrigate.climate import open_climate

    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: input file not found")
    ds = open_climate(files, var_map=var_map, lat=lat, lon=lon)
    space = [d for d in ds["precip"].dims if d != "time"]
    if "station" in space and ds.sizes["station"] == 1:
        # a station CSV is one station (placed at --lat/--lon when it has no location)
        csv = any(p.suffix.lower() == ".csv" for p in files)
        everyone = ds if csv else open_climate(files, var_map=var_map)
        reach = _station_reach(everyone)
        got_lat, got_lon = float(ds["lat"].values[0]), float(ds["lon"].values[0])
        want_lon = ((float(lon) + 180.0) % 360.0) - 180.0
        if np.isfinite(got_lon) and np.hypot(got_lat - lat, got_lon - want_lon) > reach:
            raise InputError(
                f"--lat {lat:g} --lon {lon:g}: outside the stations of the input (nearest "
                f"{got_lat:g}, {got_lon:g} is more than {reach:.2g} degrees away, the "
                "stations' spacing); check --lat/--lon or give this field's weather")
    point = ds.isel({d: 0 for d in space}).load()  # one point: small, read it now
    where = ", ".join(f"{d} {point[d].values}" for d in space if d in point.coords
                      and d not in ("lat", "lon"))
    place = f"lat {float(point['lat']):.4g}, lon {float(point['lon']):.4g}"
    source = f"{', '.join(p.name for p in files)} ({where + ', ' if where else ''}{place})"
    kind = "synthetic" if _synthetic(files) else "observed or reanalysis"
    return FieldWeather(data=point, source=source, kind=kind)


def _shift_year(day: pd.Timestamp, years: int) -> pd.Timestamp:
    """Return the same calendar day ``years`` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _member(data: xr.Dataset, days: pd.DatetimeIndex, year_shift: int) -> xr.Dataset:
    src = pd.DatetimeIndex([_shift_year(d, year_shift) for d in days])
    part = data.sel(time=src)
    return part.assign_coords(time=days)


def climatology_years(data: xr.Dataset, season_year: int, future: pd.DatetimeIndex,
                      years: tuple[int, int] | None = None) -> list[int]:
    """Return the years whose weather covers the calendar days ``future`` completely.

    Parameters
    ----------
    data : xarray.Dataset
        The field's weather (time only).
    season_year : int
        Year of the season being planned (never its own climatology).
    future : DatetimeIndex
        The days after today to fill, in the season's years.
    years : (int, int), optional
        First and last year allowed (inclusive).

    """
    times = pd.DatetimeIndex(data["time"].values).normalize()
    have = set(times)
    first, last = int(times[0].year), int(times[-1].year)
    out = []
    for year in range(first, last + 1):
        if year == season_year or (years and not years[0] <= year <= years[1]):
            continue
        shifted = [_shift_year(d, year - season_year) for d in future]
        if not all(d in have for d in shifted):
            continue
        part = data["precip"].sel(time=shifted)
        if bool(part.isnull().any()):
            continue
        out.append(year)
    return out


def outlook_members(weather: xr.Dataset, start: pd.Timestamp, today: pd.Timestamp,
                    end: pd.Timestamp, season_year: int, years: tuple[int, int] | None = None,
                    forecast: xr.Dataset | None = None,
                    outlook: OutlookWeather = OutlookWeather.CLIMATOLOGY
                    ) -> tuple[xr.Dataset, list[str], str]:
    """Stack the real-time ensemble: observed to ``today``, then each outlook year.

    Parameters
    ----------
    weather : xarray.Dataset
        The field's weather (time only), covering ``start``..``today``.
    start, today, end : Timestamp
        First simulated day, last observed day, last simulated day.
    season_year : int
        Year of the season.
    years : (int, int), optional
        Climatology years allowed (inclusive); default every other year with the days.
    forecast : xarray.Dataset, optional
        Weather of the days after today (time only), used before the climatology.
    outlook : OutlookWeather
        Each climatology year as a member, or their daily normal as one member.

    Returns
    -------
    members : xarray.Dataset
        Dims ``(time, member)``, ``member`` labelled by the climatology year (``"normal"``
        for the daily normal).
    labels : list of str
        Member labels.
    basis : str
        One line that says what the days after today are.

    Raises
    ------
    InputError
        No climatology year, a forecast that does not start the day after today or lacks a
        variable of the input.

    """
    observed = weather.sel(time=slice(start, today))
    future = pd.date_range(today + pd.Timedelta(days=1), end, freq="D")
    fc_days = pd.DatetimeIndex([])
    basis_fc = ""
    if forecast is not None:
        ftimes = pd.DatetimeIndex(forecast["time"].values).normalize()
        forecast = forecast.assign_coords(time=ftimes).sel(time=slice(future[0], end))
        ftimes = pd.DatetimeIndex(forecast["time"].values)
        if len(ftimes) == 0 or ftimes[0] != future[0]:
            raise InputError(f"--forecast: must start on the day after --today "
                             f"({future[0].date()}); it has no day from {future[0].date()} "
                             f"to {end.date()}" if len(ftimes) == 0 else
                             f"--forecast: must start on the day after --today "
                             f"({future[0].date()}), it starts {ftimes[0].date()}")
        missing = [v for v in weather.data_vars if "time" in weather[v].dims
                   and v not in forecast]
        if missing:
            raise InputError(f"--forecast: no {', '.join(missing)}; the forecast needs the "
                             "same variables as the input")
        fc_days = ftimes
        basis_fc = f"forecast {ftimes[0].date()}..{ftimes[-1].date()}, then "
    rest = future[len(fc_days):]
    chosen = climatology_years(weather, season_year, rest, years)
    if not chosen:
        span = f" within {years[0]}-{years[1]}" if years else ""
        raise InputError(f"--today {today.date()}: no other year of the input{span} has "
                         f"weather for {rest[0].date():%m-%d}..{rest[-1].date():%m-%d}; "
                         "give more years or a --forecast to the end of the season"
                         if len(rest) else "no climatology needed")
    timed = [v for v in weather.data_vars if "time" in weather[v].dims]
    rests = [_member(weather[timed], rest, year - season_year) for year in chosen] \
        if len(rest) else [None] * len(chosen)
    labels = [str(y) for y in chosen]
    if outlook is OutlookWeather.NORMAL:
        # the daily normal: each variable's mean over the years, per calendar day
        rests = [xr.concat(rests, dim="member").mean("member", keep_attrs=True)
                 if len(rest) else None]
        labels = ["normal"]
    members = []
    for part in rests:
        pieces = [observed[timed]]
        if len(fc_days):
            pieces.append(forecast[timed])
        if part is not None:
            pieces.append(part)
        members.append(xr.concat(pieces, dim="time", coords="minimal", compat="override",
                                 join="override"))
    out = xr.concat(members, dim=pd.Index(labels, name="member"), coords="minimal",
                    compat="override")
    for name in weather.data_vars:  # static fields (elevation)
        if "time" not in weather[name].dims:
            out[name] = weather[name]
    what = ("the daily normal (mean per calendar day) of" if outlook is OutlookWeather.NORMAL
            else "the weather of")
    basis = (f"observed to {today.date()}, then {basis_fc}{what} {len(chosen)} "
             f"other years of the input ({chosen[0]}-{chosen[-1]}) on the same days")
    return out, labels, basis


def as_members(weather: xr.Dataset, start: pd.Timestamp, end: pd.Timestamp) -> xr.Dataset:
    """Return the observed weather of ``start..end`` as a one-member ensemble."""
    part = weather.sel(time=slice(start, end))
    return part.expand_dims(member=["observed"]).transpose("time", "member")


def to_date(value: pd.Timestamp | np.datetime64 | dt.date) -> dt.date:
    """Return a ``datetime.date``."""
    return pd.Timestamp(value).date()
