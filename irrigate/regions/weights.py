"""Cell weights of regions on any lat/lon grid, and area-weighted aggregation.

:func:`region_weights` returns the area (km2) of each grid cell that lies inside each region
(exact ellipsoidal box areas inside, geodesic intersection areas on borders; see the package
docstring); :func:`station_weights` does the same for stations; :func:`aggregate` averages a
field over each region's cells by those weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
import shapely.ops
import xarray as xr

from irrigate.errors import InputError
from irrigate.regions.boundaries import GEOD, Regions, geodesic_area
from irrigate.variables import FRACTION_SOURCE

__all__ = ["aggregate", "cell_areas", "region_weights", "station_weights", "weighted_sums",
           "CENTRE_TOLERANCE"]

# largest edge (deg) of the intersection polygons before their geodesic area is taken; makes
# the lat/lon box edges follow parallels (geodesic sagitta falls with the square of the edge)
_DENSIFY_DEG = 0.02
_WEIGHT_CACHE: dict[tuple, np.ndarray] = {}
_CACHE_SIZE = 16


def _zone_integral(lat_deg: np.ndarray) -> np.ndarray:
    """Area (m2) per radian of longitude between the equator and ``lat_deg`` on WGS84.

    Closed form of the ellipsoidal zone area: b^2/2 [sin p / (1 - e^2 sin^2 p)
    + atanh(e sin p) / e].
    """
    a, f = GEOD.a, GEOD.f
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
    areas = np.array([geodesic_area(p) for p in pieces])
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
            _, _, d = GEOD.inv(pt.x, pt.y, near.x, near.y)
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
    num, den = weighted_sums(field_, weights)
    out = num / den.where(den > 0)
    out.attrs = dict(field_.attrs)
    out.name = field_.name
    return out


def weighted_sums(field_: xr.DataArray, weights: xr.DataArray
                  ) -> tuple[xr.DataArray, xr.DataArray]:
    """Return the sums of :func:`aggregate`'s mean: ``sum_c w_rc x_c`` and ``sum_c w_rc``.

    Both over the cells where ``x`` is not NaN (dims ``(..., region)``). Sums of parts of the
    cells add up, so a mean over cells read in blocks is the ratio of the summed sums.
    ``field_`` and ``weights`` share their space dimension(s) (not checked here).
    """
    space = [d for d in weights.dims if d != "region"]
    w = weights.drop_vars([d for d in space if d in weights.coords])
    x = field_.drop_vars([d for d in space if d in field_.coords])
    num = xr.dot(x.fillna(0.0), w, dim=space)
    den = xr.dot(x.notnull().astype(float), w, dim=space)
    return num, den

