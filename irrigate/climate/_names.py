"""Recognition of climate variables: CF standard names first, then common names.

Each recognised variable gets a *kind* (what it measures before daily aggregation):

- ``t_air`` instantaneous air temperature (ERA5 ``t2m``; its daily statistic decides
  whether it becomes ``tmax``, ``tmin`` or ``tmean``),
- canonical names of ``irrigate.variables`` (``tmax``, ``tmin``, ``tmean``, ``tdew``,
  ``ea``, ``rh_max``, ``rh_min``, ``rh_mean``, ``rs``, ``u2``, ``precip``, ``pressure``,
  ``elevation``),
- ``rh`` relative humidity without statistic, ``huss`` specific humidity, ``wind``
  wind speed at some height, ``u_wind``/``v_wind`` wind components, ``geopotential``
  (ERA5 ``z``), ``uz`` (CSV column: wind speed at ``wind_height``).
"""

from __future__ import annotations

import xarray as xr

from irrigate.errors import InputError

#: Canonical names a user may map with ``var_map`` / ``--var NAME=SOURCE``.
MAPPABLE: tuple[str, ...] = (
    "tmax", "tmin", "tmean", "tdew", "ea", "rh_max", "rh_min", "rh_mean", "rs", "u2",
    "precip", "pressure", "elevation", "huss", "wind", "u10", "v10",
)

# var_map keys that are not canonical output names map to an internal kind
_MAP_KIND = {"huss": "huss", "wind": "wind", "u10": "u_wind", "v10": "v_wind"}

#: Common variable names -> (kind, family label)
NAMES: dict[str, tuple[str, str]] = {
    # ERA5 / ERA5-Land short names (NetCDF and GRIB spellings)
    "t2m": ("t_air", "era5"), "2t": ("t_air", "era5"),
    "mx2t": ("tmax", "era5"), "mn2t": ("tmin", "era5"),
    "d2m": ("tdew", "era5"), "2d": ("tdew", "era5"),
    "u10": ("u_wind", "era5"), "10u": ("u_wind", "era5"),
    "v10": ("v_wind", "era5"), "10v": ("v_wind", "era5"),
    "si10": ("wind", "era5"), "10si": ("wind", "era5"),
    "ssrd": ("rs", "era5"), "tp": ("precip", "era5"),
    "sp": ("pressure", "era5"), "z": ("geopotential", "era5"),
    # CF / CMIP / CORDEX
    "tasmax": ("tmax", "cf"), "tasmin": ("tmin", "cf"), "tas": ("tmean", "cf"),
    "tdps": ("tdew", "cf"), "hurs": ("rh", "cf"), "hursmax": ("rh_max", "cf"),
    "hursmin": ("rh_min", "cf"), "huss": ("huss", "cf"), "rsds": ("rs", "cf"),
    "sfcWind": ("wind", "cf"), "sfcwind": ("wind", "cf"), "pr": ("precip", "cf"),
    "ps": ("pressure", "cf"), "orog": ("elevation", "cf"),
    "uas": ("u_wind", "cf"), "vas": ("v_wind", "cf"),
    # E-OBS
    "tx": ("tmax", "e-obs"), "tn": ("tmin", "e-obs"), "tg": ("tmean", "e-obs"),
    "rr": ("precip", "e-obs"), "qq": ("rs", "e-obs"), "hu": ("rh", "e-obs"),
    "fg": ("wind", "e-obs"),
    # irrigate canonical names (files written by irrigate or prepared by users)
    "tmax": ("tmax", "canonical"), "tmin": ("tmin", "canonical"),
    "tmean": ("tmean", "canonical"), "tdew": ("tdew", "canonical"),
    "ea": ("ea", "canonical"), "rh_max": ("rh_max", "canonical"),
    "rh_min": ("rh_min", "canonical"), "rh_mean": ("rh_mean", "canonical"),
    "rs": ("rs", "canonical"), "u2": ("u2", "canonical"), "precip": ("precip", "canonical"),
    "pressure": ("pressure", "canonical"), "elevation": ("elevation", "canonical"),
}

