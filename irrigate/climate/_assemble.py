"""Steps shared by the daily and the hourly climate path.

Read files into fields, put fields on one grid, select a point, keep the best humidity input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate import _elevation
from irrigate.climate._csv import read_csv
from irrigate.climate._fields import ClimateField, read_fields, to_base
from irrigate.climate._names import MAPPABLE, mapped_kind
from irrigate.errors import InputError
from irrigate.science.humidity import HUMIDITY_NAMES, pick_humidity


def _paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out = [Path(p) for p in paths]
    if not out:
        raise InputError("no input files given; pass one or more NetCDF or CSV files")
    return out


def _renames(var_map: dict[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, source in (var_map or {}).items():
        if canonical not in MAPPABLE:
            raise InputError(
                f"--var {canonical}={source}: unknown name '{canonical}'; use one of "
                f"{', '.join(MAPPABLE)}"
            )
        out[str(source)] = mapped_kind(canonical)
    return out


def _csv_fields(path: Path, meta_out: dict[str, str]) -> list[ClimateField]:
    ds, meta = read_csv(path)
    meta_out.update(meta)
    fields = []
    for name, da in ds.data_vars.items():
        data, amount = to_base(str(name), da, str(path))
        data.name = str(name)
        fields.append(ClimateField(kind=str(name), data=data, amount=amount, hourly=False,
                            file=path.name, source=str(name), family="station-csv"))
    for key in ("elevation",):
        if key in ds.coords:
            fields.append(ClimateField(kind="elevation", data=ds[key].reset_coords(drop=True),
                                amount=False, hourly=False, file=path.name, source=key,
                                family="station-csv"))
    return fields


def _family(f: ClimateField, convention: str | None) -> str:
    if f.family == "era5":
        if f.hourly:
            return f"{convention or 'era5'}-hourly"
        return "era5-daily-statistics" if f.stat else "era5-daily"
    if f.family in ("cf", "e-obs", "canonical"):
        return f"{f.family}-daily" if not f.hourly else f"{f.family}-hourly"
    return f.family


def _clean_coords(da: xr.DataArray) -> xr.DataArray:
    keep = [c for c in da.coords if c in da.dims or c in ("lat", "lon")]
    return da.reset_coords([c for c in da.coords if c not in keep], drop=True)


def _combine(by_kind: dict[str, ClimateField]) -> xr.Dataset:
    """Put the daily fields on their common days and one spatial grid."""
    timed = {k: f for k, f in by_kind.items() if "time" in f.data.dims}
    days = None
    for f in timed.values():
        idx = pd.DatetimeIndex(f.data["time"].values)
        days = idx if days is None else days.intersection(idx)
    if days is not None and len(days) == 0:
        spans = ", ".join(
            f"{k} {pd.Timestamp(f.data.time.values[0]):%Y-%m-%d}.."
            f"{pd.Timestamp(f.data.time.values[-1]):%Y-%m-%d}" for k, f in timed.items())
        raise InputError(f"the input files share no common day ({spans}); give files "
                         "covering the same period")
    arrays = []
    for kind, f in by_kind.items():
        da = _clean_coords(f.data)
        if "time" in da.dims:
            da = da.sel(time=days)
        arrays.append(da.rename(kind))
    try:
        return xr.merge(arrays, join="exact", compat="override", combine_attrs="drop")
    except ValueError:
        raise InputError(
            f"the input files are on different grids or station lists ({_grids(by_kind)}); "
            "give files on one grid (regrid first) or pass --elev for a separate elevation "
            "file"
        ) from None


def _grids(by_kind: dict[str, ClimateField]) -> str:
    """Describe the grid of each file, e.g. ``a.nc: lat 41..41.5 (2), lon 68..68.5 (2)``."""
    seen: dict[str, str] = {}
    for f in by_kind.values():
        da = f.data
        parts = []
        for dim in ("lat", "lon", "station"):
            if dim in da.dims:
                values = da[dim].values
                parts.append(f"{dim} {values[0]}..{values[-1]} ({values.size})"
                             if dim != "station" else f"{values.size} stations")
        seen.setdefault(f.file, ", ".join(parts) or "no grid")
    return "; ".join(f"{file}: {grid}" for file, grid in seen.items())


def _select_point(ds: xr.Dataset, lat: float | None, lon: float | None,
                  where: str) -> xr.Dataset:
    """Select the nearest cell/station, or place stations that have no location."""
    if "lat" not in ds.coords or "lon" not in ds.coords:
        if lat is None:
            raise InputError(f"{where}: no latitude; add '# lat: DEGREES' to the CSV or "
                             "pass --lat (lat= in Python)")
        n = ds.sizes.get("station", 1)
        return ds.assign_coords(lat=("station", np.full(n, float(lat))),
                                lon=("station", np.full(n, np.nan if lon is None
                                                        else float(lon))))
    if (lat is None) != (lon is None):
        given, missing = ("--lat", "--lon") if lon is None else ("--lon", "--lat")
        raise InputError(f"{where}: {given} without {missing}; give both to select the "
                         "nearest cell or station (lat=, lon= in Python)")
    if lat is None or lon is None:
        return ds
    lon = ((float(lon) + 180.0) % 360.0) - 180.0  # the normalised files use -180..180
    if "lat" in ds.dims and "lon" in ds.dims:
        out = ds.sel(lat=[lat], lon=[lon], method="nearest")
        for name, want in (("lat", float(lat)), ("lon", lon)):
            axis = np.asarray(ds[name].values, dtype=float)
            step = float(np.median(np.abs(np.diff(axis)))) if axis.size > 1 else 1.0
            got = float(out[name].values[0])
            if abs(got - want) > step:
                raise InputError(
                    f"{where}: --{name} {want:g} is outside the grid ({name} "
                    f"{axis.min():g}..{axis.max():g}, step {step:g}); the nearest cell, "
                    f"{got:g}, is more than one step away: check --lat/--lon")
        return out
    if "station" in ds.dims and "lat" in ds.coords and "lon" in ds.coords:
        dist = (ds["lat"] - lat) ** 2 + (ds["lon"] - lon) ** 2
        return ds.isel(station=[int(np.argmin(dist.values))])
    return ds


def _humidity(ds: xr.Dataset, notes: list[str], sources: dict[str, str]) -> xr.Dataset:
    """Keep the humidity input the one order picks (:func:`pick_humidity`), drop the others.

    Specific humidity ``huss`` is turned into ``ea`` (with the pressure) when neither ``ea``
    nor ``tdew`` is given, before the pick.
    """
    if "huss" in ds and "ea" not in ds and "tdew" not in ds:
        ds = ds.assign(ea=_elevation.ea_from_huss(ds))
        sources["ea"] = f"{sources['huss']} via ea = q p / (0.622 + 0.378 q)"
    chosen = pick_humidity([n for n in HUMIDITY_NAMES if n in ds])
    if chosen is None:
        notes.append("no humidity input")
        keep: set[str] = set()
    else:
        keep = set(chosen)
        what = " + ".join(sorted(keep))
        ds.attrs["climate_humidity_source"] = ", ".join(f"{k} from {sources[k]}"
                                                        for k in sorted(keep))
        notes.append(f"humidity input: {what}")
    drop = [n for n in ("huss", *HUMIDITY_NAMES) if n in ds and n not in keep]
    return ds.drop_vars(drop)


def _read_inputs(files: list[Path], renames: dict[str, str], chunks: dict | None,
                 csv_meta: dict[str, str], notes: list[str] | None = None
                 ) -> tuple[list[ClimateField], list[str]]:
    """Read the recognised fields of every file; return them and per-file name hints.

    ``csv_meta`` receives the ``# key: value`` header of station CSV files, ``notes`` what
    was done to a file (e.g. the leap days inserted into a noleap calendar).
    """
    fields: list[ClimateField] = []
    hints: list[str] = []
    for path in files:
        if path.suffix.lower() == ".csv":
            if not path.is_file():
                raise InputError(f"{path}: file not found; check the path")
            fields.extend(_csv_fields(path, csv_meta))
            continue
        found, attrs = read_fields(path, chunks, renames)
        if "irrigate_calendar_note" in attrs and notes is not None:
            notes.append(f"{path.name}: {attrs['irrigate_calendar_note']}")
        fields.extend(found)
        hints.append(" ".join([path.name, *attrs.values()]))
    names = ", ".join(p.name for p in files)
    seen_sources = {f.source for f in fields}
    for source, kind in renames.items():
        if source not in seen_sources:
            raise InputError(f"--var {kind}={source}: no variable '{source}' in {names}")
    if not fields:
        raise InputError(f"{names}: no climate variable recognised; map them with --var "
                         "NAME=VARIABLE (e.g. --var tmax=TX), see docs/climate-input.md")
    return fields, hints
