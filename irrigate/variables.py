"""The one table of variable names, units and CF metadata.

Every name is used the same way in code, NetCDF variables, CSV columns and CLI options.
Output writers take each variable's attributes from here (never from the inputs, whose
attributes xarray would otherwise carry through arithmetic). ``docs/variables.md`` is the
human-readable copy of this table; ``tests/test_variables.py`` keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Variable:
    """Metadata of one variable.

    Parameters
    ----------
    name : str
        Canonical name (FAO-56 symbol in snake_case).
    units : str
        Units in the core (UDUNITS spelling, as written to NetCDF).
    long_name : str
        Human-readable description.
    standard_name : str, optional
        CF standard name, where one exists.

    """

    name: str
    units: str
    long_name: str
    standard_name: str | None = None

    def attrs(self) -> dict[str, str]:
        """Return the NetCDF attributes of this variable."""
        out = {"units": self.units, "long_name": self.long_name}
        if self.standard_name:
            out["standard_name"] = self.standard_name
        return out


#: 1 mm of water over one hectare, m3 (10 m3/ha per mm).
M3_PER_HA_PER_MM = 10.0

_ROWS: tuple[Variable, ...] = (
    # canonical daily climate (FAO-56 units)
    Variable("tmax", "degC", "daily maximum air temperature at 2 m", "air_temperature"),
    Variable("tmin", "degC", "daily minimum air temperature at 2 m", "air_temperature"),
    Variable("tmean", "degC", "daily mean air temperature at 2 m", "air_temperature"),
    Variable("tdew", "degC", "daily mean dew point temperature at 2 m",
             "dew_point_temperature"),
    Variable("ea", "kPa", "actual vapour pressure", "water_vapor_partial_pressure_in_air"),
    Variable("rh_max", "%", "daily maximum relative humidity", "relative_humidity"),
    Variable("rh_min", "%", "daily minimum relative humidity", "relative_humidity"),
    Variable("rh_mean", "%", "daily mean relative humidity", "relative_humidity"),
    Variable("rs", "MJ m-2 day-1", "incoming shortwave (solar) radiation",
             "surface_downwelling_shortwave_flux_in_air"),
    Variable("u2", "m s-1", "wind speed at 2 m", "wind_speed"),
    Variable("precip", "mm day-1", "precipitation", "lwe_precipitation_rate"),
    Variable("pressure", "kPa", "surface air pressure", "surface_air_pressure"),
    Variable("elevation", "m", "elevation above sea level", "surface_altitude"),
    Variable("lat", "degrees_north", "latitude", "latitude"),
    Variable("lon", "degrees_east", "longitude", "longitude"),
    # reference evapotranspiration and helpers (FAO-56 ch. 3)
    Variable("et0", "mm day-1", "FAO-56 grass reference evapotranspiration",
             "water_potential_evaporation_amount"),
    Variable("et0_hourly", "mm h-1",
             "FAO-56 grass reference evapotranspiration, hourly (FAO-56 Eq. 53)",
             "water_potential_evaporation_amount"),
    Variable("ra", "MJ m-2 day-1", "extraterrestrial radiation (FAO-56 Eq. 21)"),
    Variable("rso", "MJ m-2 day-1", "clear-sky solar radiation (FAO-56 Eq. 37)"),
    Variable("rn", "MJ m-2 day-1", "net radiation (FAO-56 Eq. 40)"),
    # crop and soil water balance (FAO-56 ch. 6-8)
    Variable("kc", "1", "single crop coefficient (FAO-56 Eq. 56)"),
    Variable("kcb", "1", "basal crop coefficient (FAO-56 Eq. 69)"),
    Variable("ke", "1", "soil evaporation coefficient (FAO-56 Eq. 71)"),
    Variable("ks", "1", "water stress coefficient (FAO-56 Eq. 84)"),
    Variable("kc_max", "1", "upper limit of Kc after wetting (FAO-56 Eq. 72)"),
    Variable("das", "day", "days after sowing (0 = sowing day; negative before sowing)"),
    Variable("kr", "1", "evaporation reduction coefficient (FAO-56 Eq. 74)"),
    Variable("few", "1", "exposed and wetted soil fraction (FAO-56 Eq. 75)"),
    Variable("fw", "1", "fraction of soil surface wetted by irrigation or rain (FAO-56 Table 20)"),
    Variable("fc", "1", "fraction of soil surface covered by vegetation (FAO-56 Eq. 76)"),
    Variable("h", "m", "crop height"),
    Variable("zr", "m", "rooting depth"),
    Variable("etc", "mm day-1", "crop evapotranspiration under standard conditions"),
    Variable("eta", "mm day-1", "actual crop evapotranspiration (FAO-56 Eq. 80)"),
    Variable("e", "mm day-1", "soil evaporation"),
    Variable("t", "mm day-1", "crop transpiration"),
    Variable("dr", "mm", "root zone depletion at end of day (FAO-56 Eq. 85)"),
    Variable("de", "mm", "surface layer evaporation depletion (FAO-56 Eq. 77)"),
    Variable("taw", "mm", "total available water in the root zone (FAO-56 Eq. 82)"),
    Variable("raw", "mm", "readily available water in the root zone (FAO-56 Eq. 83)"),
    Variable("p", "1", "depletion fraction for no stress (FAO-56 Table 22)"),
    Variable("ro", "mm day-1", "surface runoff"),
    Variable("dp", "mm day-1", "deep percolation below the root zone"),
    Variable("cr", "mm day-1", "capillary rise into the root zone"),
    Variable("peff", "mm day-1", "effective precipitation (precip - ro - dp from rain)"),
    Variable("irr_net", "mm day-1", "net irrigation reaching the soil"),
    Variable("irr_gross", "mm day-1", "gross irrigation applied at the field"),
    Variable("irr_loss", "mm day-1", "irrigation application losses (irr_gross - irr_net)"),
    Variable("irr_loss_evap", "mm day-1", "irrigation losses to evaporation and wind drift"),
    Variable("irr_loss_ro", "mm day-1", "irrigation losses to tail-water runoff"),
    Variable("irr_loss_dp", "mm day-1", "irrigation losses to deep percolation"),
    Variable("n_events", "1", "number of irrigation events"),
    # ponded rice (irrigate.science.paddy) and salinity (irrigate.science.salinity)
    Variable("pond", "mm", "ponded water depth above the soil surface at end of day"),
    Variable("sat_def", "mm", "saturation deficit of the rice root zone at end of day"),
    Variable("perc", "mm day-1", "percolation and seepage from a rice field"),
    Variable("drain", "mm day-1", "deliberate surface drainage of a rice field (drain-off)"),
    Variable("soak", "mm day-1", "land soaking and puddling water before sowing"),
    Variable("lr", "1", "leaching requirement (FAO-29)"),
    Variable("leach", "mm", "leaching water depth"),
    Variable("ece", "dS m-1", "soil salinity: EC of the saturation extract"),
    Variable("ecw", "dS m-1", "irrigation water salinity (electrical conductivity)"),
    # regional budget
    Variable("area_ha", "ha", "irrigated area"),
    Variable("withdrawal_mcm", "1e6 m3", "withdrawal at the source after conveyance losses"),
    Variable("field_gross_mcm", "1e6 m3", "gross field irrigation volume"),
    # regional budget: seasonal totals (mm per season, area-weighted over the region's cells)
    *(Variable(f"{name}_mm", "mm", f"seasonal total of {what}") for name, what in (
        ("et0", "grass reference evapotranspiration"),
        ("etc", "crop evapotranspiration under standard conditions"),
        ("eta", "actual crop evapotranspiration"),
        ("e", "soil evaporation"), ("t", "crop transpiration"),
        ("precip", "precipitation"),
        ("peff", "effective precipitation (rain kept in the root zone)"),
        ("ro", "surface runoff"), ("dp", "deep percolation below the root zone"),
        ("irr_net", "net irrigation"), ("irr_gross", "gross irrigation at the field"),
        ("irr_loss", "irrigation application losses"),
        ("irr_loss_evap", "irrigation losses to evaporation and drift"),
        ("irr_loss_ro", "irrigation losses to tail-water runoff"),
        ("irr_loss_dp", "irrigation losses to deep percolation"),
        ("soak", "rice land soaking and puddling water (part of irr_gross)"),
        ("drain", "deliberate surface drainage of a rice field"),
        ("irr_gross_current", "gross irrigation of the current method mix"),
        ("saving_vs_current", "gross irrigation saved against the current method mix"),
        ("saving_vs_flood", "gross irrigation saved against flood irrigation"),
    )),
    Variable("et_ratio_pct", "%", "actual over standard crop evapotranspiration (ETa/ETc)"),
    Variable("crop_share_field_pct", "%", "rice: ETa / gross field supply"),
    Variable("crop_share_withdrawal_pct", "%", "rice: ETa / withdrawal at the source"),
    Variable("leach_need_mm", "mm", "in-season leaching depth needed on top of ETc (FAO-29)"),
    Variable("leach_short_mm", "mm", "in-season leaching need not met by the season's percolation"),
    Variable("current_share", "1", "share of the crop area irrigated by the method today"),
    Variable("conveyance_efficiency", "1", "water delivered to the field / water withdrawn"),
    Variable("irrigated_area_ha", "ha", "irrigated area of the region (parameter library)"),
    Variable("withdrawal_current_mcm", "1e6 m3", "withdrawal of the current method mix"),
    Variable("saving_vs_current_pct", "%", "gross irrigation saved against the current mix"),
    Variable("saving_vs_current_mcm", "1e6 m3", "withdrawal saved against the current mix"),
    Variable("saving_vs_flood_pct", "%", "gross irrigation saved against flood irrigation"),
    Variable("saving_vs_flood_mcm", "1e6 m3", "withdrawal saved against flood irrigation"),
    # fair comparison (issue #11; docs/budget.md)
    Variable("short_turn", "1", "1: the full-demand column irrigates out of the canal turn "
             "(engine/turns.py), 0: on the turn"),
    Variable("applicable", "1", "the method is practised for the crop (models/applicability.toml)"),
    Variable("irr_gross_full_current_mm", "mm",
             "gross irrigation of the current method mix in the columns' scenario"),
    Variable("saving_technology_mm", "mm", "gross irrigation saved at equal supply (technology)"),
    Variable("saving_technology_pct", "%", "gross irrigation saved at equal supply (technology)"),
    Variable("saving_technology_mcm", "1e6 m3", "withdrawal saved at equal supply (technology)"),
    Variable("unmet_demand_current_mm", "mm",
             "gross irrigation that ending today's deficit would add"),
    Variable("ky", "1", "seasonal yield response factor (FAO-33; FAO-56 Table 24)"),
    Variable("ym_t_ha", "t ha-1", "potential (full-water) yield"),
    Variable("rel_yield", "1", "relative yield Ya/Ym (FAO-56 Eq. 90)"),
    Variable("rel_yield_current", "1", "relative yield Ya/Ym of today's practice"),
    Variable("production_t", "t", "crop production"),
    Variable("production_current_t", "t", "crop production of today's practice"),
    Variable("consumed_mm", "mm", "consumptive (non-returning) water use"),
    Variable("consumed_current_mm", "mm", "consumptive water use of today's practice"),
    Variable("consumed_mcm", "1e6 m3", "consumptive (non-returning) water use"),
    Variable("consumed_current_mcm", "1e6 m3", "consumptive water use of today's practice"),
    Variable("eta_current_mm", "mm", "actual crop evapotranspiration of today's practice"),
    Variable("t_current_mm", "mm", "crop transpiration of today's practice"),
    Variable("e_current_mm", "mm", "soil evaporation of today's practice"),
    Variable("ro_current_mm", "mm", "surface runoff of today's practice (rain and irrigation)"),
    Variable("dp_current_mm", "mm", "deep percolation below the root zone of today's practice"),
    Variable("irr_loss_evap_current_mm", "mm",
             "irrigation losses to evaporation of today's practice, before the practice factor"),
    Variable("irr_loss_ro_current_mm", "mm",
             "irrigation losses to tail water of today's practice, before the practice factor"),
    Variable("irr_loss_dp_current_mm", "mm",
             "irrigation losses to deep percolation of today's practice, before the practice "
             "factor"),
    Variable("etc_current_mm", "mm", "crop evapotranspiration of today's practice's season"),
    Variable("eta_change_mcm", "1e6 m3", "change of crop water use (ETa) against today"),
    Variable("basin_saving_mcm", "1e6 m3", "consumptive use saved against today (basin)"),
    Variable("wp_withdrawal_kg_m3", "kg m-3", "water productivity per m3 withdrawn"),
    Variable("wp_consumed_kg_m3", "kg m-3", "water productivity per m3 consumed"),
    # today's baseline (issue #12)
    Variable("method_efficiency", "1", "water delivered to the field / water withdrawn, by "
             "method (pipe-fed methods without the on-farm ditch share)"),
    Variable("field_gross_current_mcm", "1e6 m3", "gross field volume of today's practice"),
    Variable("irr_gross_today_mm", "mm", "gross irrigation of today's calendar under the "
             "method, times the practice factor"),
    Variable("irr_net_today_mm", "mm", "net irrigation of today's calendar under the method, "
             "times the practice factor"),
    Variable("area_kind", "1", "kind of irrigated area budgeted: listed or watered"),
    Variable("area_key", "1", "key of models/areas.toml the region's area comes from"),
    Variable("area_sourced", "1", "whether the region's area is sourced (not an assumption)"),
    Variable("practice_factor", "1", "fitted fraction of today's calendar water delivered"),
    Variable("practice_factor_low", "1", "practice factor at the low end of the reported range"),
    Variable("practice_factor_high", "1", "practice factor at the high end of the reported "
             "range"),
    Variable("fitted", "1", "whether the practice factor was fitted to a reported figure"),
    Variable("conveyance_low", "1", "low end of the region's conveyance efficiency"),
    Variable("conveyance_high", "1", "high end of the region's conveyance efficiency"),
    Variable("leaching_low_mcm", "1e6 m3", "off-season leaching withdrawal, low end"),
    Variable("leaching_high_mcm", "1e6 m3", "off-season leaching withdrawal, high end"),
    Variable("leaching_groundwater_share", "1", "part of the off-season leaching water from "
             "wells and drainage reuse"),
)

_BASE: dict[str, Variable] = {v.name: v for v in _ROWS}
#: Budget variables reduced across seasons (irrigate.engine.seasons.STAT_VARIABLES).
_SEASON_STATS = ("precip_mm", "et0_mm", "eta_mm", "irr_net_mm", "irr_gross_mm",
                 "withdrawal_mcm", "region_withdrawal_current_mcm", "region_withdrawal_mcm",
                 "total_withdrawal_current_mcm")
#: Budget variables of the dependable-year budget (``design_<name>``).
_DESIGN = ("et0_mm", "etc_mm", "eta_mm", "e_mm", "t_mm", "precip_mm", "peff_mm", "ro_mm",
           "dp_mm", "irr_net_mm", "irr_gross_mm", "irr_loss_mm", "irr_loss_evap_mm",
           "irr_loss_ro_mm", "irr_loss_dp_mm", "soak_mm", "drain_mm", "n_events",
           "leach_need_mm", "leach_short_mm", "et_ratio_pct", "field_gross_mcm",
           "withdrawal_mcm", "irr_gross_current_mm", "withdrawal_current_mcm",
           "saving_vs_current_mm", "saving_vs_current_pct", "saving_vs_current_mcm",
           "saving_vs_flood_mm", "saving_vs_flood_pct", "saving_vs_flood_mcm",
           "crop_share_field_pct", "crop_share_withdrawal_pct")
# many seasons (irrigate.engine.seasons, docs/budget.md "Many seasons")
_SEASON_ROWS: tuple[Variable, ...] = (
    Variable("region_withdrawal_current_mcm", "1e6 m3",
             "withdrawal of the region's current practice, all lines"),
    Variable("region_withdrawal_mcm", "1e6 m3",
             "withdrawal of the region in the method's scenario, all lines"),
    Variable("total_withdrawal_current_mcm", "1e6 m3",
             "withdrawal of the current practice, all budgeted regions"),
    *(Variable(f"{name}_{stat}", "1e6 m3" if name.endswith("_mcm") else "mm",
               f"{name}: {what} across seasons")
      for name in _SEASON_STATS for stat, what in (
          ("mean", "mean"), ("sd", "sample standard deviation"),
          ("p", "value not exceeded with the dependability P"))),
    *(Variable(f"design_{name}", _BASE[name].units,
               f"dependable-year value (at P) of: {_BASE[name].long_name}")
      for name in _DESIGN if name in _BASE),
    Variable("n_seasons", "1", "number of seasons with a value"),
    Variable("normality_p", "1", "Shapiro-Wilk p-value of the seasons' gross depths"),
    Variable("limit_mcm", "1e6 m3", "water limit of the region"),
    Variable("seasons_over_limit", "1", "seasons whose withdrawal exceeds the limit"),
    Variable("seasons_over_limit_current", "1",
             "seasons whose current-practice withdrawal exceeds the limit"),
    Variable("mean_excess_mcm", "1e6 m3", "mean withdrawal above the limit, seasons above it"),
    Variable("max_excess_mcm", "1e6 m3", "largest withdrawal above the limit"),
    Variable("mean_excess_current_mcm", "1e6 m3",
             "mean current-practice withdrawal above the limit, seasons above it"),
    Variable("max_excess_current_mcm", "1e6 m3",
             "largest current-practice withdrawal above the limit"),
    Variable("harvest_year", "1", "harvest year of the season a daily value belongs to"),
)

VARIABLES: dict[str, Variable] = {**_BASE, **{v.name: v for v in _SEASON_ROWS}}

#: Attribute of an input grid (the irrigated fraction) naming the file it came from, for
#: error messages of the code that uses it.
FRACTION_SOURCE = "irrigate_source"


def attrs_for(name: str) -> dict[str, str]:
    """Return the NetCDF attributes of the variable ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not in the table (every output variable must be).

    """
    return VARIABLES[name].attrs()


def label(ds: Any) -> Any:
    """Return ``ds`` with units and long names from the table on every variable it has.

    Variables the table does not know keep their attributes.
    """
    ds = ds.copy()
    for name in ds.data_vars:
        if name in VARIABLES:
            ds[name].attrs = {**ds[name].attrs, **VARIABLES[name].attrs()}
    return ds


def markdown_table() -> str:
    """Return the variables table as Markdown (the body of ``docs/variables.md``)."""
    lines = ["| name | units | long_name | standard_name |", "|---|---|---|---|"]
    for v in VARIABLES.values():
        lines.append(f"| `{v.name}` | {v.units} | {v.long_name} | {v.standard_name or ''} |")
    return "\n".join(lines) + "\n"
