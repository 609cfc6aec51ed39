"""Unit conversion of climate inputs with pint (the cf_xarray UDUNITS registry).

Conversions are reduced to ``value * factor + offset`` computed once by pint on two
scalars, then applied to the (numpy or dask) data, so dask arrays stay lazy.
"""

from __future__ import annotations

import warnings

import numpy as np
import pint
import xarray as xr

with warnings.catch_warnings():
    # pint announces optional matplotlib support on import; irrigate does not use it
    warnings.simplefilter("ignore", UserWarning)
    from cf_xarray.units import units as ureg

from irrigate.errors import InputError

#: Standard gravity used to turn geopotential (m2 s-2) into height (m), m s-2
#: (value of the ERA5 documentation and WMO).
STANDARD_GRAVITY = 9.80665

# pint dimensionalities used to recognise what a units string means
_DIMS = {
    "temperature": ureg.kelvin.dimensionality,
    "length": ureg.metre.dimensionality,
    "length_rate": (ureg.metre / ureg.second).dimensionality,
    "mass_per_area": (ureg.kilogram / ureg.metre**2).dimensionality,
    "mass_flux": (ureg.kilogram / ureg.metre**2 / ureg.second).dimensionality,
    "energy_per_area": (ureg.joule / ureg.metre**2).dimensionality,
    "power_per_area": (ureg.watt / ureg.metre**2).dimensionality,
    "pressure": ureg.pascal.dimensionality,
    "dimensionless": ureg.dimensionless.dimensionality,
    "geopotential": (ureg.metre**2 / ureg.second**2).dimensionality,
}


#: Common spellings the UDUNITS registry does not read as meant (lower case, spaces
#: collapsed) -> the unit they denote. "degrees Celsius" would otherwise parse as an angle
#: times a temperature difference.
SPELLINGS: dict[str, str] = {
    "degrees_c": "degC", "degree_c": "degC", "degrees c": "degC", "deg c": "degC",
    "degrees celsius": "degC", "degree celsius": "degC", "degrees_celsius": "degC",
    "°c": "degC", "celsius": "degC",
    "degrees_k": "K", "degree_k": "K", "degrees kelvin": "K", "kelvin": "K",
    "degrees_f": "degF", "degrees fahrenheit": "degF", "°f": "degF", "fahrenheit": "degF",
    "fraction": "1", "(0 - 1)": "1", "0-1": "1", "(0-1)": "1",
}
_TEMPERATURE_UNITS = ("kelvin", "degree_Celsius", "degree_Fahrenheit", "degree_Rankine")


def parse_units(da: xr.DataArray, where: str, example: str) -> pint.Unit:
    """Return the pint unit of ``da`` from its ``units`` attribute.

    Parameters
    ----------
    da : xarray.DataArray
        The variable (its ``units`` attribute is read).
    where : str
        File (or column) name used in error messages.
    example : str
        A valid unit for the fix hint, e.g. ``"degC"``.

    Raises
    ------
    InputError
        If the attribute is missing, empty or not understood by the UDUNITS registry.

    """
    text = da.attrs.get("units")
    if text is None or str(text).strip() == "":
        raise InputError(
            f"{where}: variable '{da.name}' has no units attribute; "
            f"add one, e.g. units='{example}'"
        )
    text = " ".join(str(text).split())
    text = SPELLINGS.get(text.lower(), text)
    for candidate in (text, text.split(" of ")[0]):  # "m of water equivalent"
        try:
            return _read(candidate)
        except Exception:  # pint raises several error types for bad strings
            continue
    raise InputError(
        f"{where}: variable '{da.name}' has units '{text}' that irrigate cannot "
        f"read; fix the attribute, e.g. units='{example}'"
    )


def _read(text: str) -> pint.Unit:
    unit = ureg.Unit(text)
    if kind_of(unit) == "temperature" and str(unit) not in _TEMPERATURE_UNITS:
        raise ValueError(text)  # e.g. a product of an angle and a temperature
    return unit


def kind_of(unit: pint.Unit) -> str | None:
    """Return the name of the physical kind of ``unit`` (a key of the table above)."""
    dim = (1 * unit).dimensionality
    for name, ref in _DIMS.items():
        if dim == ref:
            return name
    return None


def factor_offset(src: pint.Unit, dst: str) -> tuple[float, float]:
    """Return ``(factor, offset)`` with ``value_dst = value_src * factor + offset``."""
    q = ureg.Quantity(np.array([0.0, 1.0]), src).to(dst).magnitude
    return float(q[1] - q[0]), float(q[0])


def convert(da: xr.DataArray, src: pint.Unit, dst: str) -> xr.DataArray:
    """Convert ``da`` from ``src`` to ``dst`` lazily (attributes dropped)."""
    factor, offset = factor_offset(src, dst)
    out = da * factor if factor != 1.0 else da.copy(deep=False)  # never the caller's attrs
    if offset != 0.0:
        out = out + offset
    out.attrs = {}
    return out
