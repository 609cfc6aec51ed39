"""Bad input on the command line: one ``error:`` line on stderr, exit 2, no output file.

Runs :func:`irrigate.cli.main.run` (the console entry point) in-process, so what is checked
is what a user sees: the exit status, the text on stderr, and the folder afterwards.
"""

from __future__ import annotations

import os
import sys

import pytest

from irrigate.cli.main import run
from irrigate.paths import sample_data_dir

CFSR = sample_data_dir() / "cfsr_syrdarya_points_2000_2014.nc"
CSV = sample_data_dir() / "cfsr_tashkent_69.375E_41.370N_2000_2001.csv"


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``irrigate ARGS`` as the console script does; return (status, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["irrigate", *map(str, args)])
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _refused(monkeypatch, capsys, folder, *args: str) -> str:
    """Assert the one-line refusal and that ``folder`` gained no file; return the line."""
    before = set(os.listdir(folder))
    code, _, err = _run(monkeypatch, capsys, *args)
    assert code == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    assert set(os.listdir(folder)) == before
    return err


@pytest.mark.parametrize("args", [
    ["et0", CFSR],                                  # -o missing
    ["et0", CFSR, "-o", "x.nc", "--method", "foo"],  # not a choice
    ["budget", "--format", "pdf"],
    ["budget", "--season", "abc"],
    ["budget", "--models", "no_such_folder"],
    ["simulate", CSV, "--summary"],                 # --crop missing
    ["crops", "--format", "xml"],
    ["validate", "--bogus"],
    ["fetch-era5", "--year", "abc", "--dry-run"],
    ["no-such-command"],
])
def test_usage_errors_are_one_line(monkeypatch, capsys, tmp_path, args):
    monkeypatch.chdir(tmp_path)
    err = _refused(monkeypatch, capsys, tmp_path, *args)
    assert "--help" in err
