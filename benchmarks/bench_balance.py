"""Speed and memory of the dual-Kc water balance, side by side with pyfao56.

Run:  /work/venv/bin/python benchmarks/bench_balance.py [--cells 100] [--repeat 1]

1. irrigate on a ``cells x cells`` grid, one calendar year (365 days, the crops' seasons
   inside it), 3 crops x 5 methods, refill-at-RAW schedule, dask-chunked in space, seasonal
   totals computed (the budget workflow): wall time, cell-days and element-days
   (cell x crop x method x day) per second, peak RSS.
2. The kernel alone on one in-memory block of 1000 cells (all 31 outputs kept).
3. pyfao56 (USDA-ARS) on one point, the same cotton season with its AutoIrrigate MAD rule.
Ratio: seconds per cell x crop x method season, pyfao56 / irrigate.

Synthetic weather (seeded) is used so the run does not depend on a download; both models get
the same ET0 and rain. Numbers are written to stdout; docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import resource
import time

import dask
import numpy as np
import pandas as pd
import xarray as xr

from irrigate.engine.simulate import season_summary, simulate
from irrigate.library import load_library
from irrigate.science import balance
from irrigate.science.schedule import Schedule

CROPS = ["cotton", "maize_grain", "spring_wheat"]
METHODS = ["flood", "furrow", "sprinkler", "drip", "mulched_drip"]
YEAR = 2010


def weather(n_lat: int, n_lon: int, seed: int = 0) -> xr.Dataset:
    t = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")
    rng = np.random.default_rng(seed)
    doy = t.day_of_year.values[:, None, None]
    shape = (len(t), n_lat, n_lon)
    et0 = 0.5 + 6.5 * np.clip(np.sin((doy - 80) / 365 * 2 * np.pi), 0, None) \
        + 0.5 * rng.random(shape)
    precip = rng.gamma(0.4, 6.0, shape) * (rng.random(shape) < 0.15)
    dims = ("time", "lat", "lon")
    return xr.Dataset(
        {"et0": (dims, et0), "precip": (dims, precip),
         "u2": (dims, 1.0 + 3.0 * rng.random(shape)),
         "rh_min": (dims, 15.0 + 40.0 * rng.random(shape))},
        coords={"time": t, "lat": 40.0 + 0.1 * np.arange(n_lat),
                "lon": 60.0 + 0.1 * np.arange(n_lon)})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_grid(n: int, chunk: int) -> dict[str, float]:
    ds = weather(n, n).chunk({"lat": chunk, "lon": -1, "time": -1})
    t0 = time.perf_counter()
    daily = simulate(ds, CROPS, METHODS, soil="loam", schedule="fao_mad",
                     outputs=["das", "eta", "e", "t", "dp", "ro", "cr", "irr_net",
                              "irr_gross", "irr_loss"])
    totals = season_summary(daily)
    with dask.config.set(scheduler="threads", num_workers=2):
        totals = totals.compute()
    wall = time.perf_counter() - t0
    cell_days = n * n * ds.sizes["time"]
    elems = cell_days * len(CROPS) * len(METHODS)
    return {"wall_s": wall, "cell_days_per_s": cell_days / wall,
            "element_days_per_s": elems / wall,
            "s_per_element_season": wall / (n * n * len(CROPS) * len(METHODS)),
            "mean_gross_cotton_drip": float(totals.irr_gross.sel(
                {"crop": "cotton", "method": "drip"}).mean())}


def bench_kernel(cells: int, outputs: tuple[str, ...] = balance.ALL_OUTPUTS
                 ) -> dict[str, float]:
    lib = load_library()
    crops = [lib.crop(c) for c in CROPS]
    methods = [lib.method(m) for m in METHODS]
    soil = lib.soil("loam")
    w = weather(1, cells).isel(lat=0)
    series = [w[v].transpose("lon", "time").values for v in ("et0", "precip", "u2", "rh_min")]
    series = [s[:, None, None, :] for s in series]
    sow = np.array([(pd.Timestamp(f"{YEAR}-{c.sowing}") - pd.Timestamp(f"{YEAR}-01-01")).days
                    for c in crops])[None, :, None]
    s = [soil.theta_fc, soil.theta_wp, soil.rew, balance.tew_of(soil), soil.cn2, soil.cr_a4,
         soil.cr_b4]
    t0 = time.perf_counter()
    site = balance.Site(sow, *s, np.array(np.nan), np.arange(len(crops))[None, :, None],
                        np.arange(len(methods))[None, None, :])
    out = balance.run_balance(balance.Forcing(*series), site,
                              balance.Parameters(crops, methods),
                              balance.Management(Schedule(rule="mad")), outputs=outputs)
    wall = time.perf_counter() - t0
    elems = cells * len(crops) * len(methods) * series[0].shape[-1]
    return {"wall_s": wall, "element_days_per_s": elems / wall,
            "s_per_element_season": wall / (cells * len(crops) * len(methods)),
            "output_mb": out.nbytes / 1e6}


def bench_pyfao56(repeat: int) -> dict[str, float]:
    from pyfao56 import AutoIrrigate, Model, Parameters, Weather

    lib = load_library()
    cot = lib.crop("cotton")
    soil = lib.soil("loam")
    w = weather(1, 1).isel(lat=0, lon=0)
    wth = Weather()
    wth.z, wth.lat, wth.wndht = 300.0, 41.0, 2.0
    rows = {}
    for t, e, p in zip(w.time.values, w.et0.values, w.precip.values, strict=True):
        d = pd.Timestamp(t)
        rows[f"{d.year}-{d.day_of_year:03d}"] = [np.nan] * 8 + [float(p), float(e), "M"]
    wth.wdata = pd.DataFrame.from_dict(rows, orient="index", columns=wth.cnames)
    par = Parameters(Kcbini=cot.kcb_ini, Kcbmid=cot.kcb_mid, Kcbend=cot.kcb_end, Lini=cot.l_ini,
                     Ldev=cot.l_dev, Lmid=cot.l_mid, Lend=cot.l_late, hmax=cot.h_max,
                     thetaFC=soil.theta_fc, thetaWP=soil.theta_wp, theta0=soil.theta_fc,
                     Zrini=cot.zr_min, Zrmax=cot.zr_max, pbase=cot.p, Ze=soil.ze, REW=soil.rew,
                     CN2=int(soil.cn2))
    sow = pd.Timestamp(f"{YEAR}-{cot.sowing}")
    end = sow + pd.Timedelta(days=cot.season_length - 1)
    start_s, end_s = f"{YEAR}-{sow.day_of_year:03d}", f"{YEAR}-{end.day_of_year:03d}"
    airr = AutoIrrigate()
    airr.addset(start_s, end_s, mad=cot.p, ieff=90.0, fw=0.35)
    times = []
    for _ in range(repeat):
        mdl = Model(start_s, end_s, par, wth, autoirr=airr)
        t0 = time.perf_counter()
        mdl.run()
        times.append(time.perf_counter() - t0)
    wall = min(times)
    return {"wall_s": wall, "days": cot.season_length, "s_per_element_season": wall,
            "element_days_per_s": cot.season_length / wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=100, help="grid side (cells x cells)")
    ap.add_argument("--chunk", type=int, default=5, help="lat rows per dask chunk")
    ap.add_argument("--repeat", type=int, default=3, help="pyfao56 repeats (min time)")
    args = ap.parse_args()
    print(f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; python "
          f"{platform.python_version()}; numpy {np.__version__}; xarray {xr.__version__}; "
          f"dask {dask.__version__}; {platform.machine()}")
    pf = bench_pyfao56(args.repeat)
    print(f"pyfao56: one point, cotton season {pf['days']} d: {pf['wall_s']:.3f} s "
          f"({pf['element_days_per_s']:.0f} element-days/s)")
    rss0 = peak_rss_mb()
    g = bench_grid(args.cells, args.chunk)
    print(f"irrigate simulate + season_summary, {args.cells}x{args.cells} grid, 365 d, 3 crops "
          f"x 5 methods, dask chunks of {args.chunk} rows, 2 threads: {g['wall_s']:.1f} s; "
          f"{g['cell_days_per_s']:.3g} cell-days/s; {g['element_days_per_s']:.3g} "
          f"element-days/s; peak RSS {peak_rss_mb():.0f} MB (before the grid run "
          f"{rss0:.0f} MB)")
    k = bench_kernel(1000, outputs=("eta", "irr_gross"))
    print(f"irrigate kernel alone, 1000 cells x 3 crops x 5 methods x 365 d in memory, 2 "
          f"outputs: {k['wall_s']:.2f} s, {k['element_days_per_s']:.3g} element-days/s")
    print(f"per cell x crop x method season: irrigate grid {g['s_per_element_season']*1e3:.3f} "
          f"ms (365 d), kernel {k['s_per_element_season']*1e3:.3f} ms, pyfao56 "
          f"{pf['s_per_element_season']*1e3:.1f} ms ({pf['days']} d); ratio pyfao56/irrigate "
          f"grid {pf['s_per_element_season'] / g['s_per_element_season']:.0f}x per season, "
          f"{g['element_days_per_s'] / pf['element_days_per_s']:.0f}x per element-day")

if __name__ == "__main__":
    main()
