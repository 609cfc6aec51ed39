"""Ponded rice balance: closure, bounds, method behaviour, xarray/dask, Kyzylorda check."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from irrigate.errors import InputError
from irrigate.library import load_library, read_rice
from irrigate.science import paddy_balance
from irrigate.science.paddy import (
    RiceSoil,
    paddy_season_summary,
)
from irrigate.science.paddy_balance import PADDY_OUTPUTS, PaddyForcing, PaddySetup, paddy_kernel
from irrigate.science.params import Crop

# FAO-56 rice: Table 11 (30/30/60/30, Mediterranean, May), Table 12 Kc 1.05/1.20/0.75
# (Kc end midpoint of 0.90-0.60), Table 17 Kcb 1.00/1.15/0.575, Table 22 Zr 0.5 m and
# p 0.20 of saturation, Table 23 ECe threshold 3.0, b 12.
RICE = Crop(name="rice", l_ini=30, l_dev=30, l_mid=60, l_late=30, kcb_ini=1.0, kcb_mid=1.15,
            kcb_end=0.575, kc_ini=1.05, kc_mid=1.20, kc_end=0.75, h_max=1.0, zr_min=0.15,
            zr_max=0.5, p=0.20, ece_threshold=3.0, ece_slope=12.0, paddy=True)
RICE_LIB = load_library().rice
METHODS = dict(RICE_LIB.methods)
SOILS = dict(RICE_LIB.soils)
TIME = pd.date_range("2010-01-01", "2010-12-31", freq="D")
SOW = int(TIME.get_loc(pd.Timestamp("2010-05-15")))


def simulate_paddy(et0, precip, sowing=None, *, crop=RICE, methods=("continuous_flooding",),
                   soil="clay_loam", calendar=None, **kw):
    """The science function with the library's rice records looked up by name."""
    return paddy_balance.simulate_paddy(
        et0, precip, sowing, crop=crop,
        methods=[METHODS[m] if isinstance(m, str) else m for m in methods],
        soil=SOILS[soil] if isinstance(soil, str) else soil,
        calendar=RICE_LIB.calendars[calendar] if isinstance(calendar, str) else calendar,
        **kw)


def _weather(n_cells=3, seed=0, et0=6.0):
    rng = np.random.default_rng(seed)
    e = et0 + rng.random((TIME.size, n_cells))
    p = rng.exponential(4.0, (TIME.size, n_cells)) * (rng.random((TIME.size, n_cells)) < 0.1)
    coords = {"time": TIME, "station": [f"s{i}" for i in range(n_cells)]}
    return (xr.DataArray(e, dims=("time", "station"), coords=coords),
            xr.DataArray(p, dims=("time", "station"), coords=coords))


def _run(method="continuous_flooding", soil="clay_loam", **kw):
    e, p = _weather(**kw)
    return simulate_paddy(e, p, SOW, crop=RICE, methods=[method], soil=soil)


# --------------------------------------------------------------------------------------
# closure and bounds: Hypothesis property tests on the kernel
# --------------------------------------------------------------------------------------

methods_st = st.builds(
    lambda base, pmin, span, extra, perc_days, flow, awd_start, thr, reflood: replace(
        base, pond_min=pmin if base.flooded else 0.0,
        pond_max=pmin + span if base.flooded else 0.0,
        bund_height=(pmin + span + extra) if base.flooded else extra,
        puddle_pond=min(100.0, pmin + span + extra) if base.flooded else 0.0,
        awd_start=awd_start, awd_threshold=thr,
        awd_reflood=min(reflood, pmin + span + extra) if base.flooded else 0.0,
        flow_through=flow, midseason_drain_day=perc_days),
    st.sampled_from(list(METHODS.values())),
    st.floats(0.0, 200.0), st.floats(0.0, 100.0), st.floats(0.0, 150.0),
    st.integers(-1, 100), st.floats(0.0, 10.0), st.integers(0, 60), st.floats(0.0, 300.0),
    st.floats(0.0, 100.0),
)
soils_st = st.builds(
    lambda perc, wp, dfc, dsat, soak: RiceSoil("random", perc, wp + dfc + dsat, wp + dfc, wp,
                                               soak),
    st.floats(0.0, 15.0), st.floats(0.05, 0.25), st.floats(0.02, 0.2), st.floats(0.0, 0.2),
    st.floats(0.0, 400.0),
)


