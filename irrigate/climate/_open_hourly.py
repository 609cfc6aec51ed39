"""The hourly path of the climate adapter: hourly files -> one canonical HOURLY Dataset.

Same reading, name mapping, unit conversion, file joining, wind height, elevation and error
style as :func:`irrigate.climate.open_climate`, but the values stay hourly
(:mod:`irrigate.climate._hourly_steps`); for
:func:`irrigate.science.et0_hourly.reference_et_hourly`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import xarray as xr

from irrigate.climate import _pipeline
from irrigate.climate._assemble import _family
from irrigate.climate._hourly_checks import check_hourly_values
from irrigate.climate._hourly_steps import HOURLY_UNITS, TIME_LABEL, hourly_steps, select_days
from irrigate.errors import InputError
from irrigate.variables import attrs_for

HOURLY_ORDER = ("tmean", "tdew", "ea", "rh_mean", "rs", "u2", "precip", "pressure",
                "elevation")
#: long_name of the hourly variables (the variables table describes the daily ones).
_LONG_NAMES = {
    "tmean": "air temperature at 2 m at the time stamp (end of the hour)",
    "tdew": "dew point temperature at 2 m at the time stamp (end of the hour)",
    "ea": "actual vapour pressure at the time stamp (end of the hour)",
    "rh_mean": "relative humidity at the time stamp (end of the hour)",
    "rs": "incoming shortwave (solar) radiation of the hour ending at the time stamp",
    "u2": "wind speed at 2 m at the time stamp (end of the hour)",
    "precip": "precipitation of the hour ending at the time stamp",
    "pressure": "surface air pressure at the time stamp (end of the hour)",
}
_DAILY_HINT = "drop --hourly (open_climate in Python) for daily data"


def _hourly_attrs(name: str) -> dict[str, str]:
    attrs = attrs_for(name)
    if name in HOURLY_UNITS:
        attrs["units"] = HOURLY_UNITS[name]
    if name in _LONG_NAMES:
        attrs["long_name"] = _LONG_NAMES[name]
    return attrs


def open_climate_hourly(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    var_map: dict[str, str] | None = None,
    lat: float | None = None,
    lon: float | None = None,
    elevation: float | str | os.PathLike | None = None,
    wind_height: float | None = None,
    chunks: dict | None = None,
    time_range: tuple | None = None,
    require: tuple[str, ...] = ("tmean",),
) -> xr.Dataset:
    """Open hourly climate files (ERA5 / ERA5-Land single levels) as one hourly Dataset.

    Parameters
    ----------
    paths : path or list of paths
        Hourly NetCDF files (one or several variables per file; several files of a variable
        are joined along time). Daily files and station CSV files are errors.
    var_map, lat, lon, elevation, wind_height, chunks
        As in :func:`irrigate.climate.open_climate`.
    time_range : tuple, optional
        ``(start, end)`` dates (inclusive); day D is the hours stamped D 01:00 .. D+1 00:00.
    require : tuple of str
        Canonical variables that must be present; ``"elevation"`` may be listed too
        (hourly ET0 needs it for clear-sky radiation even when pressure is given).

    Returns
    -------
    xarray.Dataset
        Hourly ``tmean`` (degC), one humidity input (``tdew`` degC, ``ea`` kPa or
        ``rh_mean`` %), ``rs`` (MJ m-2 h-1), ``u2`` (m s-1 at 2 m, FAO-56 Eq. 47),
        ``precip`` (mm h-1), ``pressure`` (kPa), ``elevation`` (m), each present when the
        files give it. Every value is labelled at the **end** of its hour (global attribute
        ``climate_time_label = "end"``; pass ``label="end"`` to
        :func:`irrigate.science.et0_hourly.reference_et_hourly`): accumulations are the amount of
        the hour ending at the stamp (ERA5-Land running totals de-accumulated), instantaneous
        fields the value at the stamp. The 24 hourly ``rs`` and ``precip`` amounts stamped
        D 01:00 .. D+1 00:00 add up to the daily values :func:`open_climate` gives for day D.

    Raises
    ------
    InputError
        Any problem with the files (one line naming the file, variable and fix), including
        daily or CSV input.

    """
    inputs = _pipeline.read(paths, var_map, chunks, check_files=_refuse_csv)
    daily = [f for f in inputs.timed if not f.hourly]
    if daily:
        f = daily[0]
        raise InputError(f"{f.file}: '{f.source}' is daily, not hourly; the hourly path needs "
                         f"1-hourly ERA5 / ERA5-Land files; {_DAILY_HINT}")
    notes = inputs.notes
    by_kind, convention = hourly_steps(inputs.timed, inputs.hints, notes)
    sources = _pipeline.sources_of(by_kind)
    families = sorted({_family(f, convention) for f in inputs.timed})
    ds, wind = _pipeline.assemble(by_kind, inputs, sources, notes, wind_height=wind_height,
                                  lat=lat, lon=lon, elevation=elevation)
    missing = [n for n in require if n not in ds]
    if missing:
        have = ", ".join(n for n in HOURLY_ORDER if n in ds) or "none"
        fix = ("pass --elev METRES or --elev FILE (elevation= in Python)"
               if missing[0] == "elevation" else f"map a variable with --var {missing[0]}=NAME")
        raise InputError(f"{inputs.names}: missing required hourly variable(s) "
                         f"{', '.join(missing)} (have: {have}); {fix}")
    if time_range is not None:
        ds = select_days(ds, *time_range)
    ds = _pipeline.canonical(ds, HOURLY_ORDER, check_hourly_values, inputs.names)
    times = pd.DatetimeIndex(ds["time"].values)
    provenance = {
        "climate_source_family": ", ".join(families),
        "climate_input_files": inputs.names,
        "climate_time_step": "1 hour",
        "climate_time_label": TIME_LABEL,
        "climate_time_range": f"{times[0]:%Y-%m-%d %H:%M}..{times[-1]:%Y-%m-%d %H:%M}",
        "climate_notes": "; ".join(notes),
    }
    return _pipeline.label(ds, HOURLY_ORDER, _hourly_attrs, sources, provenance, wind)


def _refuse_csv(files: list[Path]) -> None:
    for path in files:
        if path.suffix.lower() == ".csv":
            raise InputError(f"{path}: station CSV files hold daily values; the hourly path "
                             f"reads hourly NetCDF (ERA5 / ERA5-Land); {_DAILY_HINT}")
