"""Statistics across seasons of a stacked budget, and the dependable-year budget.

Mean, sample standard deviation and the value at the dependability P
(:func:`irrigate.science.frequency.dependable`) per region x crop x method; the design
(dependable-year) budget with volumes and savings recomputed from the depths at P; the
regions' withdrawal per season against water limits.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from irrigate.engine.volumes import (
    add_totals,
    crop_water_shares,
    scenario_totals,
    volumes_and_savings,
)
from irrigate.errors import InputError
from irrigate.science.frequency import (
    Estimator,
    dependable,
    normality_p,
)

__all__ = ["season_statistics", "STAT_VARIABLES"]

#: Budget variables reduced across seasons (mean, sd, value at P) per region x crop x method.
STAT_VARIABLES: tuple[str, ...] = ("precip_mm", "et0_mm", "eta_mm", "irr_net_mm",
                                   "irr_gross_mm", "withdrawal_mcm")
#: Depth variables of the budget taken at P in the dependable-year budget.
_DESIGN_DEPTHS: tuple[str, ...] = ("et0_mm", "etc_mm", "eta_mm", "e_mm", "t_mm", "precip_mm",
                                   "peff_mm", "ro_mm", "dp_mm", "irr_net_mm", "irr_gross_mm",
                                   "irr_loss_mm", "irr_loss_evap_mm", "irr_loss_ro_mm",
                                   "irr_loss_dp_mm", "soak_mm", "drain_mm", "n_events",
                                   "leach_need_mm", "leach_short_mm")


def _reduce(da: xr.DataArray, func: Any) -> xr.DataArray:
    """Apply a numpy reduction over ``season`` (axis -1) to a DataArray."""
    return xr.apply_ufunc(func, da, input_core_dims=[["season"]], vectorize=False)


def season_statistics(stacked: xr.Dataset, probability: float,
                      estimator: Estimator | str = Estimator.WEIBULL,
                      limits: Mapping[str, float] | None = None) -> xr.Dataset:
    """Add statistics across the ``season`` dimension to a stacked budget.

    Adds, per region x crop x method, for every :data:`STAT_VARIABLES` ``v``: ``v_mean``,
    ``v_sd`` (sample standard deviation, ddof 1) and ``v_p`` (value at the dependability
    P); ``n_seasons`` (seasons with a value); ``normality_p`` of the gross depth for the
    ``normal`` estimator. The dependable-year budget: ``design_<depth>`` for the depths
    (each at P on its own), with ``design_withdrawal_mcm``, ``design_withdrawal_current_mcm``
    and savings recomputed from them (:func:`irrigate.engine.volumes.
    volumes_and_savings`). Per region and season: ``region_withdrawal_current_mcm`` (today's
    practice, all lines) and ``region_withdrawal_mcm`` (each method scenario); with
    ``limits``: ``limit_mcm``, ``seasons_over_limit``, ``mean_excess_mcm`` and
    ``max_excess_mcm`` (over the seasons above the limit).
    """
    est = Estimator(estimator)
    ds = stacked.copy()

    def at_p(values: np.ndarray) -> np.ndarray:
        return dependable(values, probability, est, axis=-1)

    for name in STAT_VARIABLES:
        if name not in ds:
            continue
        da = ds[name]
        ds[f"{name}_mean"] = _reduce(da, _mean)
        ds[f"{name}_sd"] = _reduce(da, _sd)
        ds[f"{name}_p"] = _reduce(da, at_p)
    ds["n_seasons"] = _reduce(ds["irr_gross_mm"], lambda v: np.isfinite(v).sum(axis=-1))
    if est is Estimator.NORMAL:
        ds["normality_p"] = _reduce(ds["irr_gross_mm"], lambda v: normality_p(v, axis=-1))

    _add_design(ds, at_p)
    _add_region_totals(ds, at_p)
    if limits:
        _add_limits(ds, limits)
    return ds


def _mean(values: np.ndarray) -> np.ndarray:
    """Mean over the last axis of the finite values (NaN where there is none)."""
    n = np.isfinite(values).sum(axis=-1)
    with np.errstate(invalid="ignore"):
        return np.where(n > 0, np.nansum(values, axis=-1) / np.maximum(n, 1), np.nan)


def _sd(values: np.ndarray) -> np.ndarray:
    """Sample standard deviation (ddof 1) over the last axis; NaN with fewer than 2 values."""
    n = np.isfinite(values).sum(axis=-1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # lines with fewer than 2 seasons
        out = np.nanstd(values, axis=-1, ddof=1)
    return np.where(n >= 2, out, np.nan)


def _add_design(ds: xr.Dataset, at_p: Any) -> None:
    """Add the dependable-year budget ``design_*`` (in place)."""
    # the dependable-year budget: every depth at P, volumes and savings recomputed
    depths = xr.Dataset({d: _reduce(ds[d], at_p) for d in _DESIGN_DEPTHS if d in ds})
    # constant across seasons where present (a crop left out of a season is NaN there)
    area = ds["area_ha"].max("season")
    shares = ds["current_share"].max("season")
    ce = ds["conveyance_efficiency"].max("season")
    # a reference method not shown (--method drip) has no depths: a NaN column for the sums
    shown = [str(m) for m in ds["method"].values]
    extra = [m for m in np.unique(ds["reference_method"].values).astype(str) if m not in shown]
    if extra:
        # dict form: ``method`` is also a keyword argument of ``reindex`` and ``sel``
        depths = depths.reindex({"method": shown + extra})
        shares = shares.reindex({"method": shown + extra}, fill_value=0.0)
    design = volumes_and_savings(depths, area, shares, ce, ds["reference_method"])
    design = design.sel({"method": shown})
    # today's practice mixes every method of the region, shown or not: its value at P is
    # taken from the seasons' own current-practice depths, and the savings against it follow
    for name in ("irr_gross_current_mm", "withdrawal_current_mcm"):
        design[name] = _reduce(ds[name], at_p)
    saving = design["irr_gross_current_mm"] - design["irr_gross_mm"]
    current = design["irr_gross_current_mm"]
    design["saving_vs_current_mm"] = saving
    design["saving_vs_current_pct"] = xr.where(current > 0, 100.0 * saving
                                               / current.where(current > 0), np.nan)
    design["saving_vs_current_mcm"] = design["withdrawal_current_mcm"] - design["withdrawal_mcm"]
    field_pct, withdrawal_pct = crop_water_shares(design["eta_mm"], design["irr_gross_mm"],
                                                  ce)
    paddy = ds["crop_share_field_pct"].notnull().any("season")
    design["crop_share_field_pct"] = field_pct.where(paddy)
    design["crop_share_withdrawal_pct"] = withdrawal_pct.where(paddy)
    # region scenarios and national totals of the dependable-year lines
    design["covered"] = ds["covered"].any("season")
    design = add_totals(design)
    for name in design.data_vars:
        if name in ("area_ha", "current_share", "conveyance_efficiency", "covered"):
            continue
        ds[f"design_{name}"] = design[name]



def _add_region_totals(ds: xr.Dataset, at_p: Any) -> None:
    """Add the regions' and the country's withdrawal per season and its statistics."""
    # regions per season: today's practice and each method scenario, against limits
    per_season = scenario_totals(ds)
    now = per_season["withdrawal_current_mcm"]
    ds["region_withdrawal_current_mcm"] = now.isel({"method": 0}, drop=True) \
        if "method" in now.dims else now
    ds["region_withdrawal_mcm"] = per_season["withdrawal_mcm"]
    # the country (the regions budgeted) per season: not the sum of the regions' values at P
    ds["total_withdrawal_current_mcm"] = ds["region_withdrawal_current_mcm"].sum(
        "region", min_count=1)
    for name in ("region_withdrawal_current_mcm", "region_withdrawal_mcm",
                 "total_withdrawal_current_mcm"):
        ds[f"{name}_mean"] = _reduce(ds[name], _mean)
        ds[f"{name}_sd"] = _reduce(ds[name], _sd)
        ds[f"{name}_p"] = _reduce(ds[name], at_p)


def _add_limits(ds: xr.Dataset, limits: Mapping[str, float]) -> None:
    """Add how often, and by how much, each region's withdrawal exceeds its limit."""
    codes = [str(c) for c in ds["region"].values]
    unknown = [c for c in limits if c not in codes]
    if unknown:
        raise InputError(f"--limit-mcm {', '.join(unknown)}: not among the budgeted "
                         f"regions ({', '.join(codes)})")
    limit = xr.DataArray([limits.get(c, np.nan) for c in codes], dims="region",
                         coords={"region": ds["region"].values})
    ds["limit_mcm"] = limit
    for suffix, total in (("", ds["region_withdrawal_mcm"]),
                          ("_current", ds["region_withdrawal_current_mcm"])):
        excess = (total - limit).where(total > limit)
        ds[f"seasons_over_limit{suffix}"] = (total > limit).sum("season").where(
            limit.notnull())
        ds[f"mean_excess{suffix}_mcm"] = excess.mean("season")
        ds[f"max_excess{suffix}_mcm"] = excess.max("season")
