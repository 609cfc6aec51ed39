"""Hourly solar geometry and radiation terms of FAO-56 (Eqs. 28-33, hourly Eq. 39).

Pure functions in fixed units (radiation MJ m-2 hour-1, angles in rad, latitude and longitude
in decimal degrees, positive north and **east**; clock time in hours, day of year 1-366), for
floats, numpy, ``xarray.DataArray`` and dask alike: the solar time angle at the middle of a
period (Eqs. 31-33), the extraterrestrial radiation of a period limited to sunrise and sunset
(Eq. 28-30), daytime and the pre-sunset window whose Rs/Rso stands for the night (p. 75), and
the hourly net longwave radiation (Eq. 39 with sigma/24). :mod:`irrigate.science.et0_hourly`
builds the hourly reference ET on them.

Reference: Allen et al. (1998), FAO Irrigation and Drainage Paper 56, pp. 47-48 and 74-75.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from irrigate.science import radiation

ArrayLike = Any  # numpy array, xarray.DataArray, dask array or float

#: Stefan-Boltzmann constant per hour (MJ K-4 m-2 hour-1): 4.903e-9 / 24 = 2.043e-10
#: (FAO-56 p. 74, hourly form of Eq. 39).
STEFAN_BOLTZMANN_HOURLY = radiation.STEFAN_BOLTZMANN / 24.0
#: Hours per degree of longitude in Eq. 31 (1/15 as printed, FAO-56 p. 48).
HOURS_PER_DEGREE = 0.06667
#: Lower limit of Rs/Rso in hourly Rnl: 0.3 "presumes total cloud cover" (FAO-56 p. 75).
RS_RSO_MIN = 0.3
#: The period 2-3 h before sunset whose Rs/Rso stands for the following night:
#: (omega_s - 0.79) <= omega <= (omega_s - 0.52) rad (FAO-56 p. 75).
NIGHT_WINDOW = (0.79, 0.52)


# --- solar time and extraterrestrial radiation (FAO-56 pp. 47-48)  ----------------------------

def seasonal_correction(doy: ArrayLike) -> ArrayLike:
    """Seasonal correction for solar time Sc (hour) (FAO-56 Eqs. 32-33, p. 48).

    Sc = 0.1645 sin(2b) - 0.1255 cos(b) - 0.025 sin(b), b = 2 pi (J - 81) / 364.
    """
    b = 2.0 * np.pi * (doy - 81.0) / 364.0
    return 0.1645 * np.sin(2.0 * b) - 0.1255 * np.cos(b) - 0.025 * np.sin(b)


def solar_time_angle(hour: ArrayLike, doy: ArrayLike, lon: ArrayLike,
                     lz: ArrayLike = 0.0) -> ArrayLike:
    """Solar time angle omega (rad) at the midpoint of a period (FAO-56 Eq. 31, p. 48).

    omega = pi/12 [(t + 0.06667 (Lz - Lm) + Sc) - 12], with Lz - Lm of FAO-56 (degrees west)
    written as ``lon - lz`` (degrees east) and Sc from :func:`seasonal_correction`. The
    result is wrapped to [-pi, pi) so that a UTC clock far from Greenwich (e.g. 23:30 UTC
    at 80 degE, local solar time about 04:50) lands on the right side of solar noon.

    Parameters
    ----------
    hour : array-like
        Standard clock time at the midpoint of the period (hour), e.g. 14.5 for 14:00-15:00.
    doy : array-like
        Day of the year J.
    lon : array-like
        Longitude of the site (decimal degrees east; FAO-56 Lm is degrees west).
    lz : array-like
        Longitude of the centre of the time zone of ``hour`` (degrees east), 15 x the UTC
        offset in hours; 0 for UTC.

    """
    omega = np.pi / 12.0 * (hour + HOURS_PER_DEGREE * (lon - lz) + seasonal_correction(doy)
                            - 12.0)
    return (omega + np.pi) % (2.0 * np.pi) - np.pi


def period_hour_angles(omega: ArrayLike, period: float = 1.0) -> tuple[ArrayLike, ArrayLike]:
    """Solar time angles omega_1, omega_2 (rad) at the start and end of a period.

    FAO-56 Eqs. 29-30 (p. 48): omega_1 = omega - pi t_l / 24, omega_2 = omega + pi t_l / 24,
    with ``period`` = t_l in hours (1 for hourly, 0.5 for 30-minute periods).
    """
    half = np.pi * period / 24.0
    return omega - half, omega + half


def extraterrestrial_radiation_period(
    lat: ArrayLike,
    doy: ArrayLike,
    hour: ArrayLike,
    lon: ArrayLike,
    lz: ArrayLike = 0.0,
    period: float = 1.0,
) -> ArrayLike:
    """Extraterrestrial radiation Ra for an hourly or shorter period (MJ m-2 per period).

    FAO-56 Eq. 28 (p. 47): Ra = 12 (60)/pi G_sc d_r [(omega_2 - omega_1) sin(phi) sin(delta)
    + cos(phi) cos(delta) (sin(omega_2) - sin(omega_1))], with omega from Eq. 31, omega_1 and
    omega_2 from Eqs. 29-30, d_r Eq. 23, delta Eq. 24. For hourly periods the unit is
    MJ m-2 hour-1.

    Sunrise and sunset: omega_1 and omega_2 are limited to [-omega_s, omega_s] (omega_s,
    Eq. 25). Eq. 28 is the integral of the instantaneous extraterrestrial flux from omega_1
    to omega_2, and that flux is zero while the sun is below the horizon, so the limited
    angles give the exact integral over the part of the period with the sun up. A period
    wholly at night gets Ra = 0 (FAO-56 p. 48: "omega < -omega_s or omega > omega_s ...
    Ra is zero"); a period that contains sunrise or sunset gets the share of it with the
    sun up (FAO-56, which tests only the midpoint, would give all or nothing). Near a
    polar day (omega_s close to pi) the period around solar midnight can reach the sun-up
    span of the next or previous day (omega +- 2 pi); those spans are added the same way.
    The hourly values of a day add up to the daily Ra of Eq. 21.

    Parameters
    ----------
    lat : array-like
        Latitude (decimal degrees, positive north).
    doy : array-like
        Day of the year J.
    hour : array-like
        Standard clock time at the midpoint of the period (hour).
    lon, lz : array-like
        Longitude of the site and of the time-zone centre (degrees east); see
        :func:`solar_time_angle`.
    period : float
        Length of the period t_l (hour).

    """
    phi = radiation.latitude_radians(lat)
    delta = radiation.solar_declination(doy)
    omega_s = radiation.sunset_hour_angle(lat, doy)
    omega_1, omega_2 = period_hour_angles(solar_time_angle(hour, doy, lon, lz), period)
    bracket = 0.0
    for turn in (-2.0 * np.pi, 0.0, 2.0 * np.pi):  # sun-up spans of this and adjacent days
        low, high = turn - omega_s, turn + omega_s
        w1 = np.minimum(np.maximum(omega_1, low), high)
        w2 = np.minimum(np.maximum(omega_2, low), high)
        bracket = bracket + ((w2 - w1) * np.sin(phi) * np.sin(delta)
                             + np.cos(phi) * np.cos(delta) * (np.sin(w2) - np.sin(w1)))
    ra = ((12.0 * 60.0 / np.pi) * radiation.SOLAR_CONSTANT
          * radiation.inverse_relative_distance(doy) * bracket)
    return np.maximum(ra, 0.0)


def is_daytime(lat: ArrayLike, doy: ArrayLike, hour: ArrayLike, lon: ArrayLike,
               lz: ArrayLike = 0.0) -> ArrayLike:
    """Return True where the sun is above the horizon at the period midpoint (bool).

    FAO-56 p. 48: omega < -omega_s or omega > omega_s (Eq. 31, Eq. 25) means the sun is
    below the horizon. This is the day/night split used for G (Eqs. 45-46) and for the
    night-time Rs/Rso of Rnl (p. 75).
    """
    omega = solar_time_angle(hour, doy, lon, lz)
    return abs(omega) <= radiation.sunset_hour_angle(lat, doy)


def night_window(lat: ArrayLike, doy: ArrayLike, hour: ArrayLike, lon: ArrayLike,
                 lz: ArrayLike = 0.0) -> ArrayLike:
    """Return True for the period 2-3 hours before sunset (bool) (FAO-56 p. 75).

    (omega_s - 0.79) <= omega <= (omega_s - 0.52), omega from Eq. 31 and omega_s from
    Eq. 25: the period whose Rs/Rso stands for the cloudiness of the following night.
    """
    omega = solar_time_angle(hour, doy, lon, lz)
    omega_s = radiation.sunset_hour_angle(lat, doy)
    early, late = NIGHT_WINDOW
    return (omega >= omega_s - early) & (omega <= omega_s - late)


# --- hourly radiation balance and soil heat flux  ---------------------------------------------

def relative_shortwave_radiation_hourly(rs: ArrayLike, rso: ArrayLike) -> ArrayLike:
    """Hourly relative shortwave radiation Rs/Rso (-), limited to 0.3-1.0 (FAO-56 p. 52, 75).

    Eq. 39 limits Rs/Rso to <= 1.0 (p. 52); the lower limit 0.3 is the value FAO-56 p. 75
    says "presumes total cloud cover" (hourly ratios at a low sun would otherwise fall
    below it). Where Rso = 0 (the whole period at night) the ratio is undefined and NaN:
    night periods take the night-time ratio instead (p. 75).
    """
    return np.minimum(np.maximum(rs / xr.where(rso > 0, rso, np.nan), RS_RSO_MIN), 1.0)


def net_longwave_radiation_hourly(t: ArrayLike, ea: ArrayLike, rs_rso: ArrayLike) -> ArrayLike:
    """Hourly net outgoing longwave radiation Rnl (MJ m-2 hour-1) (FAO-56 Eq. 39, p. 74).

    Rnl = sigma_hr T_K^4 (0.34 - 0.14 sqrt(ea)) (1.35 Rs/Rso - 0.35): for hourly periods
    (sigma Tmax,K^4 + sigma Tmin,K^4)/2 is replaced by sigma T_hr,K^4 with
    sigma_hr = 4.903e-9 / 24 = 2.043e-10 MJ K-4 m-2 hour-1 and T_K = T + 273.16 (p. 74).

    Parameters
    ----------
    t : array-like
        Mean hourly air temperature T_hr (degC).
    ea : array-like
        Average hourly actual vapour pressure (kPa).
    rs_rso : array-like
        Relative shortwave radiation Rs/Rso (-): by day from
        :func:`relative_shortwave_radiation_hourly`, at night the value carried from the
        period 2-3 h before sunset or an assumed value (p. 75).

    """
    t_k4 = (t + radiation.KELVIN_OFFSET) ** 4
    return STEFAN_BOLTZMANN_HOURLY * t_k4 * (0.34 - 0.14 * np.sqrt(ea)) * (1.35 * rs_rso - 0.35)
