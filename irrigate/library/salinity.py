"""Salinity practice: ``models/salinity.toml`` -> off-season leaching and leaching forms.

``[offseason_leaching.<class>]`` gives, per soil salinity class
(:class:`~irrigate.science.salinity.SalinityClass`), the ECe bounds and the off-season
leaching depth per event and number of events
(:class:`~irrigate.science.salinity.OffseasonPractice`); ``[leaching_form]`` names the FAO-29
leaching-requirement form of every irrigation method
(:class:`~irrigate.science.salinity.LeachingForm`). Values are ``{ value, unit, source }``
tables whose unit must be the one of ``UNITS["salinity.<section>"]`` (a bare value is still
accepted). A user folder without ``salinity.toml`` falls back to the bundled file
(:func:`irrigate.library.schema.library_file`); the file is parsed once per loaded library
(:attr:`irrigate.library.Library.salinity`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.schema import UNITS, library_file
from irrigate.science.salinity import LeachingForm, OffseasonPractice, SalinityClass

#: File of the salinity practice (off-season leaching, leaching forms).
SALINITY_FILE = "salinity.toml"


@dataclass(frozen=True)
class SalinityRecords:
    """The records of one ``salinity.toml``.

    Attributes
    ----------
    file : Path
        The file that was read (user file or bundled fallback).
    offseason : Mapping[str, OffseasonPractice]
        Off-season leaching practice by salinity class name.
    leaching_forms : Mapping[str, LeachingForm]
        FAO-29 leaching-requirement form by irrigation method name (upland and rice).

    """

    file: Path
    offseason: Mapping[str, OffseasonPractice]
    leaching_forms: Mapping[str, LeachingForm]


def _value(entry: Any, where: str, unit: str) -> Any:
    """Read a ``{value, unit, source}`` table (or a bare value), checking the unit."""
    if isinstance(entry, dict):
        if "value" not in entry:
            raise InputError(f"{where}: missing 'value'; give value, unit and source")
        if "unit" in entry and entry["unit"] != unit:
            raise InputError(f"{where}: unit {entry['unit']!r} is wrong, expected {unit!r}; "
                             f"convert the value to {unit!r}")
        return entry["value"]
    return entry


def _read(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{file}: file not found; pass an existing models folder") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: not valid TOML ({exc}); fix the file") from exc


def _offseason(file: Path, data: dict[str, Any]) -> dict[str, OffseasonPractice]:
    table = data.get("offseason_leaching")
    if not isinstance(table, dict):
        raise InputError(f"{file}: no [offseason_leaching] table; add one per salinity class")
    units = UNITS["salinity.offseason_leaching"]
    out: dict[str, OffseasonPractice] = {}
    for name, rec in table.items():
        try:
            SalinityClass(name)
        except ValueError as exc:
            known = ", ".join(c.value for c in SalinityClass)
            raise InputError(f"{file}: unknown salinity class '{name}'; use one of {known}") \
                from exc
        where = f"{file} [offseason_leaching.{name}]"

        def num(key: str, rec: dict[str, Any] = rec, where: str = where) -> float:
            if not isinstance(rec, dict) or key not in rec:
                raise InputError(f"{where}: missing {key}; give ece_min, ece_max, "
                                 f"depth_per_event and events")
            return float(_value(rec[key], f"{where}.{key}", units[key]))

        out[name] = OffseasonPractice(
            salinity_class=name,
            ece_min=num("ece_min"),
            ece_max=num("ece_max"),
            depth_per_event=num("depth_per_event"),
            events=int(num("events")),
            source=str(rec.get("source", "")),
        )
    return out


def _forms(file: Path, data: dict[str, Any]) -> dict[str, LeachingForm]:
    unit = UNITS["salinity.leaching_form"]["*"]
    out: dict[str, LeachingForm] = {}
    for name, rec in data.get("leaching_form", {}).items():
        value = _value(rec, f"{file} [leaching_form.{name}]", unit)
        try:
            out[name] = LeachingForm(value)
        except ValueError as exc:
            known = ", ".join(f.value for f in LeachingForm)
            raise InputError(f"{file} [leaching_form.{name}]: unknown form '{value}'; use "
                             f"one of {known}") from exc
    return out


def read_salinity(file: Path) -> SalinityRecords:
    """Read and check one ``salinity.toml``.

    Raises
    ------
    InputError
        The file is missing or not TOML, has no ``[offseason_leaching]`` table, an unknown
        salinity class or leaching form, or a wrong unit.

    """
    data = _read(file)
    ro = MappingProxyType
    return SalinityRecords(file=file, offseason=ro(_offseason(file, data)),
                           leaching_forms=ro(_forms(file, data)))


def salinity_records(root: Path) -> SalinityRecords:
    """Return the salinity records of library folder ``root`` (bundled file if it has none)."""
    return read_salinity(library_file(root, SALINITY_FILE))
