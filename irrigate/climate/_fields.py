"""Read the climate variables of one NetCDF file into *fields* in base units.

A field is one recognised variable of one file: its kind (see ``_names``), the data
converted to the base unit of its kind, whether it is an amount (accumulation) or a
rate/state, whether it is hourly, and where it came from.

Base units: temperatures degC; precipitation mm (amount) or mm day-1 (rate); solar
radiation MJ m-2 (amount) or MJ m-2 day-1 (mean flux); humidity: % (relative), kPa
(vapour pressure), 1 (specific); wind m s-1; pressure kPa; elevation m.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import xarray as xr

from irrigate.climate import _units
from irrigate.climate._coords import normalise
from irrigate.climate._hourly import is_subdaily
from irrigate.climate._names import is_era5_land, recognise
from irrigate.errors import InputError

#: CDS daily-statistics file names end in ``_daily-mean``, ``_daily-max`` ... (the
#: statistic is not stored inside the file); the full words are accepted as well.
DAILY_STAT_IN_NAME = re.compile(
    r"daily[-_](mean|maximum|minimum|max|min|sum)(?![a-z])", re.IGNORECASE
)
_STAT_WORDS = {"mean": "mean", "max": "max", "maximum": "max", "min": "min",
               "minimum": "min", "sum": "sum"}


@dataclass(frozen=True)
class ClimateField:
    """One recognised input variable (see module docstring)."""

    kind: str
    data: xr.DataArray
    amount: bool
    hourly: bool
    file: str
    source: str
    family: str
    stat: str | None = None
    height: float | None = None
    land: bool = False

    def with_data(self, data: xr.DataArray, **changes: object) -> ClimateField:
        """Return a copy holding ``data`` (and other changed attributes)."""
        return replace(self, data=data, **changes)


_TEMPERATURES = {"t_air", "tmax", "tmin", "tmean", "tdew"}
_RH = {"rh", "rh_max", "rh_min", "rh_mean"}
_WIND = {"wind", "u_wind", "v_wind", "u2", "uz"}


def file_statistic(path: Path, ds: xr.Dataset) -> str | None:
    """Return the daily statistic named by a CDS daily-statistics file, if any."""
    match = DAILY_STAT_IN_NAME.search(path.name)
    if match:
        return _STAT_WORDS[match.group(1).lower()]
    return None


def to_base(kind: str, da: xr.DataArray, where: str) -> tuple[xr.DataArray, bool]:
    """Convert ``da`` of ``kind`` to its base unit; return ``(data, is_amount)``.

    Raises
    ------
    InputError
        Missing, unreadable or wrong-kind units.

    """
    if kind in _TEMPERATURES:
        example, want, dst = "degC", ("temperature",), "degC"
    elif kind == "precip":
        example, want, dst = "mm day-1", ("length", "mass_per_area", "length_rate",
                                          "mass_flux"), None
    elif kind == "rs":
        example, want, dst = "MJ m-2 day-1", ("energy_per_area", "power_per_area"), None
    elif kind in _RH:
        example, want, dst = "%", ("dimensionless",), "percent"
    elif kind == "huss":
        example, want, dst = "kg kg-1", ("dimensionless",), "1"
    elif kind in ("ea", "pressure"):
        example, want, dst = "kPa", ("pressure",), "kPa"
    elif kind in _WIND:
        example, want, dst = "m s-1", ("length_rate",), "m s-1"
    elif kind == "elevation":
        example, want, dst = "m", ("length",), "m"
    elif kind == "geopotential":
        example, want, dst = "m2 s-2", ("geopotential",), "m**2/s**2"
    else:  # pragma: no cover - kinds come from the table
        raise ValueError(kind)
    unit = _units.parse_units(da, where, example)
    got = _units.kind_of(unit)
    if got not in want:
        raise InputError(
            f"{where}: variable '{da.name}' has units '{da.attrs.get('units')}' which do "
            f"not fit '{kind}'; fix the units attribute (e.g. units='{example}') or the "
            "--var mapping"
        )
    if kind == "precip":
        # a mass of water per area is a depth: 1 kg m-2 = 1 mm (density 1000 kg m-3)
        if got == "length":
            return _units.convert(da, unit, "mm"), True
        if got == "mass_per_area":
            return _units.convert(da, unit, "kg m-2"), True
        if got == "length_rate":
            return _units.convert(da, unit, "mm day-1"), False
        return _units.convert(da, unit, "kg m-2 day-1"), False
    if kind == "rs":
        if got == "energy_per_area":
            return _units.convert(da, unit, "MJ m-2"), True
        return _units.convert(da, unit, "MJ m-2 day-1"), False
    if kind == "geopotential":
        out = _units.convert(da, unit, "m**2/s**2") / _units.STANDARD_GRAVITY
        return out, False
    return _units.convert(da, unit, dst), False


def open_netcdf(path: Path, chunks: dict | None) -> xr.Dataset:
    """Open one NetCDF file, turning every failure into an :class:`InputError`."""
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if not path.is_file():
        raise InputError(f"{path}: is not a file; give a NetCDF or CSV file")
    try:
        return xr.open_dataset(path, chunks=chunks)
    except Exception:
        raise InputError(
            f"{path}: is not a NetCDF file irrigate can read; give NetCDF (.nc) or a "
            "station CSV (.csv)"
        ) from None


def _height(da: xr.DataArray) -> float | None:
    """Return the measurement height (m) from a ``height`` coordinate or attribute."""
    if "height" in da.coords and da["height"].size == 1:
        return float(da["height"].values)
    value = da.attrs.get("height")
    if value is not None:
        try:
            return float(str(value).replace("m", ""))
        except ValueError:
            return None
    return None


def _no_time(where: str, name: str, da: xr.DataArray) -> InputError:
    """Return the error for a climate variable without a time dimension."""
    dims = ", ".join(map(str, da.dims)) or "none"
    if any(str(d).startswith("phony_dim") for d in da.dims):
        return InputError(f"{where}: variable '{name}' has dimensions ({dims}): an HDF5 file "
                          "without netCDF dimensions, not a NetCDF climate file; write it as "
                          "NetCDF with time, lat and lon dimensions")
    return InputError(f"{where}: variable '{name}' has no time dimension (dimensions: "
                      f"{dims}); give a file with a 'time' (or 'valid_time') dimension, one "
                      "step per day or hour")


#: Dimensions a climate variable may have; others must have length 1 (squeezed).
_KNOWN_DIMS = ("time", "lat", "lon", "station")


def _squeeze_extra(da: xr.DataArray, where: str, name: str) -> xr.DataArray:
    """Drop length-1 extra dimensions (a single level or height); refuse longer ones."""
    extra = [d for d in da.dims if d not in _KNOWN_DIMS]
    long = [f"'{d}' ({da.sizes[d]})" for d in extra if da.sizes[d] > 1]
    if long:
        raise InputError(f"{where}: variable '{name}' has the extra dimension(s) "
                         f"{', '.join(long)} besides time, lat, lon or station; select one "
                         "level, height or member first (e.g. cdo sellevel or ncks -d)")
    return da.squeeze(extra, drop=True) if extra else da


def read_fields(path: Path, chunks: dict | None, renames: dict[str, str]
                ) -> tuple[list[ClimateField], dict[str, str]]:
    """Return the recognised fields of one NetCDF file and its global attributes.

    Parameters
    ----------
    path : Path
        The file.
    chunks : dict, optional
        Dask chunks (``lat``/``lon``/``time`` names; ``latitude``/``longitude`` work too).
    renames : dict
        Source variable name -> mapped kind (from ``var_map``).

    """
    where = str(path)
    ds = open_netcdf(path, None if chunks is None else {})
    if not ds.data_vars:
        raise InputError(f"{where}: has no data variables; give a file with climate data")
    ds = normalise(ds, where)
    if chunks:
        use = {k: v for k, v in chunks.items() if k in ds.dims}
        ds = ds.chunk(use)
    stat = file_statistic(path, ds)
    hourly = "time" in ds.dims and is_subdaily(pd.DatetimeIndex(ds["time"].values))
    fields: list[ClimateField] = []
    for name, da in ds.data_vars.items():
        name = str(name)
        if name in renames:
            kind, family = renames[name], "user-mapped"
        else:
            found = recognise(da, where)
            if found is None:
                continue
            kind, family = found
        if kind in ("elevation", "geopotential") and "time" in da.dims:
            da = da.isel(time=0, drop=True)
        elif kind not in ("elevation", "geopotential") and "time" not in da.dims:
            raise _no_time(where, name, da)
        da = _squeeze_extra(da, where, name)
        data, amount = to_base(kind, da, where)
        data = data.reset_coords([c for c in data.coords
                                  if c not in data.dims and c not in ("lat", "lon")],
                                 drop=True)
        data.name = name
        fields.append(ClimateField(kind=kind, data=data, amount=amount,
                            hourly=hourly and "time" in da.dims, file=path.name,
                            source=name, family=family, stat=stat, height=_height(da)))
    if "elevation" in ds.coords and "time" not in ds["elevation"].dims:
        data, _ = to_base("elevation", ds["elevation"].reset_coords(drop=True), where)
        fields.append(ClimateField(kind="elevation", data=data, amount=False, hourly=False,
                            file=path.name, source="elevation", family="coordinate"))
    attrs = {str(k): str(v) for k, v in ds.attrs.items()}
    if is_era5_land(" ".join([path.name, *attrs.values()])):
        fields = [replace(f, land=True) for f in fields]
    return fields, attrs
