"""Elevation (for FAO-56 Eq. 7 pressure) and specific-humidity conversion."""

from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

from irrigate.climate._coords import normalise
from irrigate.climate._fields import ClimateField, open_netcdf, to_base
from irrigate.climate._names import recognise
from irrigate.errors import InputError
from irrigate.science.et0 import atmospheric_pressure


def ea_from_huss(ds: xr.Dataset) -> xr.DataArray:
    """Actual vapour pressure (kPa) from specific humidity q (kg kg-1) and pressure p.

    ea = q p / (0.622 + 0.378 q), the inverse of the definition of specific humidity
    q = 0.622 e / (p - 0.378 e) (ratio of molar masses of water and dry air 0.622; WMO
    Guide to Instruments and Methods of Observation, WMO-No. 8, Annex 4.B). Without
    surface pressure, p comes from elevation by FAO-56 Eq. 7.
    """
    q = ds["huss"]
    p = ds["pressure"] if "pressure" in ds else atmospheric_pressure(ds["elevation"])
    return q * p / (0.622 + 0.378 * q)


def _number(value: object) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _from_file(path: Path) -> tuple[xr.DataArray, str]:
    where = str(path)
    ds = normalise(open_netcdf(path, None), where)
    for name, da in ds.data_vars.items():
        found = recognise(da, where)
        if found and found[0] in ("elevation", "geopotential"):
            if "time" in da.dims:
                da = da.isel(time=0, drop=True)
            data, _ = to_base(found[0], da, where)
            return data, f"{name} ({path.name})"
    raise InputError(f"{where}: no elevation variable (z geopotential, orog, elevation or "
                     "standard_name surface_altitude); give another file or a number")


def _align(el: xr.DataArray, ds: xr.Dataset, where: str) -> xr.DataArray:
    """Put a static field on the grid or stations of ``ds`` (nearest point)."""
    el = el.reset_coords(drop=True) if not {"lat", "lon"} & set(el.coords) else el
    if el.ndim == 0:
        return el
    try:
        if "station" in ds.dims and "station" in el.dims:
            return el.sel(station=ds["station"])
        if "lat" in el.dims and "lon" in el.dims:
            out = el.sel(lat=ds["lat"], lon=ds["lon"], method="nearest")
            return out.drop_vars(["lat", "lon"]).assign_coords(
                {c: ds[c] for c in ("lat", "lon") if c in ds.dims})
    except (KeyError, ValueError):
        pass
    raise InputError(f"{where}: elevation is not on the grid or stations of the climate "
                     "data; give a matching elevation file or a number with --elev")


def attach(ds: xr.Dataset, elevation: float | str | os.PathLike | None,
           static: list[ClimateField], csv_meta: dict[str, str], notes: list[str]
           ) -> xr.Dataset:
    """Add ``elevation`` (m) to ``ds`` from the option, the inputs or a CSV header."""
    if elevation is not None:
        value = _number(elevation)
        if value is not None:
            if not -500.0 <= value <= 9000.0:  # Dead Sea shore -430 m, Everest 8849 m
                raise InputError(f"--elev {elevation}: not a land elevation in metres; give "
                                 "a value within -500..9000 m (elevation= in Python)")
            notes.append(f"elevation {value:g} m given")
            return ds.assign(elevation=xr.DataArray(value))
        path = Path(elevation)
        if not path.exists():
            raise InputError(f"--elev {elevation}: neither a number (metres) nor an "
                             "existing file")
        el, source = _from_file(path)
        notes.append(f"elevation from {source}")
        return ds.assign(elevation=_align(el, ds, str(path)))
    order = sorted(static, key=lambda f: f.kind != "elevation")
    if order:
        f = order[0]
        notes.append(f"elevation from {f.source} ({f.file})")
        return ds.assign(elevation=_align(f.data, ds, f.file))
    if "elevation" in csv_meta:
        value = _number(csv_meta["elevation"])
        if value is not None:
            return ds.assign(elevation=xr.DataArray(value))
    return ds
