"""Tests of irrigate.regions: boundaries, cell weights, aggregation, station assignment."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
import xarray as xr
from pyproj import Geod

from irrigate.errors import InputError
from irrigate.regions import (
    Regions,
    aggregate,
    cell_areas,
    load_regions,
    region_weights,
    station_weights,
)

GEOD = Geod(ellps="WGS84")
LAT_025 = np.arange(55.5, 40.49, -0.25)  # descending, like ERA5
LON_025 = np.arange(46.5, 87.51, 0.25)


def geodesic_km2(geom) -> float:
    area, _ = GEOD.geometry_area_perimeter(shapely.geometry.polygon.orient(geom)
                                           if geom.geom_type == "Polygon" else geom)
    return abs(area) / 1e6


@pytest.fixture(scope="module")
def r2024() -> Regions:
    return load_regions("2024")


@pytest.fixture(scope="module")
def w025(r2024):
    return region_weights(r2024, LAT_025, LON_025)


def test_2024_layout_has_the_20_units(r2024):
    assert len(r2024) == 20
    names = {r.name_en for r in r2024}
    for new in ("Abai", "Zhetysu", "Ulytau", "Astana (city)", "Almaty (city)",
                "Shymkent (city)"):
        assert new in names
    assert sum(r.kind == "city" for r in r2024) == 3
    assert all(r.code.startswith("KZ-") and len(r.code) == 5 for r in r2024)


def test_2018_layout_has_17_units():
    r = load_regions("2018")
    assert len(r) == 17
    assert "Ulytau" not in {x.name_en for x in r}
    assert r.lookup("KZ-61").name_en == "Turkestan"


@pytest.mark.parametrize("code", ["KZ-43", "kz-43", "KZ-KZY", "KZ43", "430000000", "43"])
def test_lookup_by_any_code_form(r2024, code):
    assert r2024.lookup(code).name_en == "Kyzylorda"


def test_lookup_unknown_lists_valid_codes(r2024):
    with pytest.raises(InputError, match=r"unknown code.*KZ-10 \(Abai\).*KZ-79"):
        r2024.lookup("KZ-99")
    with pytest.raises(InputError):
        r2024.lookup("Kyzylorda")  # names are never matched


# the geokz ADM1_EN spellings that differ from the library's (models/regions.toml)
GEOKZ_SPELLINGS = {
    "2024": {"KZ-10": ("Abai", "Abay"), "KZ-35": ("Karaganda", "Karagandy")},
    "2018": {"KZ-31": ("Zhambyl", "Jambyl"), "KZ-35": ("Karaganda", "Karagandy"),
             "KZ-71": ("Astana (city)", "Nur-Sultan (city)")},
}


@pytest.mark.parametrize("layout", ["2024", "2018"])
def test_names_are_the_library_spelling_with_geokz_as_alias(layout):
    from irrigate.library import load_library

    lib = load_library()
    regions = load_regions(layout)
    for r in regions:
        assert r.name_en == lib.regions[r.code].name, r.code
        if r.code in GEOKZ_SPELLINGS[layout]:
            assert (r.name_en, *r.name_aliases) == GEOKZ_SPELLINGS[layout][r.code]
        else:
            assert r.name_aliases == ()
    for english, geokz in GEOKZ_SPELLINGS[layout].values():
        for name in (english, geokz):  # names are never matched, in any spelling
            with pytest.raises(InputError, match="unknown code"):
                regions.lookup(name)


def test_weights_name_coordinate_uses_the_library_spelling(w025):
    assert str(w025["name_en"].sel(region="KZ-10").item()) == "Abai"
    assert str(w025["name_en"].sel(region="KZ-35").item()) == "Karaganda"


def test_weights_sum_to_geodesic_area_of_every_region(r2024, w025):
    """Acceptance: all 20 regions within 1 % at 0.25 deg (measured: <= 0.05 %)."""
    total = w025.sum(("lat", "lon"))
    for region in r2024:
        ref = geodesic_km2(region.geometry)
        got = float(total.sel(region=region.code))
        assert got == pytest.approx(ref, rel=0.01), region.code
        assert got == pytest.approx(ref, rel=1e-3), region.code


def test_weights_metadata_and_order(w025):
    assert w025.dims == ("region", "lat", "lon")
    assert w025.attrs["units"] == "km2"
    assert float(w025.lat[0]) > float(w025.lat[-1])  # descending latitude kept
    assert (w025 >= 0).all()


def test_cells_never_hold_more_than_their_area(w025):
    cells = cell_areas(LAT_025, LON_025)
    assert (w025 <= cells * (1 + 1e-9)).all()
    # the simplified boundaries overlap by ~0.0005 deg2 in all, so a border cell may hold
    # slightly more than its area summed over regions (measured max 0.16 %)
    assert (w025.sum("region") <= cells * 1.002).all()
    # an interior cell of Karaganda is wholly in it
    k = w025.sel(region="KZ-35", lat=50.0, lon=73.0)
    assert float(k) == pytest.approx(float(cells.sel(lat=50.0, lon=73.0)), rel=1e-12)


def test_cell_area_matches_pyproj():
    cells = cell_areas([50.0, 50.5], [70.0, 70.5])
    box = shapely.segmentize(shapely.box(69.75, 49.75, 70.25, 50.25), 0.001)
    assert float(cells[0, 0]) == pytest.approx(geodesic_km2(box), rel=1e-6)


def test_ascending_and_descending_latitude_agree(r2024, w025):
    asc = region_weights(r2024, LAT_025[::-1], LON_025)
    xr.testing.assert_allclose(asc.sortby("lat", ascending=False), w025)


def test_longitudes_0_360_give_the_same_weights():
    r = load_regions("2024")
    lat = np.arange(52.0, 49.0, -0.5)
    w1 = region_weights(r, lat, np.arange(70.0, 74.0, 0.5))
    w2 = region_weights(r, lat, np.arange(70.0, 74.0, 0.5) + 360.0)
    np.testing.assert_allclose(w1.values, w2.values)


def test_cities_get_their_area_on_a_coarse_grid(r2024):
    w = region_weights(r2024, np.arange(56.0, 39.0, -2.0), np.arange(46.0, 89.0, 2.0))
    for code in ("KZ-71", "KZ-75", "KZ-79"):
        ref = geodesic_km2(r2024.lookup(code).geometry)
        assert float(w.sel(region=code).sum()) == pytest.approx(ref, rel=1e-4)


def _user_regions(tmp_path, polys, field="id"):
    feats = [
        {"type": "Feature", "properties": {field: f"R{i}", "name": f"planted {i}"},
         "geometry": shapely.geometry.mapping(p)}
        for i, p in enumerate(polys)
    ]
    path = tmp_path / "user.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def test_tiny_planted_regions_get_exactly_their_area(tmp_path):
    inside = shapely.box(70.02, 50.02, 70.08, 50.08)  # inside one 0.25 deg cell
    corner = shapely.Polygon([(70.10, 50.09), (70.16, 50.12), (70.15, 50.18), (70.09, 50.15)])
    path = _user_regions(tmp_path, [inside, corner])
    regions = load_regions(path, code_field="id")
    lat = np.arange(51.0, 49.0, -0.25)    # cell edges at 50.125 ...
    lon = np.arange(69.0, 71.0, 0.25)     # ... and 70.125: `corner` straddles a cell corner
    w = region_weights(regions, lat, lon)
    assert int((w.sel(region="R0") > 0).sum()) == 1
    assert int((w.sel(region="R1") > 0).sum()) == 4
    for code, poly in (("R0", inside), ("R1", corner)):
        assert float(w.sel(region=code).sum()) == pytest.approx(geodesic_km2(poly), rel=1e-5)


def test_user_geojson_needs_a_code_field(tmp_path):
    path = _user_regions(tmp_path, [shapely.box(70, 50, 71, 51)], field="zone")
    with pytest.raises(InputError, match="--code-field"):
        load_regions(path)
    assert load_regions(path, code_field="zone").codes == ["R0"]
    assert load_regions(path, code_field="zone").records[0].name_en == "planted 0"


def test_unknown_layout_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not a known layout"):
        load_regions("2030")
    with pytest.raises(InputError, match="not found"):
        load_regions(tmp_path / "nope.geojson")


def test_grid_outside_kazakhstan_is_an_error(r2024):
    with pytest.raises(InputError, match="does not overlap any region"):
        region_weights(r2024, np.arange(10.0, 5.0, -0.5), np.arange(0.0, 5.0, 0.5))


def test_irrigated_fraction_scales_weights(r2024):
    lat, lon = np.arange(44.0, 40.5, -0.5), np.arange(66.0, 70.5, 0.5)
    w = region_weights(r2024, lat, lon)
    frac = xr.DataArray(np.full((lat.size, lon.size), 0.25), dims=("lat", "lon"),
                        coords={"lat": lat, "lon": lon})
    wi = region_weights(r2024, lat, lon, irrigated_fraction=frac)
    np.testing.assert_allclose(wi.values, 0.25 * w.values)
    with pytest.raises(InputError, match="0-1"):
        region_weights(r2024, lat, lon, irrigated_fraction=frac * 5)


def test_aggregate_renormalises_over_valid_cells(r2024):
    lat, lon = np.arange(52.0, 48.9, -0.5), np.arange(70.0, 75.1, 0.5)
    w = region_weights(r2024, lat, lon)
    rng = np.random.default_rng(1)
    data = rng.normal(size=(3, lat.size, lon.size))
    data[:, 2, 3] = np.nan
    f = xr.DataArray(data, dims=("time", "lat", "lon"), coords={"lat": lat, "lon": lon},
                     attrs={"units": "mm"})
    out = aggregate(f, w)
    assert out.dims == ("time", "region")
    assert out.attrs["units"] == "mm"
    code = "KZ-35"
    wk = w.sel(region=code).values
    for t in range(3):
        ok = ~np.isnan(data[t])
        expect = (data[t][ok] * wk[ok]).sum() / wk[ok].sum()
        assert float(out.isel(time=t).sel(region=code)) == pytest.approx(expect, rel=1e-12)
    # a constant field aggregates to that constant in every region touched by the grid
    const = aggregate(xr.full_like(f, 7.0), w)
    touched = w.sum(("lat", "lon")) > 0
    np.testing.assert_allclose(const.isel(time=0).where(touched, drop=True), 7.0)
    assert np.isnan(const.isel(time=0).sel(region="KZ-47"))  # Mangystau not on this grid


def test_aggregate_is_lazy_with_dask(r2024):
    lat, lon = np.arange(52.0, 48.9, -0.5), np.arange(70.0, 75.1, 0.5)
    w = region_weights(r2024, lat, lon)
    f = xr.DataArray(np.ones((4, lat.size, lon.size)), dims=("time", "lat", "lon"),
                     coords={"lat": lat, "lon": lon}).chunk({"time": 2})
    out = aggregate(f, w)
    assert out.chunks is not None
    assert float(out.sel(region="KZ-35").max().compute()) == pytest.approx(1.0)


def test_aggregate_rejects_a_field_on_another_grid(r2024):
    lat, lon = np.arange(52.0, 48.9, -0.5), np.arange(70.0, 75.1, 0.5)
    w = region_weights(r2024, lat, lon)
    f = xr.DataArray(np.ones((lat.size, lon.size)), dims=("lat", "lon"),
                     coords={"lat": lat + 0.1, "lon": lon})
    with pytest.raises(InputError, match="differ"):
        aggregate(f, w)


def test_station_weights_contain_or_nearest(r2024):
    # Astana city; Karaganda oblast; a CFSR point in Uzbekistan ~20 km from Turkestan
    # region; a point in the middle of Russia (unassigned)
    lat = xr.DataArray([51.13, 50.0, 41.06, 60.0], dims="station")
    lon = xr.DataArray([71.43, 73.0, 68.75, 60.0], dims="station")
    ds = xr.Dataset(coords={"lat": lat, "lon": lon, "station": ["a", "b", "c", "d"]})
    sw = station_weights(r2024, ds, ds)
    assert sw.dims == ("region", "station")
    assert sw.sel(station="a", region="KZ-71") == 1
    assert sw.sel(station="b", region="KZ-35") == 1
    assert sw.sel(station="c", region="KZ-61") == 1
    assert float(sw.sel(station="d").sum()) == 0
    assert (sw.sum("region") <= 1).all()
    x = xr.DataArray([1.0, 2.0, 3.0, 4.0], dims="station")
    out = aggregate(x, sw)
    assert float(out.sel(region="KZ-61")) == 3.0


def test_weights_cache_follows_geometry_not_path(tmp_path):
    lat, lon = np.arange(51.0, 49.0, -0.25), np.arange(69.0, 71.0, 0.25)
    path = _user_regions(tmp_path, [shapely.box(70.0, 50.0, 70.1, 50.1)])
    small = region_weights(load_regions(path, code_field="id"), lat, lon)
    path = _user_regions(tmp_path, [shapely.box(70.0, 50.0, 70.3, 50.3)])
    large = region_weights(load_regions(path, code_field="id"), lat, lon)
    assert float(large.sum()) > 5 * float(small.sum())


def test_irrigated_fraction_in_another_layout_matches_the_grid(r2024):
    """API callers may pass the fraction in ERA5 layout (latitude/longitude names, latitudes
    north to south); it is put on the climate grid, not rejected."""
    lat, lon = np.arange(40.5, 44.1, 0.5), np.arange(66.0, 70.5, 0.5)
    rng = np.random.default_rng(3)
    f = rng.uniform(0.0, 1.0, size=(lat.size, lon.size))
    frac = xr.DataArray(f, dims=("lat", "lon"), coords={"lat": lat, "lon": lon})
    reference = region_weights(r2024, lat, lon, irrigated_fraction=frac)
    era5 = xr.DataArray(f[::-1, :], dims=("latitude", "longitude"),
                        coords={"latitude": lat[::-1], "longitude": lon % 360.0})
    got = region_weights(r2024, lat, lon, irrigated_fraction=era5)
    np.testing.assert_allclose(got.values, reference.values, rtol=0, atol=1e-12)
    # and the climate grid may run north to south while the fraction runs south to north
    got_desc = region_weights(r2024, lat[::-1], lon, irrigated_fraction=frac)
    np.testing.assert_allclose(got_desc.values, reference.values[:, ::-1, :], rtol=0,
                               atol=1e-12)


def test_irrigated_fraction_on_other_cells_is_still_an_error(r2024):
    lat, lon = np.arange(40.5, 44.1, 0.5), np.arange(66.0, 70.5, 0.5)
    shifted = xr.DataArray(np.full((lat.size, lon.size), 0.5), dims=("lat", "lon"),
                           coords={"lat": lat + 0.25, "lon": lon})
    with pytest.raises(InputError, match="differ from the climate grid"):
        region_weights(r2024, lat, lon, irrigated_fraction=shifted)


def test_irrigated_fraction_matches_float32_cell_centres(r2024):
    """ERA5-Land and CF files store coordinates as float32 (40.6 -> 40.599998): a float64
    fraction map on the same cells, larger or in another order, still matches them."""
    lat = np.arange(40.5, 44.0, 0.1).astype(np.float32).astype(float)
    lon = np.arange(66.0, 71.0, 0.1).astype(np.float32).astype(float)
    exact_lat, exact_lon = np.round(lat, 1), np.round(lon, 1)
    assert np.abs(lat - exact_lat).max() > 1e-7  # the float32 offsets are really there
    f = np.random.default_rng(5).uniform(size=(lat.size, lon.size))
    on_climate = xr.DataArray(f, dims=("lat", "lon"), coords={"lat": lat, "lon": lon})
    reference = region_weights(r2024, lat, lon, irrigated_fraction=on_climate)
    big = np.zeros((lat.size + 2, lon.size))
    big[1:-1] = f
    national = xr.DataArray(big[::-1], dims=("latitude", "longitude"), coords={
        "latitude": np.round(np.r_[lat[0] - 0.1, lat, lat[-1] + 0.1], 1)[::-1],
        "longitude": exact_lon})
    got = region_weights(r2024, lat, lon, irrigated_fraction=national)
    np.testing.assert_allclose(got.values, reference.values, rtol=0, atol=1e-12)
