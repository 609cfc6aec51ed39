"""Delta-change climate scenarios: monthly temperature shifts and precipitation factors.

The delta-change method (e.g. Hay, Wilby and Leavesley 2000, J. Am. Water Resour. Assoc.
36:387-397) perturbs an observed daily series by the change a climate model projects
between a reference and a future period, month by month: temperatures are shifted by the
projected change (°C), precipitation is multiplied by the projected ratio. The observed
day-to-day sequence and its variability are kept; only the monthly means move.

Here:

* ``tmax``, ``tmin``, ``tmean`` are shifted by ``dt`` of the day's month;
* the dew point ``tdew`` is shifted by the same ``dt`` (the dew-point depression, and so
  roughly the relative humidity, is kept: a warmer climate of the same relative humidity,
  the usual assumption of delta-change studies); ``ea``, ``rh_*`` variables, when present
  instead, are left as they are (``ea`` kept means drier air in the warmer climate: a
  stronger signal);
* ``precip`` is multiplied by ``1 + dp/100`` of the month (dp in %, -10 = 10 % less);
* radiation, wind and pressure are unchanged; ET0 is recomputed from the changed series by
  the budget (FAO-56 Eq. 6), it is never shifted directly.

A change can be given uniformly (``"2,-10"``: +2 °C, -10 % precipitation), as a CSV of
monthly changes (``month,dt_c,dp_pct``, twelve rows), or derived from two climate inputs
of the same model, a reference and a future period (:func:`delta_from_climates`; a CMIP
daily file goes through :func:`irrigate.climate.open_climate`, the CF path).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from irrigate.climate import open_climate
from irrigate.errors import InputError

__all__ = ["DeltaChange", "read_delta", "apply_delta", "delta_from_climates"]

_TEMPERATURES = ("tmax", "tmin", "tmean", "tdew")


@dataclass(frozen=True)
class DeltaChange:
    """Monthly change signal: ``dt`` (°C) and ``dp`` (% of precipitation), January first."""

    dt: tuple[float, ...]
    dp: tuple[float, ...]
    source: str

    def __post_init__(self) -> None:
        if len(self.dt) != 12 or len(self.dp) != 12:
            raise InputError(f"delta {self.source}: needs 12 monthly values of dt and dp")
        if min(self.dp) <= -100:
            raise InputError(f"delta {self.source}: a precipitation change of -100 % or less "
                             "leaves no rain; give dp > -100")

    def describe(self) -> str:
        """One line for outputs: the signal and where it comes from."""
        if len(set(self.dt)) == 1 and len(set(self.dp)) == 1:
            signal = f"{self.dt[0]:+g} degC, precipitation {self.dp[0]:+g} % in every month"
        else:
            signal = ("monthly degC " + " ".join(f"{v:+.1f}" for v in self.dt)
                      + "; precipitation % " + " ".join(f"{v:+.0f}" for v in self.dp))
        return f"delta change ({self.source}): {signal}; dew point shifted with temperature"


def _uniform(text: str) -> DeltaChange | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        dt, dp = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return DeltaChange((dt,) * 12, (dp,) * 12, f"uniform {text}")


def _from_csv(path: Path) -> DeltaChange:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(
                line for line in fh if line.strip() and not line.startswith("#"))]
    except OSError as exc:
        raise InputError(f"{path}: cannot read the delta file ({exc.strerror})") from None
    need = {"month", "dt_c", "dp_pct"}
    if not rows or not need <= set(rows[0]):
        raise InputError(f"{path}: a delta CSV needs columns month,dt_c,dp_pct (12 rows)")
    table: dict[int, tuple[float, float]] = {}
    for r in rows:
        try:
            table[int(r["month"])] = (float(r["dt_c"]), float(r["dp_pct"]))
        except ValueError:
            raise InputError(f"{path}: not a number in row {r}") from None
    if sorted(table) != list(range(1, 13)):
        raise InputError(f"{path}: needs one row for each month 1-12, got {sorted(table)}")
    return DeltaChange(tuple(table[m][0] for m in range(1, 13)),
                       tuple(table[m][1] for m in range(1, 13)), str(path))


def read_delta(value: str) -> DeltaChange:
    """Parse ``--delta``: ``T,P`` (uniform), a CSV of monthly changes, or ``REF:FUT``.

    ``REF:FUT`` names two climate files (or folders of NetCDF files) of the same model for a
    reference and a future period, opened by :func:`irrigate.climate.open_climate`; the
    monthly changes are :func:`delta_from_climates` of them.
    """
    text = str(value).strip()
    uniform = _uniform(text)
    if uniform is not None:
        return uniform
    if ":" in text and not Path(text).exists():
        ref, fut = text.split(":", 1)
        def files(name: str) -> list[Path]:
            p = Path(name)
            found = sorted(p.glob("*.nc")) if p.is_dir() else [p]
            if not found or not all(f.exists() for f in found):
                raise InputError(f"--delta {text}: {name} not found")
            return found

        return delta_from_climates(open_climate(files(ref)), open_climate(files(fut)),
                                   source=text)
    path = Path(text)
    if not path.is_file():
        raise InputError(f"--delta {text}: neither 'T,P' (e.g. 2,-10), nor a CSV file, nor "
                         "REFERENCE:FUTURE climate files")
    return _from_csv(path)


def delta_from_climates(reference: xr.Dataset, future: xr.Dataset, source: str = "") \
        -> DeltaChange:
    """Monthly changes between two canonical climate Datasets of one model.

    ``dt``: difference of the monthly means of ``tmean`` (or of (tmax + tmin)/2), °C;
    ``dp``: ratio of the monthly mean precipitation, in %. Means over all cells and years.
    """
    def temp(ds: xr.Dataset) -> xr.DataArray:
        if "tmean" in ds:
            return ds["tmean"]
        if "tmax" in ds and "tmin" in ds:
            return 0.5 * (ds["tmax"] + ds["tmin"])
        raise InputError(f"--delta {source}: needs temperature in both climate inputs")

    def monthly(da: xr.DataArray) -> np.ndarray:
        m = da.groupby("time.month").mean(...)
        if m.sizes["month"] != 12:
            raise InputError(f"--delta {source}: each input must cover all 12 months")
        return m.sortby("month").values

    for ds in (reference, future):
        if "precip" not in ds:
            raise InputError(f"--delta {source}: needs precipitation in both climate inputs")
    dt = monthly(temp(future)) - monthly(temp(reference))
    p_ref, p_fut = monthly(reference["precip"]), monthly(future["precip"])
    dp = np.where(p_ref > 0, 100.0 * (p_fut / np.where(p_ref > 0, p_ref, 1.0) - 1.0), 0.0)
    return DeltaChange(tuple(float(v) for v in dt), tuple(float(v) for v in dp),
                       source or "two climate inputs")


def apply_delta(ds: xr.Dataset, delta: DeltaChange) -> xr.Dataset:
    """Return ``ds`` with the monthly changes applied (see the module docstring)."""
    month = ds["time"].dt.month
    dt = xr.DataArray(np.asarray(delta.dt), dims="month",
                      coords={"month": np.arange(1, 13)}).sel(month=month, drop=True)
    factor = xr.DataArray(1.0 + np.asarray(delta.dp) / 100.0, dims="month",
                          coords={"month": np.arange(1, 13)}).sel(month=month, drop=True)
    out = ds.copy()
    for name in _TEMPERATURES:
        if name in out:
            out[name] = (out[name] + dt).assign_attrs(out[name].attrs)
    if "precip" in out:
        out["precip"] = (out["precip"] * factor).assign_attrs(out["precip"].attrs)
    if "et0" in out:
        out = out.drop_vars("et0")  # recomputed from the changed series
    out.attrs["delta_change"] = delta.describe()
    return out
