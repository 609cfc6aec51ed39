"""Start-up cost of the CLI: ``irrigate --help`` must not import the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("xarray", "pandas", "numba", "dask", "scipy", "netCDF4")


def test_help_imports_no_heavy_library() -> None:
    code = ("import sys\n"
            "from irrigate.cli import main\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.strip() == "", f"imported at CLI start-up: {out.stdout.strip()}"
