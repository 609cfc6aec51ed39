"""Assemble a budget: regional depths on (region, crop, method), then volumes and savings.

The Dataset this returns carries, besides the numbers of ``docs/budget.md``, the facts the
output layer needs to word them: the schedule of every method (``schedule`` on ``method``),
whether a method or a crop is paddy (``paddy_method``, ``paddy``), the line kind of every
``crop`` entry (``line``), the film substitution (:func:`irrigate.engine.film.
film_variables`) and the per-region and national scenario totals
(:func:`irrigate.engine.volumes.add_totals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from irrigate.engine import leaching
from irrigate.engine.film import FilmSwap, film_variables
from irrigate.engine.leaching import (
    LEACHING,
    LINE_KINDS,
    RECHARGE,
    Salinity,
    leaching_range,
    recharge_line,
)
from irrigate.engine.outcomes import add_outcomes
from irrigate.engine.plan import (
    RICE_METHODS,
    RICE_REFERENCE,
    UPLAND_REFERENCE,
    MethodPlan,
    RegionPlan,
)
from irrigate.engine.run import DEPTHS
from irrigate.engine.today import today_depths
from irrigate.engine.volumes import add_totals, crop_water_shares, volumes_and_savings
from irrigate.library import Library
from irrigate.library.comparison import Comparison
from irrigate.paths import models_dir
from irrigate.variables import label

__all__ = ["Info", "assemble"]

DIMS = ("region", "crop", "method")


@dataclass(frozen=True)
class Info:
    """What the run was: season, input, schedules, film choice and what was left out."""

    year: int
    source: str
    cyclic: bool
    schedules: dict[str, list[str]]      # schedule name -> methods
    film: FilmSwap
    swapped: set[str]
    skipped: list[str]
    requested: list[str] | None
    offseason_line: bool                 # add the off-season leaching line
    scenario: str                        # what the method columns mean (one line)
    today_schedules: dict[str, tuple[Any, list[str]]]  # schedules of the outcome run of today
    conventions: str = "irrigate"        # Conventions.describe() of the run
    today: dict[str, xr.Dataset] = field(default_factory=dict)  # today's own runs by region
    fitted: bool = True                  # the practice factors were applied
    recharge: bool = False               # add the moisture-charging line


@dataclass
class _Table:
    """Arrays of the Dataset under construction, dims (region, crop, method)."""

    arrays: dict[str, np.ndarray]
    area: np.ndarray                     # (region, crop), ha
    shares: np.ndarray                   # current method shares
    covered: np.ndarray                  # (region,), bool


def _empty(n_regions: int, crop_axis: Sequence[str], methods: Sequence[str]) -> _Table:
    shape = (n_regions, len(crop_axis), len(methods))
    names = [f"{v}_mm" for v in DEPTHS] + ["n_events", "short_turn", "leach_need_mm",
                                           "leach_short_mm", "irr_gross_today_mm",
                                           "irr_net_today_mm"]
    return _Table({k: np.full(shape, np.nan) for k in names}, np.zeros(shape[:2]),
                  np.zeros(shape), np.zeros(n_regions, bool))


def _fill_crops(lib: Library, t: _Table, i: int, plan: RegionPlan, res: xr.Dataset | None,
                crop_axis: Sequence[str], methods: Sequence[str],
                today: xr.Dataset | None) -> None:
    """Copy one region's crop lines from its results, with today's method shares and depths."""
    for j, crop in enumerate(crop_axis):
        if crop in LINE_KINDS or res is None or crop not in res["crop"].values:
            continue
        t.area[i, j] = plan.crops.get(crop, 0.0)
        row = res.sel(crop=crop)
        for k, m in enumerate(methods):
            if m not in row["method"].values:
                continue
            cell = row.sel({"method": m})
            for v in DEPTHS:
                if v in cell:
                    t.arrays[f"{v}_mm"][i, j, k] = float(cell[v])
            t.arrays["n_events"][i, j, k] = float(cell["n_events"]) \
                if "n_events" in cell else np.nan
            t.arrays["short_turn"][i, j, k] = float(cell["short_turn"]) \
                if "short_turn" in cell else 0.0
        if lib.crops[crop].paddy:
            t.shares[i, j, methods.index(RICE_REFERENCE)] = 1.0
        else:
            for m, s in plan.today.crop_methods.get(crop, {}).items():
                t.shares[i, j, methods.index(m)] = s
        today_depths(plan, crop, list(methods), t.shares[i, j], t.arrays, (i, j), today,
                     t.arrays["irr_gross_today_mm"], t.arrays["irr_net_today_mm"])


def _fill_leaching(lib: Library, t: _Table, i: int, plan: RegionPlan,
                   offseason: tuple[float, float], crop_axis: Sequence[str],
                   methods: Sequence[str], upland: Sequence[str]) -> None:
    """Off-season leaching of the saline share of the upland crop land.

    Ponded rice is leached by its own percolation; the class depths come from
    ``salinity.toml``.
    """
    j = crop_axis.index(LEACHING)
    share, depth = offseason
    upland_area = sum(a for c, a in plan.crops.items()
                      if not lib.crops[c].paddy and t.area[i, crop_axis.index(c)] > 0)
    if not (depth > 0 and upland_area > 0):
        return
    t.area[i, j] = share * upland_area
    for k, m in enumerate(methods):
        if m in upland:
            t.arrays["irr_gross_mm"][i, j, k] = depth
            t.arrays["irr_net_mm"][i, j, k] = depth
            t.arrays["n_events"][i, j, k] = np.nan
    # applied by basin flooding through the earth ditches (the system efficiency)
    k = methods.index(UPLAND_REFERENCE)
    t.shares[i, j, k] = 1.0
    t.arrays["irr_gross_today_mm"][i, j, k] = depth
    t.arrays["irr_net_today_mm"][i, j, k] = depth


def _finish(t: _Table, crop_axis: list[str], keep: np.ndarray | None = None
            ) -> tuple[_Table, list[str], np.ndarray]:
    """One ET0 per crop season; mask lines without area; drop crops with no area anywhere."""
    # ET0 over a crop's season is a property of the season, not of the method: give every
    # method of a crop line the same value, so that a crop shows its ET0 whatever methods
    # are selected (rice's ET0 was '-' under --method furrow, which does not apply to rice)
    season_et0 = np.fmax.reduce(t.arrays["et0_mm"], axis=2)
    crop_lines = np.array([c not in LINE_KINDS for c in crop_axis], dtype=bool)
    t.arrays["et0_mm"][:, crop_lines, :] = season_et0[:, crop_lines, None]
    for arr in t.arrays.values():
        arr[t.area == 0] = np.nan
    if keep is None:
        keep = np.flatnonzero(t.area.sum(axis=0) > 0)
    return (_Table({k: v[:, keep] for k, v in t.arrays.items()}, t.area[:, keep],
                   t.shares[:, keep], t.covered), [crop_axis[j] for j in keep], keep)


def _table(lib: Library, plans: list[RegionPlan], results: dict[str, xr.Dataset],
           methods: list[str], upland: list[str], salinity: Salinity, info: Info,
           keep: np.ndarray | None = None) -> tuple[_Table, list[str], np.ndarray]:
    """Fill the arrays of every region, crop line and method."""
    crop_order = [c for c in lib.crops if any(c in p.crops for p in plans)]
    offseason = {p.code: leaching.offseason(p, salinity) for p in plans} \
        if info.offseason_line else {}
    add_leaching = any(offseason.get(p.code, (0.0, 0.0))[0] > 0 and p.crops for p in plans)
    crop_axis = crop_order + ([LEACHING] if add_leaching else [])
    add_recharge = info.recharge and "winter_wheat" in crop_order
    if add_recharge:
        crop_axis.append(RECHARGE)
    t = _empty(len(plans), crop_axis, methods)
    for i, p in enumerate(plans):
        res = results.get(p.code)
        t.covered[i] = res is not None or not p.crops
        _fill_crops(lib, t, i, p, res, crop_axis, methods, info.today.get(p.code))
        if add_leaching and res is not None and offseason[p.code][0] > 0:
            _fill_leaching(lib, t, i, p, offseason[p.code], crop_axis, methods, upland)
    if add_recharge:
        recharge_line(lib, plans, crop_axis, methods, upland, UPLAND_REFERENCE, t.arrays,
                      t.area, t.shares, t.arrays["irr_gross_today_mm"],
                      t.arrays["irr_net_today_mm"])
    leaching.in_season(lib, plans, crop_axis, methods, t.arrays, salinity)
    return _finish(t, crop_axis, keep)


def _method_facts(methods: Sequence[str], schedules: dict[str, list[str]]
                  ) -> dict[str, Any]:
    """Coordinates on ``method``: its schedule ('' for paddy methods) and whether paddy."""
    by_method: dict[str, list[str]] = {}
    for s, ms in schedules.items():
        for m in ms:
            by_method.setdefault(m, []).append(s)
    return {"schedule": ("method", ["; ".join(by_method.get(m, [])) for m in methods]),
            "paddy_method": ("method", [m in RICE_METHODS for m in methods])}


def _applicable(comparison: Comparison, crop_axis: Sequence[str], methods: Sequence[str],
                paddy: Sequence[bool]) -> np.ndarray:
    """(crop, method): the method is practised for the crop (``models/applicability.toml``).

    Paddy methods apply to paddy crops only and upland methods to upland crops and the
    leaching line only.
    """
    out = np.zeros((len(crop_axis), len(methods)), bool)
    for j, crop in enumerate(crop_axis):
        for k, m in enumerate(methods):
            same_kind = paddy[j] == (m in RICE_METHODS)
            out[j, k] = same_kind and (crop == LEACHING or comparison.is_applicable(crop, m))
    return out


def _dataset(t: _Table, coords: dict[str, Any]) -> xr.Dataset:
    return xr.Dataset({k: (DIMS, v) for k, v in t.arrays.items()}, coords=coords)


def assemble(lib: Library, plans: list[RegionPlan], results: dict[str, xr.Dataset],
             today: dict[str, xr.Dataset], methods: MethodPlan, salinity: Salinity,
             comparison: Comparison, info: Info) -> xr.Dataset:
    """Stack regional depths on (region, crop, method); add volumes, savings and outcomes.

    ``results`` are the method columns of the scenario, ``today`` the baseline run of the
    current methods (rice is taken from the columns: its methods do not change).
    """
    codes = [p.code for p in plans]
    method_axis = list(dict.fromkeys(methods.shown + methods.upland + methods.rice))
    t, crop_axis, keep = _table(lib, plans, results, method_axis, methods.upland, salinity,
                                info)
    now, _, _ = _table(lib, plans, today, method_axis, methods.upland, salinity, info, keep)
    paddy = [c in lib.crops and lib.crops[c].paddy for c in crop_axis]
    for j in np.flatnonzero(paddy):
        for name in now.arrays:
            now.arrays[name][:, j] = t.arrays[name][:, j]
    # today's irrigation is the baseline of engine/today.py (today's calendars times the
    # fitted practice factor, filled from the run of today's practice); the method columns
    # are compared against it, and the outcomes use it with that run's crop water use
    for name in ("irr_gross", "irr_net"):
        now_today = now.arrays[f"{name}_today_mm"]
        t.arrays[f"{name}_today_mm"] = now_today
        now.arrays[f"{name}_mm"] = np.where(np.isfinite(now_today), now_today,
                                            now.arrays[f"{name}_mm"])
    coords = {
        "region": codes,
        "crop": crop_axis,
        "method": method_axis,
        "region_name": ("region", [p.name for p in plans]),
        "line": ("crop", [LINE_KINDS.get(c, "crop") for c in crop_axis]),
        "reference_method": ("crop", [RICE_REFERENCE if pd else UPLAND_REFERENCE
                                      for pd in paddy]),
        "paddy": ("crop", paddy),
        **_method_facts(method_axis, info.schedules),
    }
    depths, depths_now = _dataset(t, coords), _dataset(now, coords)
    ds = volumes_and_savings(
        depths,
        xr.DataArray(t.area, dims=("region", "crop"), coords={"region": codes,
                                                               "crop": crop_axis}),
        xr.DataArray(t.shares, dims=DIMS, coords={k: coords[k] for k in DIMS}),
        xr.DataArray([p.conveyance for p in plans], dims="region", coords={"region": codes}),
        depths["reference_method"],
        today_gross_mm=depths["irr_gross_today_mm"],
        method_efficiency=xr.DataArray(
            [[p.method_efficiency.get(m, p.conveyance) for m in method_axis] for p in plans],
            dims=("region", "method"), coords={"region": codes, "method": method_axis}),
    )
    _baseline_vars(ds, plans, lib, t.area, crop_axis,
                   {p.code: leaching.offseason(p, salinity) for p in plans})
    applicable = xr.DataArray(_applicable(comparison, crop_axis, method_axis, paddy),
                              dims=("crop", "method"))
    ds = _mask(ds, applicable)
    ds["applicable"] = applicable
    ds = add_outcomes(ds, depths_now, comparison, plans, info)
    # rice: the crop's share of the field supply and of the withdrawal (the published 40-45 %
    # of Kazakh rice systems is a share of the water withdrawn, canal losses included)
    field_pct, withdrawal_pct = crop_water_shares(ds["eta_mm"], ds["irr_gross_mm"],
                                                  ds["conveyance_efficiency"])
    ds["crop_share_field_pct"] = field_pct.where(ds["paddy"]).transpose(*DIMS)
    ds["crop_share_withdrawal_pct"] = withdrawal_pct.where(ds["paddy"]).transpose(*DIMS)
    ds["irrigated_area_ha"] = ("region", [p.irrigated_ha for p in plans])
    ds["covered"] = ("region", t.covered)
    ds = ds.sel({"method": [m for m in method_axis if m in methods.shown]})
    ds = ds.assign(film_variables(info.film, info.swapped, crop_axis))
    ds = add_totals(ds)
    ds.attrs.update(_attrs(lib, info, plans, float(ds["irrigated_area_ha"].sum())))
    return label(ds)


#: Per-method variables kept on n/a lines: the crop's season (ET0) and today's practice.
_KEEP_NA = ("current_share", "et0_mm", "irr_gross_today_mm", "irr_net_today_mm")


def _mask(ds: xr.Dataset, applicable: xr.DataArray) -> xr.Dataset:
    """Blank every per-method value of a method that is not practised for the crop (n/a)."""
    for name in list(ds.data_vars):
        if "method" in ds[name].dims and "crop" in ds[name].dims and name not in _KEEP_NA:
            ds[name] = ds[name].where(applicable)
    return ds


def _attrs(lib: Library, info: Info, plans: Sequence[RegionPlan], area_ha: float
           ) -> dict[str, str]:
    kind = plans[0].today.area_kind if plans and plans[0].today else "watered"
    return {
        "title": "irrigate regional water budget",
        "conventions": info.conventions,
        "season": str(info.year),
        "climate_source": info.source,
        "cyclic_year": "yes: the input's single year also stands for the year before"
        if info.cyclic else "no",
        "left_out": "; ".join(info.skipped) or "none",
        "methods_requested": ", ".join(info.requested) if info.requested else "all",
        "paddy_methods": ", ".join(RICE_METHODS),
        "scenario": info.scenario,
        "today": "today's baseline (engine/today.py: the crop x method matrix, today's "
                 "calendars times the practice factor, per-method conveyance); its crop "
                 "water use under "
                 + "; ".join(f"{n}: {', '.join(ms)}" for n, (_, ms)
                             in info.today_schedules.items()),
        "area_source": f"{_library_file(lib, 'regions')} crop shares on the {kind} areas "
                       f"of {_path_text(lib.baseline.files['areas.toml'])} "
                       f"({area_ha / 1e6:.3f} Mha in the selected regions, each region's "
                       "figure with its source)",
        "area_kind": kind,
        "practice_factor": "fitted per region (baseline_factors.toml), 1 elsewhere"
        if info.fitted else "1 everywhere (--no-fit)",
    }


def _library_file(lib: Library, kind: str) -> str:
    """Name a library file: ``models/<file>`` when bundled, the full path otherwise."""
    return _path_text(Path(lib.files[kind]))


def _path_text(path: Path) -> str:
    """``models/<file> (bundled)`` for a bundled library file, the full path otherwise."""
    if path.parent.resolve() == models_dir().resolve():
        return f"models/{path.name} (bundled)"
    return str(path)


def _baseline_vars(ds: xr.Dataset, plans: Sequence[RegionPlan], lib: Library,
                   area: np.ndarray, crop_axis: list[str],
                   central: Mapping[str, tuple[float, float]]) -> None:
    """Add today's provenance per region: area kind, practice factor, ranges (issue #12)."""
    def region_var(values: list[Any]) -> tuple[str, list[Any]]:
        return ("region", values)

    today = [p.today for p in plans]
    ds["area_kind"] = region_var([t.area_kind for t in today])
    ds["area_key"] = region_var([t.area_key for t in today])
    ds["area_sourced"] = region_var([bool(t.area_sourced) for t in today])
    ds["practice_factor"] = region_var([t.factor for t in today])
    ds["practice_factor_low"] = region_var([t.factor_low for t in today])
    ds["practice_factor_high"] = region_var([t.factor_high for t in today])
    ds["fitted"] = region_var([bool(t.fitted) for t in today])
    ds["conveyance_low"] = region_var([p.conveyance_range[0] for p in plans])
    ds["conveyance_high"] = region_var([p.conveyance_range[1] for p in plans])
    # off-season leaching: range of the withdrawal and its groundwater part
    low, high, gw = [], [], []
    for i, p in enumerate(plans):
        upland = sum(area[i, j] for j, c in enumerate(crop_axis)
                     if c not in LINE_KINDS and not lib.crops[c].paddy)
        lo_mm, hi_mm, g = leaching_range(p, central.get(p.code, (0.0, 0.0)))
        has_line = LEACHING in ds["crop"].values and \
            float(ds["area_ha"].sel(region=p.code, crop=LEACHING)) > 0
        scale = upland * 1e-5 / p.conveyance if has_line else 0.0
        low.append(lo_mm * scale)
        high.append(hi_mm * scale)
        gw.append(g)
    ds["leaching_low_mcm"] = region_var(low)
    ds["leaching_high_mcm"] = region_var(high)
    ds["leaching_groundwater_share"] = region_var(gw)
