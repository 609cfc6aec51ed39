"""The one value schema of the parameter library and its one fallback rule.

Every number in ``models/`` is an inline table ``{ value, unit, source }``: the unit must be
the one of :data:`UNITS` (the one unit table of the library), the source must not be empty.
:func:`library_file` is the one fallback rule for a user folder (``--models DIR``): a file
present there replaces the bundled file of the same name as a whole; a file absent there is
taken from the bundled library. The parsing helpers here are shared by every reader of the
library (:mod:`irrigate.library.load`, :mod:`~irrigate.library.rice`,
:mod:`~irrigate.library.salinity`, :mod:`~irrigate.library.practices`).
"""

from __future__ import annotations

import datetime as _dt
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

from irrigate.errors import InputError
from irrigate.paths import models_dir

FILES: dict[str, str] = {
    "crops": "crops.toml",
    "soils": "soils.toml",
    "methods": "methods.toml",
    "conveyance": "conveyance.toml",
    "sowing": "sowing.toml",
    "regions": "regions.toml",
    "practices": "practices.toml",
}

#: THE unit table: expected unit of every numeric field, per kind (the kinds of :data:`FILES`,
#: ``rice.toml`` sections, ``salinity.toml`` sections and the schedule CSV columns). The
#: loaders reject any other unit string.
UNITS: dict[str, dict[str, str]] = {
    "crops": {
        "l_ini": "day", "l_dev": "day", "l_mid": "day", "l_late": "day",
        "kcb_ini": "1", "kcb_mid": "1", "kcb_end": "1",
        "kc_ini": "1", "kc_mid": "1", "kc_end": "1", "kc_min": "1",
        "h_max": "m", "h_ini": "m", "zr_min": "m", "zr_max": "m", "p": "1",
        "ece_threshold": "dS m-1", "ece_slope": "% per dS m-1",
        "cuttings": "day", "sowing": "MM-DD",
    },
    "soils": {
        "theta_fc": "m3 m-3", "theta_wp": "m3 m-3", "rew": "mm", "tew": "mm", "ze": "m",
        "cn2": "1", "cr_a4": "mm day-1", "cr_b4": "1", "theta_sat": "m3 m-3",
    },
    "methods": {
        "fw": "1", "efficiency": "1", "loss_evap": "1", "loss_ro": "1", "loss_dp": "1",
        "film_cover": "1", "film_evap_reduction": "1", "depth_min": "mm", "depth_max": "mm",
        "interval_min": "day",
    },
    "conveyance": {"efficiency": "1"},
    "regions": {"irrigated_area": "ha", "ecw": "dS m-1",
                "leaching_frequency": "year-1"},
    "sowing": {},  # every crop key: "day of year"
    "practices": {
        "mad": "1", "refill_to": "1", "interval_days": "day", "depth_mm": "mm",
        "refill_fraction": "1", "stage_interval_days": "day", "stage_depth_mm": "mm",
        "first_day": "day", "last_day": "day", "quota_mm": "mm", "rain_skip_mm": "mm",
        "window_start": "MM-DD", "window_end": "MM-DD",
    },
    # models/rice.toml, one kind per section
    "rice.method": {
        "flooded": "1", "pond_min": "mm", "pond_max": "mm", "bund_height": "mm",
        "puddle_pond": "mm", "soak_days": "day", "kc_ini": "1", "kc_from_kcb": "1",
        "drain_off_days": "day", "midseason_drain_day": "day after sowing",
        "flow_through": "mm day-1", "awd": "1", "awd_start": "day after sowing",
        "awd_threshold": "mm", "awd_reflood": "mm", "awd_flowering_days": "day",
        "efficiency": "1",
    },
    "rice.soil": {"perc_rate": "mm day-1", "theta_sat": "m3 m-3", "theta_fc": "m3 m-3",
                  "theta_wp": "m3 m-3", "soak_deficit": "mm"},
    "rice.calendar": {"l_ini": "day", "l_dev": "day", "l_mid": "day", "l_late": "day"},
    # models/salinity.toml
    "salinity.offseason_leaching": {"ece_min": "dS m-1", "ece_max": "dS m-1",
                                    "depth_per_event": "mm", "events": "1"},
    "salinity.leaching_form": {"*": "1"},
    # a user schedule CSV (--schedule FILE): column -> unit
    "schedule_csv": {"date": "YYYY-MM-DD", "depth_mm": "mm", "fw": "1"},
}
#: Method keys that are scheduling limits of the fair-comparison scenarios, not Method fields
#: (validated and kept in ``Library.values["methods"]``; docs/fair-comparison-data.md).
METHOD_SCHEDULING_UNITS = {"advance_depth_min": "mm", "rotation_interval": "day",
                           "short_turn_interval": "day", "short_turn_depth_min": "mm",
                           "pivot_interval": "day", "refill_depth": "mm"}