def _check_balance(outs, soil, crop, n_days):
    o = dict(zip(PADDY_OUTPUTS, outs, strict=True))
    taw_sat = (soil.theta_sat - soil.theta_wp) * 1000 * crop.zr_max
    init = -min(soil.soak_deficit, taw_sat)
    storage = o["pond"] - o["sat_def"]
    inflow = o["irr_net"] + o["precip_in"]
    outflow = o["eta"] + o["perc"] + o["ro"] + o["drain"]
    # daily closure (state reset only on the first soaking day, which is inside the run)
    prev = np.concatenate([np.full_like(storage[..., :1, :], init), storage[..., :-1, :]],
                          axis=-2)
    np.testing.assert_allclose(storage - prev, inflow - outflow, atol=1e-6)
    # season closure
    total = (inflow - outflow).sum(axis=-2)
    np.testing.assert_allclose(storage[..., -1, :] - init, total, atol=1e-6)
    for name in ("irr_net", "irr_gross", "soak", "precip_in", "etc", "eta", "perc", "ro",
                 "drain"):
        assert (o[name] >= -1e-12).all(), name
    assert (o["irr_gross"] >= o["irr_net"] - 1e-12).all()
    assert (o["eta"] <= o["etc"] + 1e-9).all()
    assert (o["pond"] >= -1e-12).all()
    assert (o["sat_def"] >= -1e-9).all() and (o["sat_def"] <= taw_sat + 1e-9).all()
    return o


@given(methods=st.lists(methods_st, min_size=1, max_size=3), soil=soils_st,
       seed=st.integers(0, 10_000), et0_level=st.floats(0.0, 12.0),
       rain_scale=st.floats(0.0, 60.0), sow=st.integers(5, 40))
@settings(max_examples=40)
def test_kernel_closes_and_stays_in_bounds(methods, soil, seed, et0_level, rain_scale, sow):
    rng = np.random.default_rng(seed)
    n_days = sow + RICE.season_length + 5
    et0 = et0_level * rng.random((2, n_days))
    precip = rain_scale * rng.random((2, n_days)) * (rng.random((2, n_days)) < 0.2)
    outs = paddy_kernel(PaddyForcing(et0, precip), np.array([sow, sow - 3]),
                        PaddySetup(RICE, methods, soil))
    o = _check_balance(outs, soil, RICE, n_days)
    bund = np.array([m.bund_height for m in methods])
    assert (o["pond"] <= bund + 1e-9).all()


@pytest.mark.slow
@given(methods=st.lists(methods_st, min_size=1, max_size=3), soil=soils_st,
       seed=st.integers(0, 10_000), et0_level=st.floats(0.0, 15.0),
       rain_scale=st.floats(0.0, 150.0))
@settings(max_examples=500)
def test_kernel_closes_thorough(methods, soil, seed, et0_level, rain_scale):
    rng = np.random.default_rng(seed)
    n_days = 400          # two seasons per cell: the state is reset at each soaking start
    et0 = et0_level * rng.random((4, n_days))
    precip = rain_scale * rng.random((4, n_days)) * (rng.random((4, n_days)) < 0.3)
    sow = np.array([[10, 200], [20, 210], [30, 220], [40, 240]])
    outs = paddy_kernel(PaddyForcing(et0, precip), sow, PaddySetup(RICE, methods, soil))
    # each season starts from the reset state on its first soaking day: check the seasons
    # on their own windows, per cell and method
    for i in range(4):
        for j, m in enumerate(methods):
            for a, b in ((0, sow[i, 1] - m.soak_days), (sow[i, 1] - m.soak_days, n_days)):
                window = tuple(x[i:i + 1, a:b, j:j + 1] for x in outs)
                _check_balance(window, soil, RICE, b - a)
    o = dict(zip(PADDY_OUTPUTS, outs, strict=True))
    assert (o["pond"] <= np.array([m.bund_height for m in methods]) + 1e-9).all()


