import numpy as np
import pytest
import xarray as xr

from irrigate.science import crop as cropmod
from irrigate.science.params import Crop
from irrigate.validation import crop_cases, evaluate

BEANS = Crop(name="beans", l_ini=25, l_dev=25, l_mid=30, l_late=20, kcb_ini=0.15,
             kcb_mid=1.14, kcb_end=0.25, kc_ini=0.15, kc_mid=1.19, kc_end=0.35, h_max=0.4,
             zr_min=0.2, zr_max=0.8, p=0.45)


@pytest.mark.parametrize("case", crop_cases.cases(), ids=lambda c: c.case)
def test_fao56_crop_cases(case):
    result = evaluate(case)
    assert result.passed, f"{case.case}: computed {result.computed}, published {case.published}"


def test_fao56_ex28_exact_unrounded_values():
    # FAO-56 Ex. 28 (p. 133): D recomputation 0.774 on day 40 and 0.56 on day 95
    kc = cropmod.kc_single(BEANS, np.array([19, 39, 69, 94]))
    np.testing.assert_allclose(kc, [0.15, 0.15 + 15 / 25 * 1.04, 1.19, 1.19 - 0.75 * 0.84],
                               atol=1e-12)


def test_curve_is_flat_in_ini_and_mid_and_linear_between():
    das = np.arange(0, 100)
    kcb = cropmod.crop_curves(BEANS, das)["kcb"]
    assert np.all(kcb[:25] == 0.15)
    assert np.all(kcb[50:80] == 1.14)
    assert np.all(np.diff(kcb[24:50]) > 0)
    np.testing.assert_allclose(np.diff(np.diff(kcb[25:50])), 0.0, atol=1e-12)
    assert np.all(np.diff(kcb[80:100]) < 0)
    assert kcb[99] == pytest.approx(0.25)


def test_outside_season_is_bare_soil():
    c = cropmod.crop_curves(BEANS, np.array([-5, -1, 100, 150]))
    np.testing.assert_array_equal(c["kcb"], 0.0)
    np.testing.assert_array_equal(c["h"], 0.0)
    np.testing.assert_array_equal(c["stage"], -1)
    np.testing.assert_allclose(c["zr"], [0.2, 0.2, 0.8, 0.8])


def test_root_depth_linear_to_start_of_mid_season():
    zr = cropmod.root_depth(np.array([0, 25, 50, 60, 99]), BEANS)
    np.testing.assert_allclose(zr, [0.2, 0.5, 0.8, 0.8, 0.8])


def test_height_follows_kcb_and_never_decreases():
    h = cropmod.crop_height(np.arange(100), BEANS)
    assert np.all(np.diff(h) >= 0)
    assert h[0] == pytest.approx(0.4 * 0.15 / 1.14)
    assert h[60] == pytest.approx(0.4)


def test_end_adjustment_only_above_045():
    assert cropmod.adjust_end(0.44, 4.0, 20.0, 1.0) == 0.44
    assert cropmod.adjust_end(0.45, 4.0, 20.0, 1.0) > 0.45


def test_climate_term_clips_to_validity_limits():
    assert cropmod.climate_term(10.0, 5.0, 20.0) == pytest.approx(
        cropmod.climate_term(6.0, 20.0, 10.0))
    assert cropmod.climate_term(2.0, 45.0, 3.0) == 0.0


def test_kc_max_at_least_kcb_plus_005():
    assert cropmod.kc_max(2.0, 45.0, 1.0, 1.3) == pytest.approx(1.35)
    assert cropmod.kc_max(2.0, 45.0, 1.0, 0.5) == pytest.approx(1.2)


def test_canopy_cover_limits():
    fc = cropmod.canopy_cover(np.array([0.0, 0.15, 0.16, 1.2, 1.5]), 1.2, 1.0)
    assert fc[0] == 0 and fc[1] == 0
    assert 0 < fc[2] < 0.01
    assert fc[3] == pytest.approx(0.99) and fc[4] == pytest.approx(0.99)


def test_functions_are_duck_typed_for_xarray():
    u2 = xr.DataArray([1.3, 4.6], dims="x")
    out = cropmod.adjust_mid(1.20, u2, xr.DataArray([75.0, 44.0], dims="x"), 2.0)
    assert isinstance(out, xr.DataArray)
    np.testing.assert_allclose(out, [1.069, 1.2956], atol=1e-3)


def test_alfalfa_cuttings_repeat_cycles():
    alfalfa = Crop(name="alfalfa", l_ini=10, l_dev=30, l_mid=25, l_late=10, kcb_ini=0.3,
                   kcb_mid=1.15, kcb_end=1.10, kc_ini=0.4, kc_mid=1.2, kc_end=1.15, h_max=0.7,
                   zr_min=1.0, zr_max=2.0, p=0.55, cuttings=((5, 20, 10, 10),) * 2)
    assert alfalfa.season_length == 75 + 90
    das = np.arange(alfalfa.season_length)
    c = cropmod.crop_curves(alfalfa, das)
    # each cutting restarts at Kcb ini, then rises again to Kcb mid
    assert c["kcb"][75] == pytest.approx(0.3)
    assert c["kcb"][75 + 45] == pytest.approx(0.3)
    assert c["kcb"][75 + 30] == pytest.approx(1.15)
    assert c["kcb"][74] == pytest.approx(1.10)
    assert c["h"][75] < c["h"][74]
    assert np.all(np.diff(c["zr"]) >= 0)
    assert np.all(c["stage"] >= 0)


def test_window_mean_per_cell():
    x = np.arange(20, dtype=float)[None, :].repeat(2, 0)
    x[1, 5] = np.nan
    m = cropmod.window_mean(x, np.array([2, 4]), np.array([3, 3]))
    np.testing.assert_allclose(m, [3.0, (4 + 6) / 2])
    assert np.isnan(cropmod.window_mean(x, np.array([30, 30]), np.array([3, 3]))).all()


def test_adjusted_coefficients_skip_when_climate_missing():
    mid, end = cropmod.adjusted_coefficients(BEANS, np.nan, np.nan, np.nan, np.nan)
    assert mid == BEANS.kcb_mid and end == BEANS.kcb_end
