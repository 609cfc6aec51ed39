"""Hourly reference evapotranspiration validation cases: FAO-56 Example 19 (pp. 75-76).

N'Diaye (Senegal), 1 October (J = 274), 16°13'N, 16°15'W, 8 m; hours 02:00-03:00 and
14:00-15:00; Lz = 15 (degrees west, i.e. a UTC-1 clock). Every input and published value is
taken from the FAO-56 text (Allen et al., 1998); p. 75 holds the inputs and the parameters
(Delta, gamma, e°, ea), p. 76 the radiation terms, G and ET0. Night-time Rs/Rso is the
value the example assumes (0.8, an arid-climate value of p. 75).

Tolerances: half a unit of the last printed digit. The two ET0 values (0.00 and 0.63 mm/h)
are sums of two terms the example rounds to two decimals first; half a unit of the last
digit (0.005) still holds for both.
"""

from __future__ import annotations

from functools import cache

from irrigate.science import et0 as et
from irrigate.science import et0_hourly as hr
from irrigate.science import radiation as rad
from irrigate.validation import Case

FAO56 = "FAO-56 (Allen et al. 1998)"
MJ_H = "MJ m-2 hour-1"

#: Example 19 inputs (FAO-56 p. 75). Longitudes in degrees east (FAO-56: 16.25 W, Lz 15 W).
EX19 = {"lat": 16.0 + 13.0 / 60.0, "lon": -(16.0 + 15.0 / 60.0), "lz": -15.0, "z": 8.0,
        "doy": 274, "rs_rso_night": 0.8}
#: hour label -> (clock time at midpoint t, T_hr degC, RH_hr %, u2 m/s, Rs MJ m-2 hour-1)
EX19_HOURS = {"02-03 h": (2.5, 28.0, 90.0, 1.9, 0.0),
              "14-15 h": (14.5, 38.0, 52.0, 3.3, 2.450)}


@cache
def ex19(hour: str) -> dict[str, float]:
    """Every Example 19 intermediate for ``hour`` ("02-03 h" or "14-15 h")."""
    d = EX19
    t_mid, t, rh, u2, rs = EX19_HOURS[hour]
    args = (d["lat"], d["doy"], t_mid, d["lon"], d["lz"])
    omega = hr.solar_time_angle(t_mid, d["doy"], d["lon"], d["lz"])
    omega_1, omega_2 = hr.period_hour_angles(omega)
    ra = hr.extraterrestrial_radiation_period(*args)
    rso = rad.clear_sky_radiation(ra, d["z"])
    daytime = bool(hr.is_daytime(*args))
    ratio = hr.relative_shortwave_radiation_hourly(rs, rso) if daytime else d["rs_rso_night"]
    ea = hr.ea_from_rh_hourly(t, rh)
    rns = rad.net_shortwave_radiation(rs)
    rnl = hr.net_longwave_radiation_hourly(t, ea, ratio)
    rn = rad.net_radiation(rns, rnl)
    es = et.saturation_vapour_pressure(t)
    return {
        "delta": et.slope_vapour_pressure_curve(t),
        "gamma": et.psychrometric_constant(et.atmospheric_pressure(d["z"])),
        "es": es, "ea": ea, "vpd": et.vapour_pressure_deficit(es, ea),
        "sc": hr.seasonal_correction(d["doy"]), "omega": omega, "omega_1": omega_1,
        "omega_2": omega_2, "ra": ra, "rso": rso, "rs_rso": ratio, "rns": rns, "rnl": rnl,
        "rn": rn, "g": hr.soil_heat_flux_hourly(rn, daytime),
        "et0": hr.et0_fao56_hourly(t, ea, rs, u2, d["lat"], d["doy"], t_mid, d["lon"], d["z"],
                                   rs_rso_night=d["rs_rso_night"], lz=d["lz"]),
    }


