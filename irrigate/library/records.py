"""Library records built from checked values: crops, soils, methods, sowing, regions.

Each ``_build_*`` function takes the parsed numeric values and plain keys of one entry
(:func:`irrigate.library.schema._parse_entry`), checks ranges and cross-references, and
returns a frozen record: :class:`~irrigate.science.params.Crop`,
:class:`~irrigate.science.params.Soil`, :class:`~irrigate.science.params.Method` (the records
the science takes), and the library's own :class:`Conveyance` and :class:`RegionRecord`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from irrigate.errors import InputError
from irrigate.library.schema import (
    _PLAIN,
    _REGION_TABLES,
    _TOL,
    METHOD_SCHEDULING_KEYS,
    SHARE_UNIT,
    SOWING_UNIT,
    UNITS,
    LibraryValue,
    _check_range,
    _parse_entry,
    _parse_value,
    _require,
    _required,
    _where,
)
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.salinity import SalinityClass


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
class RegionRecord:
    """Irrigated agriculture of one first-level administrative unit.

    Attributes
    ----------
    code : str
        ISO 3166-2 code, e.g. ``"KZ-61"``.
    name : str
        English name.
    irrigated_area : float
        Irrigated area, ha: the default area of ``areas.toml`` (land actually watered where a
        figure exists), or ``irrigated_area`` of a user ``regions.toml``.
    crop_shares, method_shares : Mapping[str, float]
        Fractions of ``irrigated_area`` by crop and by current irrigation method (each set
        sums to at most 1).
    soil, sowing_zone, conveyance : str
        Keys of the soils, sowing zones and conveyance systems of the library.
    ecw : float
        Salinity of the irrigation water, dS/m (the FAO-29 leaching requirement).
    saline_shares : Mapping[str, float]
        Fractions of ``irrigated_area`` in each saline soil class (``slightly``,
        ``moderately``, ``strongly``, ``very_strongly`` of ``models/salinity.toml``) that are
        leached outside the season; empty: no off-season leaching.
    leaching_frequency : float
        Off-season leachings per year of that land (1 = every year), year-1.
    area_from_regions : bool
        True when ``irrigated_area`` was given in ``regions.toml`` (a user library), which
        then replaces the areas of ``areas.toml`` for the region.

    """

    code: str
    name: str
    irrigated_area: float
    crop_shares: Mapping[str, float]
    method_shares: Mapping[str, float]
    soil: str
    sowing_zone: str
    conveyance: str
    ecw: float
    saline_shares: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    leaching_frequency: float = 1.0
    area_from_regions: bool = False

    def crop_area(self, crop: str) -> float:
        """Irrigated area of ``crop`` in the region, ha (0 if the crop is not grown)."""
        return self.irrigated_area * self.crop_shares.get(crop, 0.0)



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
    for key in METHOD_SCHEDULING_KEYS:
        if key in v:
            lo = 1 if UNITS["methods"][key] == "day" else 0.0
            _check_range(file, name, key, v[key], lo, 1000.0, low_open=lo == 0.0)
    flags = {k: plain[k] for k in ("surface", "wet_under_canopy", "irrigated") if k in plain}
    fields_ = {k: x for k, x in v.items() if k not in METHOD_SCHEDULING_KEYS}
    return Method(name=name, **fields_, **flags)


def _build_sowing(file: Path, zone: str, table: dict[str, Any], crops: Mapping[str, Crop],
                  values: dict[str, dict[str, dict[str, LibraryValue]]],
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
                  values: dict[str, dict[str, dict[str, LibraryValue]]],
                  descriptions: dict[str, dict[str, str]]) -> RegionRecord:
    num, plain = _parse_entry(file, "regions", code, table, nested=_REGION_TABLES)
    v = {k: f.value for k, f in num.items()}
    _require(file, code, v, ("ecw",))
    _require(file, code, plain, ("name", "soil", "sowing_zone", "conveyance"))
    if "irrigated_area" in v:  # else the default area of areas.toml (load_library)
        _check_range(file, code, "irrigated_area", v["irrigated_area"], 0.0, 1e7)
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
    fields_: dict[str, LibraryValue] = dict(num)
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
    return RegionRecord(
        code=code, name=plain["name"],
        irrigated_area=float(v.get("irrigated_area", float("nan"))),
        crop_shares=MappingProxyType(shares["crop_shares"]),
        method_shares=MappingProxyType(shares["method_shares"]),
        soil=plain["soil"], sowing_zone=zone, conveyance=plain["conveyance"],
        ecw=float(v["ecw"]),
        saline_shares=MappingProxyType(shares["saline_shares"]),
        leaching_frequency=float(v.get("leaching_frequency", 1.0)),
        area_from_regions="irrigated_area" in v,
    )

