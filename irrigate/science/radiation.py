"""Radiation terms of the FAO-56 reference evapotranspiration (FAO-56 ch. 3, Eqs. 21-40, 50).

Pure functions in fixed units: latitude in decimal degrees (positive north), day of year
``doy`` (1-366), radiation in MJ m-2 day-1, temperature in degC, vapour pressure in kPa,
elevation in m. They use only arithmetic and numpy ufuncs, so they work unchanged on numpy
arrays, ``xarray.DataArray`` (labels kept) and dask-backed arrays (laziness kept).

Reference: Allen, R.G., Pereira, L.S., Raes, D., Smith, M. (1998). Crop evapotranspiration.
FAO Irrigation and Drainage Paper 56 ("FAO-56"), chapter 3, pp. 41-53 and 59-61.
"""

from __future__ import annotations

from typing import Any

import numpy as np

ArrayLike = Any  # numpy array, xarray.DataArray, dask array or float

#: Solar constant G_sc (MJ m-2 min-1), FAO-56 Eq. 21.
SOLAR_CONSTANT = 0.0820
#: Stefan-Boltzmann constant sigma (MJ K-4 m-2 day-1), FAO-56 Eq. 39.
STEFAN_BOLTZMANN = 4.903e-9
#: Albedo of the grass reference crop (-), FAO-56 Eq. 38.
ALBEDO_REFERENCE = 0.23
#: Offset from degC to K used by FAO-56 Eq. 39 (K = degC + 273.16).
KELVIN_OFFSET = 273.16
#: Angstrom coefficients a_s, b_s recommended without calibration (FAO-56 Eq. 35, p. 50).
ANGSTROM_AS = 0.25
ANGSTROM_BS = 0.50
#: Hargreaves radiation adjustment coefficient kRs (degC-0.5), FAO-56 Eq. 50, p. 60-61.
KRS_INTERIOR = 0.16
KRS_COASTAL = 0.19


def latitude_radians(lat: ArrayLike) -> ArrayLike:
    """Convert latitude from decimal degrees to radians (FAO-56 Eq. 22)."""
    return lat * (np.pi / 180.0)


def inverse_relative_distance(doy: ArrayLike) -> ArrayLike:
    """Inverse relative distance Earth-Sun d_r (-) (FAO-56 Eq. 23).

    Parameters
    ----------
    doy : array-like
        Day of the year J (1 = 1 January).

    """
    return 1.0 + 0.033 * np.cos(2.0 * np.pi / 365.0 * doy)


def solar_declination(doy: ArrayLike) -> ArrayLike:
    """Solar declination delta (rad) (FAO-56 Eq. 24)."""
    return 0.409 * np.sin(2.0 * np.pi / 365.0 * doy - 1.39)


def sunset_hour_angle(lat: ArrayLike, doy: ArrayLike) -> ArrayLike:
    """Sunset hour angle omega_s (rad) (FAO-56 Eq. 25), valid at every latitude.

    The argument of arccos, -tan(phi) tan(delta), leaves [-1, 1] inside the polar circles; it
    is clipped to that interval, so omega_s = pi on a polar day (sun never sets) and 0 in a
    polar night (sun never rises). FAO-56 (p. 47) warns that Ra has limited validity in winter
    poleward of 55 degrees.

    Parameters
    ----------
    lat : array-like
        Latitude (decimal degrees, positive north).
    doy : array-like
        Day of the year.

    """
    arg = -np.tan(latitude_radians(lat)) * np.tan(solar_declination(doy))
    return np.arccos(np.minimum(np.maximum(arg, -1.0), 1.0))


def extraterrestrial_radiation(lat: ArrayLike, doy: ArrayLike) -> ArrayLike:
    """Daily extraterrestrial radiation Ra (MJ m-2 day-1) (FAO-56 Eq. 21).

    Ra = 24 (60) / pi G_sc d_r [omega_s sin(phi) sin(delta) + cos(phi) cos(delta) sin(omega_s)],
    with d_r from Eq. 23, delta from Eq. 24 and omega_s from Eq. 25 (polar limits included).
    The result is limited to >= 0 (rounding at the poles only).
    """
    phi = latitude_radians(lat)
    delta = solar_declination(doy)
    omega_s = sunset_hour_angle(lat, doy)
    ra = (24.0 * 60.0 / np.pi) * SOLAR_CONSTANT * inverse_relative_distance(doy) * (
        omega_s * np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.sin(omega_s)
    )
    return np.maximum(ra, 0.0)