METHOD_SCHEDULING_KEYS = tuple(METHOD_SCHEDULING_UNITS)
UNITS["methods"].update(METHOD_SCHEDULING_UNITS)
SHARE_UNIT = "1"
SOWING_UNIT = "day of year"
#: Extension files in the library folder that add entries to the kinds below, e.g. the
#: calibrated sets written by ``irrigate calibrate`` (``xinjiang_calibrated.toml`` holding
#: ``[crops.xinjiang_cotton]`` and ``[methods.xinjiang_mulched_drip]``). A user folder's
#: extension file replaces a bundled one of the same name; names must not repeat entries.
EXTENSION_GLOB = "*_calibrated.toml"
EXTENSION_KINDS = ("crops", "soils", "methods")

#: Plain (unitless, sourceless) keys: strings and booleans, per kind.
_PLAIN: dict[str, dict[str, type]] = {
    "crops": {"description": str, "paddy": bool},
    "soils": {"description": str, "hydrologic_group": str},
    "methods": {"description": str, "surface": bool, "wet_under_canopy": bool,
                "irrigated": bool},
    "conveyance": {"description": str},
    "regions": {"name": str, "soil": str, "soil_source": str, "sowing_zone": str,
                "conveyance": str, "conveyance_source": str},
    "sowing": {"description": str, "reference_station": str},
    "practices": {"description": str, "rule": str, "mad_basis": str, "quota_basis": str,
                  "respect_method_limits": bool, "method": str, "crops": list},
}
_REGION_TABLES = ("crop_shares", "method_shares", "saline_shares")
_TOL = 1e-6

@dataclass(frozen=True)
class LibraryValue:
    """One library value with its unit and source (for listings and provenance)."""

    value: Any
    unit: str
    source: str


def is_assumption(source: str) -> bool:
    """Return whether a library ``source`` string labels its value an assumption.

    The library's label is a source starting with ``assumption`` (any case). The older
    status flag ``A`` (``"A"`` or ``"A: ..."``, "labelled assumption" in the headers of
    ``rice.toml`` and ``salinity.toml``) counts too, so no assumption hides behind it.
    """
    text = str(source).strip()
    return text.lower().startswith("assumption") or text == "A" or text.startswith("A:")


def library_file(root: Path, name: str) -> Path:
    """Return the file ``name`` of library folder ``root``, or the bundled one if absent.

    The one fallback rule of the library: a user folder replaces bundled files one by one.
    """
    user = root / name
    return user if user.is_file() else models_dir().resolve() / name


def _read_toml(file: Path) -> dict[str, Any]:
    if not file.is_file():
        raise InputError(f"{file}: library file missing; reinstall irrigate or copy it from "
                         f"the bundled folder {models_dir()}")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: not valid TOML: {exc}; fix the syntax there") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not UTF-8 text ({exc}); save it as UTF-8") from None
    for name, table in data.items():
        if not isinstance(table, dict):
            raise InputError(f"{file}: top-level key {name!r} is not a table; every entry is "
                             f"a [name] table")
    return data


def _where(file: Path, name: str, key: str | None = None) -> str:
    return f"{file}: [{name}]" + (f" {key}" if key else "")


def _numeric_spec(kind: str, key: str) -> str | None:
    """Return the expected unit of ``key`` in ``kind`` (None if not a numeric field)."""
    if kind == "sowing":
        return None
    return UNITS[kind].get(key)