# --------------------------------------------------------------------------------------
# method behaviour
# --------------------------------------------------------------------------------------


def test_continuous_flooding_keeps_pond_in_band_and_drains_before_harvest():
    ds = _run()
    m = METHODS["continuous_flooding"]
    d = np.arange(TIME.size) - SOW
    pond = ds["pond"].isel(method=0)
    # after irrigation each day the pond is between pond_min and pond_max; at the end of a
    # day it has lost at most one day's ET + percolation
    grow = (d >= 0) & (d < RICE.season_length - m.drain_off_days)
    assert float(pond[grow].max()) <= m.pond_max + 1e-9
    assert float(pond[grow].min()) >= m.pond_min - 25.0
    # final drain-off: no irrigation, pond empty from drain-off day to harvest
    off = (d >= RICE.season_length - m.drain_off_days) & (d < RICE.season_length)
    assert float(ds["irr_net"][off].sum()) == 0.0
    assert float(pond[off].max()) == 0.0
    first_off = int(np.argmax(off))
    assert float(ds["drain"][first_off].min()) > m.pond_min - 25.0
    # nothing happens outside soaking + season
    outside = (d < -m.soak_days) | (d >= RICE.season_length)
    for name in ("irr_net", "eta", "perc", "drain", "ro"):
        assert float(abs(ds[name][outside]).sum()) == 0.0


def test_soaking_fills_root_zone_and_puddling_layer():
    ds = _run()
    soil = SOILS["clay_loam"]
    m = METHODS["continuous_flooding"]
    s = paddy_season_summary(ds, by_year=False).isel(method=0)
    taw_sat = (soil.theta_sat - soil.theta_wp) * 1000 * RICE.zr_max
    # first soaking day: saturate the root zone and build the puddling layer
    first = ds["irr_net"].isel(time=SOW - m.soak_days, method=0)
    np.testing.assert_allclose(first, min(soil.soak_deficit, taw_sat) + m.puddle_pond)
    assert (s["soak"] > min(soil.soak_deficit, taw_sat) + m.puddle_pond).all()


def test_open_water_kc_during_soaking_then_fao56_curve():
    ds = _run()
    kc = ds["kc"].isel(method=0, station=0)
    assert float(kc.isel(time=SOW - 1)) == pytest.approx(1.15)        # FAO-56 Table 14
    assert float(kc.isel(time=SOW + 10)) == pytest.approx(1.15)
    assert float(kc.isel(time=SOW + 70)) == pytest.approx(RICE.kc_mid)
    assert np.isnan(float(kc.isel(time=SOW + RICE.season_length)))


def test_awd_and_drip_use_less_water_and_awd_pond_vanishes():
    e, p = _weather()
    ds = simulate_paddy(e, p, SOW, crop=RICE, methods=list(METHODS), soil="clay_loam")
    s = paddy_season_summary(ds, by_year=False).mean("station")
    cf, awd, drip = (float(s["irr_gross"].sel({"method": k}))
                     for k in ("continuous_flooding", "awd", "drip_film_rice"))
    assert drip < awd < cf
    pond_awd = ds["pond"].sel({"method": "awd"}).isel(station=0)
    d = np.arange(TIME.size) - SOW
    dry_spells = ((pond_awd == 0) & (d > 20) & (d < 50)).sum()
    assert int(dry_spells) > 0
    assert float(ds["pond"].sel({"method": "drip_film_rice"}).max()) == 0.0
    # drip gross = net / efficiency
    eff = METHODS["drip_film_rice"].efficiency
    np.testing.assert_allclose(s["irr_gross"].sel({"method": "drip_film_rice"}),
                               s["irr_net"].sel({"method": "drip_film_rice"}) / eff)


