"""Open a budget's climate input: the bundled sample, files or a Dataset; pick the season."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from irrigate.climate import open_climate
from irrigate.errors import InputError
from irrigate.paths import sample_data_dir

__all__ = ["sample_climate_files", "open_input", "climate_paths", "cyclic", "season_year",
           "as_list",
           "LAZY_BYTES", "LAZY_CHUNKS", "SAMPLE_FOLDER"]

#: Inputs larger than this (bytes, all files) are opened lazily with these dask chunks.
LAZY_BYTES = 100e6
LAZY_CHUNKS = {"lat": 50, "lon": 50}
#: Folder of the bundled synthetic Kazakhstan-wide daily grid.
SAMPLE_FOLDER = "kz_synthetic_daily_2021"


def bundled_files(name: str) -> tuple[Path, list[Path]]:
    """Return the bundled sample folder ``name`` and its NetCDF files (sorted; may be none)."""
    folder = sample_data_dir() / name
    return folder, sorted(folder.glob("*.nc"))


def sample_climate_files() -> list[Path]:
    """Return the files of the bundled synthetic Kazakhstan-wide daily grid (one year)."""
    folder, files = bundled_files(SAMPLE_FOLDER)
    if not files:
        raise InputError(f"{folder}: bundled sample grid not found; reinstall irrigate or "
                         "pass --input files")
    return files


def open_input(climate: Any, elevation: Any = None, var_map: dict[str, str] | None = None
          ) -> tuple[xr.Dataset, str, bool]:
    """Open the climate input; return it, a label and whether it is the bundled sample."""
    if climate is None or isinstance(climate, xr.Dataset):
        what = "the bundled sample has" if climate is None else "an opened Dataset has"
        if var_map:
            raise InputError(f"var_map (--var): {what} its own variable names; it applies to "
                             "climate files only (--input, or pass var_map to open_climate)")
        if elevation is not None:
            raise InputError(f"elevation={elevation} (--elev): {what} its own elevation; it "
                             "applies to climate files only (--input, or pass elevation to "
                             "open_climate)")
    if climate is None:
        files = sample_climate_files()
        return open_climate(files), f"bundled synthetic sample ({SAMPLE_FOLDER})", True
    if isinstance(climate, xr.Dataset):
        return climate, str(climate.attrs.get("climate_input_files", "Dataset")), False
    if isinstance(climate, str | os.PathLike):
        climate = [climate]
    paths = [Path(p) for p in climate]
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: input file not found; check the --input path")
    label = ", ".join(p.name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
    # large inputs (an ERA5-Land year over Kazakhstan is about 1 GB) are opened lazily with
    # dask and read one region group at a time; small ones are faster in memory
    size = sum(p.stat().st_size for p in paths)
    chunks = LAZY_CHUNKS if size > LAZY_BYTES else None
    return (open_climate(paths, var_map=var_map, elevation=elevation, chunks=chunks), label,
            False)


def climate_paths(climate: Any) -> list[Path] | None:
    """Return the files :func:`open_input` opens for ``climate``; None for a Dataset."""
    if climate is None:
        return sample_climate_files()
    if isinstance(climate, xr.Dataset):
        return None
    if isinstance(climate, str | os.PathLike):
        climate = [climate]
    return [Path(p) for p in climate]


def as_list(value: str | Iterable[str] | None) -> list[str] | None:
    """Return names as a list of non-empty stripped strings; None when none are given."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    out = [str(v).strip() for v in value if str(v).strip()]
    return out or None


def cyclic(ds: xr.Dataset) -> xr.Dataset:
    """Prepend the year before as a copy of the (single, typical) year of ``ds``.

    Used for the bundled synthetic typical-year sample so that autumn-sown crops have an
    autumn to be sown in. Day-of-year matching; 29 February is dropped or filled from 28.
    """
    times = pd.DatetimeIndex(ds["time"].values)
    year = times[0].year
    prev = pd.date_range(f"{year - 1}-01-01", f"{year - 1}-12-31", freq="D")
    source = [pd.Timestamp(year, t.month, min(t.day, 28) if t.month == 2 and t.day == 29
                           else t.day) for t in prev]
    before = ds.sel(time=source).assign_coords(time=prev)
    return xr.concat([before, ds], dim="time", data_vars="all")


def season_year(ds: xr.Dataset, season: int | None) -> int:
    """Return the harvest year to budget: ``season``, checked, or the last complete one."""
    times = pd.DatetimeIndex(ds["time"].values)
    first, last = times[0], times[-1]
    if season is None:
        # last year whose growing season (April-October) is complete in the data
        year = last.year if last >= pd.Timestamp(last.year, 10, 31) else last.year - 1
        if year < first.year or pd.Timestamp(year, 4, 1) < first:
            raise InputError(f"climate input covers {first.date()}..{last.date()}: no complete "
                             "growing season (April-October); use a longer input")
        return year
    if not first.year <= int(season) <= last.year:
        raise InputError(f"--season {season}: outside the climate data ({first.date()}.."
                         f"{last.date()}); choose a year from {first.year} to {last.year}")
    return int(season)
