"""What a scenario does for the crop and for the river: relative yield and consumptive use.

Pure arithmetic on labelled arrays (dims ``region, crop, method``), like
:mod:`irrigate.engine.volumes`.

Relative yield (FAO-33; FAO-56 Eq. 90, p. 176)::

    1 - Ya/Ym = Ky (1 - ETa/ETc)        Ya/Ym clipped to [0, 1]

with the seasonal Ky of FAO-56 Table 24 (p. 181, from FAO-33) per crop
(``models/yield_response.toml``).

Consumptive (basin) use of a scenario, per unit area (mm), after Grafton et al. (2018,
Science 361:748-750): the water that leaves the basin's use for good::

    consumed = ETa + irr_loss_evap + (dp + irr_loss_dp + seepage) (1 - dp_returnable)
               + (ro + irr_loss_ro + drain) (1 - ro_returnable)
    seepage  = irr_gross (1 / conveyance_efficiency - 1)     canal losses, taken as seepage

with the region's returnable shares of ``models/return_flows.toml``. The **basin saving** of a
method is today's consumed volume minus the method's: a withdrawal saving that was returning
to the river is not a saving for the basin, and a method that ends a deficit consumes more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from irrigate.engine.film import FILM_METHOD, film_variables
from irrigate.engine.volumes import MM_HA_TO_MCM, current_practice
from irrigate.library.comparison import Comparison

__all__ = ["relative_yield", "consumed_mm", "add_outcomes"]

#: Today's seasonal water balance terms carried as ``<term>_current_mm`` (season, mm).
TODAY_TERMS = ("t_mm", "e_mm", "ro_mm", "dp_mm", "irr_loss_evap_mm", "irr_loss_ro_mm",
               "irr_loss_dp_mm")


def relative_yield(eta: xr.DataArray, etc: xr.DataArray, ky: xr.DataArray) -> xr.DataArray:
    """Return Ya/Ym = 1 - Ky (1 - ETa/ETc), clipped to [0, 1] (FAO-56 Eq. 90, FAO-33).

    NaN where ETc is not positive or Ky is missing.
    """
    ratio = eta / etc.where(etc > 0)
    return (1.0 - ky * (1.0 - ratio)).clip(0.0, 1.0)


def consumed_mm(depths: xr.Dataset, conveyance_efficiency: xr.DataArray,
                dp_returnable: xr.DataArray, ro_returnable: xr.DataArray) -> xr.DataArray:
    """Return the consumptive (non-returning) use of a scenario, mm (module docstring).

    ``depths`` holds ``eta_mm``, ``irr_gross_mm``, ``irr_loss_evap_mm``, ``irr_loss_dp_mm``,
    ``irr_loss_ro_mm``, ``dp_mm`` and ``ro_mm``; a missing loss term counts as 0.
    """
    def term(name: str) -> xr.DataArray:
        return depths[name].fillna(0.0) if name in depths else xr.zeros_like(depths["eta_mm"])

    gross = depths["irr_gross_mm"]
    seepage = gross * (1.0 / conveyance_efficiency - 1.0)
    # ponded rice reports its field loss without a split: taken as percolation
    unsplit = xr.where(depths["irr_loss_dp_mm"].isnull(), term("irr_loss_mm"), 0.0) \
        if "irr_loss_dp_mm" in depths and "irr_loss_mm" in depths else 0.0
    percolation = term("dp_mm") + term("irr_loss_dp_mm") + seepage + unsplit
    runoff = term("ro_mm") + term("irr_loss_ro_mm") + term("drain_mm")
    out = (depths["eta_mm"] + term("irr_loss_evap_mm") + percolation * (1.0 - dp_returnable)
           + runoff * (1.0 - ro_returnable))
    return out.where(gross.notnull() & depths["eta_mm"].notnull())


def _per_crop(comparison: Comparison, ds: xr.Dataset, plans: Sequence[Any]
              ) -> tuple[xr.DataArray, xr.DataArray]:
    """Ky (crop, method; the film-fitted Ky under film with a calibrated record) and Ym."""
    crops = [str(c) for c in ds["crop"].values]
    methods = [str(m) for m in ds["method"].values]
    film = ({str(c): str(r) for c, r in zip(ds["crop"].values, ds["film_record"].values,
                                            strict=True)} if "film_record" in ds else {})
    ky = np.full((len(crops), len(methods)), np.nan)
    for j, c in enumerate(crops):
        rec = comparison.yields.get(c)
        if rec is None:
            continue
        for k, m in enumerate(methods):
            use_film = m == FILM_METHOD and film.get(c) and rec.ky_film is not None
            ky[j, k] = rec.ky_film if use_film else rec.ky
    ym = np.full((len(plans), len(crops)), np.nan)
    for i, p in enumerate(plans):
        group = comparison.ym_zone(p.zone)
        for j, c in enumerate(crops):
            rec = comparison.yields.get(c)
            if rec is not None and group in rec.ym:
                ym[i, j] = rec.ym[group]
    return (xr.DataArray(ky, dims=("crop", "method"), coords={"crop": crops, "method": methods}),
            xr.DataArray(ym, dims=("region", "crop"), coords={"region": ds["region"].values,
                                                              "crop": crops}))


def add_outcomes(ds: xr.Dataset, today: xr.Dataset, comparison: Comparison,
                 plans: Sequence[Any], info: Any) -> xr.Dataset:
    """Add relative yield, production, water productivity and consumptive use (docstring).

    ``ds`` is the budget after :func:`irrigate.engine.volumes.volumes_and_savings` (with
    ``current_share``); ``today`` the baseline's depths on the same axes.
    """
    out = ds.copy()
    shares = ds["current_share"]
    area = ds["area_ha"]
    ky, ym = _per_crop(comparison, ds.assign(film_variables(info.film, info.swapped,
                                                            [str(c) for c in ds["crop"].values])),
                       plans)
    ky_now = ky.sel(method=[m for m in ky["method"].values if m != FILM_METHOD]).max("method")
    out["ky"] = ky
    out["ym_t_ha"] = ym
    out["rel_yield"] = relative_yield(ds["eta_mm"], ds["etc_mm"], ky)
    out["rel_yield_current"] = current_practice(
        relative_yield(today["eta_mm"], today["etc_mm"], ky_now), shares)
    out["production_t"] = ym * out["rel_yield"] * area
    out["production_current_t"] = ym * out["rel_yield_current"] * area
    codes = [str(c) for c in ds["region"].values]
    dp_ret = xr.DataArray([comparison.returnable.get(c, (np.nan, np.nan))[0] for c in codes],
                          dims="region", coords={"region": codes})
    ro_ret = xr.DataArray([comparison.returnable.get(c, (np.nan, np.nan))[1] for c in codes],
                          dims="region", coords={"region": codes})
    ce = ds["conveyance_efficiency"]
    out["consumed_mm"] = consumed_mm(ds, ce, dp_ret, ro_ret)
    out["consumed_current_mm"] = current_practice(consumed_mm(today, ce, dp_ret, ro_ret),
                                                  shares)
    out["eta_current_mm"] = current_practice(today["eta_mm"], shares)
    # today's water balance terms (where the water of today goes; the report's breakdown)
    for name in TODAY_TERMS:
        if name in today:
            out[name.removesuffix("_mm") + "_current_mm"] = current_practice(today[name], shares)
    out["etc_current_mm"] = current_practice(today["etc_mm"], shares)
    to_mcm = area * MM_HA_TO_MCM
    out["consumed_mcm"] = out["consumed_mm"] * to_mcm
    out["consumed_current_mcm"] = out["consumed_current_mm"] * to_mcm
    out["eta_change_mcm"] = (ds["eta_mm"] - out["eta_current_mm"]) * to_mcm
    out["basin_saving_mcm"] = out["consumed_current_mcm"] - out["consumed_mcm"]
    out["wp_withdrawal_kg_m3"] = 1e3 * out["production_t"] / (1e6 * ds["withdrawal_mcm"]
                                                              .where(ds["withdrawal_mcm"] > 0))
    out["wp_consumed_kg_m3"] = 1e3 * out["production_t"] / (1e6 * out["consumed_mcm"]
                                                            .where(out["consumed_mcm"] > 0))
    return out
