"""The steps the daily and the hourly climate paths share, in the order both run them.

1. :func:`read` -- resolve the paths, read the recognised fields of every file, split the
   static fields (elevation, geopotential) from the timed ones;
2. the path's own time step (daily statistics, or hourly values kept hourly);
3. :func:`assemble` -- pick the wind and reduce it to 2 m, put the fields on one grid,
   select a point, attach the elevation, require pressure or elevation, keep one humidity
   input (:func:`irrigate.science.humidity.pick_humidity`);
4. the path's time selection and value checks (:func:`canonical` orders, transposes and
   runs them);
5. :func:`label` -- attributes from the variables table, sources and ``climate_*``
   provenance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from irrigate.climate import _elevation, _wind
from irrigate.climate._assemble import (
    _combine,
    _humidity,
    _paths,
    _read_inputs,
    _renames,
    _select_point,
)
from irrigate.climate._fields import ClimateField
from irrigate.errors import InputError


@dataclass
class Inputs:
    """What :func:`read` found: files, their fields and their metadata."""

    files: list[Path]
    names: str
    static: list[ClimateField]
    timed: list[ClimateField]
    hints: str
    csv_meta: dict[str, str]
    notes: list[str]


def read(paths: str | os.PathLike | Iterable[str | os.PathLike],
         var_map: dict[str, str] | None, chunks: dict | None,
         check_files: Callable[[list[Path]], None] | None = None) -> Inputs:
    """Read the recognised fields of every file (step 1)."""
    files = _paths(paths)
    if check_files is not None:
        check_files(files)
    csv_meta: dict[str, str] = {}
    notes: list[str] = []
    fields, hints = _read_inputs(files, _renames(var_map), chunks, csv_meta, notes)
    static = [f for f in fields if f.kind in ("elevation", "geopotential")]
    timed = [f for f in fields if f.kind not in ("elevation", "geopotential")]
    return Inputs(files, ", ".join(p.name for p in files), static, timed, " ".join(hints),
                  csv_meta, notes)


def sources_of(by_kind: Mapping[str, ClimateField]) -> dict[str, str]:
    """Canonical name -> ``"<variable> (<file>)"`` of every field used."""
    return {k: f"{f.source} ({f.file})" for k, f in by_kind.items()}


def assemble(by_kind: dict[str, ClimateField], inputs: Inputs, sources: dict[str, str],
             notes: list[str], *, wind_height: float | None, lat: float | None,
             lon: float | None, elevation: Any) -> tuple[xr.Dataset, Any]:
    """Fields of one time step -> one Dataset with u2, elevation and one humidity (step 3).

    Returns the Dataset and the wind choice (None without wind).
    """
    wind = _wind.pick(by_kind, wind_height, inputs.csv_meta, notes)
    ds = _combine(by_kind)
    if wind is not None:
        ds = _wind.to_u2(ds, wind)
        sources["u2"] = f"{wind.field.source} ({wind.field.file}) at {wind.height:g} m"
    ds = _select_point(ds, lat, lon, inputs.names)
    ds = _elevation.attach(ds, elevation, inputs.static, inputs.csv_meta, notes)
    if "pressure" not in ds and "elevation" not in ds:
        raise InputError(f"{inputs.names}: no surface pressure and no elevation; pass --elev "
                         "METRES or --elev FILE (elevation= in Python)")
    return _humidity(ds, notes, sources), wind


def canonical(ds: xr.Dataset, order: tuple[str, ...],
              check: Callable[[xr.Dataset, str], xr.Dataset], names: str) -> xr.Dataset:
    """Keep the canonical variables in ``order``, dims ``(time, space...)``, then check."""
    ds = ds[[n for n in order if n in ds]]
    space = [d for d in ("station", "lat", "lon") if d in ds.dims]
    return check(ds.transpose("time", *space), names)


def label(ds: xr.Dataset, order: tuple[str, ...], attrs: Callable[[str], dict[str, str]],
          sources: Mapping[str, str], provenance: dict[str, Any], wind: Any) -> xr.Dataset:
    """Attributes from the variables table, each variable's source, provenance (step 5)."""
    for name in ds.variables:
        if name in order or name in ("lat", "lon"):
            ds[name].attrs = attrs(str(name))
    for name in ds.data_vars:
        if name in sources:
            ds[name].attrs["source"] = sources[str(name)]
    ds.attrs.update(provenance)
    if wind is not None:
        ds.attrs["climate_wind_height_m"] = float(wind.height)
        ds.attrs["climate_wind"] = wind.describe()
    ds.attrs.setdefault("climate_humidity_source", "none")
    return ds
