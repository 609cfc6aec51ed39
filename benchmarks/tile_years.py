"""Lay one year of the 0.1 deg benchmark grid end to end into a multi-year input.

    python benchmarks/tile_years.py [--years 10] [--first-year 2012]
        [--source .cache/kz_0.1] [-o .cache/kz_0.1_10y]

Issue 15 asks that a 10-year budget at ERA5-Land resolution stays within the memory of one
season. The multi-year generator (``sample_data/make_sample.py --years``) builds all years in
memory at once (about 10 GB at 0.1 deg), more than this benchmark should take, so this
script repeats the cached one-year grid instead: every day of the new calendar takes the
packed values of the same month and day of the source year (29 February takes 28 February),
one variable at a time, without unpacking. The result is **the same synthetic year repeated**:
good for time and memory, meaningless as climate (every file says so in its title).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

ROOT = Path(__file__).resolve().parent.parent


def day_index(source_days: pd.DatetimeIndex, days: pd.DatetimeIndex) -> np.ndarray:
    """Position in ``source_days`` (one year) of each day's month and day (29 Feb -> 28 Feb)."""
    by_month_day = {(d.month, d.day): i for i, d in enumerate(source_days)}
    return np.array([by_month_day.get((d.month, d.day), by_month_day[(2, 28)]) for d in days])


def tile_file(path: Path, out_dir: Path, first: int, n_years: int) -> Path:
    """Write the multi-year copy of one daily file (packed values copied as they are)."""
    with xr.open_dataset(path, decode_cf=False, decode_times=False) as raw, \
            xr.open_dataset(path) as decoded:
        time_name = "valid_time"
        source_days = pd.DatetimeIndex(decoded[time_name].values)
        days = pd.date_range(f"{first}-01-01", f"{first + n_years - 1}-12-31", freq="D")
        take = day_index(source_days, days)
        label = f"{first}-{first + n_years - 1}"
        out = raw.isel({time_name: take})
        units = f"days since {first}-01-01"
        attrs = {**raw[time_name].attrs, "units": units, "calendar": "proleptic_gregorian"}
        out[time_name] = (time_name, np.arange(len(days), dtype="int64"), attrs)
        year = str(source_days[0].year)
        out.attrs["title"] = (f"BENCHMARK INPUT: the synthetic {year} laid end to end as "
                              f"{label} (benchmarks/tile_years.py); not real weather, not a "
                              "multi-year climate")
        out.attrs["history"] = (f"{raw.attrs.get('history', '')}; repeated {n_years} times "
                                "by benchmarks/tile_years.py")
        encoding = {}
        for name in raw.data_vars:
            src = decoded[name].encoding
            encoding[name] = {k: src[k] for k in ("zlib", "complevel", "shuffle")
                              if k in src}
            if "chunksizes" in src and src["chunksizes"] is not None:
                encoding[name]["chunksizes"] = src["chunksizes"]
        name = path.name.replace(f"-{year}_", f"-{label}_").replace(f"-{year}.", f"-{label}.")
        target = out_dir / name
        tmp = target.with_suffix(".part")
        out.load().to_netcdf(tmp, encoding=encoding)
        tmp.replace(target)
        return target


def main(argv: list[str] | None = None) -> int:
    """Tile every daily file of ``--source`` into ``-o``; copy the time-invariant ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2012)
    parser.add_argument("--source", type=Path, default=ROOT / ".cache" / "kz_0.1")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / ".cache" / "kz_0.1_10y")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.source.glob("*.nc")):
        with xr.open_dataset(path) as ds:
            daily = ds.sizes.get("valid_time", 1) > 1
        if daily:
            print("tiled", tile_file(path, args.output, args.first_year, args.years).name)
        else:
            shutil.copy2(path, args.output / path.name)
            print("copied", path.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
