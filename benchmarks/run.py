"""All speed figures of issue 15 in one process, on identical inputs: ``benchmarks/run.py``.

    python benchmarks/run.py [--quick] [--json FILE] [--only SECTION] [--repeat N] [--cells N]

1. ET0 on a 365 x 200 x 200 grid (float64; float32 too): irrigate's fused compiled kernel,
   its numpy reference, the Dataset entry point, pyet ``pm_fao56`` (xarray DataArrays) and
   refet ``Daily(method="asce")`` (numpy), with the humidity input given as ``ea`` (kPa) and,
   for irrigate, as ``tdew`` too; and the memory floor: one compiled pass that reads the five
   weather fields and writes one result, with the same threads and dtype. Max differences
   against irrigate's numpy reference.
2. The water balance per crop-method-day against pyfao56 (one point, the cotton season,
   its AutoIrrigate MAD rule): irrigate's compiled loop with seasonal sums on N cells x
   3 crops x 5 methods x 365 days, every feature on (Kcb climate adjustment with u2 and
   RHmin, a shallow water table with capillary rise, surface runoff of flood irrigation,
   drip under the canopy, film mulch, a gross seasonal quota, rain skip). Per simulated
   day: the loop runs each season from the first day of the series to its harvest (the
   seasonal sums need no later day); per calendar day (365 per element) too. Before it, the
   loop's first-call time in two fresh processes sharing a new numba cache directory:
   compiling (cold cache) and loading the compiled loop (warm cache).
3. The national budget on the sample regridded to 0.1 deg (``sample_data/make_sample.py
   --resolution 0.1``, built once under ``.cache/``), in a fresh process each, with 1 and 2
   workers (``irrigate budget --workers N``): wall time and peak RSS.
4. A scaling series: the budget's upland balance (compiled, seasonal sums) on 4 grid sizes.

Ratios are taken within one run (the machine is shared: absolute times move with its load).
``--quick`` repeats less and uses smaller scaling sizes (under 3 minutes on 2 cores once the
grid and the compiled kernels are cached).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_et0  # noqa: E402

from irrigate.science import balance, balance_compiled, et0_compiled  # noqa: E402
from irrigate.science import et0 as et  # noqa: E402

CACHE = ROOT / ".cache" / "kz_0.1"
#: Sections of the run, in order (``--only``).
SECTIONS = ("et0", "balance", "budget", "scaling")


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def one_thread_cpu(fn: Callable[[], object], repeat: int) -> float:
    """Least CPU time of ``fn`` run in a thread of its own, where compiled loops run serially.

    Other jobs on the machine move this figure far less than they move the wall time.
    """
    import threading

    best = [np.inf]

    def work() -> None:
        for _ in range(repeat):
            t0 = time.thread_time()
            fn()
            best[0] = min(best[0], time.thread_time() - t0)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    return best[0]


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    import numba

    return {"nproc": os.cpu_count(), "cpu": model or platform.processor(),
            "memory_gib": round(mem, 1), "python": platform.python_version(),
            "numpy": np.__version__, "numba": numba.__version__, "xarray": xr.__version__,
            "numba_threads": numba.get_num_threads(),
            "load_average_start": os.getloadavg()[0],
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "unset")}


# --------------------------------------------------------------------------- ET0

def bench_et0_section(repeat: int, n: int) -> dict[str, float]:
    import pyet
    import refet

    w = bench_et0.synthetic(365, n, n, "2021-01-01")
    tdew = w["tmin"] - 2.0 + 0.0 * w["tmax"]
    ea = et.ea_from_tdew(tdew)
    w["ea"] = ea
    lat, doy, z = w["lat"][None, :, None], w["doy"][:, None, None], w["elevation"][None]
    f = {k: w[k] for k in ("tmax", "tmin", "rs", "u2")}
    ds = bench_et0.dataset(w)
    ds_tdew = ds.drop_vars("ea").assign(tdew=(("time", "lat", "lon"), tdew))
    humid = et0_compiled.Humidity
    # first calls: compile or load from the cache, timed separately
    t0 = time.perf_counter()
    et.et0_fao56_compiled(f["tmax"][:1], f["tmin"][:1], ea[:1], f["rs"][:1], f["u2"][:1], lat,
                          doy[:1], z)
    first_call = time.perf_counter() - t0
    cases: dict[str, Callable[[], object]] = {
        "irrigate compiled, ea given (numpy arrays)": lambda: et.et0_fao56_compiled(
            f["tmax"], f["tmin"], ea, f["rs"], f["u2"], lat, doy, z),
        "irrigate compiled, tdew (numpy arrays)": lambda: et.et0_fao56_compiled(
            f["tmax"], f["tmin"], tdew, f["rs"], f["u2"], lat, doy, z, kind=humid.TDEW),
        "irrigate reference_et, ea given (Dataset)": lambda: et.reference_et(
            ds, method="penman-monteith").values,
        "irrigate reference_et, tdew (Dataset)": lambda: et.reference_et(
            ds_tdew, method="penman-monteith").values,
        "irrigate numpy reference et0_fao56, ea given": lambda: et.et0_fao56(
            f["tmax"], f["tmin"], ea, f["rs"], f["u2"], lat, doy, z),
        "pyet pm_fao56, ea given (DataArrays)": bench_et0.pyet_grid(ds),
        "refet Daily asce, ea given (numpy)": lambda: refet.Daily(
            tmin=f["tmin"], tmax=f["tmax"], ea=ea, rs=f["rs"], uz=f["u2"], zw=2.0, elev=z,
            lat=lat, doy=doy, method="asce").eto(),
        "memory floor float64 (one compiled pass, 5 fields in, 1 out)": lambda:
            et0_compiled.memory_floor(f["tmax"], f["tmin"], ea, f["rs"], f["u2"]),
    }
    f32 = {k: v.astype(np.float32) for k, v in f.items()}
    ea32 = ea.astype(np.float32)
    cases["irrigate compiled float32, ea given"] = lambda: et.et0_fao56_compiled(
        f32["tmax"], f32["tmin"], ea32, f32["rs"], f32["u2"], lat, doy, z)
    cases["memory floor float32"] = lambda: et0_compiled.memory_floor(
        f32["tmax"], f32["tmin"], ea32, f32["rs"], f32["u2"])
    ref = et.et0_fao56(f["tmax"], f["tmin"], ea, f["rs"], f["u2"], lat, doy, z)
    times, diffs = {}, {}
    print(f"\n## ET0, grid 365 x {n} x {n} (min of {repeat} runs); pyet {pyet.__version__}, "
          f"refet {refet.__version__}")
    print(f"first call of the compiled kernel (compile or cache load): {first_call:.2f} s")
    print(f"{'implementation':<66}{'time s':>9}{'max|diff| mm':>14}{'dtype':>9}")
    for name, fn in cases.items():
        sec, out = best_of(fn, repeat)
        arr = np.asarray(getattr(out, "values", out))
        times[name] = sec
        diffs[name] = float(np.nanmax(np.abs(arr.astype(float) - ref))) \
            if "floor" not in name else float("nan")
        print(f"{name:<66}{sec:>9.3f}{diffs[name]:>14.2e}{str(arr.dtype):>9}")
    comp = times["irrigate compiled, ea given (numpy arrays)"]
    res = {
        "et0_grid": f"365x{n}x{n}",
        "et0_first_call_s": first_call,
        "et0_seconds_compiled": comp,
        "et0_speedup_vs_pyet": times["pyet pm_fao56, ea given (DataArrays)"] / comp,
        "et0_speedup_vs_pyet_dataset_entry": times["pyet pm_fao56, ea given (DataArrays)"]
        / times["irrigate reference_et, ea given (Dataset)"],
        "et0_speedup_vs_refet": times["refet Daily asce, ea given (numpy)"] / comp,
        "et0_speedup_vs_numpy_reference": times["irrigate numpy reference et0_fao56, ea given"]
        / comp,
        "et0_vs_memory_floor": comp
        / times["memory floor float64 (one compiled pass, 5 fields in, 1 out)"],
        "et0_vs_memory_floor_tdew": times["irrigate compiled, tdew (numpy arrays)"]
        / times["memory floor float64 (one compiled pass, 5 fields in, 1 out)"],
        "et0_vs_memory_floor_float32": times["irrigate compiled float32, ea given"]
        / times["memory floor float32"],
        "et0_max_diff_vs_pyet_mm": diffs["pyet pm_fao56, ea given (DataArrays)"],
        "et0_max_diff_compiled_mm": diffs["irrigate compiled, ea given (numpy arrays)"],
        "et0_max_diff_float32_mm": diffs["irrigate compiled float32, ea given"],
    }
    for k in ("et0_speedup_vs_pyet", "et0_speedup_vs_pyet_dataset_entry", "et0_vs_memory_floor",
              "et0_vs_memory_floor_tdew", "et0_vs_memory_floor_float32"):
        print(f"{k}: {res[k]:.2f}")
    return res


# --------------------------------------------------------------------------- balance

def _balance_inputs(n_cells: int, seed: int = 0):
    from irrigate.library import load_library

    lib = load_library()
    crops = [lib.crop(c) for c in ("cotton", "maize_grain", "spring_wheat")]
    methods = [lib.method(m) for m in ("flood", "furrow", "sprinkler", "drip", "mulched_drip")]
    soil = lib.soil("loam")
    rng = np.random.default_rng(seed)
    t = pd.date_range("2010-01-01", "2010-12-31", freq="D")
    doy = t.day_of_year.values
    shape = (n_cells, 1, 1, len(t))
    et0_ = 0.5 + 6.5 * np.clip(np.sin((doy - 80) / 365 * 2 * np.pi), 0, None) \
        + 0.5 * rng.random(shape)
    precip = rng.gamma(0.4, 6.0, shape) * (rng.random(shape) < 0.15)
    forcing = balance.Forcing(et0_, precip, 1.0 + 3.0 * rng.random(shape),
                              15.0 + 40.0 * rng.random(shape))
    sow = np.array([(pd.Timestamp(f"2010-{c.sowing}") - t[0]).days for c in crops])
    site = balance.Site(sow[:, None], soil.theta_fc, soil.theta_wp, soil.rew,
                        balance.tew_of(soil), soil.cn2, soil.cr_a4, soil.cr_b4,
                        np.full((n_cells, 1, 1), 1.8), np.arange(len(crops))[:, None],
                        np.arange(len(methods)))
    from irrigate.science.schedule import Schedule

    sched = Schedule(rule="mad", quota_mm=900.0, rain_skip_mm=8.0)
    return (forcing, site, balance.Parameters(crops, methods), balance.Management(sched),
            crops, methods, soil, t)


def bench_pyfao56(repeat: int, forcing: balance.Forcing, crop, soil, t) -> float:
    from pyfao56 import AutoIrrigate, Model, Parameters, Weather

    wth = Weather()
    wth.z, wth.lat, wth.wndht = 300.0, 41.0, 2.0
    rows = {}
    for k, d in enumerate(t):
        rows[f"{d.year}-{d.day_of_year:03d}"] = [np.nan] * 8 + [
            float(forcing.precip[0, 0, 0, k]), float(forcing.et0[0, 0, 0, k]), "M"]
    wth.wdata = pd.DataFrame.from_dict(rows, orient="index", columns=wth.cnames)
    par = Parameters(Kcbini=crop.kcb_ini, Kcbmid=crop.kcb_mid, Kcbend=crop.kcb_end,
                     Lini=crop.l_ini, Ldev=crop.l_dev, Lmid=crop.l_mid, Lend=crop.l_late,
                     hmax=crop.h_max, thetaFC=soil.theta_fc, thetaWP=soil.theta_wp,
                     theta0=soil.theta_fc, Zrini=crop.zr_min, Zrmax=crop.zr_max, pbase=crop.p,
                     Ze=soil.ze, REW=soil.rew, CN2=int(soil.cn2))
    sow = pd.Timestamp(f"2010-{crop.sowing}")
    end = sow + pd.Timedelta(days=crop.season_length - 1)
    start_s, end_s = f"2010-{sow.day_of_year:03d}", f"2010-{end.day_of_year:03d}"
    airr = AutoIrrigate()
    airr.addset(start_s, end_s, mad=crop.p, ieff=90.0, fw=0.35)
    best = np.inf
    for _ in range(repeat):
        mdl = Model(start_s, end_s, par, wth, autoirr=airr)
        t0 = time.perf_counter()
        mdl.run()
        best = min(best, time.perf_counter() - t0)
    return best / crop.season_length  # seconds per crop-method-day


def _first(forcing: balance.Forcing, n: int) -> balance.Forcing:
    """The forcing of the first ``n`` cells (fields that are None stay None)."""
    return balance.Forcing(*(None if a is None else a[:n] for a in forcing))


def balance_compile_child() -> None:
    """Run in a fresh process: time the balance loop's first call on one cell; print JSON.

    The numba cache directory comes from the environment (``NUMBA_CACHE_DIR``): empty, the
    first call compiles the loop; filled by an earlier child, it loads it from the cache.
    """
    forcing, site, params, man, *_ = _balance_inputs(1)
    t0 = time.perf_counter()
    balance_compiled.season_totals(forcing, site, params, man)
    print(json.dumps({"first_call_s": time.perf_counter() - t0}))


def bench_balance_compile() -> dict[str, float]:
    """First-call time of the compiled balance loop, cold (compiling) and warm (cached).

    Two fresh processes share a new, empty numba cache directory: the first compiles the
    loop and writes the cache, the second loads it; both time only the first
    ``season_totals`` call (imports and inputs excluded).
    """
    import tempfile

    res = {}
    with tempfile.TemporaryDirectory(prefix="irrigate-numba-cache-") as cache:
        for key in ("balance_first_call_compile_s", "balance_first_call_cached_s"):
            out = subprocess.run([sys.executable, str(Path(__file__)), "--balance-compile-child"],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT),
                                      "NUMBA_CACHE_DIR": cache})
            res[key] = json.loads(out.stdout.strip().splitlines()[-1])["first_call_s"]
    print(f"first call of the balance loop in a fresh process: "
          f"{res['balance_first_call_compile_s']:.1f} s compiling (empty cache), "
          f"{res['balance_first_call_cached_s']:.2f} s loading it from the cache")
    return res


def bench_balance_section(repeat: int, n_cells: int) -> dict[str, float]:
    forcing, site, params, man, crops, methods, soil, t = _balance_inputs(n_cells)
    t0 = time.perf_counter()
    small = _first(forcing, 1)
    balance_compiled.season_totals(small, site._replace(water_table=site.water_table[:1]),
                                   params, man)
    first = time.perf_counter() - t0
    sec, sums = best_of(lambda: balance_compiled.season_totals(forcing, site, params, man),
                        repeat)
    cpu_one = one_thread_cpu(lambda: balance_compiled.season_totals(forcing, site, params, man),
                             repeat)
    elem_days = n_cells * len(crops) * len(methods) * len(t)
    numpy_cells = max(1, n_cells // 20)
    sub = _first(forcing, numpy_cells)
    sub_site = site._replace(water_table=site.water_table[:numpy_cells])
    sec_np, daily = best_of(lambda: balance.run_balance(sub, sub_site, params, man,
                                                        outputs=balance.ALL_OUTPUTS), 1)
    sec_c_daily, daily_c = best_of(lambda: balance_compiled.run_balance_compiled(
        sub, sub_site, params, man, outputs=balance.ALL_OUTPUTS), repeat)
    diff = float(np.nanmax(np.abs(daily - daily_c)))
    # the seasonal sums need each season's days up to its harvest: the loop stops there
    # ("simulated": from the series start to harvest, bare soil before sowing included);
    # pyfao56 runs sowing to harvest only, so the ratio is taken per season day, as its
    # time is ("season": sowing to harvest, inside the series)
    sow = np.asarray(site.sow).ravel()
    simulated_per_cell = sum(min(len(t), max(0, int(s) + c.season_length))
                             for s, c in zip(sow, crops, strict=True))
    season_per_cell = sum(max(0, min(len(t), int(s) + c.season_length) - max(0, int(s)))
                          for s, c in zip(sow, crops, strict=True))
    simulated = n_cells * len(methods) * simulated_per_cell
    season_days = n_cells * len(methods) * season_per_cell
    per_day_irrigate = sec / season_days
    per_day_pyfao56 = bench_pyfao56(repeat, forcing, crops[0], soil, t)
    np_season_days = numpy_cells * len(methods) * season_per_cell
    res = {
        "balance_first_call_s": first,
        "balance_element_days": elem_days,
        "balance_simulated_days": simulated,
        "balance_season_days": season_days,
        "balance_seconds_compiled_totals": sec,
        "balance_s_per_season_day": per_day_irrigate,
        "balance_s_per_simulated_day": sec / simulated,
        "balance_s_per_element_day": sec / elem_days,
        "balance_cpu_s_per_season_day_one_thread": cpu_one / season_days,
        "pyfao56_s_per_season_day": per_day_pyfao56,
        "balance_speedup_vs_pyfao56": per_day_pyfao56 / per_day_irrigate,
        "balance_speedup_vs_pyfao56_per_simulated_day": per_day_pyfao56 / (sec / simulated),
        "balance_speedup_daily_compiled_vs_numpy": sec_np / sec_c_daily,
        "balance_speedup_vs_pyfao56_numpy_kernel": per_day_pyfao56 / (sec_np / np_season_days),
        "balance_max_diff_compiled_vs_numpy_mm": diff,
    }
    print(f"\n## water balance: {n_cells} cells x {len(crops)} crops x {len(methods)} methods x "
          f"{len(t)} d (min of {repeat})")
    print(f"first call in this process {first:.2f} s; compiled seasonal sums "
          f"{sec:.3f} s = {per_day_irrigate * 1e9:.1f} ns per crop-method season day "
          f"(sowing to harvest, as pyfao56 runs; {sec / simulated * 1e9:.1f} ns per day "
          f"simulated from Jan 1, bare soil before sowing included; one thread "
          f"{cpu_one / season_days * 1e9:.1f} ns CPU per season day); pyfao56 "
          f"{per_day_pyfao56 * 1e3:.3f} ms per season day (one point, {crops[0].name}, "
          "sowing to harvest)")
    for k, v in res.items():
        print(f"{k}: {v:.4g}")
    return res


# --------------------------------------------------------------------------- national budget

def ensure_grid() -> list[Path]:
    files = sorted(CACHE.glob("*.nc"))
    if len(files) >= 10:
        return files
    print(f"building the 0.1 deg sample under {CACHE.relative_to(ROOT)} (once) ...", flush=True)
    subprocess.run([sys.executable, str(ROOT / "sample_data" / "make_sample.py"),
                    "--resolution", "0.1", "-o", str(CACHE)], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    return sorted(CACHE.glob("*.nc"))


def budget_child(workers: int) -> None:
    """Run in a fresh process: the national budget on the 0.1 deg grid; print JSON."""
    import irrigate
    from irrigate.engine.cluster import compute_on

    files = sorted(CACHE.glob("*.nc"))
    t0 = time.perf_counter()
    with compute_on(workers=workers if workers > 0 else None) as run:
        ds = irrigate.budget(files, cyclic=True, parallel=run)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"wall_s": wall, "peak_rss_mb": rss, "peak_rss_children_mb": kids,
                      "withdrawal_mcm": float(ds["withdrawal_mcm"].sum())}))


#: Steps of the in-process budget timed by ``--budget-steps`` (module, function): each
#: figure is the wall time spent inside the function (a slab read runs in its own thread,
#: next to the balance calls, so the figures add up to more than the run).
BUDGET_STEPS: tuple[tuple[str, str], ...] = (
    ("irrigate.engine.inputs", "open_input"), ("irrigate.engine.slabs", "read_slab"),
    ("irrigate.engine.run", "run_upland"), ("irrigate.science.balance_compiled",
                                            "_loop_parallel"),
    ("irrigate.science.balance_compiled", "element_arrays"),
    ("irrigate.engine.run", "_today_pieces"), ("irrigate.engine.run", "_rice_totals"),
    ("irrigate.engine.run", "_merge"), ("irrigate.engine.run", "_add_sums"),
    ("irrigate.engine.budget", "assemble"))


def budget_steps() -> None:
    """The in-process national budget with wall timers around :data:`BUDGET_STEPS`.

    Also counts the balance calls and their element-days (cells x crops x methods x days of
    the call's window). Timers, not a profile: cProfile overstates the Python work.
    """
    import importlib
    import threading

    import irrigate

    spent: dict[str, list[float]] = {}
    calls = {"calls": 0, "element_days": 0}
    lock = threading.Lock()

    def timed(module: object, name: str) -> None:
        fn = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with lock:
                    entry = spent.setdefault(name, [0.0, 0])
                    entry[0] += time.perf_counter() - t
                    entry[1] += 1

        setattr(module, name, wrapper)

    for module, name in BUDGET_STEPS:
        timed(importlib.import_module(module), name)
    run_module = importlib.import_module("irrigate.engine.run")
    upland = run_module.run_upland

    def counted(batch: xr.Dataset, crops: list, methods: list, *args: object,
                **kwargs: object) -> xr.Dataset:
        calls["calls"] += 1
        calls["element_days"] += (batch.sizes["cell"] * len(crops) * len(methods)
                                  * batch.sizes["time"])
        return upland(batch, crops, methods, *args, **kwargs)

    run_module.run_upland = counted
    files = sorted(CACHE.glob("*.nc"))
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    irrigate.budget(files, cyclic=True)
    wall = time.perf_counter() - t0
    print(f"national budget in-process: {wall:.1f} s (load average {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}); {calls['calls']} balance calls, "
          f"{calls['element_days'] / 1e6:.1f} million element-days")
    for name, (sec, n) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:>16}: {sec:6.1f} s in {n} calls")


def bench_budget_section(worker_counts: tuple[int, ...]) -> dict[str, float]:
    ensure_grid()
    res: dict[str, float] = {}
    print("\n## national budget, sample regridded to 0.1 deg, fresh process each")
    for n in worker_counts:
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, str(Path(__file__)), "--budget-child", str(n)],
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        if out.returncode != 0:
            print(out.stderr[-2000:])
            raise SystemExit("budget child failed")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r["process_wall_s"] = time.perf_counter() - t0
        label = f"{n} worker{'s' if n != 1 else ''}"
        print(f"{label}: budget {r['wall_s']:.1f} s (process {r['process_wall_s']:.1f} s), "
              f"peak RSS {r['peak_rss_mb']:.0f} MB (workers {r['peak_rss_children_mb']:.0f} MB),"
              f" withdrawal {r['withdrawal_mcm']:.1f} Mm3")
        res[f"budget_kz_seconds_{n}w"] = r["wall_s"]
        res[f"budget_kz_peak_rss_mb_{n}w"] = max(r["peak_rss_mb"], r["peak_rss_children_mb"])
        res[f"budget_kz_withdrawal_mcm_{n}w"] = r["withdrawal_mcm"]
    res["budget_kz_seconds"] = res[f"budget_kz_seconds_{worker_counts[0]}w"]
    res["budget_kz_peak_rss_mb"] = res[f"budget_kz_peak_rss_mb_{worker_counts[0]}w"]
    if len(worker_counts) > 1:
        res["speedup_2_workers"] = res[f"budget_kz_seconds_{worker_counts[0]}w"] \
            / res[f"budget_kz_seconds_{worker_counts[1]}w"]
        print(f"speedup_2_workers: {res['speedup_2_workers']:.2f}")
    return res


# --------------------------------------------------------------------------- scaling

def bench_scaling(sizes: tuple[int, ...], repeat: int) -> dict[str, object]:
    print("\n## scaling: compiled balance with seasonal sums, cells x 3 crops x 5 methods x 365 d")
    rows = []
    for n in sizes:
        forcing, site, params, man, crops, methods, _, t = _balance_inputs(n)
        sec, _ = best_of(lambda f=forcing, s=site, p=params, m=man:
                         balance_compiled.season_totals(f, s, p, m), repeat)
        rate = n * len(crops) * len(methods) * len(t) / sec
        rows.append({"cells": n, "seconds": sec, "element_days_per_s": rate})
        print(f"{n:>8} cells: {sec:8.3f} s, {rate:.3g} crop-method-days/s")
    return {"scaling": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller sizes")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--skip-budget", action="store_true", help="leave out section 3")
    parser.add_argument("--only", choices=SECTIONS, default=None,
                        help="run this section alone (the balance section adds the first-call "
                             "compile times, cold and warm cache)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per timing, the minimum kept (default 2 with --quick, else 5)")
    parser.add_argument("--cells", type=int, default=None,
                        help="cells of the balance section (default 400 with --quick, else 2000)")
    parser.add_argument("--budget-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--budget-steps", action="store_true",
                        help="only the in-process national budget, with wall timers per step")
    parser.add_argument("--balance-compile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.budget_steps:
        budget_steps()
        return
    if args.budget_child is not None:
        budget_child(args.budget_child)
        return
    if args.balance_compile_child:
        balance_compile_child()
        return
    start = time.perf_counter()
    info = machine()
    print(f"# irrigate benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(json.dumps(info))
    repeat = args.repeat or (2 if args.quick else 5)
    res: dict[str, object] = {"machine": info, "quick": args.quick}

    def wanted(section: str) -> bool:
        return args.only in (None, section)

    if wanted("et0"):
        res.update(bench_et0_section(repeat, 200))
    if wanted("balance"):
        res.update(bench_balance_compile())
        res.update(bench_balance_section(repeat, args.cells or (400 if args.quick else 2000)))
    if wanted("budget") and not args.skip_budget:
        res.update(bench_budget_section((1, 2)))
    if wanted("scaling"):
        res.update(bench_scaling((100, 200, 400, 800) if args.quick
                                 else (250, 500, 1000, 2000), repeat))
    res["total_seconds"] = time.perf_counter() - start
    res["load_average_end"] = os.getloadavg()[0]
    print(f"\ntotal {res['total_seconds']:.0f} s; load average {info['load_average_start']:.1f} "
          f"at the start, {res['load_average_end']:.1f} at the end")
    if args.json is not None:
        args.json.write_text(json.dumps(res, indent=1) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
