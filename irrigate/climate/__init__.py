"""Climate input adapters: files in many layouts -> one canonical daily Dataset.

:func:`open_climate` reads NetCDF (ERA5, ERA5-Land, CDS daily statistics, CF/CMIP,
E-OBS, station collections) and station CSV files, maps variable names, converts units
with pint, turns hourly data into UTC-day values and checks value ranges. The result is
in FAO-56 core units with the names of :mod:`irrigate.variables`. :func:`open_climate_hourly`
keeps hourly ERA5 / ERA5-Land values hourly (for hourly reference ET).
``docs/climate-input.md`` is the user documentation.

ERA5 / ERA5-Land daily-statistics layout read (CDS datasets
"derived-era5-single-levels-daily-statistics" and "derived-era5-land-daily-statistics";
see :func:`era5_daily_statistics_layout`): one NetCDF file per variable and statistic,
named ``<cds variable>_<stream>_daily-<statistic>.nc`` (e.g.
``2m_temperature_0_daily-max.nc``, ``2m_temperature_stream-oper_daily-min.nc``); the
statistic is only in the file name (a CF ``cell_methods = "time: maximum"`` attribute is
accepted instead). Dimensions ``valid_time, latitude, longitude`` (latitude descending),
variables named with ERA5 short names and ERA5 units: ``t2m``/``d2m`` K, ``u10``/``v10``
m s-1, ``sp`` Pa, ``tp`` m, ``ssrd`` J m-2. For ``tp``/``ssrd`` the CDS "daily_mean" is
the mean of the 24 hourly accumulations, so the daily total is 24 x the value;
"daily-sum" files (or ``cell_methods = "time: sum"``) are read as daily totals.
ERA5-Land daily statistics do not offer accumulated variables (ECMWF, "ERA5 family
post-processed daily statistics documentation", Table 1): take ``tp``/``ssrd`` from
ERA5-Land hourly files (value at 00 UTC of the next day) or from ERA5 daily statistics.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pandas as pd
import xarray as xr

from irrigate.climate import _pipeline
from irrigate.climate._assemble import _family
from irrigate.climate._checks import check_and_clean
from irrigate.climate._daily import daily_fields, hourly_fields
from irrigate.climate._fields import ClimateField
from irrigate.climate._names import MAPPABLE
from irrigate.climate._open_hourly import open_climate_hourly
from irrigate.errors import InputError
from irrigate.variables import attrs_for

__all__ = ["open_climate", "open_climate_hourly", "era5_daily_statistics_layout", "MAPPABLE"]

_CANONICAL_ORDER = ("tmax", "tmin", "tmean", "tdew", "ea", "rh_max", "rh_min", "rh_mean",
                    "rs", "u2", "precip", "pressure", "elevation")


def era5_daily_statistics_layout() -> dict[str, dict[str, str]]:
    """Describe the CDS daily-statistics files :func:`open_climate` reads.

    Returns
    -------
    dict
        For each canonical input: ``file`` (name pattern, ``*`` for any stream label),
        ``variable`` (name inside the file), ``units`` and ``meaning``.

    """
    return {
        "tmax": {"file": "2m_temperature_*_daily-max.nc", "variable": "t2m", "units": "K",
                 "meaning": "daily maximum of hourly 2 m temperature"},
        "tmin": {"file": "2m_temperature_*_daily-min.nc", "variable": "t2m", "units": "K",
                 "meaning": "daily minimum of hourly 2 m temperature"},
        "tdew": {"file": "2m_dewpoint_temperature_*_daily-mean.nc", "variable": "d2m",
                 "units": "K", "meaning": "daily mean 2 m dew point"},
        "u10": {"file": "10m_u_component_of_wind_*_daily-mean.nc", "variable": "u10",
                "units": "m s-1", "meaning": "daily mean eastward 10 m wind"},
        "v10": {"file": "10m_v_component_of_wind_*_daily-mean.nc", "variable": "v10",
                "units": "m s-1", "meaning": "daily mean northward 10 m wind"},
        "pressure": {"file": "surface_pressure_*_daily-mean.nc", "variable": "sp",
                     "units": "Pa", "meaning": "daily mean surface pressure"},
        "precip": {"file": "total_precipitation_*_daily-mean.nc", "variable": "tp",
                   "units": "m", "meaning": "mean of the 24 hourly accumulations "
                   "(daily total = 24 x value); a *_daily-sum.nc file holds the total"},
        "rs": {"file": "surface_solar_radiation_downwards_*_daily-mean.nc",
               "variable": "ssrd", "units": "J m-2",
               "meaning": "mean of the 24 hourly accumulations (daily total = 24 x value)"},
        "dims": {"file": "all files", "variable": "valid_time, latitude, longitude",
                 "units": "latitude descending, longitude -180..180 or 0..360",
                 "meaning": "valid_time at 00:00 of each UTC day"},
    }


def open_climate(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    var_map: dict[str, str] | None = None,
    lat: float | None = None,
    lon: float | None = None,
    elevation: float | str | os.PathLike | None = None,
    wind_height: float | None = None,
    chunks: dict | None = None,
    time_range: tuple | None = None,
    require: tuple[str, ...] = ("tmax", "tmin", "precip"),
) -> xr.Dataset:
    """Open climate files as one canonical daily Dataset in FAO-56 units.

    Parameters
    ----------
    paths : path or list of paths
        NetCDF files (one or several variables per file, hourly or daily) and/or station
        CSV files (``.csv``).
    var_map : dict, optional
        Canonical name -> variable name in the files, for names not recognised
        automatically, e.g. ``{"tmax": "TX"}``. Keys: :data:`MAPPABLE`.
    lat, lon : float, optional
        Station location for CSV files without one; for NetCDF, both select the nearest
        grid cell or station.
    elevation : float, str or path, optional
        Elevation in m (a number) or a NetCDF file holding ``z`` (geopotential),
        ``orog`` or ``elevation``. Needed when surface pressure is not given.
    wind_height : float, optional
        Height (m) of the wind speed input; overrides metadata and family defaults.
    chunks : dict, optional
        Dask chunks, e.g. ``{"lat": 50, "lon": 50}``; the result stays lazy.
    time_range : tuple, optional
        ``(start, end)`` dates (inclusive); ``None`` ends are open.
    require : tuple of str
        Canonical variables that must be present (``irrigate et0`` needs only
        ``("tmax", "tmin")``).

    Returns
    -------
    xarray.Dataset
        Daily variables ``tmax``, ``tmin`` (degC), optional ``tmean``, one humidity input
        (``tdew`` degC, ``ea`` kPa, ``rh_max`` + ``rh_min`` % or ``rh_mean`` %), ``rs``
        (MJ m-2 day-1), ``u2`` (m s-1 at 2 m), ``precip`` (mm day-1), ``pressure`` (kPa),
        ``elevation`` (m); dims ``time`` and ``lat, lon`` or ``station``. Global attributes
        ``climate_*`` record what was done.

    Raises
    ------
    InputError
        Any problem with the files (one line naming the file, variable and fix).

    """
    inputs = _pipeline.read(paths, var_map, chunks)
    notes = inputs.notes
    by_kind, convention = _daily_steps(inputs, notes)
    sources = _pipeline.sources_of(by_kind)
    families = sorted({_family(f, convention) for f in inputs.timed})
    missing = [n for n in require if n not in by_kind]
    if missing:
        have = ", ".join(sorted(sources)) or "none"
        raise InputError(
            f"{inputs.names}: missing required variable(s) {', '.join(missing)} (recognised: "
            f"{have}); map a variable with --var {missing[0]}=NAME"
        )
    ds, wind = _pipeline.assemble(by_kind, inputs, sources, notes, wind_height=wind_height,
                                  lat=lat, lon=lon, elevation=elevation)
    if time_range is not None:
        ds = _select_time(ds, *time_range)
    ds = _pipeline.canonical(ds, _CANONICAL_ORDER, check_and_clean, inputs.names)
    provenance = {
        "climate_source_family": ", ".join(families),
        "climate_input_files": inputs.names,
        "climate_time_range": f"{pd.Timestamp(ds.time.values[0]):%Y-%m-%d}.."
                              f"{pd.Timestamp(ds.time.values[-1]):%Y-%m-%d}",
        "climate_notes": "; ".join(notes),
    }
    return _pipeline.label(ds, _CANONICAL_ORDER, attrs_for, sources, provenance, wind)


def _daily_steps(inputs: _pipeline.Inputs, notes: list[str]
                 ) -> tuple[dict[str, ClimateField], str]:
    """Daily fields by kind: daily files as they are, hourly files turned into UTC days."""
    by_kind = daily_fields([f for f in inputs.timed if not f.hourly], notes)
    from_hourly, convention = hourly_fields([f for f in inputs.timed if f.hourly],
                                            inputs.hints, notes)
    for kind, f in from_hourly.items():
        if kind in by_kind:
            raise InputError(f"{kind} is given both by {by_kind[kind].file} and "
                             f"{f.file}; pass only one of them")
        by_kind[kind] = f
    return by_kind, convention


def _select_time(ds: xr.Dataset, start: Any, end: Any) -> xr.Dataset:
    """Days ``start`` .. ``end`` (inclusive; None ends are open)."""
    first, last = (f"{pd.Timestamp(ds.time.values[i]):%Y-%m-%d}" for i in (0, -1))
    try:
        ds = ds.sel(time=slice(start, end))
    except (ValueError, TypeError, KeyError):
        raise InputError(f"time range {start}..{end}: not dates; use YYYY-MM-DD") \
            from None
    if ds.sizes["time"] == 0:
        raise InputError(f"time range {start or ''}..{end or ''}: no climate data in this "
                         f"period; the input covers {first}..{last}")
    return ds
