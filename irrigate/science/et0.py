"""FAO-56 grass reference evapotranspiration ET0 (FAO-56 ch. 2-4).

Pure functions in fixed units (degC, kPa, MJ m-2 day-1, m s-1 at 2 m, m elevation, decimal
degrees latitude, day of year). They use only arithmetic and numpy ufuncs, so they work the
same on numpy arrays, ``xarray.DataArray`` and dask-backed arrays (labels and laziness kept).
The radiation terms live in :mod:`irrigate.science.radiation`.

:func:`reference_et` is the Dataset-level entry point: it picks the best FAO-56 procedure
for the variables present and records in the output's ``method`` attribute what it used.

Reference: Allen, R.G., Pereira, L.S., Raes, D., Smith, M. (1998). Crop evapotranspiration.
FAO Irrigation and Drainage Paper 56 ("FAO-56").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from irrigate.errors import InputError
from irrigate.science import humidity, radiation
from irrigate.science.conventions import Conventions
from irrigate.science.conventions import conventions as resolve_conventions
from irrigate.science.et0_compiled import Humidity, penman_monteith_fused
from irrigate.variables import attrs_for

ArrayLike = Any  # numpy array, xarray.DataArray, dask array or float

#: Factor 1/lambda converting MJ m-2 day-1 to mm day-1 (lambda = 2.45 MJ kg-1), FAO-56 Eq. 20.
MJ_TO_MM = 0.408
#: Default wind speed at 2 m (m s-1) when no wind data exist (FAO-56 ch. 3, p. 63).
U2_DEFAULT = 2.0
#: Lower limit of u2 (m s-1) in the PM equation (FAO-56 ch. 3, p. 63).
U2_MIN = 0.5
#: Aspirated (Assmann) psychrometer coefficient a_psy (degC-1), FAO-56 Eq. 16.
A_PSY_VENTILATED = 0.000662

METHODS = ("auto", "penman-monteith", "hargreaves")
HUMIDITY_VARIABLES = humidity.HUMIDITY_NAMES


# --- atmospheric parameters (FAO-56 ch. 3, pp. 31-32) ----------------------------------------

def atmospheric_pressure(elevation: ArrayLike) -> ArrayLike:
    """Atmospheric pressure P (kPa) from elevation z (m) (FAO-56 Eq. 7).

    P = 101.3 ((293 - 0.0065 z) / 293)^5.26.
    """
    return 101.3 * ((293.0 - 0.0065 * elevation) / 293.0) ** 5.26


def psychrometric_constant(pressure: ArrayLike) -> ArrayLike:
    """Psychrometric constant gamma (kPa degC-1) (FAO-56 Eq. 8): gamma = 0.665e-3 P."""
    return 0.665e-3 * pressure


# --- air humidity (FAO-56 ch. 3, pp. 36-39, 58) ----------------------------------------------

def saturation_vapour_pressure(t: ArrayLike) -> ArrayLike:
    """Saturation vapour pressure e°(T) (kPa) at air temperature T (degC) (FAO-56 Eq. 11)."""
    return 0.6108 * np.exp(17.27 * t / (t + 237.3))


def mean_saturation_vapour_pressure(tmax: ArrayLike, tmin: ArrayLike) -> ArrayLike:
    """Mean saturation vapour pressure es (kPa) (FAO-56 Eq. 12): [e°(Tmax) + e°(Tmin)] / 2."""
    return 0.5 * (saturation_vapour_pressure(tmax) + saturation_vapour_pressure(tmin))


def slope_vapour_pressure_curve(t: ArrayLike) -> ArrayLike:
    """Slope of the saturation vapour pressure curve Delta (kPa degC-1) (FAO-56 Eq. 13).

    Delta = 4098 e°(T) / (T + 237.3)^2; in the PM equation T is Tmean (Eq. 9).
    """
    return 4098.0 * saturation_vapour_pressure(t) / (t + 237.3) ** 2


def ea_from_tdew(tdew: ArrayLike) -> ArrayLike:
    """Actual vapour pressure ea (kPa) from dewpoint temperature (FAO-56 Eq. 14): e°(Tdew)."""
    return saturation_vapour_pressure(tdew)


def ea_from_psychrometer(
    tdry: ArrayLike, twet: ArrayLike, pressure: ArrayLike, a_psy: float = A_PSY_VENTILATED
) -> ArrayLike:
    """Actual vapour pressure ea (kPa) from psychrometer readings (FAO-56 Eqs. 15-16).

    ea = e°(Twet) - a_psy P (Tdry - Twet); a_psy = 0.000662 (ventilated), 0.000800 (natural
    ventilation) or 0.001200 (non-ventilated, indoors) degC-1.
    """
    return saturation_vapour_pressure(twet) - a_psy * pressure * (tdry - twet)


def ea_from_rh_max_min(
    tmax: ArrayLike, tmin: ArrayLike, rh_max: ArrayLike, rh_min: ArrayLike
) -> ArrayLike:
    """Actual vapour pressure ea (kPa) from RHmax and RHmin (%) (FAO-56 Eq. 17).

    ea = [e°(Tmin) RHmax/100 + e°(Tmax) RHmin/100] / 2.
    """
    return 0.5 * (
        saturation_vapour_pressure(tmin) * rh_max / 100.0
        + saturation_vapour_pressure(tmax) * rh_min / 100.0
    )


def ea_from_rh_max(tmin: ArrayLike, rh_max: ArrayLike) -> ArrayLike:
    """Actual vapour pressure ea (kPa) from RHmax only (FAO-56 Eq. 18): e°(Tmin) RHmax/100."""
    return saturation_vapour_pressure(tmin) * rh_max / 100.0


def ea_from_rh_mean(tmax: ArrayLike, tmin: ArrayLike, rh_mean: ArrayLike) -> ArrayLike:
    """Actual vapour pressure ea (kPa) from RHmean (%) (FAO-56 Eq. 19): es RHmean/100."""
    return mean_saturation_vapour_pressure(tmax, tmin) * rh_mean / 100.0


def ea_from_tmin(tmin: ArrayLike, ko: float = 0.0) -> ArrayLike:
    """Actual vapour pressure ea (kPa) when humidity data are missing (FAO-56 Eq. 48).

    FAO-56 ch. 3 (p. 58) assumes Tdew ~ Tmin - Ko: Ko = 0 where the station cover is well
    watered; in arid regions Ko = 2-3 degC (FAO-56 p. 58, Annex 6). Computed with Eq. 11
    (coefficient 0.6108; Eq. 48 prints 0.611).
    """
    return saturation_vapour_pressure(tmin - ko)


def vapour_pressure_deficit(es: ArrayLike, ea: ArrayLike) -> ArrayLike:
    """Vapour pressure deficit es - ea (kPa) (FAO-56 ch. 3, p. 39, Example 6)."""
    return es - ea


# --- wind and soil heat flux (FAO-56 ch. 3, pp. 54-56) ---------------------------------------

def wind_2m(uz: ArrayLike, z: ArrayLike) -> ArrayLike:
    """Wind speed at 2 m u2 (m s-1) from wind speed uz measured at z m (FAO-56 Eq. 47).

    u2 = uz 4.87 / ln(67.8 z - 5.42), for measurements above short grass.
    """
    return uz * 4.87 / np.log(67.8 * z - 5.42)


def soil_heat_flux_monthly(
    t_prev: ArrayLike, *, t_next: ArrayLike | None = None, t_month: ArrayLike | None = None
) -> ArrayLike:
    """Monthly soil heat flux G (MJ m-2 day-1) (FAO-56 Eq. 43 or Eq. 44).

    Give exactly one of ``t_next`` (Eq. 43: G = 0.07 (T_i+1 - T_i-1)) or ``t_month``
    (Eq. 44: G = 0.14 (T_i - T_i-1)). Mean monthly air temperatures in degC. For daily and
    ten-day steps G ~ 0 (Eq. 42).

    Raises
    ------
    InputError
        If both or neither of ``t_next`` and ``t_month`` are given.

    """
    if (t_next is None) == (t_month is None):
        raise InputError("soil_heat_flux_monthly: give exactly one of t_next (Eq. 43) or "
                         "t_month (Eq. 44)")
    if t_next is not None:
        return 0.07 * (t_next - t_prev)
    return 0.14 * (t_month - t_prev)


# --- reference evapotranspiration --------------------------------------------------------------

def penman_monteith(
    rn: ArrayLike,
    g: ArrayLike,
    tmean: ArrayLike,
    u2: ArrayLike,
    es: ArrayLike,
    ea: ArrayLike,
    delta: ArrayLike,
    gamma: ArrayLike,
) -> ArrayLike:
    """FAO-56 Penman-Monteith reference evapotranspiration ET0 (mm day-1) (FAO-56 Eq. 6).

    ET0 = [0.408 Delta (Rn - G) + gamma 900/(T + 273) u2 (es - ea)]
          / [Delta + gamma (1 + 0.34 u2)].

    Parameters
    ----------
    rn, g : array-like
        Net radiation and soil heat flux (MJ m-2 day-1).
    tmean : array-like
        Mean daily air temperature (degC), Eq. 9.
    u2 : array-like
        Wind speed at 2 m (m s-1).
    es, ea : array-like
        Saturation and actual vapour pressure (kPa).
    delta, gamma : array-like
        Slope of the vapour pressure curve and psychrometric constant (kPa degC-1).

    """
    numerator = MJ_TO_MM * delta * (rn - g) + gamma * 900.0 / (tmean + 273.0) * u2 * (es - ea)
    return numerator / (delta + gamma * (1.0 + 0.34 * u2))


def et0_fao56(
    tmax: ArrayLike,
    tmin: ArrayLike,
    ea: ArrayLike,
    rs: ArrayLike,
    u2: ArrayLike,
    lat: ArrayLike,
    doy: ArrayLike,
    elevation: ArrayLike,
    *,
    pressure: ArrayLike | None = None,
    g: ArrayLike = 0.0,
    u2_min: float = U2_MIN,
    rs_rso_min: float = 0.0,
) -> ArrayLike:
    """Daily FAO-56 Penman-Monteith grass reference ET0 (mm day-1) (FAO-56 Eq. 6, Box 11).

    Chains Eq. 7 (P from elevation, unless ``pressure`` is given), Eq. 8 (gamma), Eq. 9
    (Tmean), Eqs. 11-13 (e°, es, Delta), Eqs. 21-25 (Ra), Eq. 37 (Rso), Eqs. 38-40 (Rns,
    Rnl, Rn) and Eq. 6. G = 0 for daily steps (Eq. 42); pass ``g`` from
    :func:`soil_heat_flux_monthly` (Eq. 43/44) for monthly means.

    Parameters
    ----------
    tmax, tmin : array-like
        Daily maximum and minimum air temperature at 2 m (degC).
    ea : array-like
        Actual vapour pressure (kPa), e.g. from :func:`ea_from_tdew` (Eq. 14).
    rs : array-like
        Incoming solar radiation (MJ m-2 day-1).
    u2 : array-like
        Wind speed at 2 m (m s-1); see :func:`wind_2m` (Eq. 47).
    lat : array-like
        Latitude (decimal degrees, positive north).
    doy : array-like
        Day of the year (1-366).
    elevation : array-like
        Elevation above sea level (m), used in Eq. 37 and (without ``pressure``) in Eq. 7.
    pressure : array-like, optional
        Atmospheric pressure (kPa) to use instead of Eq. 7.
    g : array-like
        Soil heat flux density (MJ m-2 day-1); 0 for daily steps (Eq. 42).
    u2_min : float
        Lower limit of u2 in Eq. 6 (FAO-56 p. 63 recommends about 0.5 m s-1); 0 disables it.
    rs_rso_min : float
        Lower bound of Rs/Rso in Eq. 39: 0 (FAO-56 as printed, the default of this
        function) or 0.3 (ASCE-EWRI 2005; the default of :func:`reference_et`).

    Returns
    -------
    array-like
        ET0 in mm day-1, same container type as the inputs.

    """
    if pressure is None:
        pressure = atmospheric_pressure(elevation)
    tmean = 0.5 * (tmax + tmin)
    ra = radiation.extraterrestrial_radiation(lat, doy)
    rso = radiation.clear_sky_radiation(ra, elevation)
    rn = radiation.net_radiation(
        radiation.net_shortwave_radiation(rs),
        radiation.net_longwave_radiation(tmax, tmin, ea, rs, rso, rs_rso_min),
    )
    return penman_monteith(
        rn=rn,
        g=g,
        tmean=tmean,
        u2=np.maximum(u2, u2_min),
        es=mean_saturation_vapour_pressure(tmax, tmin),
        ea=ea,
        delta=slope_vapour_pressure_curve(tmean),
        gamma=psychrometric_constant(pressure),
    )


def et0_fao56_compiled(
    tmax: ArrayLike,
    tmin: ArrayLike,
    humidity: ArrayLike,
    rs: ArrayLike,
    u2: ArrayLike,
    lat: ArrayLike,
    doy: ArrayLike,
    elevation: ArrayLike,
    *,
    kind: Humidity = Humidity.EA,
    humidity2: ArrayLike = np.nan,
    pressure: ArrayLike | None = None,
    g: ArrayLike = 0.0,
    u2_min: float = U2_MIN,
    rs_rso_min: float = 0.0,
    dtype: Any = None,
) -> np.ndarray:
    """:func:`et0_fao56` in one compiled pass over numpy arrays (FAO-56 Eq. 6, Box 11).

    The same equations (:mod:`irrigate.science.et0_compiled`), with the humidity input named
    by ``kind``: ``ea`` (kPa, default), ``tdew`` (degC, Eq. 14), ``rh_max`` with
    ``humidity2`` = ``rh_min`` (%, Eq. 17), ``rh_max`` alone (Eq. 18) or ``rh_mean``
    (Eq. 19). Ra (Eq. 21), the Rso factor (Eq. 37) and gamma (Eqs. 7-8) are computed on
    their own small shapes. The result keeps the floating type of the weather fields
    (float32 in, float32 out) unless ``dtype`` is given; it equals :func:`et0_fao56`
    within 1e-9 mm/day in float64.
    """
    elevation = np.asarray(elevation, dtype=float)
    if pressure is None:
        pressure = atmospheric_pressure(elevation)
    return penman_monteith_fused(
        tmax, tmin, humidity, humidity2, rs, u2,
        radiation.extraterrestrial_radiation(lat, doy),
        0.75 + 2.0e-5 * elevation,  # Rso = (0.75 + 2e-5 z) Ra, Eq. 37
        psychrometric_constant(pressure), kind=kind, g=g, u2_min=u2_min,
        rs_rso_min=rs_rso_min, dtype=dtype)


def et0_hargreaves(tmax: ArrayLike, tmin: ArrayLike, lat: ArrayLike, doy: ArrayLike) -> ArrayLike:
    """Hargreaves reference ET0 (mm day-1) (FAO-56 Eq. 52, p. 64).

    ET0 = 0.0023 (Tmean + 17.8) sqrt(Tmax - Tmin) 0.408 Ra, with Ra (Eq. 21) converted to
    mm day-1 by Eq. 20. A negative temperature range (bad data) is treated as 0. The formula
    gives negative values when Tmean < -17.8 degC; they are returned as computed.
    """
    ra = radiation.extraterrestrial_radiation(lat, doy)
    tmean = 0.5 * (tmax + tmin)
    return 0.0023 * (tmean + 17.8) * np.sqrt(np.maximum(tmax - tmin, 0.0)) * MJ_TO_MM * ra


# --- Dataset entry point -------------------------------------------------------------------------

def _field(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    """Return ``ds[name]`` from data variables or coordinates, or None."""
    if name in ds.data_vars or name in ds.coords:
        return ds[name]
    return None


def actual_vapour_pressure(fields: Any, tmax: ArrayLike = None, tmin: ArrayLike = None
                           ) -> tuple[ArrayLike, str] | None:
    """Return ``(ea, description)`` from the preferred humidity input of ``fields``, or None.

    The input is chosen by the one humidity order
    (:data:`irrigate.science.humidity.HUMIDITY_ORDER`): ``ea`` given, ``tdew`` (Eq. 14),
    ``rh_max`` + ``rh_min`` (Eq. 17), ``rh_max`` (Eq. 18), ``rh_mean`` (Eq. 19).

    Parameters
    ----------
    fields : mapping
        Name -> array, e.g. an ``xarray.Dataset``: ``ea`` (kPa), ``tdew`` (degC),
        ``rh_max``, ``rh_min``, ``rh_mean`` (%).
    tmax, tmin : array-like, optional
        Daily maximum and minimum air temperature (degC) for the RH equations; without
        them only ``ea`` and ``tdew`` can be used.

    """
    names = [n for n in humidity.HUMIDITY_NAMES if n in fields]
    if tmax is None or tmin is None:
        names = [n for n in names if n in humidity.WITHOUT_TEMPERATURE]
    choice = humidity.pick_humidity(names)
    if choice is None:
        return None
    if choice == ("ea",):
        ea = fields["ea"]
    elif choice == ("tdew",):
        ea = ea_from_tdew(fields["tdew"])
    elif choice == ("rh_max", "rh_min"):
        ea = ea_from_rh_max_min(tmax, tmin, fields["rh_max"], fields["rh_min"])
    elif choice == ("rh_max",):
        ea = ea_from_rh_max(tmin, fields["rh_max"])
    else:
        ea = ea_from_rh_mean(tmax, tmin, fields["rh_mean"])
    return ea, humidity.DESCRIPTION[choice]


def minimum_relative_humidity(fields: Any, tmax: ArrayLike = None, tmin: ArrayLike = None
                              ) -> ArrayLike:
    """Daily minimum relative humidity RHmin (%), or None without humidity data.

    ``rh_min`` when given; otherwise RHmin = 100 ea / e°(Tmax), capped at 100 % (FAO-56
    p. 124, note to Eq. 62), with ea from :func:`actual_vapour_pressure`. Used by the
    climate adjustment of Kc mid/end and Kcb (FAO-56 Eqs. 62, 65, 70).
    """
    if "rh_min" in fields:
        return fields["rh_min"]
    if tmax is None:
        return None
    found = actual_vapour_pressure(fields, tmax, tmin)
    if found is None:
        return None
    return np.minimum(100.0 * found[0] / saturation_vapour_pressure(tmax), 100.0)


#: Kernel humidity kind of each choice of :data:`irrigate.science.humidity.HUMIDITY_ORDER`.
_KIND: dict[tuple[str, ...], Humidity] = {
    ("ea",): Humidity.EA, ("tdew",): Humidity.TDEW, ("rh_max", "rh_min"): Humidity.RH_MAX_MIN,
    ("rh_max",): Humidity.RH_MAX, ("rh_mean",): Humidity.RH_MEAN,
}


def _humidity_input(ds: xr.Dataset) -> tuple[Humidity, Any, Any, str] | None:
    """Return (kernel kind, variable, second variable, description) of the humidity used.

    The same choice as :func:`actual_vapour_pressure` (one humidity order), handed to the
    fused kernel as the raw variable so that ea is computed in the same pass.
    """
    choice = humidity.pick_humidity([n for n in humidity.HUMIDITY_NAMES if n in ds])
    if choice is None:
        return None
    second = ds[choice[1]] if len(choice) > 1 else np.nan
    return _KIND[choice], ds[choice[0]], second, humidity.DESCRIPTION[choice]


def _day_of_year(ds: xr.Dataset) -> xr.DataArray:
    if "time" not in ds.coords:
        raise InputError("climate dataset: no 'time' coordinate; reference ET needs dates "
                         "(day of year) for extraterrestrial radiation")
    try:
        return ds["time"].dt.day_of_year
    except (AttributeError, TypeError) as exc:
        raise InputError("climate dataset: 'time' is not a datetime coordinate; decode "
                         "times (xarray.decode_cf) before computing reference ET") from exc


def _latitude(ds: xr.Dataset) -> xr.DataArray:
    lat = _field(ds, "lat")
    if lat is None:
        raise InputError("climate dataset: no 'lat' coordinate (degrees north); add latitude "
                         "as a coordinate (a dimension for grids, per station for stations)")
    return lat


def reference_et(
    ds: xr.Dataset,
    method: str = "auto",
    *,
    krs: float = radiation.KRS_INTERIOR,
    ko: float = 0.0,
    u2_default: float = U2_DEFAULT,
    conventions: Conventions | str | None = None,
    dtype: Any = None,
) -> xr.DataArray:
    """Daily grass reference evapotranspiration ``et0`` (mm day-1) of a canonical climate Dataset.

    Parameters
    ----------
    ds : xarray.Dataset
        Canonical daily climate in FAO-56 units: ``tmax``, ``tmin`` (degC); humidity as ``ea``
        (kPa), ``tdew`` (degC), ``rh_max`` + ``rh_min``, ``rh_max`` or ``rh_mean`` (%);
        ``rs`` (MJ m-2 day-1); ``u2`` (m s-1); optional ``pressure`` (kPa). Coordinates
        ``time`` (datetime), ``lat`` (degrees north; a dimension of a grid or a coordinate
        along ``station``) and ``elevation`` (m; coordinate or data variable). In memory or
        dask-chunked; the result is lazy if the inputs are.
    method : {"auto", "penman-monteith", "hargreaves"}
        ``"penman-monteith"``: FAO-56 Eq. 6 with measured data only; needs ``rs``, ``u2``
        and one humidity variable, else InputError. ``"auto"``: FAO-56 Eq. 6 with the best
        humidity variable present and the FAO-56 ch. 3 missing-data procedures for what is
        absent: ea from Tmin (Eq. 48, Tdew = Tmin - ``ko``), Rs from the temperature range
        (Eq. 50 with ``krs``, limited to Rso) and u2 = ``u2_default`` (p. 63).
        ``"hargreaves"``: FAO-56 Eq. 52 from temperature only.
    krs : float
        kRs of Eq. 50: 0.16 interior (default), 0.19 coastal (degC-0.5).
    ko : float
        Dewpoint depression below Tmin for Eq. 48 (degC); 0 by default, 2-3 in arid regions.
    u2_default : float
        Wind speed at 2 m used when ``u2`` is missing (m s-1).
    conventions : Conventions or str, optional
        Rs/Rso lower bound and u2 floor (:mod:`irrigate.science.conventions`); a preset
        name or a record; default ``"irrigate"`` (Rs/Rso in 0.3-1.0, u2 >= 0.5 m/s).
    dtype : numpy dtype, optional
        Floating type of the Penman-Monteith arithmetic and result. Default: float32 when
        every weather field is float32 (half the memory of a large grid), else float64.
        ``numpy.float64`` computes float32 fields in double precision (what a float64
        water balance takes).

    Returns
    -------
    xarray.DataArray
        ``et0`` (mm day-1) with the dimensions of ``tmax`` and attributes from the variables
        table plus ``method`` (the equations and missing-data procedures used) and
        ``conventions`` (the preset in force).

    Raises
    ------
    InputError
        Unknown ``method``; missing ``tmax``/``tmin``, ``time``, ``lat`` or (Penman-Monteith)
        ``elevation``; missing ``rs``/``u2``/humidity with ``method="penman-monteith"``.

    """
    if method not in METHODS:
        raise InputError(f"method {method!r}: unknown reference ET method; use one of "
                         f"{', '.join(METHODS)}")
    conv = resolve_conventions(conventions)
    missing = [name for name in ("tmax", "tmin") if _field(ds, name) is None]
    if missing:
        raise InputError(f"climate dataset: missing {' and '.join(missing)} (degC); daily "
                         "maximum and minimum temperature are the minimum data for reference ET")
    tmax, tmin = ds["tmax"], ds["tmin"]
    lat = _latitude(ds)
    doy = _day_of_year(ds)

    if method == "hargreaves":
        et0 = et0_hargreaves(tmax, tmin, lat, doy)
        described = "Hargreaves (FAO-56 Eq. 52); Ra (Eq. 21)"
    else:
        et0, described = _penman_monteith_dataset(ds, method, tmax, tmin, lat, doy,
                                                  krs=krs, ko=ko, u2_default=u2_default,
                                                  conv=conv, dtype=dtype)

    et0 = et0.transpose(*tmax.dims, ...).rename("et0")
    et0.attrs = {**attrs_for("et0"), "method": described, "conventions": conv.name}
    return et0


def _penman_monteith_dataset(
    ds: xr.Dataset,
    method: str,
    tmax: xr.DataArray,
    tmin: xr.DataArray,
    lat: xr.DataArray,
    doy: xr.DataArray,
    *,
    krs: float,
    ko: float,
    u2_default: float,
    conv: Conventions,
    dtype: Any = None,
) -> tuple[xr.DataArray, str]:
    """Assemble the inputs of :func:`et0_fao56` from ``ds`` and describe what was used."""
    elevation = _field(ds, "elevation")
    if elevation is None:
        raise InputError("climate dataset: no 'elevation' (m) coordinate or variable; "
                         "Penman-Monteith needs it for pressure (Eq. 7) and Rso (Eq. 37); "
                         "add it (e.g. from a DEM) or use method='hargreaves'")
    humidity_in = _humidity_input(ds)
    rs, u2 = _field(ds, "rs"), _field(ds, "u2")
    if method == "penman-monteith":
        absent = [name for name, value in (("humidity (ea, tdew, rh_max/rh_min or rh_mean)",
                                            humidity_in), ("rs", rs), ("u2", u2))
                  if value is None]
        if absent:
            raise InputError(f"climate dataset: method 'penman-monteith' needs "
                             f"{', '.join(absent)}; add them or use method='auto' for the "
                             "FAO-56 missing-data procedures")
    parts = ["FAO-56 Penman-Monteith (Eq. 6)", "G = 0 (Eq. 42)"]

    if humidity_in is None:  # Eq. 48: ea = e°(Tmin - Ko), i.e. Eq. 14 with Tdew = Tmin - Ko
        kind, h1, h2 = Humidity.TDEW, tmin - ko, np.nan
        parts.append(f"ea from tmin (Eq. 48, Tdew = Tmin - {ko:g})")
    else:
        kind, h1, h2, text = humidity_in
        parts.append(text)

    pressure = _field(ds, "pressure")
    parts.append("P given" if pressure is not None else "P from elevation (Eq. 7)")

    if rs is None:
        ra = radiation.extraterrestrial_radiation(lat, doy)
        rso = radiation.clear_sky_radiation(ra, elevation)
        rs = radiation.rs_from_temperature(tmax, tmin, ra, krs=krs, rso=rso)
        parts.append(f"Rs from temperature range (Eq. 50, kRs={krs:g}, limited to Rso)")
    else:
        parts.append("Rs given")
    parts.append("Rso (Eq. 37)")
    if conv.rs_rso_min > 0:
        parts.append(f"Rs/Rso in {conv.rs_rso_min:g}-1 (ASCE-EWRI 2005)")

    if u2 is None:
        u2 = u2_default
        parts.append(f"u2 default {u2_default:g} m/s (FAO-56 ch. 3 missing data)")
    else:
        parts.append("u2 given")
    if conv.u2_floor > 0:
        parts.append(f"u2 >= {conv.u2_floor:g} m/s (p. 63)")
    parts.append(f"conventions {conv.name}")

    # the per-cell terms (Eqs. 7, 8, 21, 37) in double precision whatever the storage type
    lat, elevation = lat.astype(np.float64), elevation.astype(np.float64)
    pressure = (atmospheric_pressure(elevation) if pressure is None
                else pressure.astype(np.float64))
    weather = [tmax, tmin, h1, h2, rs, u2]
    if dtype is None:
        single = all(getattr(x, "dtype", None) == np.float32 for x in weather
                     if isinstance(x, xr.DataArray))
        dtype = np.float32 if single else np.float64
    et0 = xr.apply_ufunc(
        penman_monteith_fused, *weather,
        radiation.extraterrestrial_radiation(lat, doy),  # Eq. 21
        0.75 + 2.0e-5 * elevation,  # Rso factor, Eq. 37
        psychrometric_constant(pressure),  # Eq. 8
        kwargs={"kind": kind, "u2_min": conv.u2_floor, "rs_rso_min": conv.rs_rso_min,
                "dtype": np.dtype(dtype)},
        dask="parallelized", output_dtypes=[np.dtype(dtype)])
    return et0, "; ".join(parts)
