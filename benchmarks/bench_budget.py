"""Speed and memory of the regional water budget (the README main job).

    /work/venv/bin/python benchmarks/bench_budget.py [--repeat N]

Runs ``irrigate.budget()`` on the bundled synthetic Kazakhstan grid (all 20 regions, every
crop with area, 5 upland + 3 rice methods, practice schedules) and prints the wall time of each
run, the peak resident memory of the process, and the size of the work (cells simulated,
cell x crop x method columns). No peer computes a regional budget, so there is no ratio.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import numpy as np

import irrigate
from irrigate.climate import open_climate
from irrigate.engine.budget import sample_climate_files
from irrigate.library import load_library
from irrigate.regions import load_regions, region_weights


def work_size() -> tuple[int, int]:
    """Cells inside regions with crops, and cell x crop x method columns of upland crops."""
    lib = load_library()
    ds = open_climate(sample_climate_files())
    regions = load_regions("2024")
    w = region_weights(regions, ds["lat"].values, ds["lon"].values)
    cells = set()
    columns = 0
    for code, row in zip(regions.codes, w.values, strict=True):
        reg = lib.region(code)
        crops = [c for c, s in reg.crop_shares.items() if s > 0 and not lib.crops[c].paddy]
        n = int(np.count_nonzero(row))
        if crops:
            cells.update(np.flatnonzero(row.ravel()).tolist())
        columns += n * len(crops) * 5
    return len(cells), columns


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"# regional budget benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, irrigate "
          f"{irrigate.__version__}; {platform.machine()}")
    cells, columns = work_size()
    print(f"work: {cells} cells in regions with crops, about {columns} cell x crop x method "
          "columns (upland; one season)")
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ds = irrigate.budget()
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"irrigate.budget() all 20 regions: runs {', '.join(f'{t:.1f}' for t in times)} s "
          f"(min {min(times):.1f} s); peak RSS {peak:.0f} MB")
    print(f"output: {dict(ds.sizes)}")


if __name__ == "__main__":
    main()
