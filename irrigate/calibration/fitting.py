"""Bounded least-squares fitting with honest uncertainty and identifiability diagnostics.

This module knows nothing about crops or soils: it fits a vector of parameters ``x`` of a
forward model ``f(x) -> simulated`` to observations ``y`` with standard deviations
``sigma`` by minimising the weighted residuals ``r = (f(x) - y) / sigma`` with
:func:`scipy.optimize.least_squares` (trust-region reflective, bounds respected), then
reports

* fit statistics of the *unweighted* residuals: RMSE, bias (mean of simulated - observed),
  Nash-Sutcliffe efficiency (NSE, Nash & Sutcliffe 1970, Eq. 1) and R^2 (squared Pearson
  correlation of simulated and observed);
* parameter standard errors from the linearised covariance ``C = s^2 (J^T J)^-1`` of the
  weighted Jacobian ``J`` at the optimum, with ``s^2 = SSR_w / (n - p)`` (the residual
  variance) when ``n > p`` and ``s^2 = 1`` (the stated ``sigma`` taken as known) otherwise;
* identifiability: a parameter is *not identifiable* when the observations do not respond
  to it (its Jacobian column is ~0), when ``J`` has lower rank than the number of
  parameters (more parameters than independent observations, or parameters that trade off
  exactly: the right singular vector of the smallest singular value names them), or when
  ``J^T J`` is ill-conditioned (condition number of the range-scaled Jacobian above
  ``1e8``, i.e. singular values below ``1e-4`` of the largest); a parameter that ends on a
  bound is flagged, because the linearised standard error is then meaningless.

The Jacobian for the diagnostics is recomputed at the optimum by central differences with a
step of ``1e-3`` of each parameter's bound range (clipped inside the bounds), which is more
robust for water-balance models with thresholds than the optimiser's own tiny steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

#: Largest accepted condition number of the range-scaled Jacobian (see module docstring).
MAX_CONDITION = 1e8
#: A Jacobian column whose range-scaled norm is below this fraction of the largest one
#: is "insensitive" (the observations do not see the parameter).
MIN_SENSITIVITY = 1e-6
#: Relative distance (fraction of the bound range) under which a value sits "on a bound".
BOUND_TOLERANCE = 1e-4
#: Relative finite-difference step (fraction of the bound range) for the final Jacobian.
JACOBIAN_STEP = 1e-3
#: A parameter is "weakly constrained" when its approximate 95 % interval (+-1.96 standard
#: errors) is wider than its whole bound range.
WEAK_FACTOR = 2 * 1.96


@dataclass(frozen=True)
class FitStatistics:
    """Goodness of fit of simulated against observed values (unweighted)."""

    n: int
    rmse: float
    bias: float
    nse: float
    r2: float
    max_abs_residual: float


@dataclass(frozen=True)
class Fit:
    """Result of :func:`fit`.

    Attributes
    ----------
    x : numpy.ndarray
        Fitted parameter values.
    x0 : numpy.ndarray
        Start values.
    se : numpy.ndarray
        Standard errors (NaN where not identifiable).
    covariance, correlation : numpy.ndarray
        Linearised covariance and correlation matrices (NaN where not identifiable).
    simulated, observed, sigma, residuals : numpy.ndarray
        Model output at ``x``, observations, their standard deviations and
        ``simulated - observed``.
    jacobian : numpy.ndarray
        Weighted Jacobian d(r)/d(x) at ``x`` (rows: observations, columns: parameters).
    singular_values : numpy.ndarray
        Singular values of the range-scaled weighted Jacobian.
    condition : float
        Their ratio largest / smallest (inf when singular).
    at_bound : tuple of str
        ``"lower"``, ``"upper"`` or ``""`` per parameter.
    identifiable : tuple of bool
        Per parameter.
    problems : tuple of str
        Human-readable diagnostics; empty for a well-posed fit.
    warnings : tuple of str
        Weakly constrained parameters (identifiable, but their approximate 95 % interval
        is wider than the bounds); they do not make the fit ill-posed.
    stats : FitStatistics
        RMSE, bias, NSE, R^2 of the unweighted residuals.
    cost : float
        Half the sum of squared weighted residuals at ``x``.
    nfev : int
        Number of model evaluations by the optimiser.
    success : bool
        The optimiser's own convergence flag.
    message : str
        The optimiser's message.

    """

    names: tuple[str, ...]
    x: np.ndarray
    x0: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    se: np.ndarray
    covariance: np.ndarray
    correlation: np.ndarray
    simulated: np.ndarray
    observed: np.ndarray
    sigma: np.ndarray
    residuals: np.ndarray
    jacobian: np.ndarray
    singular_values: np.ndarray
    condition: float
    at_bound: tuple[str, ...]
    identifiable: tuple[bool, ...]
    problems: tuple[str, ...]
    stats: FitStatistics
    cost: float
    nfev: int
    success: bool
    message: str
    warnings: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def well_posed(self) -> bool:
        """True when every parameter is identifiable and none ended on a bound."""
        return not self.problems


def fit_statistics(simulated: np.ndarray, observed: np.ndarray) -> FitStatistics:
    """Return RMSE, bias, NSE and R^2 of ``simulated`` against ``observed``.

    NSE = 1 - sum (s - o)^2 / sum (o - mean(o))^2 (Nash & Sutcliffe 1970); it and R^2 are
    NaN for fewer than two observations or constant observations.
    """
    s = np.asarray(simulated, dtype=float)
    o = np.asarray(observed, dtype=float)
    res = s - o
    n = int(res.size)
    rmse = float(np.sqrt(np.mean(res**2))) if n else float("nan")
    bias = float(np.mean(res)) if n else float("nan")
    spread = float(np.sum((o - o.mean()) ** 2)) if n else 0.0
    nse = 1.0 - float(np.sum(res**2)) / spread if n > 1 and spread > 0 else float("nan")
    if n > 1 and spread > 0 and float(np.std(s)) > 0:
        r2 = float(np.corrcoef(s, o)[0, 1] ** 2)
    else:
        r2 = float("nan")
    mx = float(np.max(np.abs(res))) if n else float("nan")
    return FitStatistics(n=n, rmse=rmse, bias=bias, nse=nse, r2=r2, max_abs_residual=mx)


def jacobian(
    fun: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    steps: np.ndarray | None = None,
) -> np.ndarray:
    """Central-difference Jacobian of ``fun`` at ``x``, steps kept inside the bounds.

    ``steps`` are absolute half-steps per parameter (default :data:`JACOBIAN_STEP` of each
    bound range).
    """
    if steps is None:
        steps = JACOBIAN_STEP * (upper - lower)
    f0 = np.asarray(fun(x), dtype=float)
    jac = np.empty((f0.size, x.size))
    for k in range(x.size):
        h = steps[k]
        lo = max(lower[k], x[k] - h)
        hi = min(upper[k], x[k] + h)
        if hi - lo <= 0:
            jac[:, k] = 0.0
            continue
        xp, xm = x.copy(), x.copy()
        xp[k], xm[k] = hi, lo
        jac[:, k] = (np.asarray(fun(xp), dtype=float) - np.asarray(fun(xm), dtype=float)) / (
            hi - lo
        )
    return jac


def _diagnose(
    names: Sequence[str],
    jac_w: np.ndarray,
    x: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    residual_w: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, tuple, tuple, tuple]:
    """Covariance, standard errors, singular values and identifiability flags."""
    n, p = jac_w.shape
    span = upper - lower
    scaled = jac_w * span  # columns in units of "whole bound range": scale-free comparison
    sv = np.linalg.svd(scaled, compute_uv=False) if n and p else np.zeros(0)
    if sv.size < p:
        sv = np.concatenate([sv, np.zeros(p - sv.size)])
    condition = float(sv[0] / sv[-1]) if sv.size and sv[-1] > 0 else float("inf")
    problems: list[str] = []
    identifiable = np.ones(p, dtype=bool)

    col_norm = np.linalg.norm(scaled, axis=0)
    biggest = float(col_norm.max()) if p else 0.0
    for k in range(p):
        if biggest == 0.0 or col_norm[k] <= MIN_SENSITIVITY * biggest:
            identifiable[k] = False
            problems.append(
                f"{names[k]}: not identifiable, the observations do not respond to it "
                "(zero sensitivity)"
            )
    if n < p:
        problems.append(
            f"not identifiable: {p} parameters but only {n} observations"
        )
    if p and (not np.isfinite(condition) or condition > MAX_CONDITION) and identifiable.any():
        # the null direction of the scaled Jacobian names the parameters that trade off
        _, _, vt = np.linalg.svd(scaled, full_matrices=True)
        null = vt[-1]
        involved = [names[k] for k in range(p) if abs(null[k]) > 0.1 and identifiable[k]]
        if len(involved) >= 2:
            identifiable[[names.index(nm) for nm in involved]] = False
            problems.append(
                "not identifiable: " + " and ".join(involved) + " trade off (J^T J singular, "
                f"condition number {condition:.3g}); fix one of them or add observations "
                "that separate them"
            )
        elif not any("not identifiable" in msg for msg in problems):
            identifiable[:] = False
            problems.append(f"J^T J is ill-conditioned (condition number {condition:.3g})")

    at_bound = []
    for k in range(p):
        tol = BOUND_TOLERANCE * span[k]
        if x[k] - lower[k] <= tol:
            at_bound.append("lower")
        elif upper[k] - x[k] <= tol:
            at_bound.append("upper")
        else:
            at_bound.append("")
        if at_bound[k]:
            problems.append(
                f"{names[k]}: ended on its {at_bound[k]} bound {x[k]:.4g}; the optimum may lie "
                "outside the bounds and its standard error is not meaningful"
            )

    cov = np.full((p, p), np.nan)
    ok = np.flatnonzero(identifiable)
    if ok.size and n > 0:
        jj = jac_w[:, ok].T @ jac_w[:, ok]
        dof = n - p
        s2 = float(np.sum(residual_w**2)) / dof if dof > 0 else 1.0
        try:
            sub = np.linalg.inv(jj) * s2
        except np.linalg.LinAlgError:
            sub = np.full((ok.size, ok.size), np.nan)
        cov[np.ix_(ok, ok)] = sub
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(se, se)
    return cov, se, corr, sv, condition, tuple(at_bound), tuple(bool(b) for b in identifiable), \
        tuple(problems)


def fit(
    fun: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    x0: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    observed: Sequence[float],
    sigma: Sequence[float] | None = None,
    max_nfev: int = 200,
    steps: Sequence[float] | None = None,
) -> Fit:
    """Fit parameters ``x`` of ``fun`` to ``observed`` by bounded weighted least squares.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> simulated`` (same length and order as ``observed``).
    names : sequence of str
        Parameter names, for the diagnostics.
    x0, lower, upper : sequence of float
        Start values and bounds (``lower < x0 < upper`` is checked by the caller).
    observed : sequence of float
        Observed values.
    sigma : sequence of float, optional
        Standard deviations of the observations (weights 1/sigma); 1 when omitted.
    max_nfev : int
        Largest number of model evaluations for the optimiser.
    steps : sequence of float, optional
        Absolute finite-difference steps per parameter, NaN for the default (relative step
        :data:`JACOBIAN_STEP` in the optimiser, :data:`JACOBIAN_STEP` of the bound range in
        the final Jacobian); e.g. 1 for a parameter counted in whole days, whose model
        response is a staircase at finer steps.

    Returns
    -------
    Fit

    """
    names = tuple(names)
    x0 = np.asarray(x0, dtype=float)
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    y = np.asarray(observed, dtype=float)
    sd = np.ones_like(y) if sigma is None else np.asarray(sigma, dtype=float)
    given = np.full(x0.size, np.nan) if steps is None else np.asarray(steps, dtype=float)
    h = np.where(np.isfinite(given), given, JACOBIAN_STEP * (hi - lo))  # final Jacobian
    # optimiser steps are relative to x: the default relative step, or the given absolute one
    rel = np.where(np.isfinite(given), given / np.maximum(np.abs(x0), 1e-12), JACOBIAN_STEP)

    def residual(x: np.ndarray) -> np.ndarray:
        return (np.asarray(fun(x), dtype=float) - y) / sd

    res = least_squares(
        residual,
        x0,
        bounds=(lo, hi),
        method="trf",
        x_scale=hi - lo,
        diff_step=rel,
        max_nfev=max_nfev,
    )
    x = res.x
    simulated = np.asarray(fun(x), dtype=float)
    jac_w = jacobian(residual, x, lo, hi, h)
    cov, se, corr, sv, cond, at_bound, ident, problems = _diagnose(
        names, jac_w, x, lo, hi, (simulated - y) / sd
    )
    warnings = tuple(
        f"{names[k]}: weakly constrained, +-1.96 s.e. = +-{1.96 * se[k]:.3g} spans more than "
        f"the bound range {lo[k]:g}:{hi[k]:g}"
        for k in range(x.size)
        if ident[k] and np.isfinite(se[k]) and WEAK_FACTOR * se[k] > hi[k] - lo[k])
    return Fit(
        names=names,
        x=x,
        x0=x0,
        lower=lo,
        upper=hi,
        se=se,
        covariance=cov,
        correlation=corr,
        simulated=simulated,
        observed=y,
        sigma=sd,
        residuals=simulated - y,
        jacobian=jac_w,
        singular_values=sv,
        condition=cond,
        at_bound=at_bound,
        identifiable=ident,
        problems=problems,
        stats=fit_statistics(simulated, y),
        cost=float(res.cost),
        nfev=int(res.nfev),
        success=bool(res.success),
        message=str(res.message),
        warnings=warnings,
    )
