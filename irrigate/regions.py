"""Region boundaries -> cell weights on any lat/lon grid, and area-weighted aggregation.

The shipped boundaries are the first-level units of Kazakhstan from geokz (A. Rodionov,
CC BY 4.0, based on the OCHA/UNHCR COD-AB Kazakhstan on HDX and the Bureau of National
Statistics of Kazakhstan), simplified with shared borders kept:

* ``layout="2024"``: 20 units (17 oblasts incl. Abai, Zhetysu, Ulytau + Astana, Almaty and
  Shymkent cities), the layout since June 2022;
* ``layout="2024-full"``: the same 20 units at the full (unsimplified) resolution;
* ``layout="2018"``: 17 units (14 oblasts + 3 cities), for matching pre-2022 statistics.

Any GeoJSON of polygons can be used instead (``load_regions(path, code_field=...)``).

Regions are matched by code, never by spelling: the numeric ISO 3166-2 code (``KZ-61``), the
letter code shipped by geokz (``KZ-YUZ``), the ADM1 p-code (``KZ61``) or the KATO code or its
2-digit prefix (``610000000``, ``61``).

Names of the shipped layouts are the parameter library's English names
(``models/regions.toml``, the names of the budget tables and reports), so one region has one
spelling everywhere: Abai, Karaganda, Zhambyl, Astana (city). Where the geokz ``ADM1_EN``
differs (Abay, Karagandy, Jambyl, Nur-Sultan (city)) it is kept in ``name_aliases``, for
display only.

Weights
-------
:func:`region_weights` returns the area (km2) of each grid cell that lies inside each region.
Each cell is the lat/lon box between the midpoints of neighbouring centres. Cells wholly inside
a region get the exact area of the ellipsoidal (WGS84) lat/lon box; cells cut by a border get
the geodesic area (pyproj.Geod, WGS84) of the intersection polygon, densified to 0.02 deg so
its box edges follow the parallels. A region's weights therefore add up to its geodesic area
(tested within 0.1 % for all 20 regions on a 0.25 deg grid), and a region smaller than one
cell (a city on a 1 deg grid) gets exactly its own area.
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
import shapely.ops
import xarray as xr
from pyproj import Geod

from irrigate.errors import InputError
from irrigate.paths import sample_data_dir
from irrigate.variables import FRACTION_SOURCE

__all__ = [
    "LAYOUTS",
    "Region",
    "Regions",
    "aggregate",
    "cell_areas",
    "load_regions",
    "region_weights",
    "station_weights",
]

#: shipped boundary layouts -> file name in ``sample_data/regions``
LAYOUTS: dict[str, str] = {
    "2024": "kaz_adm1_2024_geokz_simplified.geojson",
    "2024-full": "kaz_adm1_2024_geokz.geojson",
    "2018": "kaz_adm1_2018_geokz_simplified.geojson",
}

_GEOD = Geod(ellps="WGS84")
# largest edge (deg) of the intersection polygons before their geodesic area is taken; makes
# the lat/lon box edges follow parallels (geodesic sagitta falls with the square of the edge)
_DENSIFY_DEG = 0.02
_WEIGHT_CACHE: dict[tuple, np.ndarray] = {}
_CACHE_SIZE = 16


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
        return _geodesic_area(self.geometry) / 1e6


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
    area, _ = _GEOD.polygon_area_perimeter(lons, lats)
    return abs(area)


def _geodesic_area(geom: Any) -> float:
    """Geodesic area (m2, WGS84) of a polygon or multipolygon, independent of ring orientation."""
    total = 0.0
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        total += _ring_area(np.asarray(poly.exterior.coords))
        for ring in poly.interiors:
            total -= _ring_area(np.asarray(ring.coords))
    return total


def _zone_integral(lat_deg: np.ndarray) -> np.ndarray:
    """Area (m2) per radian of longitude between the equator and ``lat_deg`` on WGS84.

    Closed form of the ellipsoidal zone area: b^2/2 [sin p / (1 - e^2 sin^2 p)
    + atanh(e sin p) / e].
    """
    a, f = _GEOD.a, _GEOD.f
    e2 = f * (2 - f)
    e = np.sqrt(e2)
    b2 = (a * (1 - f)) ** 2
    s = np.sin(np.radians(lat_deg))
    return 0.5 * b2 * (s / (1 - e2 * s * s) + np.arctanh(e * s) / e)


def _bounds(centres: np.ndarray, name: str) -> np.ndarray:
    """Cell edges from centres (midpoints; outer edges half a spacing out)."""
    c = np.asarray(centres, dtype=float)
    if c.ndim != 1 or c.size < 1 or not np.all(np.isfinite(c)):
        raise InputError(f"{name}: need a 1-D array of finite cell centres")
    if c.size == 1:
        raise InputError(f"{name}: a single centre has no spacing; pass at least two cells")
    d = np.diff(c)
    if not (np.all(d > 0) or np.all(d < 0)):
        raise InputError(f"{name}: cell centres must be strictly increasing or decreasing")
    mid = 0.5 * (c[1:] + c[:-1])
    return np.concatenate([[c[0] - 0.5 * d[0]], mid, [c[-1] + 0.5 * d[-1]]])


def cell_areas(lat: Any, lon: Any) -> xr.DataArray:
    """Area (km2) of each cell of a regular lat/lon grid on the WGS84 ellipsoid.

    Parameters
    ----------
    lat, lon : array-like
        Cell centres (degrees); either order.

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)``.

    """
    lat_c, lon_c = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    lat_b = np.clip(_bounds(lat_c, "lat"), -90.0, 90.0)
    lon_b = _bounds(lon_c, "lon")
    zone = np.abs(np.diff(_zone_integral(lat_b)))
    width = np.abs(np.radians(np.diff(lon_b)))
    return xr.DataArray(
        np.outer(zone, width) / 1e6,
        dims=("lat", "lon"),
        coords={"lat": lat_c, "lon": lon_c},
        attrs={"units": "km2", "long_name": "grid cell area (WGS84)"},
    )


# --------------------------------------------------------------------------- weights


def _weights_array(regions: Regions, lat_c: np.ndarray, lon_c: np.ndarray) -> np.ndarray:
    """Dense (region, lat, lon) array of km2 of each cell inside each region."""
    lat_b = np.clip(_bounds(lat_c, "lat"), -90.0, 90.0)
    lon_b = _bounds(lon_c, "lon")
    # longitudes in 0..360 are shifted to -180..180, where the boundaries live
    lon_b = np.where(lon_b > 180.0, lon_b - 360.0, lon_b)
    lat_lo, lat_hi = np.minimum(lat_b[:-1], lat_b[1:]), np.maximum(lat_b[:-1], lat_b[1:])
    lon_lo, lon_hi = np.minimum(lon_b[:-1], lon_b[1:]), np.maximum(lon_b[:-1], lon_b[1:])
    nlat, nlon = lat_c.size, lon_c.size
    ii, jj = np.meshgrid(np.arange(nlat), np.arange(nlon), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    boxes = shapely.box(lon_lo[jj], lat_lo[ii], lon_hi[jj], lat_hi[ii])
    box_area = cell_areas(lat_c, lon_c).values.ravel() * 1e6  # m2

    geoms = np.array([r.geometry for r in regions], dtype=object)
    tree = shapely.STRtree(boxes)
    reg_idx, cell_idx = tree.query(geoms, predicate="intersects")
    out = np.zeros((len(regions), nlat * nlon))
    if reg_idx.size == 0:
        return out.reshape(len(regions), nlat, nlon) / 1e6
    inside = shapely.contains_properly(geoms[reg_idx], boxes[cell_idx])
    out[reg_idx[inside], cell_idx[inside]] = box_area[cell_idx[inside]]
    cut_r, cut_c = reg_idx[~inside], cell_idx[~inside]
    pieces = shapely.segmentize(
        shapely.intersection(geoms[cut_r], boxes[cut_c]), _DENSIFY_DEG
    )
    areas = np.array([_geodesic_area(p) for p in pieces])
    # a piece cannot exceed its cell; clip the tiny geodesic-vs-parallel excess
    out[cut_r, cut_c] = np.minimum(areas, box_area[cut_c])
    return out.reshape(len(regions), nlat, nlon) / 1e6


def _coord(values: Any, names: tuple[str, ...], what: str) -> np.ndarray:
    if isinstance(values, xr.Dataset | xr.DataArray):
        for n in names:
            if n in values.coords:
                return np.asarray(values[n].values, dtype=float)
        raise InputError(f"{what}: no coordinate named {' or '.join(names)}")
    return np.asarray(values, dtype=float)


#: Largest distance (degrees) at which two cell centres count as the same cell (float32
#: coordinates of ERA5-Land and CF files are off their float64 values by about 2e-6).
CENTRE_TOLERANCE = 1e-4


def _on_grid(frac: xr.DataArray, lat_c: np.ndarray, lon_c: np.ndarray) -> xr.DataArray:
    """Put a (lat, lon) grid in the order and longitude convention of ``lat_c``/``lon_c``.

    ``latitude``/``longitude`` names are accepted; latitudes may run the other way and
    longitudes may use 0..360 where the grid uses -180..180 (or the reverse). Cell centres
    are matched to :data:`CENTRE_TOLERANCE` degrees (float32 coordinates of ERA5-Land and
    CF files differ from their float64 values by about 2e-6); a grid whose centres do not all
    match is returned as it is, so that the caller's check reports the mismatch.
    """
    names = {k: v for k, v in (("latitude", "lat"), ("longitude", "lon")) if k in frac.dims}
    frac = frac.rename(names)
    if not {"lat", "lon"} <= set(frac.dims) or frac.ndim != 2:
        return frac
    lon = frac["lon"]
    wrapped = lon % 360.0 if float(np.max(lon_c)) > 180.0 else ((lon + 180.0) % 360.0) - 180.0
    moved = frac.assign_coords(lon=wrapped).sortby("lat").sortby("lon")
    try:
        return moved.sel(lat=lat_c, lon=lon_c, method="nearest", tolerance=CENTRE_TOLERANCE)
    except (KeyError, ValueError):
        return frac


def region_weights(
    regions: Regions,
    lat: Any,
    lon: Any,
    irrigated_fraction: xr.DataArray | None = None,
) -> xr.DataArray:
    """Area (km2) of each grid cell inside each region, by exact fractional overlap.

    Parameters
    ----------
    regions : Regions
        From :func:`load_regions`.
    lat, lon : array-like or xarray object
        Cell centres in degrees (1-D, regular or not; latitude ascending or descending;
        longitude in -180..180 or 0..360). A Dataset/DataArray is accepted too (its
        ``lat``/``latitude`` and ``lon``/``longitude`` coordinates are used).
    irrigated_fraction : xarray.DataArray, optional
        Fraction (0-1) of each cell that is irrigated, on the same cells (``lat``/``lon`` or
        ``latitude``/``longitude``, either latitude order, 0..360 or -180..180 longitudes; a
        larger map holding every cell centre is cut to them; no interpolation). The weights
        become irrigated km2. The package ships no such grid (see docs/regions.md).

    Returns
    -------
    xarray.DataArray
        Dims ``(region, lat, lon)``, units km2, with ``name_en`` and ``kato`` coordinates on
        ``region``. Weights of a region add up to its geodesic area.

    Raises
    ------
    InputError
        If the grid overlaps no region, or ``irrigated_fraction`` is off-grid or outside 0-1.

    """
    lat_c = _coord(lat, ("lat", "latitude"), "lat")
    lon_c = _coord(lon, ("lon", "longitude"), "lon")
    key = (regions.fingerprint, lat_c.tobytes(), lon_c.tobytes())
    values = _WEIGHT_CACHE.get(key)
    if values is None:
        values = _weights_array(regions, lat_c, lon_c)
        if len(_WEIGHT_CACHE) >= _CACHE_SIZE:
            _WEIGHT_CACHE.pop(next(iter(_WEIGHT_CACHE)))
        _WEIGHT_CACHE[key] = values
    if not values.any():
        raise InputError(
            f"grid lat {lat_c.min():g}..{lat_c.max():g}, lon {lon_c.min():g}..{lon_c.max():g} "
            f"does not overlap any region of {regions.source}; check lat/lon or the --input file"
        )
    weights = xr.DataArray(
        values.copy(),
        dims=("region", "lat", "lon"),
        coords={
            "region": regions.codes,
            "name_en": ("region", [r.name_en for r in regions]),
            "kato": ("region", [r.kato for r in regions]),
            "lat": lat_c,
            "lon": lon_c,
        },
        name="area",
        attrs={"units": "km2", "long_name": "area of grid cell inside region"},
    )
    if irrigated_fraction is not None:
        where = irrigated_fraction.attrs.get(FRACTION_SOURCE, "irrigated_fraction")
        frac = _on_grid(irrigated_fraction, lat_c, lon_c)
        if set(frac.dims) != {"lat", "lon"} or (
            frac.sizes["lat"], frac.sizes["lon"]) != (lat_c.size, lon_c.size):
            raise InputError(f"{where}: {_grid_text(frac)} is not the climate grid "
                             f"({_grid_text(lat_c, lon_c)}); the fraction must be on the same "
                             "cells (no interpolation is done): regrid it first")
        if not (
            np.allclose(frac["lat"].values, lat_c) and np.allclose(frac["lon"].values, lon_c)
        ):
            raise InputError(f"{where}: cell centres {_grid_text(frac)} differ from the climate "
                             f"grid ({_grid_text(lat_c, lon_c)}); the fraction must be on the "
                             "same cells (no interpolation is done): regrid it first")
        f = frac.transpose("lat", "lon").values
        if np.nanmin(f) < 0 or np.nanmax(f) > 1:
            raise InputError(f"{where}: values must lie in 0-1 (a fraction of the cell)")
        weights = weights * np.nan_to_num(f, nan=0.0)[None, :, :]
        weights.attrs = {"units": "km2", "long_name": "irrigated area of grid cell inside region"}
        weights.name = "area"
    return weights


def _grid_text(lat: Any, lon: Any = None) -> str:
    """Describe a grid in a few words: ``lat 41..41.5 (2), lon 68..68.5 (2)``."""
    if lon is None:  # a DataArray
        if not {"lat", "lon"} <= set(lat.dims):
            return f"dims ({', '.join(map(str, lat.dims))})"
        lat, lon = lat["lat"].values, lat["lon"].values
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    return (f"lat {lat.min():g}..{lat.max():g} ({lat.size}), "
            f"lon {lon.min():g}..{lon.max():g} ({lon.size})")


def station_weights(
    regions: Regions, lat: Any, lon: Any, max_distance_km: float = 100.0
) -> xr.DataArray:
    """Assign stations (points) to regions: 1 where assigned, 0 elsewhere.

    A station inside a region's polygon belongs to it. A station outside every polygon (e.g.
    a reanalysis point just across the border) belongs to the nearest region if that is within
    ``max_distance_km`` (geodesic distance to the nearest boundary point), else to none. Each
    station belongs to at most one region; :func:`aggregate` then takes the plain mean of the
    stations of each region.

    Parameters
    ----------
    regions : Regions
        From :func:`load_regions`.
    lat, lon : array-like
        Station coordinates (degrees), 1-D of equal length; or an xarray object with ``lat`` and
        ``lon`` coordinates along ``station``.
    max_distance_km : float
        Largest distance for assigning an outside station to the nearest region.

    Returns
    -------
    xarray.DataArray
        Dims ``(region, station)`` of 0/1.

    """
    lat_s = _coord(lat, ("lat", "latitude"), "lat")
    lon_s = _coord(lon, ("lon", "longitude"), "lon")
    if lat_s.shape != lon_s.shape or lat_s.ndim != 1:
        raise InputError("station lat/lon: need two 1-D arrays of equal length")
    lon_s = np.where(lon_s > 180.0, lon_s - 360.0, lon_s)
    points = shapely.points(lon_s, lat_s)
    geoms = np.array([r.geometry for r in regions], dtype=object)
    w = np.zeros((len(regions), lat_s.size))
    for k, pt in enumerate(points):
        inside = np.flatnonzero(shapely.covers(geoms, pt))
        if inside.size:
            w[inside[0], k] = 1.0
            continue
        dist = []
        for g in geoms:
            near = shapely.ops.nearest_points(g, pt)[0]
            _, _, d = _GEOD.inv(pt.x, pt.y, near.x, near.y)
            dist.append(d / 1e3)
        best = int(np.argmin(dist))
        if dist[best] <= max_distance_km:
            w[best, k] = 1.0
    if not w.any():
        raise InputError(
            f"stations do not overlap any region of {regions.source} (none within "
            f"{max_distance_km:g} km); check lat/lon or the --input file"
        )
    coords: dict[str, Any] = {
        "region": regions.codes,
        "name_en": ("region", [r.name_en for r in regions]),
    }
    if isinstance(lat, xr.Dataset | xr.DataArray) and "station" in lat.coords:
        coords["station"] = lat["station"].values
    return xr.DataArray(
        w, dims=("region", "station"), coords=coords, name="station_weight",
        attrs={"units": "1", "long_name": "station assigned to region (1) or not (0)"},
    )


# --------------------------------------------------------------------------- aggregation


def aggregate(field_: xr.DataArray, weights: xr.DataArray) -> xr.DataArray:
    """Area-weighted regional mean of a gridded (or station) field, skipping NaN cells.

    ``mean_r = sum_c w_rc x_c / sum_c w_rc`` over cells ``c`` where ``x`` is not NaN, so weights
    are renormalised over the valid cells. A region with no valid cell gets NaN. Computed as a
    (region x cells) matrix product with :func:`xarray.dot`, so dask inputs stay lazy.

    Parameters
    ----------
    field_ : xarray.DataArray
        Dims ``(..., lat, lon)`` (or ``(..., station)``), on the grid of ``weights``.
    weights : xarray.DataArray
        From :func:`region_weights` (dims ``region, lat, lon``) or :func:`station_weights`
        (dims ``region, station``).

    Returns
    -------
    xarray.DataArray
        Dims ``(..., region)``, attributes of ``field_`` kept.

    """
    space = tuple(d for d in weights.dims if d != "region")
    missing = [d for d in space if d not in field_.dims]
    if missing:
        raise InputError(
            f"{field_.name or 'field'}: lacks dimension(s) {', '.join(missing)} of the region "
            "weights; aggregate a gridded field with grid weights, stations with station weights"
        )
    for d in space:
        if d in field_.coords and d in weights.coords and field_.sizes[d] == weights.sizes[d]:
            a, b = field_[d].values, weights[d].values
            same = np.allclose(a, b) if a.dtype.kind in "fiu" else np.array_equal(a, b)
            if not same:
                raise InputError(
                    f"{field_.name or 'field'}: {d} coordinates differ from the weights' grid; "
                    "compute weights on the field's own grid"
                )
        elif field_.sizes[d] != weights.sizes[d]:
            raise InputError(
                f"{field_.name or 'field'}: {d} has {field_.sizes[d]} points, the weights "
                f"{weights.sizes[d]}; compute weights on the field's own grid"
            )
    w = weights.drop_vars([d for d in space if d in weights.coords])
    x = field_.drop_vars([d for d in space if d in field_.coords])
    valid = x.notnull()
    num = xr.dot(x.fillna(0.0), w, dim=list(space))
    den = xr.dot(valid.astype(float), w, dim=list(space))
    out = num / den.where(den > 0)
    out.attrs = dict(field_.attrs)
    out.name = field_.name
    return out