# CF standard_name -> kind (air_temperature and relative_humidity use cell_methods)
_STANDARD: dict[str, str] = {
    "dew_point_temperature": "tdew",
    "water_vapor_partial_pressure_in_air": "ea",
    "specific_humidity": "huss",
    "surface_downwelling_shortwave_flux_in_air": "rs",
    "surface_downwelling_shortwave_flux": "rs",
    "integral_wrt_time_of_surface_downwelling_shortwave_flux_in_air": "rs",
    "wind_speed": "wind",
    "eastward_wind": "u_wind",
    "northward_wind": "v_wind",
    "precipitation_flux": "precip",
    "precipitation_amount": "precip",
    "lwe_precipitation_rate": "precip",
    "lwe_thickness_of_precipitation_amount": "precip",
    "surface_air_pressure": "pressure",
    "surface_altitude": "elevation",
    "geopotential": "geopotential",
}


def cell_statistic(da: xr.DataArray) -> str | None:
    """Return ``max``/``min``/``mean``/``sum`` from a CF ``cell_methods`` on time, if any."""
    text = str(da.attrs.get("cell_methods", "")).replace(" ", "")
    for word, stat in (("time:maximum", "max"), ("time:minimum", "min"),
                       ("time:mean", "mean"), ("time:sum", "sum")):
        if word in text:
            return stat
    return None


#: Kinds whose variable name states the daily statistic (tasmax, tx, mx2t, hursmin ...).
_STAT_KINDS = {"tmax": "max", "tmin": "min", "rh_max": "max", "rh_min": "min"}
_STAT_WORDS = {"max": "maximum", "min": "minimum", "mean": "mean", "sum": "sum"}


def recognise(da: xr.DataArray, where: str = "") -> tuple[str, str] | None:
    """Return ``(kind, family)`` of a data variable, or ``None`` if not a climate input.

    The CF ``standard_name`` is tried first (with ``cell_methods`` for temperature and
    relative humidity); the variable name decides when the standard name is absent,
    unknown or ambiguous. A name that states a daily maximum or minimum (``tasmax``,
    E-OBS ``tx``, ``hursmin`` ...) is kept when ``cell_methods`` says ``time: mean`` (E-OBS
    writes that for its daily extremes); a ``cell_methods`` that says the opposite
    statistic is an error naming both, since one of them is wrong.

    Raises
    ------
    InputError
        The name and ``cell_methods`` state opposite statistics (maximum vs minimum).

    """
    std = str(da.attrs.get("standard_name", "")).strip()
    stat = cell_statistic(da)
    by_name = NAMES.get(str(da.name))
    family = by_name[1] if by_name else "cf"  # e.g. ERA5 'tp' with a standard name
    named_stat = _STAT_KINDS.get(by_name[0]) if by_name else None
    if named_stat and stat in ("max", "min") and stat != named_stat:
        place = f"{where}: " if where else ""
        raise InputError(
            f"{place}variable '{da.name}' is named as a daily {_STAT_WORDS[named_stat]} but "
            f"its cell_methods say 'time: {_STAT_WORDS[stat]}'; fix the attribute, or map "
            f"the variable explicitly (--var {by_name[0][:-3]}{stat}={da.name})")
    if named_stat and std in ("air_temperature", "relative_humidity"):
        return by_name
    if std in _STANDARD:
        return _STANDARD[std], family
    if stat in ("max", "min", "mean"):
        if std == "air_temperature":
            return f"t{stat}", family
        if std == "relative_humidity":
            return f"rh_{stat}", family
    return by_name


def mapped_kind(canonical: str) -> str:
    """Return the internal kind of a ``var_map`` key."""
    return _MAP_KIND.get(canonical, canonical)


def is_era5_land(text: str) -> bool:
    """Return True if a file name or attribute text names ERA5-Land."""
    text = text.lower().replace("_", "-")
    return "era5-land" in text or "era5land" in text
