"""Real runs killed with SIGINT and SIGTERM, and two runs racing for one output (issue #16).

Each run is the real command line in a subprocess writing a NetCDF through dask (``--chunks``:
the values are computed while the file is written, where one SIGINT used to deadlock). The
signal is sent at several points: while Python starts, while the input is read, and while the
output is written (the temporary ``.NAME.*.part`` file exists). Every time the run must end
within a few seconds with one line and the signal's exit status, leave no temporary or partial
file, and leave the existing output exactly as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
#: Seconds a run may take to end after the signal (generous for a loaded CI machine).
LIMIT = 5.0


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    """A daily grid big enough that writing its ET0 takes a noticeable time."""
    n = 48
    lat = 41.0 + 0.1 * np.arange(n)
    lon = 68.0 + 0.1 * np.arange(n)
    times = pd.date_range("2021-01-01", "2021-12-31", freq="D")
    season = np.sin(2 * np.pi * (times.day_of_year.values - 105) / 365.0).astype("f4")
    shape = (len(times), n, n)

    def field(values):
        return np.broadcast_to(np.asarray(values, "f4")[:, None, None], shape)

    dims = ("time", "lat", "lon")
    ds = xr.Dataset({
        "tasmax": (dims, field(20 + 15 * season), {"units": "degC"}),
        "tasmin": (dims, field(6 + 15 * season), {"units": "degC"}),
        "hurs": (dims, field(55 - 20 * season), {"units": "%"}),
        "rsds": (dims, field(15 + 9 * season), {"units": "MJ m-2 d-1"}),
        "sfcWind": (dims, field(np.full(len(times), 2.0)), {"units": "m s-1"}),
        "orog": (("lat", "lon"), np.full((n, n), 300.0, "f4"), {"units": "m"}),
    }, coords={"time": times, "lat": lat, "lon": lon})
    path = tmp_path_factory.mktemp("interrupt") / "grid.nc"
    ds.to_netcdf(path)
    return path


def _start(grid: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "irrigate.cli.main", "et0", str(grid), "-o", str(out),
         "--chunks", "lat=8", *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _leftovers(folder: Path, out: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{out.name}"))


def _wait_for_part(proc: subprocess.Popen, folder: Path, out: Path) -> bool:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(name.endswith(".part") for name in _leftovers(folder, out)):
            return True
        time.sleep(0.005)
    return False


def _interrupt(proc: subprocess.Popen, signum: int) -> tuple[int, float, str]:
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return code, time.monotonic() - sent, proc.stderr.read()


@pytest.mark.parametrize("signum,code,word", [
    (signal.SIGINT, 130, "interrupted"),
    (signal.SIGTERM, 143, "terminated"),
])
def test_signal_while_the_output_is_written(grid, tmp_path, signum, code, word):
    out = tmp_path / "et0.nc"
    out.write_text("the old output")
    proc = _start(grid, out, "--overwrite")
    if not _wait_for_part(proc, tmp_path, out):
        proc.wait(timeout=120)
        pytest.fail("the run ended before its temporary file was seen")
    got, took, err = _interrupt(proc, signum)
    assert got == code and err.strip().endswith(word), (got, err)
    assert took < LIMIT, f"{took:.1f} s to end after the signal"
    assert _leftovers(tmp_path, out) == []
    assert out.read_text() == "the old output"


@pytest.mark.parametrize("signum,delay", [
    (signal.SIGTERM, 0.05),   # Python starting up, before the handler exists
    (signal.SIGINT, 1.0),     # importing and reading the input
    (signal.SIGTERM, 2.0),
])
def test_signal_before_the_write(grid, tmp_path, signum, delay):
    out = tmp_path / "et0.nc"
    out.write_text("the old output")
    proc = _start(grid, out, "--overwrite")
    time.sleep(delay)
    if proc.poll() is not None:  # a fast machine finished the whole run within the delay
        assert proc.returncode == 0, proc.stderr.read()
        pytest.skip(f"the run ended within {delay} s: nothing left to interrupt at this delay")
    got, took, _ = _interrupt(proc, signum)
    # -signum: killed before the handler was set; 0: the run ended between the poll above
    # and the signal (a race on a fast machine): then its output must be a whole new one
    assert got in (128 + signum, -signum, 0)
    if got == 0:
        assert out.read_bytes() != b"the old output"
    assert took < LIMIT
    assert _leftovers(tmp_path, out) == []
    # atomic: the old output, or (a fast run published just before the signal) a whole new one
    if out.read_bytes() != b"the old output":
        assert xr.open_dataset(out)["et0"].notnull().any()


def test_two_runs_racing_for_one_output(grid, tmp_path):
    """Without --overwrite exactly one run writes the file; the other says so, exit 2."""
    small = tmp_path / "small.nc"
    xr.open_dataset(grid).isel(lat=slice(0, 4), lon=slice(0, 4)).to_netcdf(small)
    out = tmp_path / "et0.nc"
    procs = [_start(small, out) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "output exists" in loser or "a file appeared at this path" in loser
    assert xr.open_dataset(out)["et0"].notnull().all()
    assert _leftovers(tmp_path, out) == []