def test_sandy_soil_loses_more_than_clay():
    sand = paddy_season_summary(_run(soil="sandy"), by_year=False)
    clay = paddy_season_summary(_run(soil="clay"), by_year=False)
    assert (sand["perc"] > clay["perc"]).all()
    assert (sand["irr_gross"] > clay["irr_gross"]).all()


def test_rain_beyond_bund_overflows():
    e, p = _weather(n_cells=1)
    p[:] = 0.0
    p[SOW + 40] = 400.0
    ds = simulate_paddy(e, p, SOW, crop=RICE, methods=["continuous_flooding"])
    bund = METHODS["continuous_flooding"].bund_height
    assert float(ds["ro"].isel(time=SOW + 40).squeeze()) > 0
    assert float(ds["pond"].max()) <= bund


def test_missing_weather_blanks_that_season_only():
    e, p = _weather()
    e[SOW + 5, 1] = np.nan
    e[10, 2] = np.nan                 # outside the season: no effect
    ds = simulate_paddy(e, p, SOW, crop=RICE)
    s = paddy_season_summary(ds, by_year=False)
    assert np.isnan(float(s["irr_gross"].isel(station=1, method=0)))
    assert np.isfinite(s["irr_gross"].isel(station=[0, 2])).all()


# --------------------------------------------------------------------------------------
# xarray / dask / inputs
# --------------------------------------------------------------------------------------


def test_grid_dask_matches_numpy_and_per_cell_sowing():
    rng = np.random.default_rng(3)
    shape = (TIME.size, 2, 3)
    e = xr.DataArray(5 + 2 * rng.random(shape), dims=("time", "lat", "lon"),
                     coords={"time": TIME, "lat": [44.0, 45.0], "lon": [64.0, 65.0, 66.0]})
    p = xr.zeros_like(e)
    sow = xr.DataArray([[SOW, SOW + 3, SOW + 6], [SOW - 4, SOW, SOW + 9]],
                       dims=("lat", "lon"), coords={"lat": e.lat, "lon": e.lon})
    ref = simulate_paddy(e, p, sow, crop=RICE, methods=["continuous_flooding", "awd"])
    lazy = simulate_paddy(e.chunk({"lat": 1}), p.chunk({"lat": 1}), sow, crop=RICE,
                          methods=["continuous_flooding", "awd"])
    assert lazy["eta"].chunks is not None
    assert ref["eta"].dims == ("time", "lat", "lon", "method")
    xr.testing.assert_allclose(ref, lazy.compute())
    assert ref["pond"].attrs["units"] == "mm"
    s = paddy_season_summary(ref)
    assert float(abs(s["closure"]).max()) < 1e-6


def test_sowing_as_date_and_calendar():
    e, p = _weather(n_cells=1)
    a = simulate_paddy(e, p, "2010-05-15", crop=RICE)
    b = simulate_paddy(e, p, SOW, crop=RICE)
    xr.testing.assert_identical(a, b)
    cal = RICE_LIB.calendars["kyzylorda"]
    c = simulate_paddy(e, p, SOW, crop=RICE, calendar="kyzylorda")
    assert int((c["kc"].isel(method=0, station=0).notnull()).sum()) == \
        cal.l_ini + cal.l_dev + cal.l_mid + cal.l_late + METHODS["continuous_flooding"].soak_days


def test_input_errors():
    e, p = _weather(n_cells=1)
    # the science function takes records; names are resolved by the library's loaders
    with pytest.raises(InputError, match="RiceMethod records"):
        paddy_balance.simulate_paddy(e, p, SOW, crop=RICE, methods=["awd"],
                                     soil=SOILS["clay_loam"])
    with pytest.raises(InputError, match="RiceSoil record"):
        paddy_balance.simulate_paddy(e, p, SOW, crop=RICE,
                                     methods=[METHODS["awd"]], soil="clay_loam")
    with pytest.raises(InputError, match="outside the time axis"):
        simulate_paddy(e, p, "2010-10-01", crop=RICE)
    with pytest.raises(InputError, match="not a paddy crop"):
        simulate_paddy(e, p, SOW, crop=replace(RICE, name="cotton", paddy=False))
    with pytest.raises(InputError, match="'time' dimension"):
        simulate_paddy(e.isel(time=0), p, SOW, crop=RICE)


