"""The value at a dependability P from a short record (irrigate.science.frequency)."""

from __future__ import annotations

import numpy as np
import pytest

from irrigate.errors import InputError
from irrigate.science.frequency import (
    Estimator,
    check_probability,
    dependable,
    normality_p,
    plotting_position,
)

# five seasons of gross depth, mm, in the order they came
SERIES = np.array([300.0, 100.0, 500.0, 200.0, 400.0])


def test_plotting_position_is_k_over_n_plus_1():
    np.testing.assert_allclose(plotting_position(4), [0.2, 0.4, 0.6, 0.8])


@pytest.mark.parametrize("p, expected", [
    # hand count: sorted 100 200 300 400 500, rank k = P (n + 1) = 6 P
    (0.75, 450.0),        # k = 4.5: halfway between the 4th (400) and 5th (500)
    (0.8, 480.0),         # k = 4.8
    (0.5, 300.0),         # k = 3: the median
    (1.0 / 6.0, 100.0),   # k = 1: the smallest
    (5.0 / 6.0, 500.0),   # k = 5: the largest
    (0.9, np.nan),        # k = 5.4 > n: five seasons cannot say
    (0.1, np.nan),        # k = 0.6 < 1
])
def test_weibull_hand_count(p, expected):
    got = float(dependable(SERIES, p))
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_missing_seasons_are_dropped_per_line():
    values = np.array([[100.0, 200.0], [np.nan, 400.0], [300.0, 600.0]])  # seasons x lines
    # line 0: 100, 300 (n = 2), P = 0.5 -> k = 1.5 -> 200; line 1: 200 400 600 -> k = 2 -> 400
    np.testing.assert_allclose(dependable(values, 0.5, axis=0), [200.0, 400.0])


def test_normal_fit():
    # mean 300, sample sd sqrt(25000) = 158.11, z(0.75) = 0.67449
    got = float(dependable(SERIES, 0.75, Estimator.NORMAL))
    assert got == pytest.approx(300.0 + 0.6744898 * 158.113883, abs=1e-3)
    # the fit extrapolates where the record cannot
    assert float(dependable(SERIES, 0.95, "normal")) == pytest.approx(
        300.0 + 1.6448536 * 158.113883, abs=1e-3)


def test_percent_and_bad_probability():
    assert check_probability(75) == 0.75
    with pytest.raises(InputError, match="between 0 and 1"):
        check_probability(0)
    with pytest.raises(InputError, match="between 0 and 1"):
        check_probability(1.0)


def test_normality_p_needs_three_values():
    assert np.isnan(normality_p(np.array([1.0, 2.0])))
    assert 0.0 < float(normality_p(SERIES)) <= 1.0
