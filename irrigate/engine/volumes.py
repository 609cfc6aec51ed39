"""Volumes and savings of a regional water budget (pure arithmetic on labelled arrays).

The engine (:mod:`irrigate.engine.run`, :mod:`irrigate.engine.assemble`) produces
area-weighted seasonal depths in mm for every ``region x crop x method``; this module turns
them into volumes and savings. Nothing here reads files or the parameter library: every
input is an :class:`xarray.DataArray` with the dimensions named below, so the arithmetic can
be checked by hand (``tests/test_budget.py``).

Conventions (see ``docs/budget.md``)
------------------------------------
* A depth of 1 mm over 1 ha is 10 m3, so ``volume [1e6 m3] = depth [mm] * area [ha] * 1e-5``.
* ``field_gross_mcm`` is the gross volume applied at the field; the withdrawal at the source is
  ``field_gross_mcm / method_efficiency`` (water delivered to the field / water withdrawn: the
  region's canal network, with the on-farm ditch share replaced for pipe-fed methods).
* Each ``method`` entry is a scenario: the whole area of that crop in that region irrigated by
  that method. The region's *current practice* mixes the methods with its current shares.
* Savings are differences of gross depths at the field (mm, and % of the reference depth) and of
  withdrawals (1e6 m3): ``saving = reference - method``; positive means the method uses less.
"""

from __future__ import annotations

import xarray as xr

#: 1 mm of water over 1 ha, in 1e6 m3 (10 m3 / 1e6).
MM_HA_TO_MCM = 1e-5


def depth_to_mcm(depth_mm: xr.DataArray, area_ha: xr.DataArray) -> xr.DataArray:
    """Return the volume (1e6 m3) of a depth (mm) over an area (ha); zero where the area is 0.

    ``1 mm x 1 ha = 10 m3`` (FAO-56 ch. 1 unit conversions), so the volume is
    ``depth * area * 1e-5`` million m3. A missing depth over a zero area is a zero volume.
    """
    volume = depth_mm * area_ha * MM_HA_TO_MCM
    return xr.where(area_ha > 0, volume, 0.0)


def _pct(saving: xr.DataArray, reference: xr.DataArray) -> xr.DataArray:
    """Return ``100 * saving / reference``, NaN where the reference is not positive."""
    return xr.where(reference > 0, 100.0 * saving / reference.where(reference > 0), float("nan"))


def current_practice(value: xr.DataArray, shares: xr.DataArray) -> xr.DataArray:
    """Return the share-weighted mix of ``value`` over ``method`` (the current practice).

    Parameters
    ----------
    value : DataArray
        Any per-method quantity with a ``method`` dimension (depth in mm or volume).
    shares : DataArray
        Current area share of each method (dims ``region, crop, method``), summing to 1 over
        ``method`` wherever the crop has area. Methods with share 0 may hold NaN values.

    """
    weighted = (value.fillna(0.0) * shares).sum("method")
    covered = (shares.where(value.notnull(), 0.0)).sum("method")
    # a share on a method without a value (not simulated) would silently drop water: flag NaN
    return weighted.where(abs(covered - shares.sum("method")) < 1e-9)


def reference_values(value: xr.DataArray, reference_method: xr.DataArray) -> xr.DataArray:
    """Select, for every crop, ``value`` under that crop's reference method (flood/paddy)."""
    if value.sizes.get("crop", 0) == 0:
        return value.isel({"method": 0}, drop=True)
    picked = [
        # dict form: ``method`` is also the name of a keyword argument of ``.sel``
        value.sel({"crop": crop, "method": str(reference_method.sel(crop=crop).item())},
                  drop=True)
        for crop in value["crop"].values
    ]
    return xr.concat(picked, dim=value["crop"]).transpose(
        *[d for d in value.dims if d != "method"]
    )