def test_rice_toml_errors(tmp_path):
    (tmp_path / "rice.toml").write_text(
        "[soil.x]\nperc_rate = 1\ntheta_sat = 0.4\ntheta_fc = 0.3\ntheta_wp = 0.1\n"
        "soak_deficit = 100\ncolour = 'red'\n")
    with pytest.raises(InputError, match="unknown key"):
        read_rice(tmp_path / "rice.toml")
    with pytest.raises(InputError, match="file not found"):
        read_rice(tmp_path / "none" / "rice.toml")
    (tmp_path / "rice.toml").write_text(
        "[calendar.x]\nl_ini = { value = 20, unit = 'd', source = 's' }\nl_dev = 1\n"
        "l_mid = 1\nl_late = 1\n")
    with pytest.raises(InputError, match="unit 'd' is wrong, expected 'day'"):
        read_rice(tmp_path / "rice.toml")


def test_every_rice_value_has_unit_and_source():
    import tomllib

    from irrigate.paths import models_dir

    data = tomllib.loads((models_dir() / "rice.toml").read_text())
    for section in ("method", "soil", "calendar"):
        for name, rec in data[section].items():
            for key, val in rec.items():
                if key != "note":
                    assert isinstance(val, dict) and val.get("unit") and val.get("source"), \
                        f"{section}.{name}.{key}"


# --------------------------------------------------------------------------------------
# acceptance: Kyzylorda continuous-flooding rice on the bundled weather
# --------------------------------------------------------------------------------------


def test_kyzylorda_continuous_flooding_acceptance():
    from irrigate.validation import evaluate
    from irrigate.validation.rice_cases import cases, kyzylorda_check

    for case in cases():
        result = evaluate(case)
        assert result.passed, f"{case.case}: {result.computed}"
    s = kyzylorda_check().mean(["year", "station"])
    supply = float(s["supply_m3_ha"])
    assert 15000.0 <= supply <= 35000.0                   # ABI15 range
    assert abs(float(s["closure"])) < 1e-6
    # the breakdown adds up: irrigation + rain = ET + perc + drainage + storage change
    parts = float(s["eta"] + s["perc"] + s["ro"] + s["drain"] + s["storage_change"])
    assert parts == pytest.approx(float(s["irr_net"] + s["precip"]), abs=1e-6)
    assert float(s["soak"]) > 0 and float(s["drain"]) > 0


def test_midseason_drainage_empties_pond_then_refloods():
    e, p = _weather(n_cells=1)
    m = replace(METHODS["continuous_flooding"], midseason_drain_day=40)
    ds = simulate_paddy(e, p, SOW, crop=RICE, methods=[m]).isel(method=0, station=0)
    day = SOW + 40
    assert float(ds["pond"].isel(time=day)) == 0.0
    assert float(ds["drain"].isel(time=day)) > m.pond_min - 25.0
    assert float(ds["irr_net"].isel(time=day)) == 0.0
    assert float(ds["irr_net"].isel(time=day + 1)) >= m.pond_max - 1e-9


def test_empty_selection_is_an_input_error():
    e, p = _weather(n_cells=2)
    with pytest.raises(InputError, match="no cells"):
        simulate_paddy(e.isel(station=[]), p.isel(station=[]), SOW, crop=RICE)


