"""Region boundaries: the shipped layouts and user GeoJSON -> :class:`Regions` (see the package).

Regions are matched by code, never by spelling; the English names of the shipped layouts are
the parameter library's (``models/regions.toml``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from irrigate.errors import InputError
from irrigate.paths import sample_data_dir

__all__ = ["LAYOUTS", "GEOD", "Region", "Regions", "geodesic_area", "load_regions"]

#: The WGS84 ellipsoid of every geodesic area.
GEOD = Geod(ellps="WGS84")

#: shipped boundary layouts -> file name in ``sample_data/regions``
LAYOUTS: dict[str, str] = {
    "2024": "kaz_adm1_2024_geokz_simplified.geojson",
    "2024-full": "kaz_adm1_2024_geokz.geojson",
    "2018": "kaz_adm1_2018_geokz_simplified.geojson",
}


@dataclass(frozen=True)
class Region:
    """One region.

    Parameters
    ----------
    code : str
        Numeric ISO 3166-2 code (``KZ-61``) for the shipped layouts; the value of the user's
        code property otherwise.
    name_en, name_kk, name_ru : str
        Names in English, Kazakh and Russian (empty if unknown).
    kato : str
        KATO (classifier of administrative-territorial objects) code, empty if unknown.
    geometry : shapely.Polygon or shapely.MultiPolygon
        Boundary in lon/lat degrees (WGS84).
    aliases : tuple of str
        Other codes that name this region (letter ISO code, p-code, KATO and its prefix).
    kind : str
        ``oblast`` or ``city`` for the shipped layouts, empty otherwise.
    name_aliases : tuple of str
        Other English spellings (the geokz ``ADM1_EN`` where it differs from ``name_en``).
        Never used to find a region.

    """

    code: str
    name_en: str
    name_kk: str
    name_ru: str
    kato: str
    geometry: Any = field(repr=False)
    aliases: tuple[str, ...] = ()
    kind: str = ""
    name_aliases: tuple[str, ...] = ()

    def area_km2(self) -> float:
        """Return the geodesic (WGS84) area of the region in km2."""
        return geodesic_area(self.geometry) / 1e6


@dataclass(frozen=True)
class Regions:
    """An ordered collection of regions with code lookup.

    Parameters
    ----------
    records : tuple of Region
        The regions, in file order.
    source : str
        Layout name or path of the file they were read from.

    """

    records: tuple[Region, ...]
    source: str

    def __iter__(self) -> Iterator[Region]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @cached_property
    def fingerprint(self) -> str:
        """Digest of the codes and geometries (the key of the weights cache)."""
        h = hashlib.sha1()
        for r in self.records:
            h.update(r.code.encode())
            h.update(shapely.to_wkb(r.geometry))
        return h.hexdigest()

    @property
    def codes(self) -> list[str]:
        """Return the region codes in order."""
        return [r.code for r in self.records]

    def lookup(self, code: str) -> Region:
        """Return the region named by ``code`` (any accepted code form, case-insensitive).

        Raises
        ------
        InputError
            If no region has this code; the message lists the valid codes.

        """
        key = str(code).strip().upper()
        for region in self.records:
            if key == region.code.upper() or key in (a.upper() for a in region.aliases):
                return region
        raise InputError(
            f"region {code!r}: unknown code in {self.source}; valid codes: "
            + ", ".join(f"{r.code} ({r.name_en})" if r.name_en else r.code for r in self.records)
        )

    def select(self, codes: Sequence[str]) -> Regions:
        """Return the regions named by ``codes``, in that order."""
        return Regions(tuple(self.lookup(c) for c in codes), self.source)


# --------------------------------------------------------------------------- loading


def load_regions(
    layout: str | os.PathLike = "2024",
    code_field: str | None = None,
    name_field: str | None = None,
) -> Regions:
    """Load region boundaries.

    Parameters
    ----------
    layout : str or path-like
        ``"2024"`` (default; 20 units, simplified), ``"2024-full"`` (20 units, full
        resolution), ``"2018"`` (17 pre-2022 units), or the path of a GeoJSON file of polygons.
    code_field : str, optional
        Property holding each feature's code in a user GeoJSON. Defaults to ``ISO_3166_2``
        when present. Ignored for the shipped layouts (they use the numeric ISO code).
    name_field : str, optional
        Property holding each feature's English name in a user GeoJSON (default ``ADM1_EN``,
        then ``name``, when present).

    Returns
    -------
    Regions

    Raises
    ------
    InputError
        Unknown layout, unreadable file, missing code property, duplicate codes or
        non-polygon geometries.

    """
    key = str(layout)
    if key in LAYOUTS:
        path = sample_data_dir() / "regions" / LAYOUTS[key]
        return _read_geojson(path, code_field=None, name_field=None, shipped=True, source=key)
    path = Path(layout)
    if path.suffix.lower() not in (".geojson", ".json"):
        raise InputError(
            f"{layout}: not a known layout ({', '.join(LAYOUTS)}) nor a .geojson file; "
            "pass a layout name or a GeoJSON path (convert shapefiles with ogr2ogr -f GeoJSON)"
        )
    if not path.is_file():
        raise InputError(f"{path}: region file not found; check the path")
    return _read_geojson(path, code_field, name_field, shipped=False, source=str(path))


def _read_geojson(
    path: Path, code_field: str | None, name_field: str | None, *, shipped: bool, source: str
) -> Regions:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read GeoJSON ({exc}); check the file") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features:
        raise InputError(f"{path}: no features; a GeoJSON FeatureCollection of polygons is needed")
    english = _library_names() if shipped else {}
    records = []
    for i, feat in enumerate(features):
        props = feat.get("properties") or {}
        geom = shapely.geometry.shape(feat["geometry"]) if feat.get("geometry") else None
        if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise InputError(f"{path}: feature {i} is not a polygon; only polygons are regions")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        shapely.prepare(geom)
        records.append(_record(props, geom, path, i, code_field, name_field, shipped,
                               english))
    codes = [r.code.upper() for r in records]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise InputError(
            f"{path}: duplicate region codes {', '.join(dupes)}; choose a unique --code-field"
        )
    return Regions(tuple(records), source)


def _library_names() -> dict[str, str]:
    """Return the English region names by code as the parameter library spells them."""
    from irrigate.library import load_library

    return {code: region.name for code, region in load_library().regions.items()}


def _record(
    props: dict, geom: Any, path: Path, i: int, code_field: str | None,
    name_field: str | None, shipped: bool, english: dict[str, str],
) -> Region:
    pcode = str(props.get("ADM1_PCODE", "") or "")
    kato = str(props.get("KATO", "") or "")
    if shipped:
        # numeric ISO 3166-2 code from the p-code (KZ61 -> KZ-61); the letter code as geokz
        # ships it ("ISO_3166_2_geokz" in the 2024 file, "ISO_3166_2" in the 2018 one)
        code = f"{pcode[:2]}-{pcode[2:]}"
        letter = props.get("ISO_3166_2_geokz") or props.get("ISO_3166_2")
        aliases = [str(letter), pcode, kato, kato[:2]]
        geokz_name = str(props.get("ADM1_EN", "") or "")
        name = english.get(code, geokz_name)
        name_aliases = (geokz_name,) if geokz_name and geokz_name != name else ()
    else:
        field_name = code_field or ("ISO_3166_2" if "ISO_3166_2" in props else None)
        if field_name is None or field_name not in props:
            raise InputError(
                f"{path}: feature {i} has no property {field_name or '(code field)'}; pass "
                f"--code-field naming one of: {', '.join(props) or '(no properties)'}"
            )
        code = str(props[field_name])
        aliases = [a for a in (pcode, kato, kato[:2]) if a]
        name_key = name_field or next((k for k in ("ADM1_EN", "name") if k in props), None)
        if name_field and name_field not in props:
            raise InputError(
                f"{path}: feature {i} has no property {name_field}; check --name-field"
            )
        name = str(props.get(name_key, "")) if name_key else ""
        name_aliases = ()
    return Region(
        code=code,
        name_en=name,
        name_kk=str(props.get("ADM1_KK", "") or ""),
        name_ru=str(props.get("ADM1_RU", "") or ""),
        kato=kato,
        geometry=geom,
        aliases=tuple(a for a in aliases if a and a != code),
        kind=str(props.get("type", "") or ""),
        name_aliases=name_aliases,
    )


# --------------------------------------------------------------------------- areas


def _ring_area(coords: np.ndarray) -> float:
    lons, lats = coords[:, 0], coords[:, 1]
    area, _ = GEOD.polygon_area_perimeter(lons, lats)
    return abs(area)


def geodesic_area(geom: Any) -> float:
    """Geodesic area (m2, WGS84) of a polygon or multipolygon, independent of ring orientation."""
    total = 0.0
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        total += _ring_area(np.asarray(poly.exterior.coords))
        for ring in poly.interiors:
            total -= _ring_area(np.asarray(ring.coords))
    return total