def _case(what: str, hour: str | None, key: str, published: float, tolerance: float,
          unit: str, page: int) -> Case:
    which = hour or "14-15 h"

    def compute() -> float:
        return float(ex19(which)[key])

    name = f"FAO-56 Ex. 19 {what}" + (f" {hour}" if hour else "")
    return Case(name, published, tolerance, compute, unit, f"{FAO56}, Example 19, p. {page}")


def cases() -> list[Case]:
    """Return the FAO-56 Example 19 cases (hourly ET0 and its intermediates)."""
    night, day = "02-03 h", "14-15 h"
    kpa, slope = "kPa", "kPa degC-1"
    return [
        # parameters and vapour pressure (p. 75)
        _case("Delta at T_hr (Eq. 13)", night, "delta", 0.220, 0.0005, slope, 75),
        _case("Delta at T_hr (Eq. 13)", day, "delta", 0.358, 0.0005, slope, 75),
        _case("gamma at 8 m (Eqs. 7-8)", None, "gamma", 0.0673, 0.00005, slope, 75),
        _case("e°(T_hr) (Eq. 11)", night, "es", 3.780, 0.0005, kpa, 75),
        _case("e°(T_hr) (Eq. 11)", day, "es", 6.625, 0.0005, kpa, 75),
        _case("ea from RH_hr (Eq. 54)", night, "ea", 3.402, 0.0005, kpa, 75),
        _case("ea from RH_hr (Eq. 54)", day, "ea", 3.445, 0.0005, kpa, 75),
        _case("e° - ea", night, "vpd", 0.378, 0.0005, kpa, 75),
        _case("e° - ea", day, "vpd", 3.180, 0.0005, kpa, 75),
        # solar time and extraterrestrial radiation (p. 76)
        _case("Sc, 1 Oct (Eqs. 32-33)", None, "sc", 0.1889, 0.00005, "hour", 76),
        _case("omega (Eq. 31)", night, "omega", -2.46, 0.005, "rad", 76),
        _case("omega (Eq. 31)", day, "omega", 0.682, 0.0005, "rad", 76),
        _case("omega_1 (Eq. 29)", day, "omega_1", 0.5512, 0.00005, "rad", 76),
        _case("omega_2 (Eq. 30)", day, "omega_2", 0.8130, 0.00005, "rad", 76),
        _case("Ra hourly (Eq. 28)", night, "ra", 0.0, 0.0005, MJ_H, 76),
        _case("Ra hourly (Eq. 28)", day, "ra", 3.543, 0.0005, MJ_H, 76),
        # radiation balance and soil heat flux (p. 76)
        _case("Rso hourly (Eq. 37)", night, "rso", 0.0, 0.0005, MJ_H, 76),
        _case("Rso hourly (Eq. 37)", day, "rso", 2.658, 0.0005, MJ_H, 76),
        _case("Rns (Eq. 38)", day, "rns", 1.887, 0.0005, MJ_H, 76),
        _case("Rs/Rso", day, "rs_rso", 0.922, 0.0005, "1", 76),
        _case("Rnl hourly (Eq. 39; Rs/Rso 0.8 assumed)", night, "rnl", 0.100, 0.0005,
              MJ_H, 76),
        _case("Rnl hourly (Eq. 39)", day, "rnl", 0.137, 0.0005, MJ_H, 76),
        _case("Rn (Eq. 40)", night, "rn", -0.100, 0.0005, MJ_H, 76),
        _case("Rn (Eq. 40)", day, "rn", 1.749, 0.0005, MJ_H, 76),
        _case("G night (Eq. 46)", night, "g", -0.050, 0.0005, MJ_H, 76),
        _case("G day (Eq. 45)", day, "g", 0.175, 0.0005, MJ_H, 76),
        # reference evapotranspiration (p. 76)
        _case("ET0 hourly N'Diaye (Eq. 53)", night, "et0", 0.00, 0.005, "mm hour-1", 76),
        _case("ET0 hourly N'Diaye (Eq. 53)", day, "et0", 0.63, 0.005, "mm hour-1", 76),
    ]
