"""Irrigated fraction of each grid cell, from NetCDF (``budget --irrigated-fraction``).

The edge reader of the optional irrigated-fraction grid: a two-dimensional lat/lon variable
of a NetCDF file, as a fraction (0-1) or percent, normalised like climate coordinates.
:func:`irrigate.regions.region_weights` then weights each cell by area x fraction.
"""

from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

from irrigate.climate._coords import normalise
from irrigate.climate._fields import open_netcdf
from irrigate.errors import InputError
from irrigate.variables import FRACTION_SOURCE

__all__ = ["FRACTION_SOURCE", "read_irrigated_fraction"]

#: units read as a fraction 0-1, and as percent 0-100, in an irrigated-fraction file
_FRACTION_UNITS = ("", "1", "-", "0-1", "fraction", "dimensionless", "m2 m-2", "m2/m2",
                   "km2 km-2", "ha ha-1")
_PERCENT_UNITS = ("%", "percent", "pct")



def read_irrigated_fraction(spec: str | os.PathLike) -> xr.DataArray:
    """Read an irrigated-fraction grid for :func:`irrigate.regions.region_weights` / ``budget()``.

    Parameters
    ----------
    spec : str or path
        ``FILE.nc`` or ``FILE.nc:VARIABLE`` (the CLI's ``--irrigated-fraction``): a NetCDF
        with a two-dimensional variable on latitude/longitude. Coordinates are normalised as
        for climate files (:func:`irrigate.climate._coords.normalise`: ``latitude`` /
        ``longitude`` names, descending latitudes, 0..360 longitudes); dimensions of length
        one (a single ``time``) are dropped. Without ``:VARIABLE`` the file must hold
        exactly one such variable.

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)``, values 0-1 (units ``%``/``percent`` are divided by 100; missing
        values count as 0 in :func:`irrigate.regions.region_weights`).
        ``attrs["irrigate_source"]`` names the file for error messages. Matching the
        climate grid is checked by
        :func:`irrigate.regions.region_weights`: same cell centres, no interpolation.

    Raises
    ------
    InputError
        Missing or unreadable file, no or several candidate variables without ``:VARIABLE``,
        an unknown variable, units that are neither a fraction nor percent, values outside
        0-1.

    """
    text = os.fspath(spec)
    path, name = Path(text), None
    if not path.exists() and ":" in text:
        head, tail = text.rsplit(":", 1)
        if head and tail and "/" not in tail and "\\" not in tail:
            path, name = Path(head), tail
    where = str(path)
    if not path.exists():
        raise InputError(f"{where}: irrigated-fraction file not found; check the path "
                         "(FILE.nc or FILE.nc:VARIABLE)")
    try:
        raw = open_netcdf(path, None)
    except InputError:  # its message offers a station CSV, which is no option here
        raise InputError(f"{where}: not a NetCDF file irrigate can read; give the irrigated "
                         "fraction as a NetCDF (.nc) grid") from None
    with raw:
        ds = normalise(raw, where).load()
    grids = [str(v) for v, da in ds.data_vars.items()
             if {"lat", "lon"} <= set(da.dims)
             and all(da.sizes[d] == 1 for d in da.dims if d not in ("lat", "lon"))]
    if name is None:
        if len(grids) != 1:
            found = f"variables {', '.join(grids)}" if grids else "no (lat, lon) variable"
            raise InputError(f"{where}: {found}; give one two-dimensional lat/lon variable "
                             "or name it as FILE.nc:VARIABLE")
        name = grids[0]
    elif name not in ds.data_vars:
        raise InputError(f"{where}: no variable '{name}'; choose one of "
                         f"{', '.join(grids) or 'none (no lat/lon variable)'}")
    elif name not in grids:
        dims = ", ".join(map(str, ds[name].dims))
        raise InputError(f"{where}: variable '{name}' has dims ({dims}); need a "
                         "two-dimensional (lat, lon) grid")
    da = ds[name]
    da = da.squeeze([d for d in da.dims if d not in ("lat", "lon")], drop=True)
    da = da.reset_coords(drop=True).transpose("lat", "lon").astype(float)
    units = str(da.attrs.get("units", "")).strip().lower()
    label = f"{where}:{name}"
    if units in _PERCENT_UNITS:
        da = da / 100.0
    elif units not in _FRACTION_UNITS:
        raise InputError(f"{label}: units '{da.attrs['units']}' are neither a fraction (units "
                         "'1', values 0-1) nor percent (units '%', values 0-100); convert it")
    lo, hi = float(da.min()), float(da.max())
    if lo < 0 or hi > 1:
        hint = " (percent? set units '%')" if units not in _PERCENT_UNITS and hi <= 100 else ""
        raise InputError(f"{label}: values {lo:g}..{hi:g} are outside 0-1{hint}; give the "
                         "irrigated fraction of each cell")
    da.attrs = {"units": "1", "long_name": "irrigated fraction of grid cell",
                FRACTION_SOURCE: label}
    da.name = "irrigated_fraction"
    return da