def _parse_value(file: Path, name: str, key: str, item: Any, unit: str) -> LibraryValue:
    where = _where(file, name, key)
    fix = f'write {key} = {{ value = ..., unit = "{unit}", source = "..." }}'
    if not isinstance(item, dict):
        raise InputError(f"{where}: a number without unit and source; {fix}")
    extra = sorted(set(item) - {"value", "unit", "source"})
    if extra:
        raise InputError(f"{where}: unknown key(s) {', '.join(extra)} in the value table; {fix}")
    for part in ("value", "unit", "source"):
        if part not in item:
            raise InputError(f"{where}: no {part}; {fix}")
    src = item["source"]
    if not isinstance(src, str) or not src.strip():
        raise InputError(f"{where}: empty source; cite document, table and page, a dataset, "
                         f"'assumption: <reasoning>' or 'calibrated: <id>'")
    if item["unit"] != unit:
        raise InputError(f"{where}: unit {item['unit']!r} is wrong, expected {unit!r}; "
                         f"convert the value to {unit!r}")
    value = item["value"]
    if unit == "MM-DD":
        if not isinstance(value, str):
            raise InputError(f"{where}: value must be a date string \"MM-DD\", got {value!r}")
        try:
            _dt.date.fromisoformat(f"2001-{value}")
        except ValueError:
            raise InputError(f"{where}: {value!r} is not a valid \"MM-DD\" date") from None
        return LibraryValue(value, unit, src)
    value = _number(where, value, integer=unit in ("day", SOWING_UNIT))
    return LibraryValue(value, unit, src)


def _number(where: str, value: Any, integer: bool) -> Any:
    """Check a number (or a list of numbers or of lists); whole numbers for day counts."""
    if isinstance(value, list):
        return [_number(where, v, integer) for v in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: value {value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where}: value {value!r} is not finite")
    if integer:
        if value != int(value):
            raise InputError(f"{where}: value {value!r} must be a whole number of days")
        return int(value)
    return float(value)


def _parse_entry(file: Path, kind: str, name: str, table: dict[str, Any],
                 extra_numeric: Callable[[str], str | None] | None = None,
                 nested: tuple[str, ...] = ()) -> tuple[dict[str, LibraryValue], dict[str, Any]]:
    """Split an entry into numeric :class:`LibraryValue` values and plain keys; reject the rest."""
    num: dict[str, LibraryValue] = {}
    plain: dict[str, Any] = {}
    plain_types = _PLAIN[kind]
    for key, item in table.items():
        unit = _numeric_spec(kind, key)
        if unit is None and extra_numeric is not None:
            unit = extra_numeric(key)
        if unit is not None:
            num[key] = _parse_value(file, name, key, item, unit)
        elif key in plain_types:
            want = plain_types[key]
            if not isinstance(item, want):
                what = {bool: "true/false", list: "a list of names"}.get(want, "a string")
                raise InputError(f"{_where(file, name, key)}: expected {what}, got {item!r}")
            plain[key] = item
        elif key in nested:
            plain[key] = item
        else:
            known = sorted(set(UNITS[kind]) | set(plain_types) | set(nested))
            raise InputError(f"{_where(file, name, key)}: unknown key; known keys: "
                             f"{', '.join(known)}")
    return num, plain


def _require(file: Path, name: str, values: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    missing = [k for k in keys if k not in values]
    if missing:
        raise InputError(f"{_where(file, name)}: missing {', '.join(missing)}; every entry "
                         f"needs {', '.join(keys)}")


def _check_range(file: Path, name: str, key: str, value: float, lo: float, hi: float,
                 low_open: bool = False) -> None:
    bad = value < lo or value > hi or (low_open and value == lo)
    if bad:
        interval = f"{'(' if low_open else '['}{lo:g}, {hi:g}]"
        raise InputError(f"{_where(file, name, key)}: value {value:g} is out of range "
                         f"{interval}")


def _required(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name != "name" and not _has_default(f))


def _has_default(f: Any) -> bool:
    return f.default is not MISSING or f.default_factory is not MISSING

