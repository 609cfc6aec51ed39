"""The regional budget engine on small synthetic grids (real library, regions and balance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import irrigate
from irrigate.engine.budget import budget
from irrigate.engine.volumes import scenario_totals
from irrigate.errors import InputError
from irrigate.library import load_library
from irrigate.output.budget_table import film_text, format_table, to_records

DIMS = ("time", "lat", "lon")
#: 2 x 2 cells of 0.5 deg in the cotton belt of Turkestan (Maktaaral / Shardara)
TURKESTAN = ([41.0, 41.5], [68.0, 68.5])
#: 2 x 2 cells on the lower Syr Darya in Kyzylorda (rice)
KYZYLORDA = ([44.5, 45.0], [65.0, 65.5])


def synthetic_grid(lat, lon, year=2021, years=1):
    """A smooth, rain-poor continental climate on a small grid, in CF names and units."""
    times = pd.date_range(f"{year - years + 1}-01-01", f"{year}-12-31", freq="D")
    doy = times.day_of_year.values
    season = np.sin(2 * np.pi * (doy - 105) / 365.0)
    shape = (len(times), len(lat), len(lon))
    lat_shift = (np.asarray(lat)[None, :, None] - 41.0) * 0.6

    def field(values):
        return np.broadcast_to(np.asarray(values)[:, None, None], shape) - 0 * lat_shift

    tmax = field(20.0 + 15.0 * season) - lat_shift
    tmin = tmax - 14.0
    rain = np.where((doy % 9 == 0) & ((doy < 130) | (doy > 300)), 8.0, 0.0)
    data = {
        "tasmax": (DIMS, tmax, {"units": "degC"}),
        "tasmin": (DIMS, tmin, {"units": "degC"}),
        "hurs": (DIMS, field(55.0 - 20.0 * season), {"units": "%"}),
        "rsds": (DIMS, field(17.0 + 9.0 * season), {"units": "MJ m-2 d-1"}),
        "sfcWind": (DIMS, field(np.full(len(times), 2.0)), {"units": "m s-1"}),
        "pr": (DIMS, field(rain), {"units": "mm d-1"}),
        "orog": (("lat", "lon"), np.full((len(lat), len(lon)), 300.0), {"units": "m"}),
    }
    return xr.Dataset(data, coords={"time": times, "lat": lat, "lon": lon})


def write_grid(path, lat, lon, **kwargs):
    synthetic_grid(lat, lon, **kwargs).to_netcdf(path)
    return path


@pytest.fixture(scope="module")
def cotton(tmp_path_factory):
    path = write_grid(tmp_path_factory.mktemp("grid") / "turkestan.nc", *TURKESTAN)
    ds = budget(path, regions="KZ-61", crops="cotton", methods=["furrow", "mulched_drip"])
    return path, ds


def test_dims_areas_and_volumes_follow_the_library(cotton):
    _, ds = cotton
    lib = load_library()
    assert ds["irr_gross_mm"].dims == ("region", "crop", "method")
    assert ds["region"].values.tolist() == ["KZ-61"]
    assert ds["crop"].values.tolist()[0] == "cotton"
    assert ds["method"].values.tolist() == ["furrow", "mulched_drip"]
    area = float(ds["area_ha"].sel(region="KZ-61", crop="cotton"))
    # land watered in 2025 (areas.toml) x the crop share, renormalised over the crop shares
    reg = lib.region("KZ-61")
    assert area == pytest.approx(400_000 * reg.crop_shares["cotton"]
                                 / sum(reg.crop_shares.values()))
    row = ds.sel(region="KZ-61", crop="cotton")
    gross = row["irr_gross_mm"]
    assert bool((gross > 0).all())
    # field volume = depth x area x 1e-5; withdrawal = field / the method's efficiency:
    # furrow the canal system's 0.60, pipe-fed mulched drip 0.60 / 0.80 (no on-farm ditch)
    np.testing.assert_allclose(row["field_gross_mcm"], gross * area * 1e-5)
    ce = lib.conveyance_efficiency("KZ-61")
    np.testing.assert_allclose(row["withdrawal_mcm"].sel({"method": "furrow"}),
                               row["field_gross_mcm"].sel({"method": "furrow"}) / ce)
    np.testing.assert_allclose(row["withdrawal_mcm"].sel({"method": "mulched_drip"}),
                               row["field_gross_mcm"].sel({"method": "mulched_drip"})
                               / (ce / 0.80))
    # application losses add up; gross = net + losses
    np.testing.assert_allclose(row["irr_gross_mm"], row["irr_net_mm"] + row["irr_loss_mm"],
                               atol=1e-6)
    np.testing.assert_allclose(row["irr_loss_mm"], row["irr_loss_evap_mm"]
                               + row["irr_loss_ro_mm"] + row["irr_loss_dp_mm"], atol=1e-6)
    # eta = e + t and eta <= etc (FAO-56 Eq. 80)
    np.testing.assert_allclose(row["eta_mm"], row["e_mm"] + row["t_mm"], atol=1e-6)
    assert bool((row["eta_mm"] <= row["etc_mm"] + 1e-6).all())


def test_savings_against_flood_and_current_practice(cotton):
    _, ds = cotton
    row = ds.sel(region="KZ-61", crop="cotton")
    # current practice mixes flood/furrow/sprinkler/drip by the region's shares; shares sum to 1
    assert float(row["current_share"].sum()) <= 1.0
    drip = row.sel({"method": "mulched_drip"})
    now = float(row["irr_gross_current_mm"])
    assert float(drip["saving_vs_current_mm"]) == pytest.approx(now - float(
        drip["irr_gross_mm"]))
    assert float(drip["saving_vs_current_pct"]) == pytest.approx(
        100 * float(drip["saving_vs_current_mm"]) / now)
    # mulched drip needs less gross water than furrow (efficiency 0.90 vs 0.60 and the film)
    assert float(drip["irr_gross_mm"]) < float(row["irr_gross_mm"].sel({"method": "furrow"}))
    assert float(drip["saving_vs_flood_pct"]) > 0


def test_deterministic_and_callable_module(cotton):
    path, ds = cotton
    again = irrigate.budget(path, regions="KZ-61", crops="cotton",
                            methods=["furrow", "mulched_drip"])
    xr.testing.assert_identical(ds, again)
    assert to_records(ds) == to_records(again)


def test_table_lists_region_and_fits_100_columns(cotton):
    _, ds = cotton
    text = format_table(ds)
    assert "KZ-61 Turkestan" in text and "cotton" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_rice_and_leaching_lines(tmp_path):
    path = write_grid(tmp_path / "kyzylorda.nc", *KYZYLORDA)
    ds = budget(path, regions="KZ-43", crops=["rice", "melons"])
    lib = load_library()
    # crop holds crops only; the off-season leaching has its own variables leaching_*
    assert ds["crop"].values.tolist() == ["rice", "melons"]
    rice = ds.sel(region="KZ-43", crop="rice")
    paddy = rice["irr_gross_mm"].sel({"method": ["continuous_flooding", "awd",
                                                 "drip_film_rice"]})
    assert bool((paddy > 0).all())
    assert bool(rice["irr_gross_mm"].sel({"method": "furrow"}).isnull())
    # savings of rice are measured against continuous flooding
    assert str(ds["reference_method"].sel(crop="rice").values) == "continuous_flooding"
    assert float(rice["saving_vs_flood_mm"].sel({"method": "continuous_flooding"})) == 0.0
    # AWD and drip/film rice use less water than continuous flooding
    assert float(paddy.sel({"method": "awd"})) < float(paddy.sel(
        {"method": "continuous_flooding"}))
    # leaching: the same depth for every upland method, over the saline share of the upland
    # (melon) area at the midpoints of leaching_offseason.toml: Kyzylorda saline share
    # 0.576-0.941 (JGEM21), every other year to every year, 175-425 mm (salinity.toml classes)
    leach = ds.sel(region="KZ-43")
    depths = leach["leaching_irr_gross_mm"].sel({"method": ["flood", "furrow", "drip"]}).values
    assert np.all(depths == depths[0])
    assert depths[0] == pytest.approx((175 + 425) / 2)
    melons = float(ds["area_ha"].sel(region="KZ-43", crop="melons"))
    share = (0.576 + 0.941) / 2 * (0.5 + 1.0) / 2
    assert float(leach["leaching_area_ha"]) == pytest.approx(share * melons)
    assert float(leach["leaching_field_gross_mcm"].sel({"method": "furrow"})) == pytest.approx(
        300 * share * melons * 1e-5)
    # its range: low and high ends of every factor, at the canal system's efficiency
    ce = float(ds["conveyance_efficiency"].sel(region="KZ-43"))
    assert float(ds["leaching_low_mcm"].sel(region="KZ-43")) == pytest.approx(
        0.576 * 0.5 * 175 * melons * 1e-5 / ce)
    assert float(ds["leaching_high_mcm"].sel(region="KZ-43")) == pytest.approx(
        0.941 * 1.0 * 425 * melons * 1e-5 / ce)
    # rice: the crop's share of the field supply and of the withdrawal (only for rice)
    ce = float(ds["conveyance_efficiency"].sel(region="KZ-43"))
    for m in ("continuous_flooding", "awd", "drip_film_rice"):
        cell = rice.sel({"method": m})
        assert float(cell["crop_share_field_pct"]) == pytest.approx(
            100 * float(cell["eta_mm"]) / float(cell["irr_gross_mm"]))
        assert float(cell["crop_share_withdrawal_pct"]) == pytest.approx(
            100 * float(cell["eta_mm"]) / (float(cell["irr_gross_mm"]) / ce))
        # soaking is part of the supply
        assert 0 < float(cell["soak_mm"]) < float(cell["irr_gross_mm"])
    flooded = rice.sel({"method": "continuous_flooding"})
    assert float(flooded["drain_mm"]) > 0 and float(flooded["dp_mm"]) > 0
    assert bool(ds["crop_share_field_pct"].sel(region="KZ-43", crop="melons").isnull().all())
    # season totals hold the crops only: the leached land is not counted twice and the
    # leaching water is not in them; the year's totals add it
    totals = scenario_totals(ds)
    crops = ds.sel(region="KZ-43", crop=["rice", "melons"])
    assert float(totals["area_ha"].sel(region="KZ-43")) == pytest.approx(
        float(crops["area_ha"].sum()))
    assert float(totals["withdrawal_current_mcm"].sel(region="KZ-43")) == pytest.approx(
        float(crops["withdrawal_current_mcm"].sum()))
    assert float(ds["scenario_withdrawal_year_current_mcm"].sel(region="KZ-43")) == \
        pytest.approx(float(crops["withdrawal_current_mcm"].sum())
                      + float(leach["leaching_withdrawal_current_mcm"]))
    assert lib.baseline.leaching["KZ-43"].groundwater_share == 0.0


def test_station_input_is_assigned_to_regions(tmp_path):
    grid = synthetic_grid(*TURKESTAN)
    stations = grid.isel(lat=0).rename({"lon": "station"}).assign_coords(
        lat=("station", [41.0, 41.0]), lon=("station", [68.0, 68.5]),
        station=["a", "b"])
    stations["orog"] = ("station", [300.0, 300.0], {"units": "m"})
    path = tmp_path / "stations.nc"
    stations.to_netcdf(path)
    ds = budget(path, regions="KZ-61", crops="cotton", methods="drip")
    # dict form: ``method`` is also a keyword argument of ``.sel``
    assert float(ds["irr_gross_mm"].sel({"region": "KZ-61", "crop": "cotton",
                                         "method": "drip"})) > 0
    frac = xr.DataArray([[1.0, 1.0]], dims=("lat", "lon"), coords={"lat": [41.0],
                                                                   "lon": [68.0, 68.5]})
    with pytest.raises(InputError, match="only for gridded climate"):
        budget(path, regions="KZ-61", crops="cotton", methods="drip", irrigated_fraction=frac)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"regions": "KZ-99"}, "unknown code"),
    ({"regions": "KZ-61", "crops": "rice_x"}, "rice_x"),
    ({"regions": "KZ-43", "crops": "cotton"}, "no area in KZ-43"),
    ({"regions": "KZ-61", "crops": "cotton", "season": 1999}, "outside the climate data"),
    ({"regions": "KZ-61", "crops": "cotton", "methods": "hovercraft"}, "hovercraft"),
    ({"regions": "KZ-61", "crops": "winter_wheat"}, "previous year"),
])
def test_bad_requests_raise_one_line_input_errors(tmp_path, kwargs, message):
    path = write_grid(tmp_path / "g.nc", *TURKESTAN)
    with pytest.raises(InputError) as err:
        budget(path, **kwargs)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_grid_outside_kazakhstan_is_refused(tmp_path):
    path = write_grid(tmp_path / "alps.nc", [46.0, 46.5], [8.0, 8.5])
    with pytest.raises(InputError, match="does not overlap"):
        budget(path, regions="KZ-61", crops="cotton")


def test_a_crop_does_not_depend_on_the_other_crops_budgeted(cotton):
    path, ds = cotton
    both = budget(path, regions="KZ-61", crops=["cotton", "maize_grain"],
                  methods=["furrow", "mulched_drip"])
    for name in ("eta_mm", "irr_gross_mm", "withdrawal_mcm"):
        xr.testing.assert_allclose(ds[name].sel(crop="cotton"), both[name].sel(crop="cotton"))


def test_region_without_irrigated_area_is_listed_as_such(tmp_path):
    path = write_grid(tmp_path / "g.nc", *TURKESTAN)
    ds = budget(path, regions=["KZ-71"])
    assert ds.sizes["crop"] == 0 and float(ds["irrigated_area_ha"].sum()) == 0.0
    assert "KZ-71 Astana (city): no irrigated area" in format_table(ds)
    assert to_records(ds) == []


def test_large_inputs_are_read_lazily_with_the_same_result(cotton, monkeypatch):
    import sys

    path, ds = cotton
    monkeypatch.setattr(sys.modules["irrigate.engine.inputs"], "LAZY_BYTES", 0)  # all "large"
    lazy = budget(path, regions="KZ-61", crops="cotton", methods=["furrow", "mulched_drip"])
    xr.testing.assert_allclose(ds, lazy)


def test_autumn_sown_crop_without_its_autumn_is_left_out_and_said_so(tmp_path):
    path = write_grid(tmp_path / "g.nc", *TURKESTAN)  # one calendar year only
    ds = budget(path, regions="KZ-61", methods="furrow")
    assert "winter_wheat" not in ds["crop"].values.tolist()
    assert "winter_wheat" in ds.attrs["left_out"]
    assert "Left out (season not in the input): winter_wheat" in format_table(ds)
    two_years = write_grid(tmp_path / "g2.nc", *TURKESTAN, years=2)
    ds2 = budget(two_years, regions="KZ-61", crops="winter_wheat", methods="furrow")
    assert float(ds2["irr_gross_mm"].sel({"region": "KZ-61", "crop": "winter_wheat",
                                          "method": "furrow"})) > 0


def test_user_library_changes_the_area(cotton, tmp_path):
    from irrigate.paths import models_dir

    path, ds = cotton
    # a user regions.toml that gives irrigated_area replaces the areas.toml default
    # (400,000 ha watered in 2025) of that region
    text = (models_dir() / "regions.toml").read_text()
    start = text.index('["KZ-61"]')
    anchor = 'sowing_zone = "south"\n'
    i = text.index(anchor, start) + len(anchor)
    user = tmp_path / "models"
    user.mkdir()
    (user / "regions.toml").write_text(
        text[:i] + 'irrigated_area = { value = 200000, unit = "ha", source = "test: half" }\n'
        + text[i:])
    half = budget(path, regions="KZ-61", crops="cotton", methods=["furrow", "mulched_drip"],
                  models=user)
    np.testing.assert_allclose(half["area_ha"].sel(crop="cotton"),
                               ds["area_ha"].sel(crop="cotton") / 2)
    np.testing.assert_allclose(half["withdrawal_mcm"].sel(crop="cotton"),
                               ds["withdrawal_mcm"].sel(crop="cotton") / 2)
    assert str(half["area_key"].sel(region="KZ-61").values) == "regions.toml"


def test_rice_kc_mid_end_are_climate_adjusted_per_cell(tmp_path):
    # FAO-56 Eqs. 62/65: rice Kc mid (end) adjusted with the mean u2 and RHmin of each cell's
    # mid (late) season, like the upland Kcb (Eq. 70); the budget's rice ETc must equal a
    # paddy run with those per-cell values, area-averaged over the region's cells
    from irrigate.climate import open_climate
    from irrigate.regions import aggregate, load_regions, region_weights
    from irrigate.science.crop import adjust_end, adjust_mid
    from irrigate.science.et0 import minimum_relative_humidity, reference_et
    from irrigate.science.paddy_balance import simulate_paddy

    path = write_grid(tmp_path / "kyzylorda.nc", *KYZYLORDA)
    ds = budget(path, regions="KZ-43", crops=["rice"], methods=["continuous_flooding"],
                leaching=False)
    lib = load_library()
    crop, cal = lib.crop("rice"), lib.rice.calendars["kyzylorda"]
    clim = open_climate([path])
    et0 = reference_et(clim)
    rh = minimum_relative_humidity(clim, clim["tmax"], clim["tmin"])
    sow = pd.Timestamp(2021, 1, 1) + pd.Timedelta(
        days=lib.sowing_doy(lib.region("KZ-43").sowing_zone, "rice") - 1)
    mid0 = sow + pd.Timedelta(days=cal.l_ini + cal.l_dev)
    late0 = mid0 + pd.Timedelta(days=cal.l_mid)
    mid = slice(mid0, late0 - pd.Timedelta(days=1))
    late = slice(late0, late0 + pd.Timedelta(days=cal.l_late - 1))
    kc_mid = adjust_mid(crop.kc_mid, clim["u2"].sel(time=mid).mean("time"),
                        rh.sel(time=mid).mean("time"), crop.h_max)
    kc_end = adjust_end(crop.kc_end, clim["u2"].sel(time=late).mean("time"),
                        rh.sel(time=late).mean("time"), crop.h_max)
    assert float(kc_mid.min()) > crop.kc_mid + 0.01  # the grid is dry: a real adjustment
    window = slice(sow - pd.Timedelta(days=45), sow + pd.Timedelta(days=cal.l_ini + cal.l_dev
                                                                    + cal.l_mid + cal.l_late + 1))
    sim = simulate_paddy(et0.sel(time=window), clim["precip"].sel(time=window),
                         sow.strftime("%Y-%m-%d"), crop=crop,
                         methods=[lib.rice.methods["continuous_flooding"]],
                         soil=lib.rice.soils["clay_loam"], calendar=cal, kc_mid=kc_mid,
                         kc_end=kc_end)
    w = region_weights(load_regions("2024").select(["KZ-43"]), clim["lat"].values,
                       clim["lon"].values)
    expected = float(aggregate(sim["etc"].sum("time").isel(method=0), w).sel(region="KZ-43"))
    got = float(ds["etc_mm"].sel({"region": "KZ-43", "crop": "rice",
                                  "method": "continuous_flooding"}))
    assert got == pytest.approx(expected, rel=1e-9)


def test_irrigated_fraction_weights_cells_by_irrigated_area(tmp_path):
    # a region's depth is the mean of its cells weighted by area in the region x irrigated
    # fraction (the synthetic climate varies with latitude, so the cells differ)
    from irrigate.regions import load_regions, region_weights

    lat, lon = TURKESTAN
    path = write_grid(tmp_path / "t.nc", lat, lon)
    coords = {"lat": lat, "lon": lon}
    kw = {"regions": "KZ-61", "crops": "cotton", "methods": ["furrow"], "leaching": False}

    def run(frac):
        f = None if frac is None else xr.DataArray(frac, dims=("lat", "lon"), coords=coords)
        ds = budget(path, irrigated_fraction=f, **kw)
        return np.array([float(ds[v].squeeze()) for v in ("eta_mm", "irr_gross_mm")])

    a, b = 0.3, 0.05
    v_north = run([[0.0, 0.0], [a, 0.0]])
    v_south = run([[b, 0.0], [0.0, 0.0]])
    both = run([[b, 0.0], [a, 0.0]])
    area = region_weights(load_regions("2024").select(["KZ-61"]), lat, lon).squeeze().values
    w_n, w_s = area[1, 0] * a, area[0, 0] * b
    np.testing.assert_allclose(both, (w_n * v_north + w_s * v_south) / (w_n + w_s),
                               rtol=1e-12)
    assert abs(v_north[0] - v_south[0]) > 0.5  # the test can tell the cells apart
    assert abs(run(None)[0] - both[0]) > 0.05  # plain area weights give another mean


def test_cells_without_climate_are_left_out_of_the_regional_mean(tmp_path):
    # land-only grids (ERA5-Land) are NaN over lakes and sea inside region outlines: such a
    # cell has no climate and no irrigated land; the region's mean is over its other cells
    # (as if its irrigated fraction were 0), while a gap of a few days is still an error
    lat, lon = TURKESTAN
    grid = synthetic_grid(lat, lon)
    kw = {"regions": "KZ-61", "crops": "cotton", "methods": ["furrow"], "leaching": False}
    masked = grid.copy(deep=True)
    for v in ("tasmax", "tasmin", "hurs", "rsds", "sfcWind", "pr"):
        masked[v][:, 1, 0] = np.nan
    masked.to_netcdf(tmp_path / "masked.nc")
    got = budget(tmp_path / "masked.nc", **kw)
    grid.to_netcdf(tmp_path / "full.nc")
    frac = xr.DataArray([[1.0, 1.0], [0.0, 1.0]], dims=("lat", "lon"),
                        coords={"lat": lat, "lon": lon})
    expected = budget(tmp_path / "full.nc", irrigated_fraction=frac, **kw)
    for v in ("eta_mm", "irr_gross_mm", "withdrawal_mcm"):
        assert float(got[v].squeeze()) == pytest.approx(float(expected[v].squeeze()),
                                                        rel=1e-12)
    gap = grid.copy(deep=True)
    gap["tasmax"][150:153, 1, 0] = np.nan
    gap.to_netcdf(tmp_path / "gap.nc")
    with pytest.raises(InputError, match="missing values"):
        budget(tmp_path / "gap.nc", **kw)


def test_rice_with_missing_days_is_an_error_not_zero(tmp_path):
    # the ponded balance blanks a season with missing weather (NaN); the budget must not
    # sum that to 0 mm (xarray skips NaN) but say what is wrong, as the upland balance does
    grid = synthetic_grid(*KYZYLORDA)
    grid["pr"][160:163, 0, 1] = np.nan
    grid.to_netcdf(tmp_path / "gap.nc")
    with pytest.raises(InputError, match="missing values"):
        budget(tmp_path / "gap.nc", regions="KZ-43", crops=["rice"],
               methods=["continuous_flooding"], leaching=False)


def test_rice_keeps_its_et0_and_an_inapplicable_method_is_explained(tmp_path):
    path = write_grid(tmp_path / "kyzylorda.nc", *KYZYLORDA)
    full = budget(path, regions="KZ-43", crops="rice")
    # the method axis holds only methods a budgeted crop takes: furrow is left out for rice
    # (and said so below); furrow alone is an error, not an all-NaN column
    only = budget(path, regions="KZ-43", crops="rice", methods=["furrow", "awd"])
    assert [str(m) for m in only["method"].values] == ["awd"]
    with pytest.raises(InputError, match="--method furrow: applies to none of the budgeted "
                       r"crops \(rice: paddy rice\)"):
        budget(path, regions="KZ-43", crops="rice", methods="furrow")
    et0 = float(full["et0_mm"].sel({"region": "KZ-43", "crop": "rice",
                                    "method": "continuous_flooding"}))
    assert et0 > 0
    # ET0 of the crop's season does not depend on the method selected
    assert float(only["et0_mm"].sel({"region": "KZ-43", "crop": "rice",
                                     "method": "awd"})) == pytest.approx(et0)
    table = format_table(only)
    row = next(line for line in table.splitlines() if line.startswith("rice "))
    assert f"{et0:,.0f}" in row.split()
    assert "furrow" in table and "does not apply to paddy rice" in table
    upland = budget(path, regions="KZ-43", crops="melons", methods=["furrow", "awd"])
    text = format_table(upland)
    assert "awd" in text and "applies to paddy rice only" in text
    assert "does not apply" in irrigate.output.budget_table.to_markdown(only)


def test_var_map_names_the_variables_of_the_files(tmp_path):
    path = tmp_path / "renamed.nc"
    synthetic_grid(*TURKESTAN).rename({"tasmax": "TX"}).to_netcdf(path)
    with pytest.raises(InputError, match="--var tmax=NAME"):
        budget(path, regions="KZ-61", crops="cotton", methods="drip")
    mapped = budget(path, regions="KZ-61", crops="cotton", methods="drip",
                    var_map={"tmax": "TX"})
    plain = budget(write_grid(tmp_path / "plain.nc", *TURKESTAN), regions="KZ-61",
                   crops="cotton", methods="drip")
    xr.testing.assert_allclose(mapped["irr_gross_mm"], plain["irr_gross_mm"])
    for climate in (None, synthetic_grid(*TURKESTAN)):  # sample / opened Dataset: no files
        with pytest.raises(InputError, match="var_map"):
            budget(climate, regions="KZ-61", crops="cotton", var_map={"tmax": "TX"})


def test_elevation_without_climate_files_is_refused_not_ignored():
    # as the CLI's --elev: the bundled sample (and an opened Dataset) carry their own elevation
    for climate in (None, synthetic_grid(*TURKESTAN)):
        with pytest.raises(InputError, match="elevation.*climate files only"):
            budget(climate, regions="KZ-61", crops="cotton", elevation=250.0)


def test_film_crop_calibrated_replaces_only_the_mulched_drip_cotton_values():
    """--film-crop calibrated: cotton's mulched_drip column is rerun with the calibrated
    values of xinjiang_cotton (Kcb mid/end) and xinjiang_mulched_drip (film evaporation
    reduction) on cotton's own calendar; every other value is the FAO-56 run's."""
    from irrigate.engine.budget import budget as run_budget
    from irrigate.library import load_library

    kw = {"regions": "KZ-61", "crops": ["cotton", "maize_grain"],
          "methods": ["furrow", "mulched_drip"], "leaching": False, "scenario": "practice"}
    fao = run_budget(film_crop="fao", **kw)
    cal = run_budget(film_crop="calibrated", **kw)
    film = {"method": "mulched_drip"}
    c_fao = fao.sel(region="KZ-61", crop="cotton").sel(film)
    c_cal = cal.sel(region="KZ-61", crop="cotton").sel(film)
    # same season (calendar and sowing), so the same ET0, rain and practice depths
    # (the Xinjiang calendar on FAO-56 cotton's stages: 460 mm net in 14 events)
    for name in ("et0_mm", "precip_mm", "irr_net_mm", "n_events"):
        assert float(c_cal[name]) == pytest.approx(float(c_fao[name])), name
    assert float(c_cal["irr_net_mm"]) == pytest.approx(460.0)
    # lower demand: Kcb mid 0.77 instead of FAO-56 1.125 (climate-adjusted upwards)
    lib = load_library()
    ratio = lib.crop("xinjiang_cotton").kcb_mid / lib.crop("cotton").kcb_mid
    assert float(c_cal["etc_mm"]) < (ratio + 0.1) * float(c_fao["etc_mm"])
    assert float(c_cal["eta_mm"]) / float(c_cal["etc_mm"]) > (
        float(c_fao["eta_mm"]) / float(c_fao["etc_mm"]))
    # the substitution is data on the Dataset; the output layer words it
    assert str(cal["film_record"].sel(crop="cotton").values) == "xinjiang_cotton"
    assert float(cal["film_crop_value"].sel(crop="cotton", film_crop_field="kcb_mid")) == \
        pytest.approx(0.7723)
    assert "film_evap_reduction" in cal["film_method_value"]["film_method_field"].values
    assert "kcb_mid 0.7723 from xinjiang_cotton" in film_text(cal)
    assert "film_evap_reduction" in film_text(cal)
    assert film_text(fao).startswith("fao")
    assert str(fao["film_choice"].values) == "fao"
    # everything else is unchanged: maize (no calibrated record) and the furrow column
    for name in ("irr_gross_mm", "eta_mm", "etc_mm"):
        xr.testing.assert_identical(fao[name].sel(crop="maize_grain"),
                                    cal[name].sel(crop="maize_grain"))
        xr.testing.assert_identical(fao[name].sel({"method": "furrow"}),
                                    cal[name].sel({"method": "furrow"}))
    # only crops actually replaced are named
    maize = run_budget(film_crop="calibrated", **(kw | {"crops": "maize_grain"}))
    assert "no crop with a calibrated record" in film_text(maize)
    with pytest.raises(InputError, match="--film-crop nope: unknown"):
        run_budget(film_crop="nope", **kw)


def test_budget_on_a_local_cluster_equals_in_process(cotton):
    # --workers 2: the group blocks are chunked in space and held on the workers; the
    # seasonal totals are the same numbers as the in-process run
    pytest.importorskip("distributed")
    from irrigate.engine.cluster import compute_on

    path, ds = cotton
    with compute_on(workers=2) as parallel:
        on_cluster = budget(path, regions="KZ-61", crops="cotton",
                            methods=["furrow", "mulched_drip"], parallel=parallel)
    assert set(on_cluster.data_vars) == set(ds.data_vars)
    for name, da in ds.data_vars.items():
        if np.issubdtype(da.dtype, np.number):
            np.testing.assert_allclose(on_cluster[name].values, da.values, rtol=0, atol=1e-9,
                                       err_msg=name)
        else:
            assert (on_cluster[name].values == da.values).all(), name
