"""The fair-comparison files of ``models/``: yield response, applicability, return flows.

``yield_response.toml`` (seasonal Ky, FAO-56 Table 24 / FAO-33, and potential yields),
``applicability.toml`` (crop x method: practised or not) and ``return_flows.toml`` (the
returnable share of losses per region) are read here into one frozen record. A user library
folder without one of these files uses the bundled one (the library's fallback rule).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.schema import _read_toml, library_file
from irrigate.paths import models_dir

__all__ = ["Comparison", "YieldResponse", "load_comparison", "FILES", "FOLLOWS"]

#: The files this module reads, in ``models/``.
FILES = ("yield_response.toml", "applicability.toml", "return_flows.toml")

#: Methods whose applicability follows another method's where a crop row of
#: ``applicability.toml`` is silent: alternate-furrow irrigation is furrow irrigation with
#: every other furrow wetted, so it is practised for a crop exactly when furrows are (the
#: rule is stated once here instead of repeating "as furrow" in every crop row).
FOLLOWS = MappingProxyType({"alternate_furrow": "furrow"})


@dataclass(frozen=True)
class YieldResponse:
    """Seasonal yield response of one crop (FAO-33 / FAO-56 Eq. 90) and its potential yield.

    ``ky`` is the seasonal Ky; ``ky_film`` the Ky fitted under film and drip (cotton, from
    the Xinjiang treatments) or None; ``ym`` the potential yield (t/ha) by sowing-zone group
    (``south`` for zones south and south_east, ``north`` for east and north).
    """

    crop: str
    basis: str
    ky: float
    ky_film: float | None
    ym: Mapping[str, float]


@dataclass(frozen=True)
class Comparison:
    """Yield response per crop, applicability per crop and method, return shares per region."""

    yields: Mapping[str, YieldResponse]
    applicable: Mapping[str, Mapping[str, bool]]
    returnable: Mapping[str, tuple[float, float]]   # region -> (dp share, ro share)
    files: Mapping[str, Path]

    def is_applicable(self, crop: str, method: str) -> bool:
        """Whether ``method`` is practised for ``crop`` (True where the file is silent)."""
        return bool(self.applicable.get(crop, {}).get(method, True))

    def ym_zone(self, zone: str) -> str:
        """Return the potential-yield group of a sowing zone: ``south`` or ``north``."""
        return "south" if zone in ("south", "south_east") else "north"


def _value(entry: Any, where: str) -> Any:
    if isinstance(entry, dict):
        if "value" not in entry:
            raise InputError(f"{where}: missing 'value'; give value, unit and source")
        return entry["value"]
    return entry


def _yields(data: dict[str, Any], file: Path) -> dict[str, YieldResponse]:
    out = {}
    for crop, table in data.items():
        where = f"{file}: [{crop}]"
        if "ky_season" not in table:
            raise InputError(f"{where}: missing ky_season; give the seasonal Ky with a source")
        ky = float(_value(table["ky_season"], f"{where} ky_season"))
        film = table.get("ky_season_film")
        ym = {z: float(_value(table[f"ym_{z}"], f"{where} ym_{z}"))
              for z in ("south", "north") if f"ym_{z}" in table}
        if not 0.0 < ky < 3.0:
            raise InputError(f"{where} ky_season: {ky} is outside (0, 3); check the value")
        out[crop] = YieldResponse(crop, str(table.get("yield_basis", "")), ky,
                                  None if film is None else float(_value(film, where)),
                                  MappingProxyType(ym))
    return out


def _share(table: dict[str, Any], key: str, where: str) -> Any:
    """One returnable share of a region: its own ``key``, else the common ``returnable``."""
    if key in table:
        return table[key]
    if "returnable" in table:
        return table["returnable"]
    raise InputError(f"{where}: missing {key}; give returnable (one share for both losses) "
                     "or dp_returnable and ro_returnable, each with value, unit and source")


def load_comparison(path: str | os.PathLike | None = None) -> Comparison:
    """Read the fair-comparison files of a library folder (default: the bundled ``models/``).

    Raises
    ------
    InputError
        A file that is not valid TOML, an entry without a value, a Ky out of range, an
        applicability that is not true/false or a returnable share outside [0, 1].

    """
    root = models_dir() if path is None else Path(path).expanduser()
    files = {name: library_file(root, name) for name in FILES}
    yields = _yields(_read_toml(files["yield_response.toml"]), files["yield_response.toml"])
    applicable: dict[str, dict[str, bool]] = {}
    file = files["applicability.toml"]
    for crop, table in _read_toml(file).items():
        row = {}
        for method, entry in table.items():
            value = _value(entry, f"{file}: [{crop}] {method}")
            if not isinstance(value, bool):
                raise InputError(f"{file}: [{crop}] {method}: {value!r} is not true or false")
            row[method] = value
        for method, leader in FOLLOWS.items():
            if method not in row and leader in row:
                row[method] = row[leader]
        applicable[crop] = MappingProxyType(row)
    returnable = {}
    file = files["return_flows.toml"]
    for code, table in _read_toml(file).items():
        where = f"{file}: [{code}]"
        shares = tuple(float(_value(_share(table, k, where), f"{where} {k}"))
                       for k in ("dp_returnable", "ro_returnable"))
        if not all(0.0 <= s <= 1.0 for s in shares):
            raise InputError(f"{file}: [{code}]: returnable shares must be in [0, 1]")
        returnable[code] = (shares[0], shares[1])
    return Comparison(MappingProxyType(yields), MappingProxyType(applicable),
                      MappingProxyType(returnable), MappingProxyType(files))
