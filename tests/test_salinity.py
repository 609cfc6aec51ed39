"""Salinity: FAO-29 leaching requirement, FAO-56 Eqs. 89/91/92/93, off-season leaching."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from irrigate.errors import InputError
from irrigate.library import load_library, read_salinity
from irrigate.science import salinity as s
from irrigate.validation import evaluate
from irrigate.validation.salinity_cases import cases


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.case)
def test_published_cases(case):
    result = evaluate(case)
    assert result.passed, f"{case.case}: computed {result.computed}, published {case.published}"


def test_fao56_example39_round_trip():
    # FAO-56 Ex. 39 (p. 182): ECw 1 dS/m, LF 0.15 -> ECe (Eq. 93) = 1.533 (printed 1.5);
    # the FAO-29 formula at that ECe gives back LF 0.15 exactly (Eq. 93 is its inverse).
    ece = s.ece_from_leaching_fraction(1.0, 0.15)
    assert ece == pytest.approx(1.15 / 0.75)
    assert s.leaching_requirement(1.0, ece) == pytest.approx(0.15, abs=1e-12)


@pytest.mark.parametrize(
    ("crop", "ecw", "threshold", "expected"),
    [
        # FAO-29 formula with FAO-56 Table 23 thresholds (arithmetic, D in the reference notes)
        ("cotton", 3.0, 7.7, 3.0 / (5 * 7.7 - 3.0)),   # 0.0845
        ("maize", 1.0, 1.7, 1.0 / (5 * 1.7 - 1.0)),    # 0.1333
        ("rice", 2.0, 3.0, 2.0 / 13.0),                 # 0.1538
    ],
)
def test_leaching_requirement_crops(crop, ecw, threshold, expected):
    assert s.leaching_requirement(ecw, threshold) == pytest.approx(expected, rel=1e-12)


def test_leaching_requirement_values_and_limits():
    assert s.leaching_requirement(0.0, 3.0) == 0.0
    assert np.isnan(s.leaching_requirement(15.0, 3.0))   # ECw = 5 ECe: cannot be leached
    assert np.isnan(s.leaching_requirement(20.0, 3.0))
    assert np.isnan(s.leaching_requirement(-1.0, 3.0))


def test_drip_form_and_zero_yield_ece():
    # rice: threshold 3.0, b 12 -> max ECe 3 + 100/12 = 11.33 (FAO-56 Eq. 89 at Ya/Ym = 0)
    emax = s.ece_at_zero_yield(3.0, 12.0)
    assert emax == pytest.approx(11.3333, abs=1e-4)
    assert s.relative_yield(emax, 3.0, 12.0) == pytest.approx(0.0, abs=1e-12)
    assert s.leaching_requirement_drip(2.0, emax) == pytest.approx(2.0 / (2 * emax))
    # the high-frequency form needs less leaching than the surface form for the same water
    assert s.leaching_requirement_drip(2.0, emax) < s.leaching_requirement(2.0, 3.0)


def test_applied_water_and_leaching_depth():
    # AW = ETc/(1 - LR); leaching = AW - ETc
    assert s.applied_water(600.0, 0.2) == pytest.approx(750.0)
    assert s.leaching_mm(600.0, 0.2) == pytest.approx(150.0)
    got = s.seasonal_leaching_mm(600.0, 2.0, 3.0)
    lr = 2.0 / 13.0
    assert got == pytest.approx(600.0 * lr / (1 - lr))
    drip = s.seasonal_leaching_mm(600.0, 2.0, 3.0, 12.0, form="high_frequency")
    assert 0 < drip < got
    with pytest.raises(InputError, match="unknown leaching form"):
        s.seasonal_leaching_mm(600.0, 2.0, 3.0, form="furrowish")


def test_relative_yield_and_ks_clip():
    assert s.relative_yield(1.0, 3.0, 12.0) == 1.0          # below threshold
    assert s.relative_yield(5.0, 3.0, 12.0) == pytest.approx(0.76)   # FAO-56 Eq. 89
    assert s.ks_salinity(30.0, 3.0, 12.0, 1.0) == 0.0


def test_duck_typing_numpy_xarray_dask():
    ecw = np.array([0.5, 1.0, 2.0, 3.0])
    thr = np.array([1.7, 3.0, 7.7, 6.0])
    ref = s.leaching_requirement(ecw, thr)
    x = xr.DataArray(ecw, dims="cell", coords={"cell": list("abcd")})
    out = s.leaching_requirement(x, xr.DataArray(thr, dims="cell"))
    assert isinstance(out, xr.DataArray) and list(out["cell"].values) == list("abcd")
    np.testing.assert_allclose(out.values, ref)
    lazy = s.leaching_requirement(da.from_array(ecw, chunks=2), da.from_array(thr, chunks=2))
    assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(lazy.compute(), ref)
    ks = s.ks_salinity(xr.DataArray(thr + 1, dims="cell"), thr, 10.0, 1.0)
    np.testing.assert_allclose(ks.values, 0.9)


@given(ecw=st.floats(0.0, 10.0), thr=st.floats(0.5, 12.0))
def test_leaching_requirement_properties(ecw, thr):
    lr = float(s.leaching_requirement(ecw, thr))
    if ecw < 5 * thr - 1e-9:
        # LR < 1 exactly when ECw < 2.5 ECe (5 ECe - ECw > ECw)
        assert lr >= 0.0
        assert (lr < 1.0) == (ecw < 2.5 * thr) or abs(ecw - 2.5 * thr) < 1e-9
        # the steady-state ECe at LF = LR is the crop threshold (FAO-56 Eq. 93 inverse)
        if lr > 1e-6:
            assert float(s.ece_from_leaching_fraction(ecw, lr)) == pytest.approx(thr, rel=1e-9)
    else:
        assert np.isnan(lr)


SALINITY = load_library().salinity
OFF = SALINITY.offseason
FORMS = SALINITY.leaching_forms


def test_offseason_leaching_by_class():
    # UZCC: weakly 1500-2000 m3/ha once; moderately 2500-3000 twice; highly 4000-4500 x3
    assert s.offseason_leaching_mm("non_saline", OFF) == 0.0
    assert s.offseason_leaching_mm("slightly", OFF) == pytest.approx(175.0)
    assert s.offseason_leaching_mm("moderately", OFF) == pytest.approx(550.0)
    assert s.offseason_leaching_mm("strongly", OFF) == pytest.approx(1275.0)
    assert s.offseason_leaching_mm(6.0, OFF) == pytest.approx(550.0)   # Kyzylorda default ECe
    assert s.salinity_class(1.0, OFF) == "non_saline"
    assert s.salinity_class(9.0, OFF) == "strongly"
    with pytest.raises(InputError, match="unknown"):
        s.offseason_leaching_mm("salty", OFF)
    with pytest.raises(InputError, match="non-negative"):
        s.salinity_class(-1.0, OFF)


def test_offseason_practice_file_errors(tmp_path):
    (tmp_path / "salinity.toml").write_text("[offseason_leaching.brackish]\nece_min = 0\n")
    with pytest.raises(InputError, match="unknown salinity class 'brackish'"):
        read_salinity(tmp_path / "salinity.toml")
    with pytest.raises(InputError, match="file not found"):
        read_salinity(tmp_path / "nowhere" / "salinity.toml")
    (tmp_path / "salinity.toml").write_text(
        "[offseason_leaching.slightly]\nece_min = { value = 2, unit = 'mS cm-1', source = 's' }"
        "\n")
    with pytest.raises(InputError, match="unit 'mS cm-1' is wrong, expected 'dS m-1'"):
        read_salinity(tmp_path / "salinity.toml")
    (tmp_path / "salinity.toml").write_text("[offseason_leaching.slightly]\nece_min = 2\n")
    with pytest.raises(InputError, match="missing ece_max"):
        read_salinity(tmp_path / "salinity.toml")


def test_every_salinity_value_has_unit_and_source():
    import tomllib

    from irrigate.paths import models_dir

    data = tomllib.loads((models_dir() / "salinity.toml").read_text())
    for name, rec in data["offseason_leaching"].items():
        for key, val in rec.items():
            if isinstance(val, dict):
                assert val.get("unit") and val.get("source"), f"{name}.{key}"


def test_leaching_depth_hook_by_method():
    from irrigate.science.params import Crop

    rice = Crop(name="rice", l_ini=30, l_dev=30, l_mid=60, l_late=30, kcb_ini=1.0,
                kcb_mid=1.15, kcb_end=0.575, kc_ini=1.05, kc_mid=1.2, kc_end=0.75, h_max=1.0,
                zr_min=0.15, zr_max=0.5, p=0.2, ece_threshold=3.0, ece_slope=12.0, paddy=True)
    lr = 2.0 / 13.0                                   # FAO-29, rice threshold 3.0, ECw 2
    need = 1000.0 * lr / (1 - lr)                     # 181.8 mm
    assert s.leaching_depth(1000.0, rice, 2.0, FORMS["furrow"]) == pytest.approx(need)
    # ponded rice is leached by its own percolation: only the shortfall is added
    assert s.leaching_depth(1000.0, rice, 2.0, FORMS["continuous_flooding"], perc=100.0) == \
        pytest.approx(need - 100.0)
    assert s.leaching_depth(1000.0, rice, 2.0, FORMS["awd"], perc=480.0) == 0.0
    drip_lr = 2.0 / (2 * (3.0 + 100.0 / 12.0))
    assert s.leaching_depth(1000.0, rice, 2.0, FORMS["drip_film_rice"]) == \
        pytest.approx(1000.0 * drip_lr / (1 - drip_lr))
    with pytest.raises(InputError, match="unknown leaching form"):
        s.leaching_depth(1000.0, rice, 2.0, "bucket")
    assert set(FORMS) >= {"flood", "furrow", "sprinkler", "drip", "mulched_drip"}


def test_offseason_leaching_share_by_class_mix():
    """Share of land leached a year and its mean depth (hand arithmetic, UZCC class depths)."""
    share, depth = s.offseason_leaching_share({"slightly": 0.2, "moderately": 0.3,
                                               "strongly": 0.1}, practices=OFF)
    assert share == pytest.approx(0.6)
    # 0.2 x 175 + 0.3 x 550 + 0.1 x 1275 = 35 + 165 + 127.5 = 327.5 mm over 0.6 of the land
    assert depth == pytest.approx(327.5 / 0.6)
    # every other year: half the saline land each year, at the same class depths
    assert s.offseason_leaching_share({"moderately": 0.5}, frequency=0.5, practices=OFF) == \
        pytest.approx((0.25, 550.0))
    assert s.offseason_leaching_share({}, practices=OFF) == (0.0, 0.0)
    assert s.offseason_leaching_share({"moderately": 0.0}, practices=OFF) == (0.0, 0.0)
    # a 0 mm class
    assert s.offseason_leaching_share({"non_saline": 0.9}, practices=OFF) == (0.0, 0.0)
    with pytest.raises(InputError, match="unknown salinity class"):
        s.offseason_leaching_share({"salty": 0.1}, practices=OFF)
    with pytest.raises(InputError, match="fraction"):
        s.offseason_leaching_share({"moderately": 1.5}, practices=OFF)
    with pytest.raises(InputError, match="leaching_frequency"):
        s.offseason_leaching_share({"moderately": 0.5}, frequency=0.0, practices=OFF)
