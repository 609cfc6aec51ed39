"""Today's water use of a region: areas by kind, crop x method shares, today's calendars.

The budget's *today* (the current practice, issue #12) is built from the baseline files of the
library (:mod:`irrigate.library.baseline`):

* the area of the region is the land actually watered (``area="watered"``, default) or the
  listed irrigated land (``area="listed"``) of ``models/areas.toml``; crop areas follow the
  crop shares of ``models/regions.toml`` (on watered land renormalised to the whole area:
  every watered hectare carries a crop), with rice at its sourced area where ``areas.toml``
  gives one and ``regions.toml`` does not;
* each crop's method mix is its row of the crop x method matrix (``practice_shares.toml``;
  a crop without a row is all furrow, rice all continuous flooding);
* each crop x method of today runs today's calendar of its zone and crop
  (``practices_today.toml``), else the method's library practice (``practices.toml``), else
  the FAO-56 RAW rule;
* today's water is multiplied by the region's fitted practice factor
  (``baseline_factors.toml``; 1 where the region is not fitted): the fraction of the
  modelled practice's water the region delivers. The factor scales today's net and gross
  depths (equivalently the net event depths of the fixed-interval calendars); it does not
  re-run the soil water balance, so today's ETa is the unscaled calendar's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from irrigate.errors import InputError
from irrigate.library.baseline import AreaKind
from irrigate.library.schema import is_assumption

#: The schedule of a method without a library practice (FAO-56 RAW rule).
DEFAULT_RULE = "fao_mad"


@dataclass
class TodayPlan:
    """Today's settings of one region (see the module docstring)."""

    area_kind: str                       # the kind asked for (listed or watered)
    area_key: str                        # the areas.toml key actually used
    area_sourced: bool                   # False: the area is a labelled assumption
    total_ha: float
    crop_methods: dict[str, dict[str, float]] = field(default_factory=dict)
    factor: float = 1.0                  # fitted practice factor (1: not fitted)
    factor_low: float = float("nan")
    factor_high: float = float("nan")
    fitted: bool = False


def area_kind(value: str | AreaKind) -> AreaKind:
    """Return ``value`` as an :class:`AreaKind`, or raise InputError naming the choices."""
    try:
        return AreaKind(str(value).strip().lower())
    except ValueError:
        raise InputError(f"--area {value}: unknown; use one of "
                         f"{', '.join(k.value for k in AreaKind)}") from None


def crop_areas(lib: Any, reg: Any, kind: AreaKind) -> tuple[TodayPlan, dict[str, float]]:
    """Return today's plan skeleton and the crop areas (ha) of region ``reg``.

    A region whose ``regions.toml`` gives ``irrigated_area`` (a user library) takes that
    area, for either kind (key ``"regions.toml"``). Where ``areas.toml`` gives the region's
    rice area of a year (``rice_<year>``, the latest), rice takes that area, in place of a
    rice crop share, and the other crops share the rest.
    """
    rec = lib.baseline.areas.get(reg.code)
    if rec is None or reg.area_from_regions:  # a user regions.toml gives the area
        key, total = "regions.toml", float(reg.irrigated_area)
        source = lib.source("regions", reg.code, "irrigated_area") \
            if reg.area_from_regions else "assumption"
        sourced = not is_assumption(source)
    else:
        key, total = rec.pick(kind)
        sourced = rec.sourced if key == rec.default else True
    shares = {c: float(s) for c, s in reg.crop_shares.items() if s > 0}
    rice = rec.rice() if rec is not None else None
    areas: dict[str, float] = {}
    rest = total
    if rice is not None and rice[1] > 0:
        # the year's sourced rice area replaces a rice share (a share of another year's area)
        paddy = [c for c in shares if lib.crops[c].paddy]
        for c in paddy:
            del shares[c]
        crop = paddy[0] if paddy else "rice"
        areas[crop] = min(rice[1], total)
        rest = total - areas[crop]
    weight = sum(shares.values())
    if kind is AreaKind.WATERED and weight > 0:
        # every watered hectare carries a crop: the crop shares of the listed land (whose
        # rest is fallow or crops the library does not describe) are renormalised
        areas.update({c: rest * s / weight for c, s in shares.items()})
    else:
        areas.update({c: rest * s for c, s in shares.items()})
    plan = TodayPlan(area_kind=kind.value, area_key=key, area_sourced=sourced, total_ha=total)
    return plan, {c: a for c, a in areas.items() if a > 0}


