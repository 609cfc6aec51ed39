"""Probability of a seasonal value from a short record: the design ("dependable") year.

Irrigation schemes of the former Soviet Union, and of Kazakhstan today, are designed for a
season of given *dependability* (обеспеченность) P: the irrigation need that is not
exceeded in P of the seasons, so that a supply sized on it is enough in P of the years and
short in 1 - P of them. The usual design column is P = 75 % (the "medium-dry" year; SP
100.13330.2016, the updated SNiP 2.06.03-85 "Мелиоративные системы и сооружения", tabulates
water-requirement norms at P = 50, 75 and 95 %); FAO's CROPWAT and FAO-24 speak of the 80 %
dependable rainfall. See ``docs/budget.md`` ("Many seasons").

Two estimators are offered (:class:`Estimator`):

``weibull``
    The empirical plotting position of Soviet and Russian hydrological practice (SP
    33-101-2003, "Определение основных расчётных гидрологических характеристик", the
    empirical exceedance probability ``P = m / (n + 1)``), also called the Weibull
    position: sort the ``n`` values in increasing order, ``x(1) <= ... <= x(n)``; the value
    of rank ``k`` is not exceeded with probability ``k / (n + 1)``. The value at
    dependability ``P`` is read at rank ``k = P (n + 1)``, linearly interpolated between
    neighbouring ranks. It exists only for ``1/(n+1) <= P <= n/(n+1)``: a record of 15
    seasons cannot give the 95 % value (it needs 19), and returns NaN there.
``normal``
    A normal distribution fitted by its moments (mean and sample standard deviation,
    ``ddof = 1``): ``mean + z_P sd``, with ``z_P`` the standard normal quantile. It
    extrapolates beyond the record; :func:`normality_p` gives the Shapiro-Wilk p-value of
    the record as a goodness-of-fit note (with fewer than 3 seasons there is no test).

Everything here is pure: arrays in, arrays out, the season axis given by position.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from scipy import stats

from irrigate.errors import InputError

__all__ = ["Estimator", "DEFAULT_PROBABILITY", "PROBABILITY_SOURCE", "plotting_position",
           "dependable", "normality_p", "describe"]


class Estimator(StrEnum):
    """How the value at a dependability is estimated from the seasons."""

    WEIBULL = "weibull"
    NORMAL = "normal"


#: Default design dependability (non-exceedance probability of the seasonal need).
DEFAULT_PROBABILITY = 0.75
#: Where the default comes from (printed with the results).
PROBABILITY_SOURCE = (
    "75 %: the design ('medium-dry') year of Soviet-era irrigation norms still used in "
    "Central Asia; SP 100.13330.2016 (updated SNiP 2.06.03-85) tabulates water-requirement "
    "norms at P = 50, 75 and 95 %. No Kazakh normative text stating the value was found; "
    "FAO CROPWAT uses 80 % dependable rainfall")

_ESTIMATOR_TEXT = {
    Estimator.WEIBULL: "empirical plotting position k/(n+1) (Weibull; SP 33-101-2003), "
                       "linear between ranks",
    Estimator.NORMAL: "normal distribution fitted by mean and standard deviation",
}


def describe(estimator: Estimator | str) -> str:
    """Return one line naming the estimator, for outputs."""
    return _ESTIMATOR_TEXT[Estimator(estimator)]


def check_probability(probability: float) -> float:
    """Return ``probability`` as a float in (0, 1); accept 75 for 75 %."""
    p = float(probability)
    if 1.0 < p < 100.0:
        p /= 100.0
    if not 0.0 < p < 1.0:
        raise InputError(f"--probability {probability}: give a dependability between 0 and 1 "
                         "(0.75) or a percentage (75)")
    return p


def plotting_position(n: int) -> np.ndarray:
    """Non-exceedance probability ``k / (n + 1)`` of ranks ``k = 1..n`` (increasing order)."""
    return np.arange(1, n + 1) / (n + 1.0)


def _weibull(values: np.ndarray, probability: float) -> float:
    x = np.sort(values[np.isfinite(values)])
    n = x.size
    if n == 0:
        return float("nan")
    rank = probability * (n + 1)          # 1-based, fractional
    if rank < 1.0 - 1e-12 or rank > n + 1e-12:
        return float("nan")              # outside what the record can say
    lo = int(np.floor(rank + 1e-12))
    frac = rank - lo
    if lo >= n or frac < 1e-12:
        return float(x[min(lo, n) - 1])
    return float(x[lo - 1] + frac * (x[lo] - x[lo - 1]))


def dependable(values: np.ndarray, probability: float,
               estimator: Estimator | str = Estimator.WEIBULL, axis: int = 0) -> np.ndarray:
    """Return the value not exceeded in ``probability`` of the seasons, along ``axis``.

    Parameters
    ----------
    values : array
        Seasonal values (e.g. gross irrigation depth, mm), seasons along ``axis``. NaN
        seasons (a crop left out of a season) are dropped, each line on its own.
    probability : float
        Dependability P in (0, 1), e.g. 0.75.
    estimator : Estimator
        ``weibull`` (empirical, default) or ``normal`` (fitted).
    axis : int
        Axis of the seasons.

    Returns
    -------
    numpy.ndarray
        ``values`` reduced over ``axis``; NaN where the record cannot give P (Weibull) or has
        no finite value.

    """
    p = check_probability(probability)
    est = Estimator(estimator)
    arr = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    flat = arr.reshape(-1, arr.shape[-1])
    if est is Estimator.WEIBULL:
        out = np.array([_weibull(row, p) for row in flat])
    else:
        z = stats.norm.ppf(p)
        out = np.empty(flat.shape[0])
        for i, row in enumerate(flat):
            row = row[np.isfinite(row)]
            out[i] = row.mean() + z * row.std(ddof=1) if row.size >= 2 else np.nan
    return out.reshape(arr.shape[:-1])


def normality_p(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Shapiro-Wilk p-value of each record along ``axis`` (NaN below 3 values or no spread).

    A small p (below 0.05) says the normal fit is doubtful for that record; a large p does
    not prove it right, least of all for 10-30 seasons.
    """
    arr = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    flat = arr.reshape(-1, arr.shape[-1])
    out = np.full(flat.shape[0], np.nan)
    for i, row in enumerate(flat):
        row = row[np.isfinite(row)]
        if row.size >= 3 and np.ptp(row) > 0:
            out[i] = stats.shapiro(row).pvalue
    return out.reshape(arr.shape[:-1])
