"""Wind speed input -> wind speed at 2 m (FAO-56 Eq. 47).

Height of the input, in order: the ``wind_height`` option; a ``height`` coordinate or
attribute of the variable; ``# wind_height:`` in a station CSV; the family default
(10 m for ERA5 ``u10``/``v10``/``si10``, CF/CMIP ``sfcWind``/``uas``/``vas``, E-OBS ``fg``
and the CFSR points file). Wind given as ``u2`` is used as is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from irrigate.climate._fields import ClimateField
from irrigate.errors import InputError
from irrigate.science.et0 import wind_2m

#: Highest wind measurement height accepted, m (masts; FAO-56 Eq. 47 is a surface-layer
#: log profile).
MAX_HEIGHT = 100.0
#: Default measurement height of wind speed per family, m.
DEFAULT_HEIGHT = {"era5": 10.0, "cf": 10.0, "e-obs": 10.0}


@dataclass(frozen=True)
class WindChoice:
    """The wind input used and its height."""

    field: ClimateField
    height: float
    origin: str

    def describe(self) -> str:
        """Return a one-line provenance text."""
        if self.field.kind == "u2":
            return f"u2 given at 2 m ({self.field.source}, {self.field.file})"
        return (f"u2 from {self.field.source} ({self.field.file}) at {self.height:g} m "
                f"({self.origin}) with FAO-56 Eq. 47")


def _u2(uz: xr.DataArray, z: float) -> xr.DataArray:
    """Wind speed at 2 m from speed at height z (FAO-56 Eq. 47, ``science.et0.wind_2m``)."""
    return wind_2m(uz, float(z)).astype(uz.dtype)


def pick(by_kind: dict[str, ClimateField], wind_height: float | None, csv_meta: dict[str, str],
         notes: list[str]) -> WindChoice | None:
    """Choose the wind input and its height; daily u/v components become a speed.

    Modifies ``by_kind``: the chosen input is stored under ``wind`` (or ``u2``).
    """
    if "u2" in by_kind:
        for kind in ("wind", "uz", "u_wind", "v_wind"):
            by_kind.pop(kind, None)
        return WindChoice(by_kind["u2"], 2.0, "given")
    if "u_wind" in by_kind and "v_wind" in by_kind and "wind" not in by_kind:
        u, v = by_kind.pop("u_wind"), by_kind.pop("v_wind")
        a, b = xr.align(u.data, v.data, join="inner")
        by_kind["wind"] = u.with_data(np.sqrt(a**2 + b**2), kind="wind",
                                      source=f"{u.source},{v.source}",
                                      file=", ".join(dict.fromkeys([u.file, v.file])))
        notes.append("wind speed from daily mean u and v components (underestimates the "
                     "mean speed when the direction changes during the day)")
    by_kind.pop("u_wind", None)
    by_kind.pop("v_wind", None)
    if "uz" in by_kind:
        by_kind["wind"] = by_kind.pop("uz")
    if "wind" not in by_kind:
        notes.append("no wind input")
        return None
    f = by_kind["wind"]
    if wind_height is not None:
        height, origin = float(wind_height), "given with --wind-height"
    elif f.height is not None:
        height, origin = f.height, "height in the file"
    elif "wind_height" in csv_meta:
        try:
            height = float(csv_meta["wind_height"])
        except ValueError:
            raise InputError(f"{f.file}: '# wind_height: {csv_meta['wind_height']}' is not a "
                             "number of metres; write e.g. '# wind_height: 10'") from None
        origin = "wind_height in the CSV header"
    elif f.family in DEFAULT_HEIGHT:
        height, origin = DEFAULT_HEIGHT[f.family], f"{f.family} default"
    else:
        raise InputError(f"{f.file}: height of wind speed '{f.source}' is unknown; pass "
                         "--wind-height METRES (wind_height= in Python)")
    if not 0.1 < height <= MAX_HEIGHT:
        raise InputError(f"wind height {height:g} m ({origin}): not a measurement height; "
                         f"give 0.1..{MAX_HEIGHT:g} m above the ground (FAO-56 Eq. 47 "
                         "reduces a wind speed measured there to 2 m) with --wind-height")
    return WindChoice(f, height, origin)


def to_u2(ds: xr.Dataset, choice: WindChoice) -> xr.Dataset:
    """Replace the ``wind`` variable of ``ds`` by ``u2`` (FAO-56 Eq. 47)."""
    if choice.field.kind == "u2":
        return ds
    u2 = _u2(ds["wind"], choice.height)
    return ds.drop_vars("wind").assign(u2=u2)