def volumes_and_savings(
    depths: xr.Dataset,
    area_ha: xr.DataArray,
    shares: xr.DataArray,
    conveyance_efficiency: xr.DataArray,
    reference_method: xr.DataArray,
    today_gross_mm: xr.DataArray | None = None,
    method_efficiency: xr.DataArray | None = None,
) -> xr.Dataset:
    """Add volumes, current practice and savings to seasonal depths.

    Parameters
    ----------
    depths : Dataset
        Seasonal depths in mm with dims ``region, crop, method``; must hold ``irr_gross_mm``.
        NaN marks a method that does not apply to a crop (e.g. a paddy method for cotton).
    area_ha : DataArray
        Area of each crop in each region, ha (dims ``region, crop``).
    shares : DataArray
        Current method shares (dims ``region, crop, method``), see :func:`current_practice`.
    conveyance_efficiency : DataArray
        Water delivered to the fields / water withdrawn at the source (dim ``region``), 0-1.
    reference_method : DataArray
        The flood-type reference method of each crop (dim ``crop``; string values).
    today_gross_mm : DataArray, optional
        Gross depth of today's practice of each crop under each of its methods (dims
        ``region, crop, method``; today's calendar, times the practice factor;
        :mod:`irrigate.engine.today`). Default: ``irr_gross_mm`` (today = the method columns
        mixed by ``shares``).
    method_efficiency : DataArray, optional
        Source-to-field efficiency of each method in each region (dims ``region, method``):
        pipe-fed methods do not lose the on-farm ditch share. Default: the region's
        ``conveyance_efficiency`` for every method.

    Returns
    -------
    Dataset
        ``depths`` plus ``area_ha``, ``current_share``, ``conveyance_efficiency``,
        ``field_gross_mcm``, ``withdrawal_mcm`` (per method), ``irr_gross_current_mm``,
        ``withdrawal_current_mcm`` (per crop) and ``saving_vs_current_{mm,pct,mcm}``,
        ``saving_vs_flood_{mm,pct,mcm}`` (per method).

    """
    gross = depths["irr_gross_mm"]
    out = depths.copy()
    if "eta_mm" in depths and "etc_mm" in depths:
        # relative ET: below 100 % the schedule under-irrigates (water stress, FAO-56 Eq. 84)
        etc = depths["etc_mm"]
        out["et_ratio_pct"] = 100.0 * depths["eta_mm"] / etc.where(etc > 0)
    out["area_ha"] = area_ha
    out["current_share"] = shares
    out["conveyance_efficiency"] = conveyance_efficiency
    if method_efficiency is None:
        method_efficiency = conveyance_efficiency.broadcast_like(gross["method"])
    out["method_efficiency"] = method_efficiency
    field = depth_to_mcm(gross, area_ha).where(gross.notnull() | (area_ha == 0))
    out["field_gross_mcm"] = field
    out["withdrawal_mcm"] = field / method_efficiency

    today = gross if today_gross_mm is None else today_gross_mm
    gross_now = current_practice(today, shares)
    out["irr_gross_current_mm"] = gross_now
    field_now = current_practice(depth_to_mcm(today, area_ha), shares)
    withdrawal_now = current_practice(depth_to_mcm(today, area_ha) / method_efficiency, shares)
    out["field_gross_current_mcm"] = field_now
    out["withdrawal_current_mcm"] = withdrawal_now
    out["saving_vs_current_mm"] = gross_now - gross
    out["saving_vs_current_pct"] = _pct(gross_now - gross, gross_now)
    out["saving_vs_current_mcm"] = withdrawal_now - out["withdrawal_mcm"]

    # technology saving at equal supply: today's method mix in the columns' scenario (every
    # crop at full demand by default) against the method; and today's unmet demand, the
    # water that moving today's mix to that scenario would add
    gross_mix = current_practice(gross, shares)
    out["irr_gross_full_current_mm"] = gross_mix
    out["saving_technology_mm"] = gross_mix - gross
    out["saving_technology_pct"] = _pct(gross_mix - gross, gross_mix)
    out["saving_technology_mcm"] = (depth_to_mcm(gross_mix, area_ha) / conveyance_efficiency
                                    - out["withdrawal_mcm"])
    out["unmet_demand_current_mm"] = gross_mix - gross_now
    gross_ref = reference_values(gross, reference_method)
    withdrawal_ref = reference_values(out["withdrawal_mcm"], reference_method)
    out["saving_vs_flood_mm"] = gross_ref - gross
    out["saving_vs_flood_pct"] = _pct(gross_ref - gross, gross_ref)
    out["saving_vs_flood_mcm"] = withdrawal_ref - out["withdrawal_mcm"]
    return out


