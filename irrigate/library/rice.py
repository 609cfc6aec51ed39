"""Paddy rice parameters: ``models/rice.toml`` -> rice method, soil and calendar records.

``rice.toml`` has three sections, ``[method.<name>]``, ``[soil.<name>]`` and
``[calendar.<name>]``, read into the records the paddy balance takes
(:class:`~irrigate.science.paddy.RiceMethod`, :class:`~irrigate.science.paddy.RiceSoil`,
:class:`~irrigate.science.paddy.RiceCalendar`). Values are ``{ value, unit, source }`` tables
whose unit must be the one of ``UNITS["rice.<section>"]`` (a bare value is still accepted);
a user folder without ``rice.toml`` falls back to the bundled file
(:func:`irrigate.library.schema.library_file`). The file is parsed once per loaded library
(:attr:`irrigate.library.Library.rice`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.schema import UNITS, LibraryValue, _read_toml, library_file
from irrigate.paths import models_dir
from irrigate.science.paddy import RiceCalendar, RiceMethod, RiceSoil

#: File of the paddy rice parameters (methods, paddy soils, calendars).
RICE_FILE = "rice.toml"
_SECTIONS: tuple[tuple[str, type], ...] = (
    ("method", RiceMethod), ("soil", RiceSoil), ("calendar", RiceCalendar))
#: The maturity of a method (``status`` of a ``[method.<name>]``; absent = established).
METHOD_STATUS = ("established", "pilot")


@dataclass(frozen=True)
class RiceRecords:
    """The records of one ``rice.toml``.

    Attributes
    ----------
    file : Path
        The file that was read (user file or bundled fallback).
    methods, soils, calendars : Mapping[str, record]
        :class:`~irrigate.science.paddy.RiceMethod`, :class:`~irrigate.science.paddy.RiceSoil`
        and :class:`~irrigate.science.paddy.RiceCalendar` records by name.
    budget_soil, budget_calendar : record or None
        The paddy soil and calendar the regional budget uses (``[budget]`` of the file);
        None when the file has no ``[budget]`` table (the budget then refuses rice).
    pilot_methods : frozenset[str]
        Methods whose ``status`` is ``"pilot"``: tried on research or demonstration plots,
        not yet proven on farms at scale (the report does not advise them while an
        established method avoids water stress; :mod:`irrigate.output.report`).

    """

    file: Path
    methods: Mapping[str, RiceMethod]
    soils: Mapping[str, RiceSoil]
    calendars: Mapping[str, RiceCalendar]
    budget_soil: RiceSoil | None = None
    budget_calendar: RiceCalendar | None = None
    pilot_methods: frozenset[str] = frozenset()


def _num(entry: Any, where: str, unit: str | None) -> Any:
    if isinstance(entry, dict):
        if "value" not in entry:
            raise InputError(f"{where}: missing 'value'; give value, unit and source")
        if unit is not None and "unit" in entry and entry["unit"] != unit:
            raise InputError(f"{where}: unit {entry['unit']!r} is wrong, expected {unit!r}; "
                             f"convert the value to {unit!r}")
        entry = entry["value"]
    return entry


def _record(cls: type, name: str, table: dict[str, Any], where: str,
            units: Mapping[str, str]) -> Any:
    wanted = {f.name: f.type for f in fields(cls)}
    wanted.pop("name")
    unknown = sorted(set(table) - set(wanted) - {"source", "note", "status"})
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(wanted))}")
    missing = sorted(set(wanted) - set(table))
    if missing:
        raise InputError(f"{where}: missing key(s) {', '.join(missing)}; add them")
    values: dict[str, Any] = {}
    for key, typ in wanted.items():
        v = _num(table[key], f"{where}.{key}", units.get(key))
        if typ == "bool":
            values[key] = bool(v)
        elif typ == "int":
            values[key] = int(v)
        elif typ == "str":
            values[key] = str(v)
        else:
            values[key] = float(v)
    return cls(name=name, **values)


def _check_method(m: RiceMethod, file: Path) -> None:
    if not 0 <= m.pond_min <= m.pond_max <= m.bund_height:
        raise InputError(f"{file} [method.{m.name}]: need 0 <= pond_min <= pond_max <= "
                         "bund_height; fix the ponding depths")
    if m.puddle_pond > m.bund_height or m.awd_reflood > m.bund_height:
        raise InputError(f"{file} [method.{m.name}]: puddle_pond and awd_reflood must not "
                         "exceed bund_height")
    if not 0 < m.efficiency <= 1:
        raise InputError(f"{file} [method.{m.name}]: efficiency must be in (0, 1]")


def _check_soil(soil: RiceSoil, file: Path) -> None:
    if not (0 < soil.theta_wp <= soil.theta_fc <= soil.theta_sat < 1):
        raise InputError(f"{file} [soil.{soil.name}]: need 0 < theta_wp <= theta_fc <= "
                         "theta_sat < 1; fix the water contents")
    if soil.perc_rate < 0 or soil.soak_deficit < 0:
        raise InputError(f"{file} [soil.{soil.name}]: perc_rate and soak_deficit must "
                         "not be negative")


def read_rice(file: Path) -> RiceRecords:
    """Read and check one ``rice.toml``.

    Raises
    ------
    InputError
        The file is missing or not TOML; an entry has an unknown or missing key, a wrong
        unit, or inconsistent ponding depths, water contents or efficiency.

    """
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{file}: file not found; pass a models folder with rice.toml") \
            from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: not valid TOML ({exc}); fix the file") from exc
    out: dict[str, dict[str, Any]] = {}
    for section, cls in _SECTIONS:
        table = data.get(section, {})
        units = UNITS[f"rice.{section}"]
        out[section] = {name: _record(cls, name, rec, f"{file} [{section}.{name}]", units)
                        for name, rec in table.items()}
    for m in out["method"].values():
        _check_method(m, file)
    for soil in out["soil"].values():
        _check_soil(soil, file)
    ro = MappingProxyType
    chosen = _budget_choice(data.get("budget", {}), out, file)
    pilot = frozenset(name for name, rec in data.get("method", {}).items()
                      if _status(rec, f"{file} [method.{name}]") == "pilot")
    return RiceRecords(file=file, methods=ro(out["method"]), soils=ro(out["soil"]),
                       calendars=ro(out["calendar"]), budget_soil=chosen.get("soil"),
                       budget_calendar=chosen.get("calendar"), pilot_methods=pilot)


def _status(table: dict[str, Any], where: str) -> str:
    """Return the ``status`` of a method entry (``"established"`` when absent)."""
    if "status" not in table:
        return "established"
    status = str(_num(table["status"], f"{where}.status", "-")).strip().lower()
    if status not in METHOD_STATUS:
        raise InputError(f"{where}.status: '{status}' is unknown; use one of "
                         f"{', '.join(METHOD_STATUS)}")
    return status


def _budget_choice(table: dict[str, Any], records: dict[str, dict[str, Any]], file: Path
                   ) -> dict[str, Any]:
    """Return the paddy soil and calendar the regional budget uses (``[budget]``), by key."""
    out: dict[str, Any] = {}
    if not table:
        return out
    for key in ("soil", "calendar"):
        if key not in table:
            raise InputError(f"{file} [budget]: missing '{key}'; name the {key} of rice.toml "
                             "the regional budget uses")
        name = str(_num(table[key], f"{file} [budget.{key}]", None))
        if name not in records[key]:
            raise InputError(f"{file} [budget.{key}]: '{name}' is not a [{key}.*] of the "
                             f"file; known: {', '.join(sorted(records[key]))}")
        out[key] = records[key][name]
    return out


def rice_records(root: Path) -> RiceRecords:
    """Return the rice records of library folder ``root`` (bundled file if it has none)."""
    return read_rice(library_file(root, RICE_FILE))


# ---------------------------------------------------------------------------------------
# listing the rice water-management methods
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RiceMethodListing:
    """The rice water-management methods of ``rice.toml``, for listings.

    Attributes
    ----------
    file : Path
        The ``rice.toml`` that was read (user file or bundled fallback).
    records : Mapping[str, irrigate.science.paddy.RiceMethod]
        The records the budget simulates, by name.
    values : Mapping[str, Mapping[str, LibraryValue]]
        name -> field -> value (as in the record), unit and source (as written in the file);
        ``"-"`` and ``""`` where the file gives a bare value; plus ``status`` where the
        entry gives one (``"pilot"``).
    descriptions : Mapping[str, str]
        name -> the entry's ``note``.

    """

    file: Path
    records: Mapping[str, Any]
    values: Mapping[str, Mapping[str, LibraryValue]]
    descriptions: Mapping[str, str]


def rice_method_listing(path: str | os.PathLike | None = None) -> RiceMethodListing:
    """Return the rice water-management methods with units and sources, for listings.

    The records and their checks are those of :func:`read_rice` (the loader the budget
    uses); this adds only the unit and source strings of each value. As for the library
    files, a folder ``path`` without ``rice.toml`` falls back to the bundled one.

    Raises
    ------
    InputError
        What :func:`read_rice` rejects (with file and entry).

    """
    root = models_dir() if path is None else Path(path).expanduser()
    file = library_file(root, RICE_FILE)
    rice = read_rice(file)
    records = rice.methods
    raw = _read_toml(file).get("method", {})
    values: dict[str, Mapping[str, LibraryValue]] = {}
    for name, record in records.items():
        entry = raw.get(name, {})
        fields_: dict[str, LibraryValue] = {}
        for f in fields(record):
            if f.name == "name":
                continue
            item = entry.get(f.name)
            item = item if isinstance(item, dict) else {}
            fields_[f.name] = LibraryValue(getattr(record, f.name),
                                           str(item.get("unit", "-")),
                                           str(item.get("source", "")))
        status = entry.get("status")
        if status is not None:  # the method's maturity (metadata, not a record field)
            item = status if isinstance(status, dict) else {}
            checked = "pilot" if name in rice.pilot_methods else "established"
            fields_["status"] = LibraryValue(checked, str(item.get("unit", "-")),
                                             str(item.get("source", "")))
        values[name] = MappingProxyType(fields_)
    notes = {n: str(raw.get(n, {}).get("note", "")) for n in records}
    return RiceMethodListing(file=file, records=MappingProxyType(dict(records)),
                             values=MappingProxyType(values),
                             descriptions=MappingProxyType(notes))
