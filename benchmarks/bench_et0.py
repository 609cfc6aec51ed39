"""Benchmark: irrigate FAO-56 Penman-Monteith ET0 vs pyet and refet, in one run.

Run from the project root (peers from the ``bench`` extra: ``pip install .[bench]``)::

    /work/venv/bin/python benchmarks/bench_et0.py            # full sizes
    /work/venv/bin/python benchmarks/bench_et0.py --quick    # small sizes, smoke test

Cases (same synthetic, physically plausible inputs for every implementation):

* station: 1 station x 36 years of daily data (13 149 days);
* grid: 365 days x 100 x 100 cells (3.65 million cell-days);
* hourly station: 1 station x 1 year of hourly data (8760 hours);
* hourly grid: 31 days x 24 hours x 50 x 50 cells (1.86 million cell-hours).

``--section hourly`` (or ``daily``) runs only that part; the default runs both.

For each implementation the minimum wall time of N repetitions is reported, the ratio
``peer_time / irrigate_time`` (> 1: irrigate faster) and the largest absolute difference of
the ET0 values from irrigate's (agreement check). Peak memory of one grid computation is
measured with tracemalloc in a separate, untimed call (tracemalloc slows code down).

Known, documented formula differences (they set the agreement level, not bugs):
pyet and refet limit Rs/Rso to >= 0.3 (ASCE-EWRI), FAO-56 Eq. 39 only to <= 1.0 (inputs
here keep Rs/Rso >= 0.35); refet "asce" uses sigma = 4.901e-9 and Delta coefficient 2503
(FAO-56: 4.903e-9 and 4098 x 0.6108); pyet clips ET0 < 0 to 0 unless clip_zero=False (used).
Hourly: refet ``Hourly(method="asce").eto()`` is the ASCE-EWRI (2005) standardized grass
equation, whose denominator coefficient Cd is 0.24 by day and 0.96 at night (FAO-56 Eq. 53:
0.34 always) and whose night-time cloudiness factor is clear sky (fcd = 1 when the sun is
below 0.3 rad; FAO-56 p. 75: the Rs/Rso of 2-3 h before sunset, irrigate's default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

import irrigate
from irrigate.science import et0 as et
from irrigate.science import radiation as rad


def synthetic(n_time: int, n_lat: int, n_lon: int, start: str, seed: int = 42) -> dict:
    """Daily weather on a (time, lat, lon) grid, Kazakhstan-like (40-55 N, 0-1500 m)."""
    rng = np.random.default_rng(seed)
    time_index = pd.date_range(start, periods=n_time, freq="D")
    doy = time_index.day_of_year.to_numpy()
    lat = np.linspace(40.0, 55.0, n_lat)
    elevation = rng.uniform(0.0, 1500.0, (n_lat, n_lon))
    shape = (n_time, n_lat, n_lon)
    season = np.cos(2 * np.pi * (doy - 200) / 365.0)[:, None, None]
    tmin = 2.0 + 14.0 * season + rng.normal(0.0, 3.0, shape)
    tmax = tmin + rng.uniform(4.0, 18.0, shape)
    tdew = tmin - rng.uniform(0.0, 8.0, shape)
    ra = rad.extraterrestrial_radiation(lat[None, :, None], doy[:, None, None])
    rso = rad.clear_sky_radiation(ra, elevation[None])
    rs = rso * rng.uniform(0.35, 1.0, shape)
    u2 = rng.uniform(0.5, 6.0, shape)
    return dict(time=time_index, doy=doy, lat=lat, elevation=elevation, tmin=tmin, tmax=tmax,
                tdew=tdew, ea=et.ea_from_tdew(tdew), rs=rs, u2=u2)


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Minimum wall time (s) of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak traced memory (MiB) allocated while calling ``fn`` once."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def as_array(x: object) -> np.ndarray:
    if isinstance(x, (xr.DataArray, pd.Series)):
        return np.asarray(x.values, dtype=float)
    return np.asarray(x, dtype=float)


# --- implementations ---------------------------------------------------------------------------

def irrigate_numpy(w: dict) -> Callable[[], np.ndarray]:
    lat = w["lat"][None, :, None]
    doy = w["doy"][:, None, None]
    z = w["elevation"][None]
    return lambda: et.et0_fao56(w["tmax"], w["tmin"], w["ea"], w["rs"], w["u2"], lat, doy, z)


def dataset(w: dict) -> xr.Dataset:
    dims = ("time", "lat", "lon")
    return xr.Dataset(
        {k: (dims, w[k]) for k in ("tmax", "tmin", "ea", "rs", "u2")},
        coords={"time": w["time"], "lat": w["lat"], "lon": np.arange(w["tmax"].shape[2]),
                "elevation": (("lat", "lon"), w["elevation"])},
    )


def irrigate_dataset(ds: xr.Dataset) -> Callable[[], xr.DataArray]:
    return lambda: et.reference_et(ds, method="penman-monteith").compute()


def pyet_series(w: dict) -> Callable[[], object]:
    import pyet

    def s(a: np.ndarray) -> pd.Series:
        return pd.Series(a[:, 0, 0], index=w["time"])

    tmax, tmin = s(w["tmax"]), s(w["tmin"])
    tmean = (tmax + tmin) / 2
    args = dict(rs=s(w["rs"]), tmax=tmax, tmin=tmin, ea=s(w["ea"]),
                elevation=float(w["elevation"][0, 0]), lat=float(np.deg2rad(w["lat"][0])),
                clip_zero=False)
    wind = s(w["u2"])
    return lambda: pyet.pm_fao56(tmean, wind, **args)


def pyet_grid(ds: xr.Dataset) -> Callable[[], object]:
    import pyet

    tmean = (ds["tmax"] + ds["tmin"]) / 2
    lat = xr.DataArray(np.deg2rad(ds["lat"].values)[:, None]
                       * np.ones((1, ds.sizes["lon"])), dims=("lat", "lon"),
                       coords={"lat": ds["lat"], "lon": ds["lon"]})
    elevation = ds["elevation"].reset_coords(drop=True)
    return lambda: pyet.pm_fao56(tmean, ds["u2"], rs=ds["rs"], tmax=ds["tmax"], tmin=ds["tmin"],
                                 ea=ds["ea"], elevation=elevation, lat=lat,
                                 clip_zero=False).compute()


def refet_numpy(w: dict) -> Callable[[], np.ndarray]:
    import refet

    lat = w["lat"][None, :, None]
    doy = w["doy"][:, None, None]
    z = w["elevation"][None]
    return lambda: refet.Daily(tmin=w["tmin"], tmax=w["tmax"], ea=w["ea"], rs=w["rs"],
                               uz=w["u2"], zw=2.0, elev=z, lat=lat, doy=doy,
                               method="asce").eto()


# --- hourly -------------------------------------------------------------------------------------

def synthetic_hourly(n_days: int, n_lat: int, n_lon: int, start: str, seed: int = 3) -> dict:
    """Hourly weather on a (time, lat, lon) grid, Kazakhstan-like, UTC stamps = end of hour."""
    from irrigate.science import et0_hourly as hr

    rng = np.random.default_rng(seed)
    stamps = pd.date_range(start, periods=24 * n_days, freq="h") + pd.Timedelta(hours=1)
    mid = stamps - pd.Timedelta(minutes=30)
    doy = mid.day_of_year.to_numpy()[:, None, None]
    hour = (mid.hour + mid.minute / 60.0).to_numpy()[:, None, None]
    lat = np.linspace(40.0, 55.0, n_lat)
    lon = np.linspace(50.0, 87.0, n_lon)
    elevation = rng.uniform(0.0, 1500.0, (n_lat, n_lon))
    shape = (len(stamps), n_lat, n_lon)
    day = np.arange(len(stamps)) // 24
    season = np.cos(2 * np.pi * (doy - 200) / 365.0)
    local = hour + lon[None, None, :] / 15.0  # local solar clock, for the daily cycle
    t = (12.0 + 12.0 * season + 7.0 * np.sin(2 * np.pi * (local - 9.0) / 24.0)
         + rng.normal(0.0, 1.0, shape))
    tdew = t - rng.uniform(2.0, 15.0, (n_days, n_lat, n_lon))[day]
    ra = hr.extraterrestrial_radiation_period(lat[None, :, None], doy, hour, lon[None, None, :])
    cloud = rng.uniform(0.35, 1.0, (n_days, n_lat, n_lon))[day]
    rs = (0.75 + 2e-5 * elevation[None]) * ra * cloud
    u2 = rng.uniform(0.5, 6.0, shape)
    return dict(time=stamps, doy=doy, hour=hour, start_hour=hour - 0.5, lat=lat, lon=lon,
                elevation=elevation, t=t, tdew=tdew, ea=et.ea_from_tdew(tdew), rs=rs, u2=u2)


def irrigate_hourly_numpy(w: dict, night: float) -> Callable[[], np.ndarray]:
    from irrigate.science import et0_hourly as hr

    lat, lon = w["lat"][None, :, None], w["lon"][None, None, :]
    return lambda: hr.et0_fao56_hourly(w["t"], w["ea"], w["rs"], w["u2"], lat, w["doy"],
                                       w["hour"], lon, w["elevation"][None], rs_rso_night=night)


def hourly_dataset(w: dict) -> xr.Dataset:
    dims = ("time", "lat", "lon")
    ds = xr.Dataset(
        {"tmean": (dims, w["t"]), "ea": (dims, w["ea"]),
         "rs": (dims, w["rs"], {"units": "MJ m-2 h-1"}), "u2": (dims, w["u2"])},
        coords={"time": w["time"], "lat": w["lat"], "lon": w["lon"],
                "elevation": (("lat", "lon"), w["elevation"])},
    )
    return ds


def irrigate_hourly_dataset(ds: xr.Dataset) -> Callable[[], xr.DataArray]:
    from irrigate.science import et0_hourly as hr

    return lambda: hr.reference_et_hourly(ds, label="end").compute()


def refet_hourly_numpy(w: dict) -> Callable[[], np.ndarray]:
    import refet

    lat, lon = w["lat"][None, :, None], w["lon"][None, None, :]
    doy, start = np.broadcast_to(w["doy"], w["t"].shape), w["start_hour"]
    return lambda: refet.Hourly(tmean=w["t"], rs=w["rs"], uz=w["u2"], zw=2.0,
                                elev=w["elevation"][None], lat=lat, lon=lon, doy=doy,
                                time=start, ea=w["ea"], method="asce").eto()


def hourly_section(quick: bool) -> None:
    """Hourly ET0: irrigate (FAO-56 Eq. 53) vs refet Hourly (ASCE-EWRI 2005), one run."""
    names = {
        "np1": "irrigate et0_fao56_hourly (numpy, night 1.0)",
        "ds": "irrigate reference_et_hourly (Dataset, 2-3 h rule)",
        "dask": "irrigate reference_et_hourly (dask, 4 chunks)",
        "refet": "refet Hourly(method='asce').eto() (numpy)",
    }
    n_days = 31 if quick else 365
    station = synthetic_hourly(n_days, 1, 1, "2021-01-01", seed=4)
    rows = run_case(
        f"hourly station: 1 x {24 * n_days} hours (mm/h)",
        {names["np1"]: irrigate_hourly_numpy(station, 1.0),
         names["ds"]: irrigate_hourly_dataset(hourly_dataset(station)),
         names["refet"]: refet_hourly_numpy(station)},
        repeat=7, memory=False,
    )
    print_ratios(rows, [(names["refet"], names["np1"]), (names["refet"], names["ds"])])

    n_grid = 10 if quick else 50
    grid = synthetic_hourly(31, n_grid, n_grid, "2021-07-01", seed=5)
    gds = hourly_dataset(grid)
    chunked = gds.chunk({"lat": n_grid // 2, "lon": n_grid // 2})
    rows = run_case(
        f"hourly grid: 744 hours x {n_grid} x {n_grid} (mm/h)",
        {names["np1"]: irrigate_hourly_numpy(grid, 1.0),
         names["ds"]: irrigate_hourly_dataset(gds),
         names["dask"]: irrigate_hourly_dataset(chunked),
         names["refet"]: refet_hourly_numpy(grid)},
        repeat=3, memory=True,
    )
    print_ratios(rows, [(names["refet"], names["np1"]), (names["refet"], names["ds"])])
    by_name = {r["name"]: r for r in rows if "error" not in r}
    if names["refet"] in by_name and names["np1"] in by_name:
        ratio = by_name[names["refet"]]["peak_mib"] / by_name[names["np1"]]["peak_mib"]
        print(f"peak memory ratio refet / irrigate numpy: {ratio:.2f}")
    a = as_array(irrigate_hourly_numpy(grid, 1.0)())
    b = as_array(refet_hourly_numpy(grid)())
    sun = grid["rs"] > 0
    print(f"agreement irrigate numpy (night 1.0) vs refet, mm/h: daytime hours max|diff| "
          f"{np.nanmax(np.abs(a - b)[sun]):.4f}, mean diff {np.nanmean((a - b)[sun]):+.4f}; "
          f"night hours max|diff| {np.nanmax(np.abs(a - b)[~sun]):.4f}; daily sums mean "
          f"{a.mean() * 24:.3f} vs {b.mean() * 24:.3f} mm/day")
    print("(differences: ASCE Cd 0.24 day / 0.96 night vs FAO-56 Eq. 53 0.34; refet night "
          "fcd = 1 below 0.3 rad sun)")


# --- report -------------------------------------------------------------------------------------

def run_case(title: str, impls: dict[str, Callable[[], object]], repeat: int,
             memory: bool) -> list[dict]:
    rows = []
    reference = None
    base_time = None
    for name, fn in impls.items():
        try:
            seconds, result = best_of(fn, repeat)
        except Exception as exc:  # a peer that cannot run this shape is reported, not fatal
            rows.append(dict(name=name, error=f"{type(exc).__name__}: {exc}"))
            continue
        values = as_array(result).reshape(-1)
        if reference is None:
            reference, base_time = values, seconds
        row = dict(name=name, seconds=seconds, ratio=seconds / base_time,
                   max_abs_diff=float(np.nanmax(np.abs(values - reference))),
                   mean=float(np.nanmean(values)))
        if memory:
            row["peak_mib"] = peak_mib(fn)
        rows.append(row)
    print(f"\n## {title} (min of {repeat} runs)")
    header = f"{'implementation':<42} {'time s':>9} {'t/t(first)':>13} {'max|diff| mm':>13} "
    header += f"{'mean mm':>8}" + (f" {'peak MiB':>9}" if memory else "")
    print(header)
    for r in rows:
        if "error" in r:
            print(f"{r['name']:<42} not run: {r['error'][:120]}")
            continue
        line = (f"{r['name']:<42} {r['seconds']:>9.4f} {r['ratio']:>13.2f} "
                f"{r['max_abs_diff']:>13.2e} {r['mean']:>8.3f}")
        if memory:
            line += f" {r['peak_mib']:>9.0f}"
        print(line)
    return rows


def print_ratios(rows: list[dict], pairs: list[tuple[str, str]]) -> None:
    """Print peer_time / irrigate_time for like-for-like pairs (> 1: irrigate faster)."""
    by_name = {r["name"]: r for r in rows if "error" not in r}
    for peer, ours in pairs:
        if peer in by_name and ours in by_name:
            ratio = by_name[peer]["seconds"] / by_name[ours]["seconds"]
            print(f"ratio {peer} / {ours}: {ratio:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--section", choices=("all", "daily", "hourly"), default="all",
                        help="run the daily or the hourly cases only")
    args = parser.parse_args(argv)

    import pyet
    import refet

    n_years_days = 365 if args.quick else 13149  # 36 years, 1988-01-01 .. 2023-12-31
    n_grid = 20 if args.quick else 100
    print(f"# ET0 benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"python {platform.python_version()}, numpy {np.__version__}, xarray "
          f"{xr.__version__}, irrigate {irrigate.__version__}, pyet {pyet.__version__}, "
          f"refet {getattr(refet, '__version__', '?')}; {platform.machine()}, "
          f"command: {' '.join([sys.executable.split('/')[-1], *sys.argv])}")
    if args.section in ("all", "hourly"):
        hourly_section(args.quick)
    if args.section == "hourly":
        return

    station = synthetic(n_years_days, 1, 1, "1988-01-01", seed=1)
    sds = dataset(station)
    rows = run_case(
        f"station: 1 x {n_years_days} days",
        {
            "irrigate et0_fao56 (numpy)": irrigate_numpy(station),
            "irrigate reference_et (Dataset)": irrigate_dataset(sds),
            "pyet pm_fao56 (pandas Series)": pyet_series(station),
            "refet Daily(method='asce').eto() (numpy)": refet_numpy(station),
        },
        repeat=7, memory=False,
    )
    print_ratios(rows, [
        ("pyet pm_fao56 (pandas Series)", "irrigate reference_et (Dataset)"),
        ("pyet pm_fao56 (pandas Series)", "irrigate et0_fao56 (numpy)"),
        ("refet Daily(method='asce').eto() (numpy)", "irrigate et0_fao56 (numpy)"),
    ])

    grid = synthetic(365, n_grid, n_grid, "2021-01-01", seed=2)
    gds = dataset(grid)
    chunked = gds.chunk({"lat": n_grid // 2, "lon": n_grid // 2})
    rows = run_case(
        f"grid: 365 x {n_grid} x {n_grid}",
        {
            "irrigate et0_fao56 (numpy)": irrigate_numpy(grid),
            "irrigate reference_et (Dataset, memory)": irrigate_dataset(gds),
            "irrigate reference_et (dask, 4 chunks)": irrigate_dataset(chunked),
            "pyet pm_fao56 (DataArray, memory)": pyet_grid(gds),
            "pyet pm_fao56 (DataArray, dask 4 chunks)": pyet_grid(chunked),
            "refet Daily(method='asce').eto() (numpy)": refet_numpy(grid),
        },
        repeat=3, memory=True,
    )
    print_ratios(rows, [
        ("pyet pm_fao56 (DataArray, memory)", "irrigate reference_et (Dataset, memory)"),
        ("pyet pm_fao56 (DataArray, dask 4 chunks)", "irrigate reference_et (dask, 4 chunks)"),
        ("refet Daily(method='asce').eto() (numpy)", "irrigate et0_fao56 (numpy)"),
    ])


if __name__ == "__main__":
    main()