def crop_water_shares(eta_mm: xr.DataArray, gross_mm: xr.DataArray,
                      conveyance_efficiency: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Return the crop's share of the water (%): of the field supply and of the withdrawal.

    ``crop_share_field_pct = 100 x ETa / irr_gross`` and, since the withdrawal depth is
    ``irr_gross / conveyance_efficiency``, ``crop_share_withdrawal_pct = 100 x ETa x
    conveyance_efficiency / irr_gross``. The second is the quantity published for Kazakh rice
    systems ("plants use only 40-45 %" of the water taken in; Abikenova et al. 2015), which
    includes canal losses; the first is the field-level share. NaN where ``irr_gross <= 0``.
    """
    field = xr.where(gross_mm > 0, 100.0 * eta_mm / gross_mm.where(gross_mm > 0),
                     float("nan"))
    return field, field * conveyance_efficiency


def scenario_totals(ds: xr.Dataset) -> xr.Dataset:
    """Sum a budget over crops, one scenario per method.

    In the scenario of method ``m`` every crop of a region that ``m`` applies to (a non-missing
    ``withdrawal_mcm``) is irrigated by ``m``; the other crops keep their current practice
    (so rice stays flooded in the drip scenario). Season totals: lines that are not crops
    (``line`` other than ``crop``: off-season leaching, moisture charging) are left out.

    Returns
    -------
    Dataset
        Dims ``region, method``: ``area_ha`` (all crops), ``field_gross_mcm``,
        ``withdrawal_mcm``, ``withdrawal_current_mcm`` and ``saving_vs_current_{mcm,pct}``.
        Sum over ``region`` for national totals (see :func:`national_totals`).

    """
    if "line" in ds.coords:  # season totals: off-season lines are reported on their own
        ds = ds.sel(crop=ds["crop"].values[ds["line"].values == "crop"])
    applies = ds["withdrawal_mcm"].notnull()
    field_now = ds["field_gross_current_mcm"] if "field_gross_current_mcm" in ds else \
        ds["withdrawal_current_mcm"] * ds["conveyance_efficiency"]
    field = xr.where(applies, ds["field_gross_mcm"], field_now).sum("crop")
    withdrawal = xr.where(applies, ds["withdrawal_mcm"], ds["withdrawal_current_mcm"]).sum("crop")
    now = ds["withdrawal_current_mcm"].sum("crop")
    area = _crop_area(ds).sum("crop")
    out = xr.Dataset(
        {
            "area_ha": area,
            "field_gross_mcm": field,
            "withdrawal_mcm": withdrawal,
            "withdrawal_current_mcm": now,
            "saving_vs_current_mcm": now - withdrawal,
            "saving_vs_current_pct": _pct(now - withdrawal, now),
        }
    )
    if "irr_gross_full_current_mm" in ds:
        # equal supply: every crop at the columns' scenario; the method's crops move to it
        mix = depth_to_mcm(ds["irr_gross_full_current_mm"], ds["area_ha"]) \
            / ds["conveyance_efficiency"]
        mix = mix.where(ds["irr_gross_full_current_mm"].notnull(), ds["withdrawal_current_mcm"])
        moved = xr.where(applies, ds["withdrawal_mcm"], mix).sum("crop")
        out["withdrawal_full_current_mcm"] = mix.sum("crop")
        out["saving_technology_mcm"] = out["withdrawal_full_current_mcm"] - moved
        out["saving_technology_pct"] = _pct(out["saving_technology_mcm"],
                                            out["withdrawal_full_current_mcm"])
    for name in ("eta_change_mcm", "basin_saving_mcm"):
        if name in ds:
            out[name] = ds[name].where(applies, 0.0).sum("crop")
    return out


def national_totals(totals: xr.Dataset) -> xr.Dataset:
    """Sum :func:`scenario_totals` over regions (dims ``method``)."""
    summed = [v for v in ("area_ha", "field_gross_mcm", "withdrawal_mcm",
                          "withdrawal_current_mcm", "withdrawal_full_current_mcm",
                          "saving_technology_mcm", "eta_change_mcm", "basin_saving_mcm")
              if v in totals]
    out = totals[summed].sum("region")
    out["saving_vs_current_mcm"] = out["withdrawal_current_mcm"] - out["withdrawal_mcm"]
    out["saving_vs_current_pct"] = _pct(out["saving_vs_current_mcm"], out["withdrawal_current_mcm"])
    if "saving_technology_mcm" in out:
        out["saving_technology_pct"] = _pct(out["saving_technology_mcm"],
                                            out["withdrawal_full_current_mcm"])
    return out


def _crop_area(ds: xr.Dataset) -> xr.DataArray:
    """Return the cropped area (dims ``region, crop``), without lines that are not crops.

    Lines such as off-season leaching carry an area (the land leached) that is already counted
    under the crops grown on it; they are flagged by the ``line`` coordinate of ``crop``.
    """
    area = ds["area_ha"]
    if "line" in ds.coords:
        area = area.where(ds["line"] == "crop", 0.0)
    return area


#: Per-region scenario totals (dims region, method) added to a budget by :func:`add_totals`,
#: and the national ones (dim method): variable of :func:`scenario_totals` -> name.
SCENARIO_VARIABLES: dict[str, str] = {
    "area_ha": "scenario_area_ha",
    "field_gross_mcm": "scenario_field_gross_mcm",
    "withdrawal_mcm": "scenario_withdrawal_mcm",
    "withdrawal_current_mcm": "scenario_withdrawal_current_mcm",
    "saving_vs_current_mcm": "scenario_saving_vs_current_mcm",
    "saving_vs_current_pct": "scenario_saving_vs_current_pct",
    "withdrawal_full_current_mcm": "scenario_withdrawal_full_current_mcm",
    "saving_technology_mcm": "scenario_saving_technology_mcm",
    "saving_technology_pct": "scenario_saving_technology_pct",
    "eta_change_mcm": "scenario_eta_change_mcm",
    "basin_saving_mcm": "scenario_basin_saving_mcm",
}


def add_totals(ds: xr.Dataset) -> xr.Dataset:
    """Add the method scenarios per region (``scenario_*``) and nationally (``national_*``).

    National totals are over the regions that are covered by the climate input and have
    budgeted area; ``national_regions`` counts them.
    """
    totals = scenario_totals(ds)
    out = ds.copy()
    for name, new in SCENARIO_VARIABLES.items():
        if name in totals:
            out[new] = totals[name]
    keep = ds["area_ha"].sum("crop") > 0
    if "covered" in ds:
        keep = keep & ds["covered"]
    nat = national_totals(totals.isel(region=keep.values.nonzero()[0]))
    for name, new in SCENARIO_VARIABLES.items():
        if name in nat:
            out[new.replace("scenario_", "national_")] = nat[name]
    out["national_regions"] = int(keep.sum())
    return out
