"""Load and validate the parameter library (``models/*.toml``) into engine records.

Every number in the library is written as an inline table ``{ value, unit, source }``; the
loader checks the unit against :data:`UNITS`, the value against physical ranges, and that the
source is not empty, then builds the frozen records of :mod:`irrigate.science.params`
(:class:`~irrigate.science.params.Crop`, :class:`~irrigate.science.params.Soil`,
:class:`~irrigate.science.params.Method`),
:class:`irrigate.science.schedule.Schedule` for practices, and the
small records below for conveyance systems and regions. Strings and booleans are plain keys,
and so is a practice's ``crops``, a list of crop names (:attr:`Library.practice_crops`).

A user directory (``--models DIR``) is read **file by file**: a file present in the user
directory replaces the bundled file of the same name as a whole; a file absent there is taken
from the bundled library. Cross-references (region -> soil, crop, method, sowing zone,
conveyance) are checked on the combined set. See ``docs/library.md``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.paths import models_dir
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.salinity import SalinityClass

#: Library kinds and their file names (in load order: later kinds refer to earlier ones).
FILES: dict[str, str] = {
    "crops": "crops.toml",
    "soils": "soils.toml",
    "methods": "methods.toml",
    "conveyance": "conveyance.toml",
    "sowing": "sowing.toml",
    "regions": "regions.toml",
    "practices": "practices.toml",
}

#: Expected unit of every numeric field, per kind. The loader rejects any other unit string.
UNITS: dict[str, dict[str, str]] = {
    "crops": {
        "l_ini": "day", "l_dev": "day", "l_mid": "day", "l_late": "day",
        "kcb_ini": "1", "kcb_mid": "1", "kcb_end": "1",
        "kc_ini": "1", "kc_mid": "1", "kc_end": "1", "kc_min": "1",
        "h_max": "m", "zr_min": "m", "zr_max": "m", "p": "1",
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
    "regions": {"irrigated_area": "ha", "ece": "dS m-1", "ecw": "dS m-1",
                "leaching_frequency": "year-1"},
    "sowing": {},  # every crop key: "day of year"
    "practices": {
        "mad": "1", "refill_to": "1", "interval_days": "day", "depth_mm": "mm",
        "refill_fraction": "1", "stage_interval_days": "day", "stage_depth_mm": "mm",
        "first_day": "day", "last_day": "day", "quota_mm": "mm", "rain_skip_mm": "mm",
        "window_start": "MM-DD", "window_end": "MM-DD",
    },
}
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
class Field:
    """One library value with its unit and source (for listings and provenance)."""

    value: Any
    unit: str
    source: str


@dataclass(frozen=True)
class Conveyance:
    """A water delivery system from source to field edge.

    Attributes
    ----------
    name : str
        Library key (``canal_unlined``, ``canal_lined``, ``pipe``).
    efficiency : float
        Conveyance efficiency: water reaching the field edge / water withdrawn at the source.
    description : str
        Free text.

    """

    name: str
    efficiency: float
    description: str = ""


@dataclass(frozen=True)
class Region:
    """Irrigated agriculture of one first-level administrative unit.

    Attributes
    ----------
    code : str
        ISO 3166-2 code, e.g. ``"KZ-61"``.
    name : str
        English name.
    irrigated_area : float
        Irrigated land, ha.
    crop_shares, method_shares : Mapping[str, float]
        Fractions of ``irrigated_area`` by crop and by current irrigation method (each set
        sums to at most 1).
    soil, sowing_zone, conveyance : str
        Keys of the soils, sowing zones and conveyance systems of the library.
    ece, ecw : float
        Default salinity of the soil saturation extract and of the irrigation water, dS/m.
    saline_shares : Mapping[str, float]
        Fractions of ``irrigated_area`` in each saline soil class (``slightly``,
        ``moderately``, ``strongly``, ``very_strongly`` of ``models/salinity.toml``) that are
        leached outside the season; empty: no off-season leaching.
    leaching_frequency : float
        Off-season leachings per year of that land (1 = every year), year-1.

    """

    code: str
    name: str
    irrigated_area: float
    crop_shares: Mapping[str, float]
    method_shares: Mapping[str, float]
    soil: str
    sowing_zone: str
    conveyance: str
    ece: float
    ecw: float
    saline_shares: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    leaching_frequency: float = 1.0

    def crop_area(self, crop: str) -> float:
        """Irrigated area of ``crop`` in the region, ha (0 if the crop is not grown)."""
        return self.irrigated_area * self.crop_shares.get(crop, 0.0)


@dataclass(frozen=True)
class Library:
    """The loaded parameter library. Read-only; use the accessors for friendly errors.

    Attributes
    ----------
    path : Path
        The directory that was loaded (user directory or the bundled ``models/``).
    files : Mapping[str, Path]
        The file actually read for each kind (user file or bundled fallback).
    crops, soils, methods, practices, conveyance, regions : Mapping[str, record]
        Records by library key (region key = ISO 3166-2 code).
    sowing : Mapping[str, Mapping[str, int]]
        Sowing zone -> crop -> sowing day of year.
    values : Mapping[str, Mapping[str, Mapping[str, Field]]]
        kind -> entry -> field -> :class:`Field` (value, unit, source) as written in the file;
        region shares appear as ``crop_shares.<crop>`` and ``method_shares.<method>``.
    descriptions : Mapping[str, Mapping[str, str]]
        kind -> entry -> description text.
    practice_methods : Mapping[str, str]
        practice -> the irrigation method it is meant for (only where the file says).
    practice_crops : Mapping[str, tuple[str, ...]]
        practice -> the crops it was written for (only where the file gives ``crops``); a
        practice absent here is taken as written for every crop. Metadata, like
        ``practice_methods``: not passed to the Schedule (the report's advice rule reads it).

    """

    path: Path
    files: Mapping[str, Path]
    crops: Mapping[str, Crop]
    soils: Mapping[str, Soil]
    methods: Mapping[str, Method]
    conveyance: Mapping[str, Conveyance]
    sowing: Mapping[str, Mapping[str, int]]
    regions: Mapping[str, Region]
    practices: Mapping[str, Any]
    values: Mapping[str, Mapping[str, Mapping[str, Field]]]
    descriptions: Mapping[str, Mapping[str, str]]
    practice_methods: Mapping[str, str]
    practice_crops: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    # -- accessors ---------------------------------------------------------------------
    def _get(self, kind: str, name: str) -> Any:
        table = getattr(self, kind)
        try:
            return table[name]
        except KeyError:
            raise InputError(f"{_singular(kind)} {name!r}: not in the parameter library "
                             f"({self.files[kind]}); known: {', '.join(sorted(table))}") from None

    def crop(self, name: str, zone: str | None = None) -> Crop:
        """Return crop ``name``; with ``zone``, its sowing date is that zone's date."""
        crop = self._get("crops", name)
        if zone is None:
            return crop
        return replace(crop, sowing=self.sowing_date(zone, name))

    def soil(self, name: str) -> Soil:
        """Return soil ``name``."""
        return self._get("soils", name)

    def method(self, name: str) -> Method:
        """Return irrigation method ``name``."""
        return self._get("methods", name)

    def practice(self, name: str) -> Any:
        """Return the :class:`irrigate.science.schedule.Schedule` of practice ``name``."""
        return self._get("practices", name)

    def region(self, code: str) -> Region:
        """Return region ``code`` (ISO 3166-2, e.g. ``"KZ-61"``; ``"KZ61"`` is accepted)."""
        key = code.strip().upper()
        if key.startswith("KZ") and not key.startswith("KZ-"):
            key = "KZ-" + key[2:]
        if key in self.regions:
            return self.regions[key]
        return self._get("regions", code)

    def conveyance_system(self, name: str) -> Conveyance:
        """Return conveyance system ``name``."""
        return self._get("conveyance", name)

    def sowing_doy(self, zone: str, crop: str) -> int:
        """Return the sowing day of year of ``crop`` in sowing zone ``zone``."""
        crops = self._get("sowing", zone)
        if crop not in crops:
            raise InputError(f"sowing zone {zone!r}: no sowing date for crop {crop!r} "
                             f"({self.files['sowing']}); zone has: {', '.join(sorted(crops))}")
        return crops[crop]

    def sowing_date(self, zone: str, crop: str) -> str:
        """Return the sowing date of ``crop`` in ``zone`` as ``"MM-DD"`` (non-leap year)."""
        day = _dt.date(2001, 1, 1) + _dt.timedelta(days=self.sowing_doy(zone, crop) - 1)
        return day.strftime("%m-%d")

    def _field(self, kind: str, name: str, field: str) -> Field:
        kind = _plural(kind)
        if kind not in self.values:
            raise InputError(f"library kind {kind!r}: unknown; known: "
                             f"{', '.join(self.values)}")
        entry = self.values[kind].get(name)
        if entry is None:
            if kind == "regions":
                entry = self.values[kind].get(self.region(name).code)
            else:
                self._get(kind, name)
        if entry is None or field not in entry:
            known = ", ".join(sorted(entry or {}))
            raise InputError(f"{_singular(kind)} {name!r}: no value {field!r} in "
                             f"{self.files[kind]} (the dataclass default applies); "
                             f"values given: {known}")
        return entry[field]

    def source(self, kind: str, name: str, field: str) -> str:
        """Return the source string of ``field`` of entry ``name`` of ``kind``."""
        return self._field(kind, name, field).source

    def unit(self, kind: str, name: str, field: str) -> str:
        """Return the unit of ``field`` of entry ``name`` of ``kind``."""
        return self._field(kind, name, field).unit

    def conveyance_efficiency(self, code: str) -> float:
        """Conveyance efficiency of region ``code``'s delivery system."""
        return self.conveyance_system(self.region(code).conveyance).efficiency

    def national_irrigated_area(self) -> float:
        """Sum of the regions' irrigated areas, ha."""
        return sum(r.irrigated_area for r in self.regions.values())


def _plural(kind: str) -> str:
    k = kind.strip().lower()
    for full in FILES:
        if k in (full, full.rstrip("s")):
            return full
    return k


def _singular(kind: str) -> str:
    return {"crops": "crop", "soils": "soil", "methods": "method", "practices": "practice",
            "regions": "region", "sowing": "sowing zone",
            "conveyance": "conveyance system"}[kind]


# ---------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------
def load_library(path: str | os.PathLike | None = None) -> Library:
    """Load and validate the parameter library.

    Parameters
    ----------
    path : str or path-like, optional
        A directory holding some or all of the library files (see :data:`FILES`); files it
        lacks come from the bundled library. Default: the bundled ``models/``
        (:func:`irrigate.paths.models_dir`).

    Returns
    -------
    Library
        Cached per resolved directory: edit a file and call ``load_library.cache_clear()``
        (or start a new process) to reload.

    Raises
    ------
    InputError
        One line naming file, entry and key: malformed TOML (with position), a numeric value
        without unit or source, a wrong unit, a value out of range, an unknown key, a missing
        required key, or a reference to an unknown crop, soil, method, zone or system.

    """
    if path is None:
        root = models_dir().resolve()
    else:
        root = Path(path).expanduser().resolve()
        if not root.is_dir():
            raise InputError(f"{path}: parameter library folder not found; pass a folder "
                             f"holding crops.toml, soils.toml, ... (copy the bundled one from "
                             f"{models_dir()})")
        if not any((root / f).is_file() for f in FILES.values()) and \
                not any(root.glob(EXTENSION_GLOB)):
            raise InputError(f"{path}: no library file ({', '.join(FILES.values())}) in this "
                             f"folder; copy the bundled folder {models_dir()} and edit it")
    return _load_cached(str(root))


def _load_cached_impl(root: str) -> Library:
    base = Path(root)
    bundled = models_dir().resolve()
    files: dict[str, Path] = {}
    for kind, fname in FILES.items():
        user = base / fname
        files[kind] = user if user.is_file() else bundled / fname
    raw = {kind: _read_toml(file) for kind, file in files.items()}
    origin = {kind: {n: files[kind] for n in raw[kind]} for kind in FILES}
    _add_extensions(base, bundled, raw, origin)

    values: dict[str, dict[str, dict[str, Field]]] = {k: {} for k in FILES}
    descriptions: dict[str, dict[str, str]] = {k: {} for k in FILES}

    def parse(kind: str, name: str, table: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        num, plain = _parse_entry(origin[kind][name], kind, name, table)
        values[kind][name] = {k: f for k, f in num.items()}
        descriptions[kind][name] = str(plain.get("description", ""))
        return {k: f.value for k, f in num.items()}, plain

    crops = {n: _build_crop(origin["crops"][n], n, *parse("crops", n, t))
             for n, t in raw["crops"].items()}
    soils = {n: _build_soil(origin["soils"][n], n, *parse("soils", n, t))
             for n, t in raw["soils"].items()}
    methods = {n: _build_method(origin["methods"][n], n, *parse("methods", n, t))
               for n, t in raw["methods"].items()}
    conveyance = {}
    for n, t in raw["conveyance"].items():
        v, p = parse("conveyance", n, t)
        _require(files["conveyance"], n, v, ("efficiency",))
        _check_range(files["conveyance"], n, "efficiency", v["efficiency"], 0.0, 1.0,
                     low_open=True)
        conveyance[n] = Conveyance(n, float(v["efficiency"]), p.get("description", ""))
    sowing = {}
    for zone, t in raw["sowing"].items():
        sowing[zone] = _build_sowing(files["sowing"], zone, t, crops, values, descriptions)
    regions = {}
    for code, t in raw["regions"].items():
        regions[code] = _build_region(files["regions"], code, t, crops, soils, methods,
                                      conveyance, sowing, values, descriptions)
    practices = {}
    practice_methods = {}
    practice_crops = {}
    for n, t in raw["practices"].items():
        v, p = parse("practices", n, t)
        practices[n] = _build_practice(files["practices"], n, v, p, methods)
        if "method" in p:
            practice_methods[n] = p["method"]
        if "crops" in p:
            practice_crops[n] = _practice_crops(files["practices"], n, p["crops"], crops)

    ro = MappingProxyType
    return Library(
        path=base, files=ro(files), crops=ro(crops), soils=ro(soils), methods=ro(methods),
        conveyance=ro(conveyance), sowing=ro({z: ro(c) for z, c in sowing.items()}),
        regions=ro(regions), practices=ro(practices),
        values=ro({k: ro({n: ro(f) for n, f in v.items()}) for k, v in values.items()}),
        descriptions=ro({k: ro(v) for k, v in descriptions.items()}),
        practice_methods=ro(practice_methods), practice_crops=ro(practice_crops),
    )


_load_cached = functools.lru_cache(maxsize=8)(_load_cached_impl)
load_library.cache_clear = _load_cached.cache_clear  # type: ignore[attr-defined]


def _add_extensions(base: Path, bundled: Path, raw: dict[str, dict[str, Any]],
                    origin: dict[str, dict[str, Path]]) -> None:
    """Merge the entries of extension files (:data:`EXTENSION_GLOB`) into ``raw``."""
    found = {p.name: p for p in sorted(bundled.glob(EXTENSION_GLOB))}
    found.update({p.name: p for p in sorted(base.glob(EXTENSION_GLOB))})
    for fname in sorted(found):
        ext = found[fname]
        for kind, entries in _read_toml(ext).items():
            if kind not in EXTENSION_KINDS:
                raise InputError(f"{ext}: top-level table [{kind}] is not one of "
                                 f"{', '.join(EXTENSION_KINDS)}; write [crops.<name>], "
                                 f"[soils.<name>] or [methods.<name>]")
            for name, table in entries.items():
                if not isinstance(table, dict):
                    raise InputError(f"{ext}: [{kind}] {name!r} is not a table")
                if name in raw[kind]:
                    raise InputError(f"{ext}: [{kind}.{name}] already defined in "
                                     f"{origin[kind][name]}; give the entry another name")
                raw[kind][name] = table
                origin[kind][name] = ext


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


def _parse_value(file: Path, name: str, key: str, item: Any, unit: str) -> Field:
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
        return Field(value, unit, src)
    value = _number(where, value, integer=unit in ("day", SOWING_UNIT))
    return Field(value, unit, src)


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
                 nested: tuple[str, ...] = ()) -> tuple[dict[str, Field], dict[str, Any]]:
    """Split an entry into numeric :class:`Field` values and plain keys; reject the rest."""
    num: dict[str, Field] = {}
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
    from dataclasses import MISSING

    return f.default is not MISSING or f.default_factory is not MISSING


def _build_crop(file: Path, name: str, v: dict[str, Any], plain: dict[str, Any]) -> Crop:
    _require(file, name, v, _required(Crop))
    for key in ("l_ini", "l_dev", "l_mid", "l_late"):
        _check_range(file, name, key, v[key], 0, 400)
    if v["l_ini"] + v["l_dev"] + v["l_mid"] + v["l_late"] <= 0:
        raise InputError(f"{_where(file, name)}: stage lengths sum to 0 days")
    for key in ("kcb_ini", "kcb_mid", "kcb_end", "kc_ini", "kc_mid", "kc_end", "kc_min"):
        if key in v:
            _check_range(file, name, key, v[key], 0.0, 1.5)
    for key in ("kcb_ini", "kcb_mid", "kcb_end"):
        twin = "kc" + key[3:]
        if v[key] > v[twin] + _TOL:
            raise InputError(f"{_where(file, name, key)}: Kcb {v[key]:g} exceeds {twin} "
                             f"{v[twin]:g}; the basal coefficient cannot exceed the single Kc")
    _check_range(file, name, "h_max", v["h_max"], 0.0, 30.0, low_open=True)
    _check_range(file, name, "zr_min", v["zr_min"], 0.0, 5.0, low_open=True)
    _check_range(file, name, "zr_max", v["zr_max"], 0.0, 5.0, low_open=True)
    if v["zr_min"] > v["zr_max"]:
        raise InputError(f"{_where(file, name, 'zr_min')}: {v['zr_min']:g} m exceeds zr_max "
                         f"{v['zr_max']:g} m")
    _check_range(file, name, "p", v["p"], 0.0, 1.0)
    if "ece_threshold" in v:
        _check_range(file, name, "ece_threshold", v["ece_threshold"], 0.0, 50.0)
    if "ece_slope" in v:
        _check_range(file, name, "ece_slope", v["ece_slope"], 0.0, 100.0)
    if ("ece_threshold" in v) != ("ece_slope" in v):
        raise InputError(f"{_where(file, name)}: give both ece_threshold and ece_slope "
                         f"(FAO-56 Table 23) or neither")
    cuttings: tuple[tuple[int, int, int, int], ...] = ()
    if "cuttings" in v:
        cyc = v["cuttings"]
        if not isinstance(cyc, list) or not all(isinstance(c, list) and len(c) == 4
                                                and min(c) >= 0 for c in cyc):
            raise InputError(f"{_where(file, name, 'cuttings')}: value must be a list of "
                             f"[ini, dev, mid, late] day counts >= 0, got {cyc!r}")
        cuttings = tuple((c[0], c[1], c[2], c[3]) for c in cyc)
    kwargs = {k: val for k, val in v.items() if k != "cuttings"}
    return Crop(name=name, cuttings=cuttings, paddy=bool(plain.get("paddy", False)), **kwargs)


def _build_soil(file: Path, name: str, v: dict[str, Any], plain: dict[str, Any]) -> Soil:
    _require(file, name, v, _required(Soil))
    _check_range(file, name, "theta_fc", v["theta_fc"], 0.0, 1.0, low_open=True)
    _check_range(file, name, "theta_wp", v["theta_wp"], 0.0, 1.0)
    if v["theta_wp"] >= v["theta_fc"]:
        raise InputError(f"{_where(file, name, 'theta_wp')}: wilting point {v['theta_wp']:g} "
                         f"is not below field capacity theta_fc {v['theta_fc']:g}")
    _check_range(file, name, "rew", v["rew"], 0.0, 50.0, low_open=True)
    _check_range(file, name, "ze", v["ze"], 0.0, 0.5, low_open=True)
    _check_range(file, name, "cn2", v["cn2"], 0.0, 100.0, low_open=True)
    if "tew" in v:
        _check_range(file, name, "tew", v["tew"], 0.0, 200.0, low_open=True)
        if v["rew"] > v["tew"]:
            raise InputError(f"{_where(file, name, 'rew')}: REW {v['rew']:g} mm exceeds TEW "
                             f"{v['tew']:g} mm")
    if "theta_sat" in v:
        _check_range(file, name, "theta_sat", v["theta_sat"], v["theta_fc"], 1.0,
                     low_open=True)
    return Soil(name=name, **v)


def _build_method(file: Path, name: str, v: dict[str, Any], plain: dict[str, Any]) -> Method:
    _require(file, name, v, _required(Method))
    _check_range(file, name, "fw", v["fw"], 0.0, 1.0, low_open=True)
    _check_range(file, name, "efficiency", v["efficiency"], 0.0, 1.0, low_open=True)
    for key in ("loss_evap", "loss_ro", "loss_dp", "film_cover", "film_evap_reduction"):
        if key in v:
            _check_range(file, name, key, v[key], 0.0, 1.0)
    total = v["loss_evap"] + v["loss_ro"] + v["loss_dp"]
    if abs(total - 1.0) > _TOL:
        raise InputError(f"{_where(file, name)}: loss_evap + loss_ro + loss_dp = {total:.6g}, "
                         f"must sum to 1 (they split the loss 1 - efficiency)")
    if "depth_min" in v:
        _check_range(file, name, "depth_min", v["depth_min"], 0.0, 1000.0)
    if "depth_max" in v:
        _check_range(file, name, "depth_max", v["depth_max"], 0.0, 1000.0, low_open=True)
    if v.get("depth_min", 0.0) > v.get("depth_max", 1000.0):
        raise InputError(f"{_where(file, name, 'depth_min')}: exceeds depth_max")
    if "interval_min" in v:
        _check_range(file, name, "interval_min", v["interval_min"], 1, 365)
    flags = {k: plain[k] for k in ("surface", "wet_under_canopy", "irrigated") if k in plain}
    return Method(name=name, **v, **flags)


def _build_sowing(file: Path, zone: str, table: dict[str, Any], crops: Mapping[str, Crop],
                  values: dict[str, dict[str, dict[str, Field]]],
                  descriptions: dict[str, dict[str, str]]) -> dict[str, int]:
    def crop_unit(key: str) -> str | None:
        return SOWING_UNIT if key not in _PLAIN["sowing"] else None

    num, plain = _parse_entry(file, "sowing", zone, table, extra_numeric=crop_unit)
    out: dict[str, int] = {}
    for crop, f in num.items():
        if crop not in crops:
            raise InputError(f"{_where(file, zone, crop)}: unknown crop; known crops: "
                             f"{', '.join(sorted(crops))}")
        if not isinstance(f.value, int):
            raise InputError(f"{_where(file, zone, crop)}: day of year must be a whole number")
        _check_range(file, zone, crop, f.value, 1, 366)
        out[crop] = f.value
    values["sowing"][zone] = dict(num)
    descriptions["sowing"][zone] = str(plain.get("description", ""))
    return out


def _build_region(file: Path, code: str, table: dict[str, Any], crops: Mapping[str, Crop],
                  soils: Mapping[str, Soil], methods: Mapping[str, Method],
                  conveyance: Mapping[str, Conveyance], sowing: Mapping[str, dict[str, int]],
                  values: dict[str, dict[str, dict[str, Field]]],
                  descriptions: dict[str, dict[str, str]]) -> Region:
    num, plain = _parse_entry(file, "regions", code, table, nested=_REGION_TABLES)
    v = {k: f.value for k, f in num.items()}
    _require(file, code, v, ("irrigated_area", "ece", "ecw"))
    _require(file, code, plain, ("name", "soil", "sowing_zone", "conveyance"))
    _check_range(file, code, "irrigated_area", v["irrigated_area"], 0.0, 1e7)
    _check_range(file, code, "ece", v["ece"], 0.0, 100.0)
    _check_range(file, code, "ecw", v["ecw"], 0.0, 100.0)
    if "leaching_frequency" in v:
        _check_range(file, code, "leaching_frequency", v["leaching_frequency"], 0.0, 1.0,
                     low_open=True)
    refs = (("soil", soils, "soils"), ("sowing_zone", sowing, "sowing zones"),
            ("conveyance", conveyance, "conveyance systems"))
    for key, table_, label in refs:
        if plain[key] not in table_:
            raise InputError(f"{_where(file, code, key)}: unknown {label[:-1]} "
                             f"{plain[key]!r}; known {label}: {', '.join(sorted(table_))}")
    fields_: dict[str, Field] = dict(num)
    shares: dict[str, dict[str, float]] = {}
    saline_classes = {c.value: c for c in SalinityClass if c is not SalinityClass.NON_SALINE}
    for sub, known, label in (("crop_shares", crops, "crop"), ("method_shares", methods,
                                                                "method"),
                              ("saline_shares", saline_classes, "saline soil class")):
        part = plain.get(sub, {})
        if not isinstance(part, dict):
            raise InputError(f"{_where(file, code, sub)}: expected a table "
                             f"[\"{code}\".{sub}]")
        out: dict[str, float] = {}
        for key, item in part.items():
            where_key = f"{sub}.{key}"
            if key not in known:
                raise InputError(f"{_where(file, code, where_key)}: unknown {label}; known: "
                                 f"{', '.join(sorted(known))}")
            f = _parse_value(file, code, where_key, item, SHARE_UNIT)
            _check_range(file, code, where_key, f.value, 0.0, 1.0)
            fields_[where_key] = f
            out[key] = float(f.value)
        total = sum(out.values())
        if total > 1.0 + _TOL:
            raise InputError(f"{_where(file, code, sub)}: shares sum to {total:.6g} > 1; "
                             f"they are fractions of the irrigated area")
        shares[sub] = out
    zone = plain["sowing_zone"]
    for crop, share in shares["crop_shares"].items():
        if share > 0 and crop not in sowing[zone]:
            raise InputError(f"{_where(file, code, 'crop_shares.' + crop)}: sowing zone "
                             f"{zone!r} has no sowing date for {crop!r}; add it to "
                             f"sowing.toml [{zone}]")
    values["regions"][code] = fields_
    descriptions["regions"][code] = str(plain["name"])
    return Region(
        code=code, name=plain["name"], irrigated_area=float(v["irrigated_area"]),
        crop_shares=MappingProxyType(shares["crop_shares"]),
        method_shares=MappingProxyType(shares["method_shares"]),
        soil=plain["soil"], sowing_zone=zone, conveyance=plain["conveyance"],
        ece=float(v["ece"]), ecw=float(v["ecw"]),
        saline_shares=MappingProxyType(shares["saline_shares"]),
        leaching_frequency=float(v.get("leaching_frequency", 1.0)),
    )


def _build_practice(file: Path, name: str, v: dict[str, Any], plain: dict[str, Any],
                    methods: Mapping[str, Method]) -> Any:
    from irrigate.science.schedule import Schedule

    method = plain.get("method")
    if method is not None and method not in methods:
        raise InputError(f"{_where(file, name, 'method')}: unknown method {method!r}; known: "
                         f"{', '.join(sorted(methods))}")
    kwargs = dict(v)
    for key in ("rule", "mad_basis", "quota_basis", "respect_method_limits"):
        if key in plain:
            kwargs[key] = plain[key]
    if "rule" not in kwargs:
        raise InputError(f"{_where(file, name)}: missing rule; one of the rules of "
                         f"irrigate.science.schedule.RULES")
    if kwargs["rule"] == "user":
        raise InputError(f"{_where(file, name, 'rule')}: a 'user' schedule has dated events; "
                         f"read it from CSV with --schedule FILE instead of the library")
    try:
        return Schedule.from_mapping(kwargs, name=name)
    except InputError as exc:
        raise InputError(f"{file}: [{name}]: {exc}") from None


def _practice_crops(file: Path, name: str, value: list[Any],
                    crops: Mapping[str, Crop]) -> tuple[str, ...]:
    """Check a practice's ``crops`` list: non-empty, distinct names of library crops."""
    where = _where(file, name, "crops")
    if not value:
        raise InputError(f"{where}: empty list; name the crops the practice was written for, "
                         f"or leave the key out (written for every crop)")
    for crop in value:
        if not isinstance(crop, str):
            raise InputError(f"{where}: {crop!r} is not a crop name; write a list of names, "
                             f"e.g. crops = [\"cotton\"]")
        if crop not in crops:
            raise InputError(f"{where}: unknown crop {crop!r}; known crops: "
                             f"{', '.join(sorted(crops))}")
    if len(set(value)) != len(value):
        raise InputError(f"{where}: a crop is listed twice ({', '.join(value)}); name each "
                         f"crop once")
    return tuple(value)


# ---------------------------------------------------------------------------------------
# listing the rice water-management methods (models/rice.toml)
# ---------------------------------------------------------------------------------------
#: File of the paddy rice parameters (methods, paddy soils, calendars), read by
#: :func:`irrigate.science.paddy.load_rice_models`, not by :func:`load_library`.
RICE_FILE = "rice.toml"


@dataclass(frozen=True)
class RiceMethodListing:
    """The rice water-management methods of ``rice.toml``, for listings.

    Attributes
    ----------
    file : Path
        The ``rice.toml`` that was read (user file or bundled fallback).
    records : Mapping[str, irrigate.science.paddy.RiceMethod]
        The records the budget simulates, by name.
    values : Mapping[str, Mapping[str, Field]]
        name -> field -> value (as in the record), unit and source (as written in the file);
        ``"-"`` and ``""`` where the file gives a bare value.
    descriptions : Mapping[str, str]
        name -> the entry's ``note``.

    """

    file: Path
    records: Mapping[str, Any]
    values: Mapping[str, Mapping[str, Field]]
    descriptions: Mapping[str, str]


def rice_method_listing(path: str | os.PathLike | None = None) -> RiceMethodListing:
    """Return the rice water-management methods with units and sources, for listings.

    The records and their checks are those of :func:`irrigate.science.paddy.load_rice_models` (the
    loader the budget uses); this adds only the unit and source strings of each value. As for
    the library files, a folder ``path`` without ``rice.toml`` falls back to the bundled one.

    Raises
    ------
    InputError
        What :func:`irrigate.science.paddy.load_rice_models` rejects (with file and entry).

    """
    from irrigate.science.paddy import load_rice_models

    root = models_dir() if path is None else Path(path).expanduser()
    file = root / RICE_FILE
    if not file.is_file():
        file = models_dir() / RICE_FILE
    records = load_rice_models(file.parent)["method"]
    raw = _read_toml(file).get("method", {})
    values: dict[str, Mapping[str, Field]] = {}
    for name, record in records.items():
        entry = raw.get(name, {})
        fields_: dict[str, Field] = {}
        for f in fields(record):
            if f.name == "name":
                continue
            item = entry.get(f.name)
            item = item if isinstance(item, dict) else {}
            fields_[f.name] = Field(getattr(record, f.name), str(item.get("unit", "-")),
                                    str(item.get("source", "")))
        values[name] = MappingProxyType(fields_)
    notes = {n: str(raw.get(n, {}).get("note", "")) for n in records}
    return RiceMethodListing(file=file, records=MappingProxyType(dict(records)),
                             values=MappingProxyType(values),
                             descriptions=MappingProxyType(notes))
