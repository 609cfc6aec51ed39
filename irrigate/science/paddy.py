"""Ponded (paddy) rice water balance, daily, vectorised over cells x water-management methods.

State per cell and method (end of day):

* ``pond``    ponded water depth above the soil surface, mm (0 ... bund height);
* ``sat_def`` saturation deficit of the rice root zone, mm (0 = saturated; at most
  ``(theta_sat - theta_wp) Zr``).

Storage is ``pond - sat_def`` (mm relative to a saturated root zone without a pond), and every
day closes exactly::

    d(pond - sat_def) = irr_net + precip - eta - perc - ro - drain

Daily sequence (the FAO-56 convention of water entering early in the day):

1. Season bookkeeping: days ``d`` counted from sowing/transplanting (``d = 0``). Land soaking
   and puddling runs for ``soak_days`` before sowing; the state is reset at its first day to
   an unsaturated root zone (``sat_def = soak_deficit``, FAO Training Manual 3 §4.4) and no
   pond. The season ends at harvest (``d = crop season length``); outside soaking and season
   nothing happens (no flux, state kept).
2. Irrigation by the method's level rule (level = ``pond - sat_def``): when the level is
   below the trigger, refill to the target level; the water first fills the soil deficit,
   then the pond. Continuous flooding keeps the pond between ``pond_min`` and ``pond_max``
   (Kazakh recommendation 17-22 cm against cool water; Koshkarov et al. 2020); during soaking
   the target is the puddling water layer. Alternate wetting and drying (AWD) lets the pond
   vanish and re-floods when the perched water table is ``awd_threshold`` below the surface
   (IRRI "safe AWD"); the water-table depth is the drainable deficit divided by the drainable
   porosity ``theta_sat - theta_fc``. Drip/film rice has no pond: it irrigates when the
   root-zone depletion below field capacity exceeds ``p`` TAW (FAO-56 Eq. 83 with rice p
   from FAO-56 Table 22) and refills to field capacity; gross = net / application efficiency.
   No irrigation during the final drain-off or on a mid-season drainage day.
3. Rain enters the soil deficit, then the pond; the pond above the bund crest overflows
   (``ro``: rain not caught by the bunds).
4. Crop ET, ``eta = Ks Kc ET0`` with the FAO-56 single Kc curve (Eq. 66, via
   :func:`irrigate.science.crop.k_curve`; Kc ini of a flooded field from FAO-56 Table 14: open-water
   evaporation early in the season, also during soaking). Ks = 1 while the pond exists or the
   deficit is below ``p`` of the saturated TAW ("0.20 of saturation", FAO-56 Table 22 fn 4;
   for drip/film rice the FAO-56 Eq. 84 TAW/RAW below field capacity); Ks falls linearly to 0
   at the wilting point (FAO-56 Eq. 84). Water comes from the pond first, then the soil.
5. Percolation and seepage ``perc`` at the soil's rate while water above field capacity is
   available (pond plus drainable soil water), pond first.
6. Surface drainage ``drain``: optional flow-through outflow while ponded, mid-season
   drainage (empties the pond), and the final drain-off ``drain_off_days`` before harvest
   (the pond left is drained, and rain ponding afterwards is drained the same day).

The kernel :func:`irrigate.science.paddy_balance.paddy_kernel` works on numpy arrays
``(cells, time)``; :func:`irrigate.science.paddy_balance.simulate_paddy` wraps it with
``xarray.apply_ufunc`` (dask: chunked in space, one chunk along time). This module holds the
records and the seasonal summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import xarray as xr

__all__ = [
    "RiceMethod",
    "RiceSoil",
    "RiceCalendar",
    "paddy_season_summary",
    "PADDY_FLUXES",
]

#: Fluxes summed by :func:`paddy_season_summary` (mm per season).
PADDY_FLUXES: tuple[str, ...] = (
    "irr_gross", "irr_net", "soak", "precip", "etc", "eta", "perc", "ro", "drain",
)


# ----------------------------------------------------------------------------------------
# Parameter records (read from models/rice.toml by irrigate.library.rice)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiceMethod:
    """Rice water-management method (``[method.<name>]`` of ``models/rice.toml``).

    Depths in mm, durations in days. ``flooded`` methods keep a pond; the others (drip/film)
    irrigate the root zone to field capacity.
    """

    name: str
    flooded: bool
    pond_min: float
    pond_max: float
    bund_height: float
    puddle_pond: float
    soak_days: int
    kc_ini: float
    kc_from_kcb: bool
    drain_off_days: int
    midseason_drain_day: int
    flow_through: float
    awd: bool
    awd_start: int
    awd_threshold: float
    awd_reflood: float
    awd_flowering_days: int
    efficiency: float


@dataclass(frozen=True)
class RiceSoil:
    """Paddy soil (``[soil.<name>]`` of ``models/rice.toml``).

    ``perc_rate`` is the percolation plus seepage rate under ponding (mm/day); the water
    contents are m3/m3; ``soak_deficit`` is the water needed to saturate the root zone before
    puddling (mm).
    """

    name: str
    perc_rate: float
    theta_sat: float
    theta_fc: float
    theta_wp: float
    soak_deficit: float


@dataclass(frozen=True)
class RiceCalendar:
    """A regional rice calendar: stage lengths (days) of the local varieties.

    The sowing date comes from the crop record or the sowing zones of the library.
    """

    name: str
    l_ini: int
    l_dev: int
    l_mid: int
    l_late: int




def paddy_season_summary(ds: xr.Dataset, by_year: bool = True) -> xr.Dataset:
    """Seasonal totals (mm) of a paddy simulation, with the balance residual.

    ``ds`` is a result of :func:`irrigate.science.paddy_balance.simulate_paddy`.

    One rice season per calendar year is assumed when ``by_year`` (soaking to harvest inside
    the year); otherwise the whole time axis is one season.

    Returns
    -------
    xarray.Dataset
        Totals of :data:`PADDY_FLUXES` (mm), ``storage_change`` (mm), ``closure`` (mm:
        inflows - outflows - storage change, ~0), ``supply_m3_ha`` (gross field supply,
        m3/ha) and ``crop_share`` (eta / irr_gross, 1).

    """
    init = float(ds.attrs["init_storage_mm"])

    def one(g: xr.Dataset) -> xr.Dataset:
        tot = {k: g[k].sum("time", skipna=False) for k in PADDY_FLUXES}
        end = g["pond"].isel(time=-1, drop=True) - g["sat_def"].isel(time=-1, drop=True)
        tot["storage_change"] = end - init
        tot["closure"] = (tot["irr_net"] + tot["precip"] - tot["eta"] - tot["perc"]
                          - tot["ro"] - tot["drain"] - tot["storage_change"])
        tot["supply_m3_ha"] = 10.0 * tot["irr_gross"]
        tot["crop_share"] = tot["eta"] / tot["irr_gross"]
        # one Dataset construction (item assignment warns on MultiIndex cells in xarray)
        out = xr.Dataset(tot)
        for k in PADDY_FLUXES:
            long_name = g[k].attrs.get("long_name", k)
            out[k].attrs = {"units": "mm", "long_name": f"seasonal total of {long_name}"}
        out["storage_change"].attrs = {"units": "mm",
                                       "long_name": "change of pond + soil storage"}
        out["closure"].attrs = {"units": "mm", "long_name": "water balance residual"}
        out["supply_m3_ha"].attrs = {"units": "m3 ha-1", "long_name": "gross field supply"}
        out["crop_share"].attrs = {"units": "1", "long_name": "eta / irr_gross"}
        return out

    if by_year:
        return ds.groupby("time.year").map(one)
    return one(ds)
