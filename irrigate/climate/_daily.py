"""Turn fields (hourly or daily, several files) into one daily value per kind.

Daily fields: the statistic of a CDS daily-statistics file decides what ``t2m`` is
(``daily-max`` -> ``tmax`` ...); daily means of hourly ERA5 accumulations are multiplied
by 24 (the CDS computes the mean of the 24 hourly accumulations, so the daily total is 24
times that mean). Hourly fields: see :mod:`irrigate.climate._hourly`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.climate import _hourly
from irrigate.climate._coords import check_time
from irrigate.climate._fields import ClimateField
from irrigate.errors import InputError

_MEAN_KINDS = {"tdew", "ea", "huss", "pressure", "wind", "u_wind", "v_wind", "u2", "uz",
               "tmean", "rh_mean"}


def _concat(fields: list[ClimateField], what: str, notes: list[str]) -> ClimateField:
    """Join the same variable from several files along time.

    Time steps already given by an earlier file are skipped (consecutive downloads often
    overlap by a day, e.g. the extra 00 UTC hours needed for accumulations); duplicates
    inside one file are errors (checked when the file is opened).
    """
    if len(fields) == 1:
        return fields[0]
    fields = sorted(fields, key=lambda f: f.data["time"].values[0])
    seen = pd.DatetimeIndex([])
    parts: list[xr.DataArray] = []
    for k, f in enumerate(fields):
        times = pd.DatetimeIndex(f.data["time"].values)
        fresh = ~times.isin(seen)
        if not fresh.all():
            _same_overlap(parts, fields[:k], f, times[~fresh], what)
            notes.append(f"{what}: {int((~fresh).sum())} time steps of {f.file} already "
                         "given by an earlier file were skipped (their values agree)")
        parts.append(f.data.isel(time=np.flatnonzero(fresh)))
        seen = seen.union(times)
    data = xr.concat(parts, dim="time", data_vars="all", coords="minimal",
                     compat="override", join="override")
    where = f"{what} from {', '.join(f.file for f in fields)}"
    check_time(pd.DatetimeIndex(data["time"].values), where)
    files = ", ".join(dict.fromkeys(f.file for f in fields))
    return fields[0].with_data(data, file=files)


def _same_overlap(parts: list[xr.DataArray], earlier: list[ClimateField], f: ClimateField,
                  overlap: pd.DatetimeIndex, what: str) -> None:
    """Refuse files that give one time step with different values (which one is right?)."""
    files = ", ".join(dict.fromkeys(e.file for e in earlier))
    try:
        old = xr.concat(parts, dim="time", coords="minimal", compat="override",
                        join="override").sel(time=overlap)
        new = f.data.sel(time=overlap)
        a, b = (np.asarray(x.transpose("time", ...).values, dtype=float) for x in (old, new))
        differs = ~np.isclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True)
    except (ValueError, KeyError):
        raise InputError(f"{what}: {f.file} overlaps {files} in time but not on the same "
                         "grid or stations; give files of one grid that do not overlap") \
            from None
    if differs.any():
        first = int(np.argwhere(differs)[0][0])
        raise InputError(
            f"{what}: {f.file} and {files} both give {overlap[first]:%Y-%m-%d %H:%M} "
            f"({int(differs.any(axis=tuple(range(1, differs.ndim))).sum())} overlapping time "
            "steps) with different values; pass files that do not overlap, or trim one")


def _group(fields: list[ClimateField], notes: list[str]) -> dict[str, ClimateField]:
    groups: dict[str, list[ClimateField]] = {}
    for f in fields:
        groups.setdefault(f.kind, []).append(f)
    return {kind: _concat(group, kind, notes) for kind, group in groups.items()}


def _daily_kind(f: ClimateField, notes: list[str]) -> ClimateField | None:
    """Resolve the kind of a daily field from its statistic; None if not usable."""
    stat = f.stat
    if f.kind == "t_air":
        if stat is None:
            raise InputError(
                f"{f.file}: cannot tell whether daily '{f.source}' is the maximum, "
                "minimum or mean temperature; keep the CDS file name (..._daily-max.nc), "
                "add cell_methods='time: maximum', or map it with --var tmax="
                f"{f.source}"
            )
        kind = {"max": "tmax", "min": "tmin", "mean": "tmean", "sum": None}[stat]
        return None if kind is None else f.with_data(f.data, kind=kind)
    if f.kind == "rh":
        kind = {None: "rh_mean", "mean": "rh_mean", "max": "rh_max", "min": "rh_min"}.get(stat)
        return None if kind is None else f.with_data(f.data, kind=kind)
    if f.kind in ("precip", "rs") and f.amount:
        if stat == "mean" and f.land:
            raise InputError(
                f"{f.file}: a daily mean of ERA5-Land '{f.source}' (accumulated from 00 "
                "UTC) is not a daily total, and the CDS does not offer it; use ERA5-Land "
                "hourly files or ERA5 daily statistics for tp and ssrd"
            )
        if stat == "mean":
            notes.append(f"{f.kind} = 24 x daily mean of hourly accumulations "
                         f"'{f.source}' ({f.file})")
            return f.with_data(f.data * 24.0)
        return f if stat in (None, "sum") else None
    if f.kind == "tmax":
        return f if stat in (None, "max") else None
    if f.kind == "tmin":
        return f if stat in (None, "min") else None
    return f if stat in (None, "mean") else None


def _to_days(f: ClimateField) -> ClimateField:
    times = pd.DatetimeIndex(f.data["time"].values).normalize()
    check_time(times, f.file)
    return f.with_data(f.data.assign_coords(time=times))


def daily_fields(fields: list[ClimateField], notes: list[str]) -> dict[str, ClimateField]:
    """Return daily fields by kind from fields of daily files."""
    usable = []
    for f in fields:
        g = _daily_kind(f, notes)
        if g is None:
            notes.append(f"ignored '{f.source}' ({f.file}): daily {f.stat} not needed")
        else:
            usable.append(_to_days(g))
    return _group(usable, notes)


def _speed(u: xr.DataArray, v: xr.DataArray) -> xr.DataArray:
    u, v = xr.align(u, v, join="inner")
    return np.sqrt(u**2 + v**2)


def hourly_fields(fields: list[ClimateField], hints: str, notes: list[str]
                  ) -> tuple[dict[str, ClimateField], str | None]:
    """Aggregate hourly fields to UTC days; return fields by kind and the convention."""
    by_kind = _group(fields, notes)
    for f in by_kind.values():
        _hourly.check_hourly(pd.DatetimeIndex(f.data["time"].values), f.file)
    if "u_wind" in by_kind and "v_wind" in by_kind:
        u, v = by_kind.pop("u_wind"), by_kind.pop("v_wind")
        if "wind" not in by_kind:
            by_kind["wind"] = u.with_data(_speed(u.data, v.data), kind="wind",
                                          source=f"{u.source},{v.source}",
                                          file=f"{u.file}, {v.file}")
            notes.append("wind speed = daily mean of hourly sqrt(u^2 + v^2)")
    amounts = [f.data for f in by_kind.values() if f.amount]
    convention = None
    if amounts:
        convention, reason = _hourly.detect_accumulation(amounts, hints)
        notes.append(f"hourly accumulations: {convention} convention ({reason})")
    out: dict[str, ClimateField] = {}
    complete: list[pd.DatetimeIndex] = []

    def put(kind: str, f: ClimateField, data: xr.DataArray, days: pd.DatetimeIndex) -> None:
        out[kind] = f.with_data(data, kind=kind, hourly=False)
        complete.append(days)

    for kind, f in by_kind.items():
        if kind in ("t_air", "tmean"):
            for stat, name in (("max", "tmax"), ("min", "tmin"), ("mean", "tmean")):
                if name in by_kind and name != kind:
                    continue
                put(name, f, *_hourly.daily(f.data, stat))
        elif kind in ("rh", "rh_mean"):
            for stat, name in (("max", "rh_max"), ("min", "rh_min"), ("mean", "rh_mean")):
                if name not in by_kind or name == kind:
                    put(name, f, *_hourly.daily(f.data, stat))
        elif kind in ("tmax", "tmin", "rh_max", "rh_min"):
            stat = "max" if kind.endswith("max") else "min"
            put(kind, f, *_hourly.daily(f.data, stat, shift=f.family == "era5"))
        elif f.amount:
            if convention == _hourly.ERA5_LAND:
                put(kind, f, *_hourly.land_daily_total(f.data))
            else:
                put(kind, f, *_hourly.daily(f.data, "sum", shift=True))
        elif kind in _MEAN_KINDS or kind in ("precip", "rs"):
            put(kind, f, *_hourly.daily(f.data, "mean"))
    if complete:
        days = complete[0]
        for d in complete[1:]:
            days = days.intersection(d)
        if len(days) == 0:
            raise InputError("hourly inputs have no complete UTC day (24 hourly values, "
                             "and for accumulations the value at 00 UTC of the next day)")
        for kind, f in out.items():
            out[kind] = f.with_data(f.data.sel(time=days))
    return out, convention