def daylight_hours(lat: ArrayLike, doy: ArrayLike) -> ArrayLike:
    """Daylight hours N (hour) (FAO-56 Eq. 34): N = 24 / pi omega_s (0 to 24 h)."""
    return 24.0 / np.pi * sunset_hour_angle(lat, doy)


def rs_from_sunshine(
    n: ArrayLike,
    daylight: ArrayLike,
    ra: ArrayLike,
    a_s: float = ANGSTROM_AS,
    b_s: float = ANGSTROM_BS,
) -> ArrayLike:
    """Solar radiation Rs (MJ m-2 day-1) from sunshine duration, Angstrom formula (FAO-56 Eq. 35).

    Rs = (a_s + b_s n / N) Ra.

    Parameters
    ----------
    n : array-like
        Actual duration of sunshine (hour).
    daylight : array-like
        Daylight hours N (hour), FAO-56 Eq. 34.
    ra : array-like
        Extraterrestrial radiation (MJ m-2 day-1), FAO-56 Eq. 21.
    a_s, b_s : float
        Angstrom coefficients; 0.25 and 0.50 without local calibration (FAO-56 p. 50).

    """
    return (a_s + b_s * n / daylight) * ra


def clear_sky_radiation(ra: ArrayLike, elevation: ArrayLike) -> ArrayLike:
    """Clear-sky solar radiation Rso (MJ m-2 day-1) from elevation (FAO-56 Eq. 37).

    Rso = (0.75 + 2e-5 z) Ra, used when calibrated Angstrom coefficients are not available.
    """
    return (0.75 + 2.0e-5 * elevation) * ra


def clear_sky_radiation_angstrom(
    ra: ArrayLike, a_s: float = ANGSTROM_AS, b_s: float = ANGSTROM_BS
) -> ArrayLike:
    """Clear-sky solar radiation Rso (MJ m-2 day-1) from Angstrom coefficients (FAO-56 Eq. 36).

    Rso = (a_s + b_s) Ra, for sites near sea level or with calibrated a_s, b_s.
    """
    return (a_s + b_s) * ra


def clear_sky_radiation_full(
    ra: ArrayLike,
    ea: ArrayLike,
    pressure: ArrayLike,
    lat: ArrayLike,
    doy: ArrayLike,
    kt: float = 1.0,
) -> ArrayLike:
    """Clear-sky solar radiation Rso (MJ m-2 day-1) with pressure and water vapour effects.

    The "full" daily form of ASCE-EWRI (2005) Appendix D (Eqs. D.1-D.6), the revised version
    of FAO-56 Annex 3 Eqs. 3-16 to 3-20: Rso = (KB + KD) Ra with
    KB = 0.98 exp[-0.00146 P / (kt sin b24) - 0.075 (W / sin b24)^0.4],
    KD = 0.35 - 0.36 KB for KB >= 0.15, 0.18 + 0.82 KB below (evaluated as the minimum of the
    two lines), precipitable water W = 0.14 ea P + 2.1 mm (FAO-56 Eq. 3-19) and the
    Ra-weighted mean sun elevation sin b24 = sin[0.85 + 0.3 phi sin(2 pi J / 365 - 1.39)
    - 0.42 phi^2] (FAO-56 Eq. 3-16), limited to >= 0.01. The coefficients are those of the
    ASCE-EWRI standard as used by the Ref-ET software and ``refet`` (FAO-56 Annex 3 prints
    the earlier 0.091 (W/sin)^0.25 and 0.33 KB). Not used by FAO-56 Eq. 6 by default
    (Eq. 37 is); provided to reproduce ASCE/Ref-ET reference values.

    Parameters
    ----------
    ra : array-like
        Extraterrestrial radiation (MJ m-2 day-1).
    ea : array-like
        Actual vapour pressure (kPa).
    pressure : array-like
        Atmospheric pressure (kPa).
    lat : array-like
        Latitude (decimal degrees).
    doy : array-like
        Day of the year.
    kt : float
        Turbidity coefficient (-), 1.0 for clean air, 0.5 for extremely turbid air.

    """
    phi = latitude_radians(lat)
    sin_b24 = np.sin(0.85 + 0.3 * phi * np.sin(2.0 * np.pi / 365.0 * doy - 1.39)
                     - 0.42 * phi**2)
    sin_b24 = np.maximum(sin_b24, 0.01)
    w = 0.14 * ea * pressure + 2.1
    kb = 0.98 * np.exp(-0.00146 * pressure / (kt * sin_b24) - 0.075 * (w / sin_b24) ** 0.4)
    kd = np.minimum(0.35 - 0.36 * kb, 0.18 + 0.82 * kb)
    return (kb + kd) * ra


