"""Load the parameter library: every file of ``models/`` into one :class:`Library`.

:func:`load_library` reads the library files of :data:`~irrigate.library.schema.FILES` (user
folder first, bundled fallback file by file, :func:`~irrigate.library.schema.library_file`),
merges the extension files (``*_calibrated.toml``), checks every value against the one value
schema and builds the records; ``rice.toml`` and ``salinity.toml`` are read on first use of
:attr:`Library.rice` and :attr:`Library.salinity`, once per loaded library.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.baseline import AREAS_FILE, BaselineRecords, read_areas, read_baseline
from irrigate.library.practices import _build_practice, _practice_crops
from irrigate.library.records import (
    Conveyance,
    RegionRecord,
    _build_crop,
    _build_method,
    _build_region,
    _build_soil,
    _build_sowing,
)
from irrigate.library.rice import RiceRecords, rice_records
from irrigate.library.salinity import SalinityRecords, salinity_records
from irrigate.library.schema import (
    EXTENSION_GLOB,
    EXTENSION_KINDS,
    FILES,
    LibraryValue,
    _check_range,
    _parse_entry,
    _read_toml,
    _require,
    library_file,
)
from irrigate.paths import models_dir
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule


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
    values : Mapping[str, Mapping[str, Mapping[str, LibraryValue]]]
        kind -> entry -> field -> :class:`~irrigate.library.schema.LibraryValue` (value,
        unit, source) as written in the file; region shares appear as
        ``crop_shares.<crop>`` and ``method_shares.<method>``.
    descriptions : Mapping[str, Mapping[str, str]]
        kind -> entry -> description text.
    practice_methods : Mapping[str, str]
        practice -> the irrigation method it is meant for (only where the file says).
    practice_crops : Mapping[str, tuple[str, ...]]
        practice -> the crops it was written for (only where the file gives ``crops``); a
        practice absent here is taken as written for every crop. Metadata, like
        ``practice_methods``: not passed to the Schedule (the report's advice rule reads it).
    rice : RiceRecords
        Paddy rice methods, soils and calendars of ``rice.toml`` (read on first use, once).
    salinity : SalinityRecords
        Off-season leaching practice and leaching forms of ``salinity.toml`` (read on first
        use, once).
    baseline : BaselineRecords
        Today's baseline files (:mod:`irrigate.library.baseline`; read on first use, once).

    """

    path: Path
    files: Mapping[str, Path]
    crops: Mapping[str, Crop]
    soils: Mapping[str, Soil]
    methods: Mapping[str, Method]
    conveyance: Mapping[str, Conveyance]
    sowing: Mapping[str, Mapping[str, int]]
    regions: Mapping[str, RegionRecord]
    practices: Mapping[str, Schedule]
    values: Mapping[str, Mapping[str, Mapping[str, LibraryValue]]]
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

    @functools.cached_property
    def rice(self) -> RiceRecords:
        """Paddy rice records of ``rice.toml`` (user file or bundled), parsed once."""
        return rice_records(self.path)

    @functools.cached_property
    def baseline(self) -> BaselineRecords:
        """Today's baseline files, parsed once (:mod:`irrigate.library.baseline`).

        Areas, crop x method shares, today's calendars, conveyance ranges, off-season
        leaching, reported deliveries and fitted practice factors.
        """
        return read_baseline(self.path, regions=self.regions, crops=self.crops,
                             methods=self.methods, conveyance=self.conveyance,
                             rice_methods=set(self.rice.methods))

    @functools.cached_property
    def salinity(self) -> SalinityRecords:
        """Salinity records of ``salinity.toml`` (user file or bundled), parsed once."""
        return salinity_records(self.path)

    def practice(self, name: str) -> Schedule:
        """Return the :class:`irrigate.science.schedule.Schedule` of practice ``name``."""
        return self._get("practices", name)

    def practice_for(self, method: str, crop: str | None = None) -> str | None:
        """Name of the library practice of ``method`` for ``crop``, None if there is none.

        A practice written for the crop (its ``crops`` list names it) comes first, then one
        written for every crop (no ``crops`` list); a practice written for other crops only
        is never used for this one. ``crop=None``: the method's practice for every crop.
        """
        written = [p for p, m in self.practice_methods.items() if m == method]
        if crop is not None:
            for name in written:
                if crop in self.practice_crops.get(name, ()):
                    return name
        general = [p for p in written if not self.practice_crops.get(p)]
        return general[0] if general else None

    def region(self, code: str) -> RegionRecord:
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

    def _field(self, kind: str, name: str, field: str) -> LibraryValue:
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
    files = {kind: library_file(base, fname) for kind, fname in FILES.items()}
    raw = {kind: _read_toml(file) for kind, file in files.items()}
    origin = {kind: {n: files[kind] for n in raw[kind]} for kind in FILES}
    _add_extensions(base, bundled, raw, origin)

    values: dict[str, dict[str, dict[str, LibraryValue]]] = {k: {} for k in FILES}
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
    _default_areas(base, files["regions"], regions, values)
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


def _default_areas(base: Path, regions_file: Path, regions: dict[str, RegionRecord],
                   values: dict[str, dict[str, dict[str, LibraryValue]]]) -> None:
    """Give every region without ``irrigated_area`` the default area of ``areas.toml``."""
    missing = [c for c, r in regions.items() if r.irrigated_area != r.irrigated_area]
    if not missing:
        return
    file = library_file(base, AREAS_FILE)
    areas = read_areas(file, _read_toml(file), regions)
    for code in missing:
        rec = areas.get(code)
        if rec is None:
            raise InputError(f"{regions_file}: [{code}] has no irrigated_area and {file} no "
                             f"entry for it; give one of them")
        value = rec.values[rec.default]
        regions[code] = replace(regions[code], irrigated_area=float(value.value))
        values["regions"][code] = {**values["regions"][code], "irrigated_area": value}


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