def crop_methods(lib: Any, code: str, crops: dict[str, float]) -> dict[str, dict[str, float]]:
    """Today's method shares of every crop of region ``code`` (the crop x method matrix)."""
    matrix = lib.baseline.shares.get(code, {})
    out = {}
    for crop in crops:
        if lib.crops[crop].paddy:
            out[crop] = {"flood": 1.0}
        else:
            row = matrix.get(crop)
            out[crop] = dict(row) if row else {"furrow": 1.0}
    return out


def add_factor(lib: Any, plan: TodayPlan, code: str, use_fit: bool) -> None:
    """Put the region's fitted practice factor on ``plan`` (left at 1 when not fitted)."""
    fit = lib.baseline.factors.get(code)
    if fit is not None and use_fit:
        plan.factor, plan.factor_low, plan.factor_high = fit.factor, fit.low, fit.high
        plan.fitted = True


def today_schedule(lib: Any, zone: str, crop: str, method: str) -> tuple[str, Any]:
    """Return ``(label, schedule)`` of today's calendar of ``crop`` under ``method``.

    Today's calendar of the zone and crop (``practices_today.toml``), else the method's
    library practice for the crop (:meth:`~irrigate.library.Library.practice_for`), else the
    FAO-56 RAW rule. ``schedule`` is what
    :func:`irrigate.engine.simulate.simulate` takes (a Schedule or a practice/rule name).
    """
    name = lib.baseline.today_practice(zone, crop, method)
    if name is not None:
        return name, lib.baseline.today[name]
    label = lib.practice_for(method, crop) or DEFAULT_RULE
    return label, label


def today_runs(lib: Any, plist: Sequence[Any], zone: str, fits: Sequence[str],
               by_date: Mapping[Any, list[Any]], column_schedule: Mapping[Any, str],
               run: Callable[[list[Any], list[str], Any, str], xr.Dataset]
               ) -> list[xr.Dataset]:
    """Seasonal totals of today's calendars that no method column already ran.

    A crop x method of today (a non-zero share of the crop x method matrix in a region of
    the group) runs today's calendar of its zone and crop (:func:`today_schedule`); where
    that is the schedule the method's column ran with, the column is today's value and
    nothing is run here. ``run(crops, methods, schedule, label)`` returns the seasonal
    totals (cell, crop, method) of the group's cells (the budget's runner).
    """
    runs: dict[str, tuple[Any, set[str], set[str]]] = {}
    pairs: dict[str, set[tuple[str, str]]] = {}
    for crop in fits:
        for p in plist:
            if p.today is None or crop not in p.today.crop_methods:
                continue
            for method in p.today.crop_methods[crop]:
                label, sched = today_schedule(lib, zone, crop, method)
                if column_schedule.get((crop, method), column_schedule.get(method)) == label:
                    continue
                entry = runs.setdefault(label, (sched, set(), set()))
                entry[1].add(crop)
                entry[2].add(method)
                pairs.setdefault(label, set()).add((crop, method))
    pieces = []
    for label, (sched, crop_names, methods) in runs.items():
        for crops_d in by_date.values():
            chosen = [c for c in crops_d if c.name in crop_names]
            if chosen:
                piece = run(chosen, sorted(methods), sched, f"{zone} today")
                # keep only the crop x method pairs this calendar is today's for
                keep = xr.DataArray(
                    [[(c, m) in pairs[label] for m in piece["method"].values]
                     for c in piece["crop"].values],
                    dims=("crop", "method"),
                    coords={"crop": piece["crop"], "method": piece["method"]})
                pieces.append(piece.where(keep))
    return pieces


def today_depths(p: Any, crop: str, methods: list[str], shares: np.ndarray,
                 arrays: dict[str, np.ndarray], ij: tuple[int, int], today: Any,
                 gross_out: np.ndarray, net_out: np.ndarray) -> None:
    """Fill today's gross and net depths of one crop: today's run, else the method column.

    Multiplied by the region's practice factor (:mod:`irrigate.engine.today`).
    """
    i, j = ij
    f = p.today.factor if p.today is not None else 1.0
    for k, m in enumerate(methods):
        if shares[k] <= 0:
            continue
        gross, net = arrays["irr_gross_mm"][i, j, k], arrays["irr_net_mm"][i, j, k]
        if today is not None and crop in today["crop"].values and \
                m in today["method"].values:
            cell = today.sel({"crop": crop, "method": m})
            if np.isfinite(float(cell["irr_gross"])):
                gross, net = float(cell["irr_gross"]), float(cell["irr_net"])
        gross_out[i, j, k] = f * gross
        net_out[i, j, k] = f * net