def net_shortwave_radiation(rs: ArrayLike, albedo: float = ALBEDO_REFERENCE) -> ArrayLike:
    """Net shortwave radiation Rns (MJ m-2 day-1) (FAO-56 Eq. 38): Rns = (1 - albedo) Rs."""
    return (1.0 - albedo) * rs


def relative_shortwave_radiation(rs: ArrayLike, rso: ArrayLike, lower: float = 0.0
                                 ) -> ArrayLike:
    """Relative shortwave radiation Rs/Rso (-), limited to <= 1.0 (FAO-56 Eq. 39, p. 52).

    ``lower`` > 0 also bounds it from below (0.3: ASCE-EWRI 2005 Eq. 18, which keeps the
    cloudiness factor 1.35 Rs/Rso - 0.35 >= 0.055). Where Rso = 0 (polar night, where FAO-56
    Eq. 39 is undefined) the ratio is set to 1.0, i.e. the clear-sky longwave loss; a
    warning about 0/0 may be emitted there.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.fmin(rs / rso, 1.0)
    return np.maximum(ratio, lower) if lower > 0 else ratio


def net_longwave_radiation(
    tmax: ArrayLike, tmin: ArrayLike, ea: ArrayLike, rs: ArrayLike, rso: ArrayLike,
    rs_rso_min: float = 0.0,
) -> ArrayLike:
    """Net outgoing longwave radiation Rnl (MJ m-2 day-1) (FAO-56 Eq. 39).

    Rnl = sigma [(Tmax,K^4 + Tmin,K^4) / 2] (0.34 - 0.14 sqrt(ea)) (1.35 Rs/Rso - 0.35),
    with T_K = T + 273.16, sigma = 4.903e-9 MJ K-4 m-2 day-1 and Rs/Rso limited to <= 1.0.

    Parameters
    ----------
    tmax, tmin : array-like
        Daily maximum and minimum air temperature (degC).
    ea : array-like
        Actual vapour pressure (kPa).
    rs : array-like
        Solar radiation (MJ m-2 day-1).
    rso : array-like
        Clear-sky solar radiation (MJ m-2 day-1), Eq. 36 or 37.
    rs_rso_min : float
        Lower bound of Rs/Rso (0 = FAO-56 as printed; 0.3 = ASCE-EWRI 2005).

    """
    tmax_k4 = (tmax + KELVIN_OFFSET) ** 4
    tmin_k4 = (tmin + KELVIN_OFFSET) ** 4
    cloudiness = 1.35 * relative_shortwave_radiation(rs, rso, rs_rso_min) - 0.35
    return STEFAN_BOLTZMANN * 0.5 * (tmax_k4 + tmin_k4) * (0.34 - 0.14 * np.sqrt(ea)) * cloudiness


def net_radiation(rns: ArrayLike, rnl: ArrayLike) -> ArrayLike:
    """Net radiation Rn (MJ m-2 day-1) (FAO-56 Eq. 40): Rn = Rns - Rnl."""
    return rns - rnl


def rs_from_temperature(
    tmax: ArrayLike,
    tmin: ArrayLike,
    ra: ArrayLike,
    krs: float = KRS_INTERIOR,
    rso: ArrayLike | None = None,
) -> ArrayLike:
    """Solar radiation Rs (MJ m-2 day-1) from the temperature range (FAO-56 Eq. 50).

    Hargreaves' radiation formula Rs = kRs sqrt(Tmax - Tmin) Ra, a FAO-56 ch. 3 missing-data
    procedure. A negative range (bad data) is treated as 0. When ``rso`` is given, Rs is
    limited to <= Rso as FAO-56 requires (p. 61).

    Parameters
    ----------
    tmax, tmin : array-like
        Daily maximum and minimum air temperature (degC).
    ra : array-like
        Extraterrestrial radiation (MJ m-2 day-1).
    krs : float
        Adjustment coefficient (degC-0.5): 0.16 for interior, 0.19 for coastal locations.
    rso : array-like, optional
        Clear-sky radiation (MJ m-2 day-1), Eq. 36 or 37, used as an upper limit.

    """
    rs = krs * np.sqrt(np.maximum(tmax - tmin, 0.0)) * ra
    if rso is not None:
        rs = np.minimum(rs, rso)
    return rs
