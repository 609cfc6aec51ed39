"""Tests of the generic least-squares fit and its identifiability diagnostics."""

from __future__ import annotations

import numpy as np
import pytest

from irrigate.calibration.fitting import fit, fit_statistics

T = np.linspace(0.0, 1.0, 15)


def test_recovers_linear_parameters_with_standard_errors():
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, 0.05, T.size)
    res = fit(lambda x: x[0] * T + x[1], ["a", "b"], [1.0, 1.0], [0, 0], [5, 5],
              2.0 * T + 0.5 + noise)
    assert res.well_posed
    # ordinary least squares has a closed form: compare with numpy's polyfit
    slope, intercept = np.polyfit(T, 2.0 * T + 0.5 + noise, 1)
    assert res.x == pytest.approx([slope, intercept], abs=1e-6)
    # standard error of the slope: s / sqrt(sum (t - mean t)^2)
    resid = res.residuals
    s = np.sqrt(np.sum(resid**2) / (T.size - 2))
    assert res.se[0] == pytest.approx(s / np.sqrt(np.sum((T - T.mean()) ** 2)), rel=1e-3)


def test_exact_trade_off_is_reported_not_identifiable():
    res = fit(lambda x: (x[0] + x[1]) * T, ["a", "b"], [1.0, 1.0], [0, 0], [5, 5], 3.0 * T)
    assert not res.well_posed
    assert res.identifiable == (False, False)
    assert any("trade off" in p for p in res.problems)
    assert np.isnan(res.se).all()


def test_insensitive_parameter_is_reported():
    res = fit(lambda x: x[0] * T, ["a", "b"], [1.0, 1.0], [0, 0], [5, 5], 3.0 * T)
    assert res.identifiable == (True, False)
    assert any(p.startswith("b: not identifiable") for p in res.problems)
    assert res.x[0] == pytest.approx(3.0, rel=1e-6)


def test_more_parameters_than_observations():
    res = fit(lambda x: np.array([x[0] + 2 * x[1]]), ["a", "b"], [1.0, 1.0], [0, 0], [5, 5],
              [4.0])
    assert not res.well_posed
    assert any("only 1 observations" in p for p in res.problems)


def test_parameter_on_bound_is_flagged():
    res = fit(lambda x: x[0] * T + x[1], ["a", "b"], [1.0, 0.5], [0, 0], [5, 1],
              2.0 * T + 1.5)
    assert res.at_bound[1] == "upper"
    assert any("upper bound" in p for p in res.problems)


def test_fit_statistics_known_values():
    st = fit_statistics(np.array([1.0, 2.0, 4.0]), np.array([1.0, 3.0, 3.0]))
    assert st.rmse == pytest.approx(np.sqrt(2 / 3))
    assert st.bias == pytest.approx(0.0)
    # NSE = 1 - 2 / sum((o - 7/3)^2) = 1 - 2 / (16/9 + 4/9 + 4/9)
    assert st.nse == pytest.approx(1 - 2 / (24 / 9))
    assert st.r2 == pytest.approx(np.corrcoef([1, 2, 4], [1, 3, 3])[0, 1] ** 2)


def test_weakly_constrained_parameter_warns_but_stays_identifiable():
    # y = a t + b with one tiny-sensitivity parameter: identifiable but poorly constrained
    rng = np.random.default_rng(0)
    y = 2.0 * T + 0.5 + rng.normal(0.0, 0.5, T.size)
    res = fit(lambda x: x[0] * T + 1e-3 * x[1], ["a", "b"], [1.0, 1.0], [0, 0], [5, 5], y)
    assert res.identifiable == (True, True)
    assert any(w.startswith("b: weakly constrained") for w in res.warnings)
    assert not any(w.startswith("a:") for w in res.warnings)
