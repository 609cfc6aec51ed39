"""``irrigate et0 --hourly``: hourly FAO-56 reference ET (Eq. 53) from hourly ERA5 files.

Called by :mod:`irrigate.cli.et0` (the options live on that command); no science here:
:func:`irrigate.climate.open_climate_hourly` reads the files, :mod:`irrigate.science.et0_hourly`
computes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xarray as xr

from irrigate.errors import InputError

#: What ``irrigate et0 --hourly`` needs from the files (Eq. 53 has no missing-data procedure).
REQUIRED = ("tmean", "rs", "u2", "elevation")


def _complete_days(daily: xr.DataArray, hourly_times: pd.DatetimeIndex,
                   label: str) -> xr.DataArray:
    """Keep the days that have all 24 hourly time stamps (as the daily path does)."""
    shift = pd.Timedelta(minutes=30)
    mid = hourly_times - shift if label == "end" else hourly_times + shift
    counts = pd.Series(1, index=mid).resample("D").count()
    days = counts.index[counts.to_numpy() == 24]
    if len(days) == 0:
        raise InputError("--daily-sum: the hourly input holds no complete day (24 hours); "
                         "give at least one whole day (for ERA5 stamps: 01:00 to 00:00 of the "
                         "next day)")
    return daily.sel(time=days)


def run_hourly(inputs: tuple[str, ...], out: Path, *, var_map: dict[str, str],
               lat: float | None, lon: float | None, elev: str | None,
               wind_height: float | None, chunks: dict | None, start: str | None,
               end: str | None, utc_offset: float, night_ratio: float | None,
               daily_sum: bool, overwrite: bool, command: str) -> str:
    """Compute and write hourly ``et0_hourly`` (or its daily sums ``et0``); return a summary."""
    from irrigate.climate import open_climate_hourly
    from irrigate.output.io import provenance, write_netcdf
    from irrigate.science.et0_hourly import daily_et0_from_hourly, reference_et_hourly

    ds = open_climate_hourly(
        list(inputs), var_map=var_map, lat=lat, lon=lon, elevation=elev,
        wind_height=wind_height, chunks=chunks,
        time_range=(start, end) if (start or end) else None, require=REQUIRED,
    )
    if utc_offset != 0 and "era5" in ds.attrs["climate_source_family"]:
        raise InputError(f"--utc-offset {utc_offset:g}: ERA5 / ERA5-Land time stamps are UTC; "
                         "leave --utc-offset at 0")
    label = ds.attrs["climate_time_label"]
    result = reference_et_hourly(ds, label=label, utc_offset=utc_offset,
                                 night_ratio=night_ratio)
    if daily_sum:
        result = _complete_days(daily_et0_from_hourly(result, label=label).assign_attrs(
            method=result.attrs["method"] + "; daily sum of 24 hourly values"),
            pd.DatetimeIndex(ds["time"].values), label)
        name, what = "et0", "days"
        title = "Daily FAO-56 grass reference evapotranspiration (sum of hourly Eq. 53)"
    else:
        result.attrs["cell_methods"] = "time: sum (interval: 1 hour)"
        name, what = "et0_hourly", "hours"
        title = "Hourly FAO-56 grass reference evapotranspiration (Eq. 53)"
    keep = [c for c in ("lat", "lon", "station") if c in ds.coords]
    data = result.to_dataset(name=name).assign_coords({c: ds[c] for c in keep})
    if "elevation" in ds and ds["elevation"].ndim > 0:
        data = data.assign_coords(elevation=ds["elevation"])
    data.attrs = provenance(
        command, title=title,
        input_files=", ".join(Path(p).name for p in inputs),
        et0_method=str(result.attrs.get("method")),
        et0_time_label=("daily values at 00:00 of each date" if daily_sum else
                        f"time stamp = {label} of the hour, UTC{utc_offset:+g}"),
        **{k: str(v) for k, v in ds.attrs.items() if k.startswith("climate_")},
    )
    write_netcdf(data, out, overwrite=overwrite)
    return f"wrote {out} ({name}, {data.sizes['time']} {what}; FAO-56 Eq. 53 hourly)"
