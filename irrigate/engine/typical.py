"""Daily series of a *typical field* per region, for calendars, monthly withdrawal and charts.

The regional budget (:func:`irrigate.budget`) keeps only seasonal totals, area-weighted over
the climate cells of a region. An agronomist also wants dates: when to irrigate and how much,
how the crop coefficient and the root-zone depletion move through the season. This module
gets them without touching the budget engine: it averages the reference ET, rain, wind and
minimum humidity of each region's cells (the budget's own cell weights) into one *typical
field* per region and runs :func:`irrigate.simulate` on it, once per schedule, for the crops
and methods asked for, with the region's soil, sowing dates and the schedules the budget used.

A typical field is not the regional mean of the cells' balances: its seasonal totals differ
somewhat from the budget's. The reports therefore use it only for *timing* (dates, the
shape of the monthly withdrawal, which they scale to the budget's seasonal totals) and say
so; every seasonal number they print comes from the budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.inputs import cyclic, open_input
from irrigate.engine.plan import sowing as sowing_date
from irrigate.engine.run import cells as region_cells
from irrigate.engine.simulate import simulate
from irrigate.library import load_library
from irrigate.regions import load_regions
from irrigate.science.et0 import minimum_relative_humidity, reference_et

__all__ = ["TYPICAL_OUTPUTS", "typical_fields"]

#: daily kernel variables kept for the reports (see irrigate.balance.ALL_OUTPUTS)
TYPICAL_OUTPUTS: tuple[str, ...] = ("das", "kcb", "etc", "eta", "e", "t", "dr", "taw", "raw",
                                    "ro", "dp", "irr_net", "irr_gross")


def _region_climate(cells: xr.Dataset, weights: xr.DataArray) -> xr.Dataset:
    """Weighted mean over cells of ET0, rain, wind and RHmin, one series per region."""
    data = xr.Dataset({"et0": reference_et(cells), "precip": cells["precip"]})
    if "u2" in cells:
        data["u2"] = cells["u2"]
    rh = minimum_relative_humidity(cells, cells.get("tmax"), cells.get("tmin"))
    if rh is not None:
        data["rh_min"] = rh
    data = data.load()
    ok = (data["et0"].notnull().any("time") & data["precip"].notnull().any("time"))
    w = weights.where(ok, 0.0)
    total = w.sum("cell")
    out = xr.Dataset()
    for name in data.data_vars:
        out[name] = (data[name].fillna(0.0) * w).sum("cell") / total.where(total > 0)
    return out.transpose("time", "region")


def typical_fields(
    climate: Any,
    season: int,
    plan: Mapping[str, Mapping[str, Sequence[str]]],
    schedules: Mapping[str, str],
    *,
    models: Any = None,
    layout: Any = "2024",
    elevation: Any = None,
    var_map: dict[str, str] | None = None,
    irrigated_fraction: xr.DataArray | None = None,
) -> dict[str, dict[str, xr.Dataset]]:
    """Simulate the typical field of each region for the crops and methods of ``plan``.

    Parameters
    ----------
    climate : path, list of paths, Dataset or None
        The budget's climate input (None: the bundled sample, used cyclically as the budget
        does for autumn-sown crops).
    season : int
        Harvest year of the budget (``ds.attrs["season"]``).
    plan : mapping
        Region code -> crop -> methods to simulate (upland crops only).
    schedules : mapping
        Method -> schedule (rule or practice name) the budget used for it.
    models, layout, elevation, var_map, irrigated_fraction
        As for :func:`irrigate.budget`.

    Returns
    -------
    dict
        Region code -> crop -> daily Dataset from sowing to harvest (dims ``time, method``;
        crop-only variables without ``method``) with the variables of
        :data:`TYPICAL_OUTPUTS` plus ``et0`` and ``precip``; attributes ``sowing``
        (YYYY-MM-DD) and ``season_days``. Regions the input does not cover are missing.

    """
    codes = [c for c in plan if plan[c]]
    if not codes:
        return {}
    lib = load_library(models)
    ds, _, is_sample = open_input(climate, elevation, var_map)
    if is_sample and pd.DatetimeIndex(ds["time"].values)[0].year == season:
        ds = cyclic(ds)
    boundaries = load_regions(layout).select(codes)
    cells, weights = region_cells(ds, boundaries, irrigated_fraction)
    weights = weights.sel(region=codes)
    used = np.flatnonzero(weights.sum("region").values > 0)
    region_climate = _region_climate(cells.isel(cell=used), weights.isel(cell=used))
    covered = [c for c in codes
               if bool(region_climate["et0"].sel(region=c).notnull().any())]
    if not covered:
        return {}
    region_climate = region_climate.sel(region=covered)
    out_parts: dict[str, dict[str, list[xr.Dataset]]] = {c: {} for c in covered}
    crops = sorted({crop for c in covered for crop in plan[c]})
    soil = xr.DataArray([lib.regions[c].soil for c in covered], dims="region",
                        coords={"region": covered})
    by_schedule: dict[str, set[str]] = {}
    for c in covered:
        for methods in plan[c].values():
            for m in methods:
                by_schedule.setdefault(schedules.get(m, "fao_mad"), set()).add(m)
    times = pd.DatetimeIndex(region_climate["time"].values)
    for crop in crops:
        rec = lib.crop(crop)
        here = [c for c in covered if crop in plan[c]]
        sow = {c: sowing_date(lib, lib.regions[c].sowing_zone, rec, season) for c in here}
        start = min(sow.values())
        end = max(sow.values()) + pd.Timedelta(days=rec.season_length - 1)
        if start < times[0] or end > times[-1]:
            continue
        window = region_climate.sel(time=slice(start, end), region=here)
        sowing = {crop: xr.DataArray(np.array([sow[c] for c in here], "datetime64[ns]"),
                                     dims="region", coords={"region": here})}
        for sched, methods in by_schedule.items():
            wanted = sorted({m for c in here for m in plan[c][crop] if m in methods})
            if not wanted:
                continue
            run = simulate(window, crops=[crop], methods=wanted, soil=soil.sel(region=here),
                           schedule=sched, sowing=sowing, models=models,
                           outputs=TYPICAL_OUTPUTS).load()
            for c in here:
                want = [m for m in plan[c][crop] if m in wanted]
                if want:
                    piece = run.sel(region=c, drop=True).sel({"method": want, "crop": crop},
                                                             drop=True)
                    piece = piece.drop_vars(["sowing_index", "season_length"], errors="ignore")
                    harvest = sow[c] + pd.Timedelta(days=rec.season_length - 1)
                    piece = piece.sel(time=slice(sow[c], harvest))
                    piece.attrs.update(sowing=str(sow[c].date()),
                                       season_days=int(rec.season_length), schedule=sched)
                    out_parts[c].setdefault(crop, []).append(piece)
    result: dict[str, dict[str, xr.Dataset]] = {}
    for c, by_crop in out_parts.items():
        for crop, parts in by_crop.items():
            merged = xr.concat(parts, dim="method", data_vars="minimal", coords="minimal",
                               compat="override", combine_attrs="override") \
                if len(parts) > 1 else parts[0]
            merged.attrs["schedule"] = ", ".join(p.attrs["schedule"] for p in parts)
            result.setdefault(c, {})[crop] = merged
    return result