def test_several_seasons_equal_single_season_runs():
    t3 = pd.date_range("2008-01-01", "2010-12-31", freq="D")
    rng = np.random.default_rng(5)
    e = xr.DataArray(5 + 2 * rng.random((t3.size, 2)), dims=("time", "station"),
                     coords={"time": t3})
    p = xr.DataArray(rng.exponential(3.0, (t3.size, 2)) * (rng.random((t3.size, 2)) < 0.1),
                     dims=("time", "station"), coords={"time": t3})
    crop = replace(RICE, sowing="05-15")
    multi = paddy_season_summary(simulate_paddy(e, p, crop=crop, methods=list(METHODS)))
    assert list(multi["year"].values) == [2008, 2009, 2010]
    assert float(abs(multi["closure"]).max()) < 1e-6
    for year in (2008, 2009, 2010):
        one = simulate_paddy(e.sel(time=str(year)), p.sel(time=str(year)), f"{year}-05-15",
                             crop=crop, methods=list(METHODS))
        single = paddy_season_summary(one, by_year=False)
        xr.testing.assert_allclose(multi.sel(year=year, drop=True), single)
    with pytest.raises(InputError, match="overlap"):
        simulate_paddy(e, p, ["2008-05-15", "2008-08-01"], crop=crop)


def test_stacked_cells_work_without_warnings():
    import warnings

    rng = np.random.default_rng(9)
    e = xr.DataArray(5 + rng.random((TIME.size, 2, 2)), dims=("time", "lat", "lon"),
                     coords={"time": TIME, "lat": [44.0, 45.0], "lon": [64.0, 65.0]})
    cells = e.stack(cell=("lat", "lon"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = simulate_paddy(cells, xr.zeros_like(cells), SOW, crop=RICE)
        s = paddy_season_summary(ds)
    assert s["supply_m3_ha"].dims == ("year", "cell", "method")
    assert float(abs(s["closure"]).max()) < 1e-6


def test_misaligned_inputs_and_bad_soil(tmp_path):
    e, p = _weather(n_cells=2)
    with pytest.raises(InputError, match="coordinates differ"):
        simulate_paddy(e, p.isel(time=slice(1, None)), SOW, crop=RICE)
    (tmp_path / "rice.toml").write_text(
        "[soil.x]\nperc_rate = 1\ntheta_sat = 0.3\ntheta_fc = 0.4\ntheta_wp = 0.1\n"
        "soak_deficit = 100\n")
    with pytest.raises(InputError, match="theta_wp <= theta_fc <= theta_sat"):
        read_rice(tmp_path / "rice.toml")


def test_kc_mid_end_per_cell_equal_per_cell_scalar_runs():
    # climate-adjusted Kc mid/end (FAO-56 Eq. 62/65) differ by cell: a DataArray over space
    # gives each cell the result of a run with its own scalar values; NaN = table value
    e, p = _weather(n_cells=3)
    kc_mid = xr.DataArray([1.27, 1.20, np.nan], dims="station", coords={"station": e.station})
    kc_end = xr.DataArray([0.82, 0.70, np.nan], dims="station", coords={"station": e.station})
    methods = ["continuous_flooding", "drip_film_rice"]
    grid = simulate_paddy(e, p, SOW, crop=RICE, methods=methods, kc_mid=kc_mid,
                          kc_end=kc_end)
    for i in range(3):
        mid, end = float(kc_mid[i]), float(kc_end[i])
        one = simulate_paddy(e.isel(station=[i]), p.isel(station=[i]), SOW, crop=RICE,
                             methods=methods, kc_mid=None if np.isnan(mid) else mid,
                             kc_end=None if np.isnan(end) else end)
        xr.testing.assert_allclose(grid.isel(station=[i]), one, rtol=0, atol=1e-9)
    kc = grid["kc"].sel({"method": "continuous_flooding"}).isel(time=SOW + 70)
    np.testing.assert_allclose(kc.values, [1.27, 1.20, RICE.kc_mid])


def test_user_models_without_rice_file_fall_back_to_bundled(tmp_path):
    import shutil

    from irrigate.paths import models_dir

    shutil.copy(models_dir() / "soils.toml", tmp_path)
    bundled = load_library().rice
    user = load_library(tmp_path).rice
    assert set(user.methods) == set(bundled.methods)
    assert user.file == bundled.file
    (tmp_path / "rice.toml").write_text("[method.only]\n")
    load_library.cache_clear()
    try:
        _ = load_library(tmp_path).rice
    except Exception as exc:  # the user's own file is read, not the bundled one
        assert "rice.toml" in str(exc)
    else:
        raise AssertionError("user rice.toml ignored")
