"""Today's water use as Kazakhstan reports it: the baseline files of ``models/``.

Six files describe the "today" of the regional budget (issue #12; their schema and sources are
in ``docs/baseline-data.md`` and ``docs/library.md``):

``areas.toml``
    Irrigated land by kind (``listed``: on the books; ``watered``: actually watered) and year,
    per region, with the key the budget uses by default and whether it is sourced.
``practice_shares.toml``
    The crop x method matrix of today: per region and crop, the share of the crop's area under
    each method.
``practices_today.toml``
    Today's irrigation calendars by zone and crop (``practices.toml`` schema plus ``zone``).
``conveyance_ranges.toml``
    The range of each region's conveyance efficiency and the on-farm efficiency of each method.
``leaching_offseason.toml``
    Off-season leaching ranges: saline share x frequency x depth, and the groundwater part.
``deliveries.toml``
    The reported season withdrawals (km3) the baseline is calibrated to, with their definition.
``baseline_factors.toml``
    The fitted practice factor per region (``irrigate calibrate baseline``).

Every number is ``{ value, unit, source }`` (:func:`irrigate.library.schema._parse_value`);
files absent from a user folder come from the bundled library
(:func:`~irrigate.library.schema.library_file`). The records are built once per loaded
library (:attr:`irrigate.library.Library.baseline`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.baseline_records import (  # re-exported: part of this module's API
    AREAS_FILE,
    BASELINE_FILES,
    CALIBRATED_FILE,
    CONVEYANCE_RANGES_FILE,
    DELIVERIES_FILE,
    FACTOR_BOUNDS,
    LEACHING_FILE,
    OPTIONAL_LINES,
    SHARES_FILE,
    SOWING_TO_ZONE,
    TODAY_FILE,
    AreaKind,
    BaselineRecords,
    ConveyanceRange,
    Definition,
    Delivery,
    LeachingRange,
    PracticeFactor,
    RegionAreas,
    Zone,
)
from irrigate.library.practices import _build_practice, _practice_crops
from irrigate.library.schema import (
    SHARE_UNIT,
    LibraryValue,
    _check_range,
    _parse_entry,
    _parse_value,
    _read_toml,
    _where,
    library_file,
)
from irrigate.science.params import Crop, Method
from irrigate.science.schedule import Schedule


def _value(file: Path, name: str, key: str, item: Any, unit: str) -> float:
    return float(_parse_value(file, name, key, item, unit).value)


def _region_code(file: Path, code: str, regions: Mapping[str, Any]) -> None:
    if code not in regions:
        raise InputError(f"{_where(file, code)}: unknown region; known: "
                         f"{', '.join(sorted(regions))}")


def read_areas(file: Path, data: dict[str, Any], regions: Mapping[str, Any],
               values: dict[str, dict[str, LibraryValue]] | None = None
               ) -> dict[str, RegionAreas]:
    """Check the tables of ``areas.toml`` (parsed ``data``) and build the area records."""
    values = {} if values is None else values
    out = {}
    for code, table in data.items():
        _region_code(file, code, regions)
        if not isinstance(table, dict):
            raise InputError(f"{_where(file, code)}: expected a table")
        nums: dict[str, LibraryValue] = {}
        for key, item in table.items():
            if key in ("name", "default", "sourced"):
                continue
            if not _AREA_KEY.match(key):
                raise InputError(f"{_where(file, code, key)}: unknown key; write "
                                 f"listed_<year>, watered_<year> or rice_<year> (year or na), "
                                 f"name, default, sourced")
            nums[key] = _parse_value(file, code, key, item, "ha")
            _check_range(file, code, key, float(nums[key].value), 0.0, 1e7)
        default = table.get("default")
        if default not in nums:
            raise InputError(f"{_where(file, code, 'default')}: {default!r} is not one of the "
                             f"region's area keys ({', '.join(sorted(nums)) or 'none'})")
        if default.startswith("rice_"):
            raise InputError(f"{_where(file, code, 'default')}: a rice area cannot be the "
                             f"region's irrigated area")
        sourced = table.get("sourced")
        if not isinstance(sourced, bool):
            raise InputError(f"{_where(file, code, 'sourced')}: expected true or false")
        values[code] = nums
        out[code] = RegionAreas(code, MappingProxyType(nums), default, sourced)
    return out


def _shares(file: Path, data: dict[str, Any], regions: Mapping[str, Any],
            crops: Mapping[str, Crop], methods: Mapping[str, Method], rice_methods: set[str],
            values: dict[str, dict[str, LibraryValue]]
            ) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for code, table in data.items():
        if code == "template":
            continue  # the zone templates the matrix was derived from (documentation)
        _region_code(file, code, regions)
        matrix: dict[str, dict[str, float]] = {}
        for crop, row in table.items():
            if not isinstance(row, dict) or "value" in row:
                continue  # modern_area, scale, plain keys
            if crop not in crops:
                raise InputError(f"{_where(file, code, crop)}: unknown crop; known: "
                                 f"{', '.join(sorted(crops))}")
            shares = {}
            for method, item in row.items():
                where = f"{crop}.{method}"
                if method not in methods and method not in rice_methods:
                    raise InputError(f"{_where(file, code, where)}: unknown method; known: "
                                     f"{', '.join(sorted(methods))}")
                f = _parse_value(file, code, where, item, SHARE_UNIT)
                _check_range(file, code, where, float(f.value), 0.0, 1.0)
                values.setdefault(code, {})[where] = f
                shares[method] = float(f.value)
            total = sum(shares.values())
            if abs(total - 1.0) > 1e-3:
                raise InputError(f"{_where(file, code, crop)}: method shares sum to "
                                 f"{total:.4g}, must sum to 1 (the crop's whole area)")
            matrix[crop] = {m: s / total for m, s in shares.items() if s > 0}
        out[code] = matrix
    return out


def _today(file: Path, data: dict[str, Any], crops: Mapping[str, Crop],
           methods: Mapping[str, Method], values: dict[str, dict[str, LibraryValue]]
           ) -> tuple[dict[str, Schedule], dict[str, Zone], dict[str, str],
                      dict[str, tuple[str, ...]]]:
    schedules, zones, meths, crop_lists = {}, {}, {}, {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise InputError(f"{_where(file, name)}: expected a table")
        table = dict(table)
        zone = table.pop("zone", None)
        try:
            zones[name] = Zone(zone)
        except ValueError:
            raise InputError(f"{_where(file, name, 'zone')}: {zone!r}; use one of "
                             f"{', '.join(z.value for z in Zone)}") from None
        num, plain = _parse_entry(file, "practices", name, table)
        values[name] = dict(num)
        if "method" not in plain or "crops" not in plain:
            raise InputError(f"{_where(file, name)}: today's calendar needs method and crops")
        schedules[name] = _build_practice(file, name, {k: f.value for k, f in num.items()},
                                          plain, methods)
        meths[name] = plain["method"]
        crop_lists[name] = _practice_crops(file, name, plain["crops"], crops)
    return schedules, zones, meths, crop_lists


def _conveyance(file: Path, data: dict[str, Any], regions: Mapping[str, Any],
                conveyance: Mapping[str, Any], methods: Mapping[str, Method],
                values: dict[str, dict[str, LibraryValue]]
                ) -> tuple[dict[str, ConveyanceRange], dict[str, ConveyanceRange],
                           dict[str, float], float]:
    def pair(name: str, table: dict[str, Any]) -> ConveyanceRange:
        lo = _value(file, name, "efficiency_low", table.get("efficiency_low"), "1")
        hi = _value(file, name, "efficiency_high", table.get("efficiency_high"), "1")
        for key, v in (("efficiency_low", lo), ("efficiency_high", hi)):
            _check_range(file, name, key, v, 0.0, 1.0, low_open=True)
        if lo > hi:
            raise InputError(f"{_where(file, name, 'efficiency_low')}: {lo:g} exceeds "
                             f"efficiency_high {hi:g}")
        values[name] = {k: _parse_value(file, name, k, table[k], "1")
                        for k in ("efficiency_low", "efficiency_high")}
        return ConveyanceRange(name, lo, hi)

    systems = {}
    for name, table in data.get("system", {}).items():
        if name not in conveyance:
            raise InputError(f"{_where(file, 'system.' + name)}: unknown conveyance system; "
                             f"known: {', '.join(sorted(conveyance))}")
        systems[name] = pair(name, table)
    edge = data.get("farm_edge", {})
    in_system = _value(file, "farm_edge", "on_farm_in_system", edge.get("on_farm_in_system"),
                       "1")
    _check_range(file, "farm_edge", "on_farm_in_system", in_system, 0.0, 1.0, low_open=True)
    on_farm = {}
    for method, table in data.get("delivery", {}).items():
        if method not in methods:
            raise InputError(f"{_where(file, 'delivery.' + method)}: unknown method; known: "
                             f"{', '.join(sorted(methods))}")
        v = _value(file, "delivery." + method, "on_farm", table.get("on_farm"), "1")
        _check_range(file, "delivery." + method, "on_farm", v, 0.0, 1.0, low_open=True)
        on_farm[method] = v
    ranges = {}
    for code, table in data.items():
        if code in ("system", "delivery", "farm_edge"):
            continue
        _region_code(file, code, regions)
        ranges[code] = pair(code, table)
    return ranges, systems, on_farm, in_system


def _leaching(file: Path, data: dict[str, Any], regions: Mapping[str, Any]
              ) -> dict[str, LeachingRange]:
    out = {}
    for code, t in data.items():
        _region_code(file, code, regions)

        def two(stem: str, unit: str, hi_max: float, t: dict = t, code: str = code
                ) -> tuple[float, float]:
            lo_key, hi_key = (f"{stem}_low", f"{stem}_high") if stem != "depth" else \
                ("depth_low_mm", "depth_high_mm")
            lo = _value(file, code, lo_key, t.get(lo_key), unit)
            hi = _value(file, code, hi_key, t.get(hi_key), unit)
            _check_range(file, code, lo_key, lo, 0.0, hi_max)
            _check_range(file, code, hi_key, hi, 0.0, hi_max)
            if lo > hi:
                raise InputError(f"{_where(file, code, lo_key)}: {lo:g} exceeds {hi_key} "
                                 f"{hi:g}")
            return lo, hi

        gw = _value(file, code, "groundwater_share", t.get("groundwater_share"), "1")
        _check_range(file, code, "groundwater_share", gw, 0.0, 1.0)
        out[code] = LeachingRange(code, two("saline_share", "1", 1.0),
                                  two("frequency", "year-1", 4.0),
                                  two("depth", "mm", 2000.0), gw)
    return out


def _deliveries(file: Path, data: dict[str, Any], regions: Mapping[str, Any]
                ) -> dict[str, Delivery]:
    out = {}
    for code, t in data.items():
        _region_code(file, code, regions)
        f = _parse_value(file, code, "withdrawal", t.get("withdrawal"), "km3")
        value = float(f.value)
        lo = _value(file, code, "withdrawal_low", t["withdrawal_low"], "km3") \
            if "withdrawal_low" in t else value
        hi = _value(file, code, "withdrawal_high", t["withdrawal_high"], "km3") \
            if "withdrawal_high" in t else value
        if not lo <= value <= hi:
            raise InputError(f"{_where(file, code, 'withdrawal')}: {value:g} km3 is not "
                             f"inside withdrawal_low..withdrawal_high {lo:g}..{hi:g}")
        try:
            definition = Definition(t.get("definition"))
        except ValueError:
            raise InputError(f"{_where(file, code, 'definition')}: {t.get('definition')!r}; "
                             f"use one of {', '.join(d.value for d in Definition)}") from None
        year, fit = t.get("year"), t.get("fit")
        if not (isinstance(year, str) and year.isdigit() and len(year) == 4) or \
                not isinstance(fit, bool):
            raise InputError(f"{_where(file, code)}: give year (a string, e.g. \"2025\") and "
                             f"fit (true/false)")
        out[code] = Delivery(code, int(year), value, lo, hi, definition, fit, f.source)
    return out


def _factors(file: Path, data: dict[str, Any], regions: Mapping[str, Any]
             ) -> tuple[dict[str, PracticeFactor], tuple[float, float]]:
    bounds = FACTOR_BOUNDS
    if "bounds" in data:
        b = data["bounds"]
        bounds = (_value(file, "bounds", "low", b.get("low"), "1"),
                  _value(file, "bounds", "high", b.get("high"), "1"))
    out = {}
    for code, t in data.items():
        if code == "bounds":
            continue
        _region_code(file, code, regions)
        f = _parse_value(file, code, "factor", t.get("factor"), "1")
        # one published figure: no range, the ends are the factor
        lo = _value(file, code, "factor_low", t["factor_low"], "1") \
            if "factor_low" in t else float(f.value)
        hi = _value(file, code, "factor_high", t["factor_high"], "1") \
            if "factor_high" in t else float(f.value)
        for key, v in (("factor", float(f.value)), ("factor_low", lo), ("factor_high", hi)):
            _check_range(file, code, key, v, bounds[0], bounds[1])
        for key in ("factor_conveyance_low", "factor_conveyance_high"):
            if key in t:  # the factors at the ends of the conveyance range (information)
                _value(file, code, key, t[key], "1")
        bound = t.get("bound", "")
        if not isinstance(bound, str):
            raise InputError(f"{_where(file, code, 'bound')}: expected a string")
        out[code] = PracticeFactor(code, float(f.value), lo, hi, bound, f.source)
    return out, bounds


def read_baseline(root: Path, *, regions: Mapping[str, Any], crops: Mapping[str, Crop],
                  methods: Mapping[str, Method], conveyance: Mapping[str, Any],
                  rice_methods: set[str]) -> BaselineRecords:
    """Read the baseline files of library folder ``root`` (bundled file where it has none).

    Raises
    ------
    InputError
        A file is not TOML, a value has no unit or source or a wrong unit, a value is out of
        range, a region, crop or method is unknown, a crop's method shares do not sum to 1,
        an area's default key is missing, or a fitted factor lies outside its bounds.

    """
    files = {name: library_file(root, name) for name in BASELINE_FILES}

    def read(name: str) -> dict[str, Any]:
        file = files[name]
        return _read_toml(file) if file.is_file() else {}

    values: dict[str, dict[str, dict[str, LibraryValue]]] = {n: {} for n in BASELINE_FILES}
    areas = read_areas(files[AREAS_FILE], read(AREAS_FILE), regions, values[AREAS_FILE])
    shares = _shares(files[SHARES_FILE], read(SHARES_FILE), regions, crops, methods,
                     rice_methods, values[SHARES_FILE])
    today, zones, meths, crop_lists = _today(files[TODAY_FILE], read(TODAY_FILE), crops,
                                             methods, values[TODAY_FILE])
    ranges, systems, on_farm, in_system = _conveyance(
        files[CONVEYANCE_RANGES_FILE], read(CONVEYANCE_RANGES_FILE), regions, conveyance,
        methods, values[CONVEYANCE_RANGES_FILE])
    leaching = _leaching(files[LEACHING_FILE], read(LEACHING_FILE), regions)
    deliveries = _deliveries(files[DELIVERIES_FILE], read(DELIVERIES_FILE), regions)
    factors, bounds = _factors(files[CALIBRATED_FILE], read(CALIBRATED_FILE), regions)
    ro = MappingProxyType
    return BaselineRecords(
        files=ro(files), areas=ro(areas),
        shares=ro({c: ro({k: ro(v) for k, v in m.items()}) for c, m in shares.items()}),
        today=ro(today), today_zone=ro(zones), today_method=ro(meths),
        today_crops=ro(crop_lists), conveyance_ranges=ro(ranges), system_ranges=ro(systems),
        on_farm=ro(on_farm), on_farm_in_system=in_system, leaching=ro(leaching),
        deliveries=ro(deliveries), factors=ro(factors), fit_bounds=bounds,
        values=ro({k: ro({n: ro(f) for n, f in v.items()}) for k, v in values.items()}),
    )


_AREA_KEY = re.compile(r"^(listed|watered|rice)_(\d{4}|na)$")

__all__ = ["AREAS_FILE", "BASELINE_FILES", "CALIBRATED_FILE", "CONVEYANCE_RANGES_FILE",
           "DELIVERIES_FILE", "FACTOR_BOUNDS", "LEACHING_FILE", "OPTIONAL_LINES",
           "SHARES_FILE", "SOWING_TO_ZONE", "TODAY_FILE", "AreaKind",
           "BaselineRecords", "ConveyanceRange", "Definition", "Delivery", "LeachingRange",
           "PracticeFactor", "RegionAreas", "Zone", "read_areas", "read_baseline"]
