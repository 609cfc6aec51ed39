"""Daily minimum relative humidity from whatever humidity a climate Dataset carries.

One picker for the crop-coefficient climate adjustment (FAO-56 Eqs. 62, 65, 70, 72 use
RHmin): the upland balance and the paddy Kc of the budget both take it from here.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from irrigate.science import et0 as e

__all__ = ["rh_min"]


def rh_min(ds: xr.Dataset) -> xr.DataArray | None:
    """Return daily RHmin (%): given, or ``100 ea / e°(Tmax)`` (FAO-56 Eq. 63).

    Actual vapour pressure ``ea`` in order of preference (FAO-56 p. 37-39): given ``ea``;
    from the dew point (Eq. 14); from RHmax and Tmin (Eq. 18); from RHmean (Eq. 19). Capped
    at 100 %. None when ``ds`` has no ``rh_min`` and no Tmax with one of those.
    """
    if "rh_min" in ds:
        return ds["rh_min"]
    if "tmax" not in ds:
        return None
    tmax, tmin = ds["tmax"], ds.get("tmin")
    if "ea" in ds:
        ea = ds["ea"]
    elif "tdew" in ds:
        ea = e.ea_from_tdew(ds["tdew"])
    elif "rh_max" in ds and tmin is not None:
        ea = e.ea_from_rh_max(tmin, ds["rh_max"])
    elif "rh_mean" in ds and tmin is not None:
        ea = e.ea_from_rh_mean(tmax, tmin, ds["rh_mean"])
    else:
        return None
    return np.minimum(100.0 * ea / e.saturation_vapour_pressure(tmax), 100.0)
