"""Plan a budget: regions -> crops with area, methods, schedules, sowing dates, groups.

Every name the user gives (region, crop, method, schedule) is resolved here, once, against
one parameter library; the steps after the plan take records and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from irrigate.engine.simulate import DEFAULT_METHODS, resolve_schedule
from irrigate.engine.today import TodayPlan, add_factor, area_kind, crop_areas, crop_methods
from irrigate.errors import InputError
from irrigate.library import Library
from irrigate.science.params import Crop
from irrigate.science.schedule import Schedule

__all__ = ["RegionPlan", "MethodPlan", "region_plans", "method_plan", "schedules", "sowing",
           "groups", "RICE_METHODS", "RICE_REFERENCE", "UPLAND_REFERENCE", "FAO_RULE"]

#: Paddy water-management methods of ``models/rice.toml`` compared for rice.
RICE_METHODS: tuple[str, ...] = ("continuous_flooding", "awd", "drip_film_rice")
#: Reference (flood-type) method of paddy rice.
RICE_REFERENCE = "continuous_flooding"
#: Reference method of upland crops.
UPLAND_REFERENCE = "flood"
#: Library practice of a method that has none of its own: the FAO-56 RAW rule.
FAO_RULE = "fao_mad"


@dataclass
class RegionPlan:
    """What one region needs: its crops with area, shares and settings."""

    code: str
    name: str
    irrigated_ha: float
    crops: dict[str, float]              # crop -> area, ha (crops with area only)
    upland_shares: dict[str, float]      # methods of today's upland crops (value 1)
    soil: str
    zone: str
    conveyance: float
    ecw: float
    saline_shares: dict[str, float] = field(default_factory=dict)  # class -> share of land
    leaching_frequency: float = 1.0      # off-season leachings per year
    rice: bool = False
    cells: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    today: TodayPlan | None = None       # today's areas, crop x method shares, factor
    method_efficiency: dict[str, float] = field(default_factory=dict)  # source to field
    conveyance_range: tuple[float, float] = (float("nan"), float("nan"))
    leaching_range: Any = None           # LeachingRange of leaching_offseason.toml, or None


@dataclass(frozen=True)
class MethodPlan:
    """Methods shown, and upland and paddy methods simulated (shown + those savings need)."""

    shown: list[str]
    upland: list[str]
    rice: list[str]


def _region_plan(lib: Library, code: str, crops: list[str] | None, kind: Any,
                 fitted: bool) -> RegionPlan:
    """One region's plan: today's areas of ``kind``, crop x method shares and factor.

    Areas, the crop x method shares of today and the practice factor come from the baseline
    files of the library (:mod:`irrigate.engine.today`).
    """
    reg = lib.region(code)
    today, areas = crop_areas(lib, reg, kind)
    if crops is not None:
        areas = {c: a for c, a in areas.items() if c in crops}
    today.crop_methods = crop_methods(lib, reg.code, areas)
    add_factor(lib, today, reg.code, fitted)
    system = float(lib.conveyance_efficiency(reg.code))
    rng = lib.baseline.conveyance_ranges.get(reg.code) or \
        lib.baseline.system_ranges.get(reg.conveyance)
    upland = {m for c, ms in today.crop_methods.items() if not lib.crops[c].paddy for m in ms}
    return RegionPlan(
        code=reg.code, name=reg.name, irrigated_ha=today.total_ha,
        crops={c: a for c, a in areas.items() if a > 0},
        upland_shares={m: 1.0 for m in sorted(upland)}, soil=reg.soil,
        zone=reg.sowing_zone, conveyance=system,
        ecw=float(reg.ecw),
        saline_shares=dict(reg.saline_shares),
        leaching_frequency=float(reg.leaching_frequency),
        rice=any(lib.crops[c].paddy for c in areas if areas[c] > 0),
        today=today,
        method_efficiency={m: lib.baseline.method_efficiency(system, m) for m in lib.methods},
        conveyance_range=(rng.low, rng.high) if rng is not None else (system, system),
        leaching_range=lib.baseline.leaching.get(reg.code),
    )


def region_plans(lib: Library, codes: Sequence[str], crops: list[str] | None,
                 explicit_regions: bool, area: str = "watered", fitted: bool = True
                 ) -> list[RegionPlan]:
    """Return one plan per region; check the requested crops exist and have area.

    ``area``: ``"watered"`` (land actually watered, default) or ``"listed"``
    (``models/areas.toml``); ``fitted``: apply the fitted practice factors.
    """
    if crops is not None:
        for c in crops:
            lib.crop(c)  # unknown crop -> InputError listing the known ones
    kind = area_kind(area)
    plans = [_region_plan(lib, code, crops, kind, fitted) for code in codes]
    if crops is not None:
        grown = {c for p in plans for c in p.crops}
        missing = [c for c in crops if c not in grown]
        if missing:
            where = ", ".join(codes) if explicit_regions and len(codes) <= 5 else \
                "the selected regions"
            raise InputError(f"--crop {', '.join(missing)}: no area in {where} "
                             "(models/regions.toml crop_shares); choose another crop or region")
    return plans


def method_plan(lib: Library, methods: list[str] | None, plans: Sequence[RegionPlan]
                ) -> MethodPlan:
    """Return the methods shown and the upland and rice methods to simulate.

    The ``method`` axis of the budget holds only methods some budgeted crop can take: the
    paddy methods only where rice is budgeted, the upland methods only where an upland crop
    is. A requested method of the other kind is left out (the table says why, from the
    ``methods_requested`` attribute); when no requested method is left, an ``InputError``.
    """
    known_rice = set(RICE_METHODS)
    rice_budgeted = any(p.rice for p in plans)
    upland_budgeted = any(not lib.crops[c].paddy for p in plans for c in p.crops)
    if methods is None:
        shown = (list(DEFAULT_METHODS) if upland_budgeted else []) + \
            (list(RICE_METHODS) if rice_budgeted else [])
    else:
        shown = []
        for m in methods:
            if m not in known_rice:
                lib.method(m)  # unknown -> InputError listing the library's methods
            if (rice_budgeted if m in known_rice else upland_budgeted):
                shown.append(m)
        if not shown:
            crops = sorted({c for p in plans for c in p.crops})
            kind = "paddy rice" if rice_budgeted else "upland crops"
            raise InputError(
                f"--method {', '.join(methods)}: applies to none of the budgeted crops "
                f"({', '.join(crops) or 'none'}: {kind}); paddy methods "
                f"({', '.join(RICE_METHODS)}) are for rice, the others for upland crops")
    upland = [m for m in shown if m not in known_rice]
    needed = {UPLAND_REFERENCE} | {m for p in plans for m in p.upland_shares}
    upland += [m for m in lib.methods if m in needed and m not in upland]
    rice = [m for m in shown if m in known_rice]
    if any(p.rice for p in plans) and RICE_REFERENCE not in rice:
        rice.append(RICE_REFERENCE)
    return MethodPlan(shown=shown, upland=upland, rice=rice)


def schedules(lib: Library, upland: Sequence[str], schedule: str | Schedule | None
              ) -> dict[str, tuple[Schedule, list[str]]]:
    """Group the upland methods by the schedule each one is simulated with.

    ``schedule=None``: each method uses the library practice written for it
    (``models/practices.toml`` ``method = ...``), or :data:`FAO_RULE` (the FAO-56 RAW rule)
    when it has none. Otherwise one rule, practice, schedule CSV or Schedule for every method.

    Returns
    -------
    dict
        Schedule name -> (Schedule record, method names), in the order of ``upland``.

    """
    names: dict[str, list[str]] = {}
    if schedule is None:
        by_method = {m: p for p, m in lib.practice_methods.items()}
        for m in upland:
            names.setdefault(by_method.get(m, FAO_RULE), []).append(m)
        return {n: (resolve_schedule(n, lambda: lib), ms) for n, ms in names.items()}
    record = resolve_schedule(schedule, lambda: lib)
    label = schedule if isinstance(schedule, str) else (record.name or record.rule)
    return {str(label): (record, list(upland))}


def practice_schedules(lib: Library, upland: Sequence[str], crops: Sequence[str]
                       ) -> tuple[dict[str, tuple[Schedule, list[str]]],
                                  dict[str, tuple[str, ...]]]:
    """Each method under the library practice written for each crop (``--scenario practice``).

    A crop x method runs the practice :meth:`~irrigate.library.Library.practice_for` names
    (the Xinjiang film calendar for cotton only, the Ili-valley drip calendar for winter
    wheat only, ``kz_furrow_current`` for every furrow crop), else :data:`FAO_RULE`.

    Returns
    -------
    schedules : dict
        Schedule name -> (Schedule record, method names). A name is the practice's; when
        one practice (or the rule) serves different crops under different methods, the
        later entries are named ``<practice>/<method>``.
    crops : dict
        Schedule name -> the crops it runs for; a schedule absent here runs for every crop.

    """
    chosen: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for m in upland:
        by_practice: dict[str, list[str]] = {}
        for crop in crops:
            by_practice.setdefault(lib.practice_for(m, crop) or FAO_RULE, []).append(crop)
        for name, those in by_practice.items():
            key = (name, () if len(those) == len(crops) else tuple(those))
            chosen.setdefault(key, []).append(m)
    out: dict[str, tuple[Schedule, list[str]]] = {}
    only: dict[str, tuple[str, ...]] = {}
    for (name, those), methods in chosen.items():
        label = name if name not in out else f"{name}/{'+'.join(methods)}"
        out[label] = (resolve_schedule(name, lambda: lib), methods)
        if those:
            only[label] = those
    return out, only


def practice_name(label: str) -> str:
    """Return the practice a schedule of :func:`practice_schedules` runs (``<practice>/...``)."""
    return label.split("/")[0]


def sowing(lib: Library, zone: str, crop: Crop, year: int) -> pd.Timestamp:
    """Sowing date of ``crop`` for the season harvested in ``year``.

    The sowing day of year comes from ``models/sowing.toml``; a crop whose season would end
    after 31 December when sown in ``year`` (winter wheat) is sown in the autumn before.
    """
    doy = lib.sowing_doy(zone, crop.name)
    sow = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=doy - 1)
    if sow + pd.Timedelta(days=crop.season_length - 1) > pd.Timestamp(year, 12, 31):
        sow = pd.Timestamp(year - 1, 1, 1) + pd.Timedelta(days=doy - 1)
    return sow


def groups(active: Sequence[RegionPlan]) -> dict[tuple[str, str], list[RegionPlan]]:
    """Regions that share a soil and a sowing zone are simulated together."""
    out: dict[tuple[str, str], list[RegionPlan]] = {}
    for p in active:
        out.setdefault((p.soil, p.zone), []).append(p)
    return out


def work_units(lib: Library, grouped: dict[tuple[str, str], list[RegionPlan]],
               methods: MethodPlan) -> int:
    """Cells x crops x methods of every simulation call (the progress total)."""
    total = 0
    for plist in grouped.values():
        ncell = np.unique(np.concatenate([p.cells for p in plist])).size
        ncrop = len({c for p in plist for c in p.crops if not lib.crops[c].paddy})
        total += ncell * ncrop * len(methods.upland)
        if any(p.rice for p in plist):
            total += ncell * len(methods.rice)
    return total


#: A progress callback: (work units done so far, total, label of the current step).
Progress = Callable[[int, int, str], None]
