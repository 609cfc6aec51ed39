"""Furrow turns at full demand: the canal turn, or short turns where the turn starves the crop.

At full demand (:mod:`irrigate.engine.scenario`) the furrow column irrigates by the FAO-56
RAW rule (FAO-56 ch. 8, Eq. 83: irrigate when the root-zone depletion reaches RAW = p TAW)
no more often than the canal turn (``rotation_interval`` of ``models/methods.toml``). A
crop whose RAW lasts fewer days than the turn at peak demand (shallow-rooted potato and
vegetables: p = 0.30-0.35, Zr 0.4-0.6 m, FAO-56 Table 22) then runs dry between turns,
and its column would show a stressed number in a comparison meant to be at full demand.

Such a column is therefore also run on **short turns** (``short_turn_interval``: irrigated
out of turn, from an on-farm pond, a well or a priority turn): where the turn keeps the
region's seasonal ETa below :data:`TARGET` of ETc, the short-turn run replaces it and the
variable ``short_turn`` marks it. Methods without a ``short_turn_interval`` are unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import xarray as xr

from irrigate.engine.limits import own_limits
from irrigate.library import Library
from irrigate.science.params import Method

if TYPE_CHECKING:
    from irrigate.engine.run import Work

__all__ = ["TARGET", "SUFFIX", "short_turn_records", "with_short_turns", "choose_turns",
           "choose_daily"]

#: Seasonal ETa / ETc below which a turn-limited column is replaced by its short-turn run
#: (issue #11: every method column at full demand is at 95 % of ETc or more).
TARGET = 0.95
#: Suffix of the internal short-turn method columns (never in a budget's output).
SUFFIX = "~short_turn"
#: The library key of the short-turn interval (``models/methods.toml``).
KEY = "short_turn_interval"
#: The library key of the smallest net depth of a short-turn event (plot furrows).
DEPTH_KEY = "short_turn_depth_min"


def short_turn_records(lib: Library, names: Sequence[str]) -> list[Method]:
    """Full-demand records of ``names`` on short turns (methods with a short-turn interval)."""
    out = []
    for name in names:
        values = lib.values["methods"].get(name, {})
        if KEY not in values:
            continue
        record = own_limits(lib, name)
        depth_min = float(values[DEPTH_KEY].value) if DEPTH_KEY in values else record.depth_min
        out.append(dataclasses.replace(record, name=name + SUFFIX, depth_min=depth_min,
                                       interval_min=int(values[KEY].value)))
    return out


def with_short_turns(work: Work) -> Work:
    """Return ``work`` with the short-turn columns added next to their methods."""
    extra = short_turn_records(work.lib, [m.name for m in work.upland])
    if not extra:
        return work
    schedules = {}
    for name, (record, methods) in work.schedules.items():
        added = [m.name for m in extra if m.name.removesuffix(SUFFIX) in methods]
        schedules[name] = (record, list(methods) + added)
    return dataclasses.replace(work, upland=list(work.upland) + extra, schedules=schedules)


def choose_turns(results: Mapping[str, xr.Dataset]) -> dict[str, xr.Dataset]:
    """Per region: each turn-limited column, or its short-turn run where it starves the crop.

    ``results`` are the regional seasonal totals (crop, method) of a run made with
    :func:`with_short_turns`; the short-turn columns are dropped from the returned
    Datasets, which gain ``short_turn`` (crop, method; true where the short-turn run was
    taken).
    """
    return {code: _take_short_turns(ds, ds["eta"], ds["etc"]) for code, ds in results.items()}


def choose_daily(out: xr.Dataset) -> xr.Dataset:
    """:func:`choose_turns` for the daily output of :func:`irrigate.engine.simulate.simulate`.

    ``out`` holds the short-turn columns next to their methods (and ``das``, ``eta``,
    ``etc``); per cell and crop, a column whose seasonal ETa (sowing to harvest) is below
    :data:`TARGET` of ETc takes the whole daily series of its short-turn run. The short-turn
    columns are dropped; ``short_turn`` (cell dims, crop, method) marks the replaced ones.
    """
    if not any(str(m).endswith(SUFFIX) for m in out["method"].values):
        return out
    in_season = (out["das"] >= 0) & (out["das"] < out["season_length"])
    return _take_short_turns(out, out["eta"].where(in_season, 0.0).sum("time"),
                             out["etc"].where(in_season, 0.0).sum("time"))


def _take_short_turns(ds: xr.Dataset, eta: xr.DataArray, etc: xr.DataArray) -> xr.Dataset:
    """Drop the short-turn columns of ``ds``, taking each where its method starves the crop.

    ``eta``, ``etc``: seasonal totals (..., crop, method) on which a column's ETa/ETc is
    compared with :data:`TARGET`; every variable of ``ds`` with those dimensions and
    ``method`` takes the short-turn values there.
    """
    methods = [str(m) for m in ds["method"].values]
    short = [m for m in methods if m.endswith(SUFFIX) and m.removesuffix(SUFFIX) in methods]
    if not short:
        return ds
    kept = ds.sel({"method": [m for m in methods if not m.endswith(SUFFIX)]})
    flag = xr.zeros_like(eta.sel({"method": kept["method"].values}), dtype=bool)
    for s in short:
        m = s.removesuffix(SUFFIX)
        ratio = eta.sel({"method": m}) / etc.sel({"method": m})
        starved = (ratio < TARGET).fillna(False).drop_vars("method")
        if not bool(starved.any()):
            continue
        mask = starved & (flag["method"] == m)
        for name, da in kept.data_vars.items():
            if "method" not in da.dims or not set(mask.dims) <= set(da.dims):
                continue
            alt = ds[name].sel({"method": s}).drop_vars("method")
            kept[name] = xr.where(mask, alt, da, keep_attrs=True).transpose(*da.dims)
        flag = flag | mask
    kept["short_turn"] = flag
    return kept
