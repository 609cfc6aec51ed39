"""Property tests of the daily kernel on random weather, soils, crops, methods and rules."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irrigate.science import balance
from irrigate.science.params import Crop, Method, Soil
from irrigate.science.schedule import Schedule

N_DAYS = 150


@st.composite
def soils(draw):
    wp = draw(st.floats(0.03, 0.25))
    fc = wp + draw(st.floats(0.05, 0.2))
    ze = draw(st.floats(0.08, 0.15))
    tew = 1000 * (fc - 0.5 * wp) * ze
    rew = draw(st.floats(2.0, 0.9 * tew))
    return Soil("s", fc, wp, rew, ze, draw(st.floats(55.0, 95.0)))


@st.composite
def crops(draw):
    lengths = [draw(st.integers(1, 30)) for _ in range(4)]
    zr_min = draw(st.floats(0.1, 0.4))
    return Crop("c", *lengths, kcb_ini=draw(st.floats(0.1, 0.4)),
                kcb_mid=draw(st.floats(0.8, 1.3)), kcb_end=draw(st.floats(0.1, 1.0)),
                kc_ini=0.4, kc_mid=1.2, kc_end=0.6, h_max=draw(st.floats(0.2, 3.0)),
                zr_min=zr_min, zr_max=zr_min + draw(st.floats(0.0, 1.5)),
                p=draw(st.floats(0.2, 0.7)))


@st.composite
def methods(draw):
    eff = draw(st.floats(0.4, 1.0))
    a = draw(st.floats(0, 1))
    b = draw(st.floats(0, 1 - a))
    return Method("m", fw=draw(st.floats(0.2, 1.0)), efficiency=eff, loss_evap=a, loss_ro=b,
                  loss_dp=1 - a - b, film_cover=draw(st.sampled_from([0.0, 0.7])),
                  film_evap_reduction=draw(st.floats(0, 1)),
                  depth_min=draw(st.sampled_from([0.0, 20.0])),
                  depth_max=draw(st.sampled_from([40.0, 1000.0])),
                  interval_min=draw(st.integers(1, 7)), surface=draw(st.booleans()),
                  wet_under_canopy=draw(st.booleans()))


schedules = st.one_of(
    st.builds(Schedule, rule=st.just("mad"), mad=st.floats(0.1, 1.0),
              mad_basis=st.sampled_from(["raw", "taw"]), refill_to=st.floats(0, 0.3)),
    st.builds(Schedule, rule=st.just("deficit"), refill_fraction=st.floats(0, 1)),
    st.builds(Schedule, rule=st.just("fixed_interval"), interval_days=st.integers(1, 14),
              depth_mm=st.one_of(st.none(), st.floats(0, 60))),
    st.builds(Schedule, rule=st.just("net_requirement"),
              quota_mm=st.one_of(st.none(), st.floats(0, 300))),
    st.builds(Schedule, rule=st.just("stage_calendar"),
              stage_interval_days=st.tuples(*[st.integers(1, 10)] * 4),
              stage_depth_mm=st.tuples(*[st.floats(0, 50)] * 4),
              rain_skip_mm=st.one_of(st.none(), st.floats(0, 10))),
)


@st.composite
def weather(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    et0 = rng.uniform(0.0, draw(st.floats(1.0, 12.0)), N_DAYS)
    wet = rng.random(N_DAYS) < draw(st.floats(0.0, 0.5))
    precip = wet * rng.gamma(0.5, draw(st.floats(1.0, 40.0)), N_DAYS)
    u2 = rng.uniform(0.5, 6, N_DAYS)
    rh = rng.uniform(10, 90, N_DAYS)
    return et0, precip, u2, rh


RAINFED = Method("rainfed", fw=1.0, efficiency=1.0, loss_evap=0, loss_ro=0, loss_dp=1,
                 irrigated=False)


def run(w, soil, crop, method_list, schedule, sow, wt, f_sub):
    et0, precip, u2, rh = (a[None, :] for a in w)
    s = [soil.theta_fc, soil.theta_wp, soil.rew, balance.tew_of(soil), soil.cn2, soil.cr_a4,
         soil.cr_b4]
    site = balance.Site(np.array(sow), *s, np.array(wt), np.zeros(1, int),
                        np.arange(len(method_list)))
    out = balance.run_balance(balance.Forcing(et0, precip, u2, rh), site,
                              balance.Parameters([crop], method_list),
                              balance.Management(schedule),
                              initial=balance.InitialState(f_sub))
    return {name: out[:, k, :] for k, name in enumerate(balance.ALL_OUTPUTS)}


def check_invariants(r, w, soil, crop, f_sub):
    tew = balance.tew_of(soil)
    assert (r["dr"] >= -1e-9).all() and (r["dr"] <= r["taw"] + 1e-9).all()
    assert (r["de"] >= -1e-9).all() and (r["de"] <= tew + 1e-9).all()
    assert ((r["ks"] >= 0) & (r["ks"] <= 1)).all()
    assert (r["ke"] <= r["few"] * r["kc_max"] + 1e-12).all()
    assert (r["ke"] >= 0).all() and (r["e"] >= 0).all() and (r["t"] >= 0).all()
    assert (r["dp"] >= 0).all() and (r["ro"] >= 0).all() and (r["ro"] <= w[1] + 1e-12).all()
    np.testing.assert_array_equal(r["irr_gross"], r["irr_net"] + r["irr_loss"])
    # exact storage identity (see irrigate.science.balance module doc)
    fc_wp = 1000 * (soil.theta_fc - soil.theta_wp)
    taw_max, taw0 = fc_wp * crop.zr_max, fc_wp * crop.zr_min
    w0 = taw_max - f_sub * taw0 - f_sub * (taw_max - taw0)
    w1 = taw_max - r["dr"][:, -1] - f_sub * (taw_max - r["taw"][:, -1])
    flux = (w[1] - r["ro"] + r["irr_net"] + r["cr"] - r["eta"] - r["dp"]).sum(-1)
    assert np.abs(w1 - w0 - flux).max() < 1e-6


def _property(w, soil, crop, method, schedule, sow, wt, f_sub):
    r = run(w, soil, crop, [method, RAINFED], schedule, sow, wt, f_sub)
    check_invariants(r, w, soil, crop, f_sub)
    assert r["irr_gross"][1].sum() == 0  # rainfed never irrigates
    if r["irr_net"][0].sum() == 0 and method.film_cover * method.film_evap_reduction == 0:
        # no irrigation => the rainfed result (film would still cut evaporation)
        for name in ("eta", "dr", "dp", "ro", "e", "t", "ks"):
            np.testing.assert_allclose(r[name][0], r[name][1], atol=1e-12)


args = dict(w=weather(), soil=soils(), crop=crops(), method=methods(), schedule=schedules,
            sow=st.integers(0, 30), wt=st.sampled_from([np.nan, 1.0, 3.0]),
            f_sub=st.floats(0.0, 1.0))


@given(**args)
def test_invariants_random(w, soil, crop, method, schedule, sow, wt, f_sub):
    _property(w, soil, crop, method, schedule, sow, wt, f_sub)


@pytest.mark.slow
@settings(max_examples=1000)
@given(**args)
def test_invariants_random_thorough(w, soil, crop, method, schedule, sow, wt, f_sub):
    _property(w, soil, crop, method, schedule, sow, wt, f_sub)


@given(w=weather(), soil=soils(), crop=crops(), method=methods(), sow=st.integers(0, 30))
def test_none_rule_equals_rainfed(w, soil, crop, method, sow):
    plain = Method("m", fw=method.fw, efficiency=method.efficiency, loss_evap=method.loss_evap,
                   loss_ro=method.loss_ro, loss_dp=method.loss_dp, surface=method.surface)
    r = run(w, soil, crop, [plain, RAINFED], Schedule(rule="none"), sow, np.nan, 0.0)
    for name in ("eta", "dr", "dp", "ro", "e", "t", "ks", "de"):
        np.testing.assert_array_equal(r[name][0], r[name][1])


@given(w=weather(), soil=soils(), crop=crops(), method=methods(), sow=st.integers(0, 30))
def test_net_requirement_no_stress_for_non_surface_methods(w, soil, crop, method, sow):
    if method.surface:
        method = Method("m", fw=method.fw, efficiency=method.efficiency,
                        loss_evap=method.loss_evap, loss_ro=method.loss_ro,
                        loss_dp=method.loss_dp)
    r = run(w, soil, crop, [method], Schedule(rule="net_requirement"), sow, np.nan, 0.0)
    inside = (r["das"] >= 0) & (r["das"] < crop.season_length)
    assert (r["ks"][inside] == 1.0).all()
