"""Bad input on the command line: one ``error:`` line on stderr, exit 2, no output file.

Runs :func:`irrigate.cli.main.run` (the console entry point) in-process, so what is checked
is what a user sees: the exit status, the text on stderr, and the folder afterwards.
"""

from __future__ import annotations

import os
import re
import stat
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import irrigate.engine.budget
from irrigate.cli.main import run
from irrigate.output.io import write_text
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


@pytest.fixture
def no_budget(monkeypatch):
    """Make any call of the (long) budget run fail the test: refusals must come first."""
    def boom(*args, **kwargs):
        raise AssertionError("the budget ran before the input was checked")
    monkeypatch.setattr(irrigate.engine.budget, "budget", boom)


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
    assert "--help" in err and ".;" not in err


@pytest.mark.parametrize(("option", "match"), [
    (["--start", "2020-13-01"], "--start 2020-13-01: not a date"),
    (["--end", "tomorrow"], "--end tomorrow: not a date"),
    (["--start", "2010-01-01", "--end", "2009-01-01"], "end is before the start"),
    (["--start", "2030-01-01"], "covers 2000-01-01..2014-07-31"),
    (["--lat", "95", "--lon", "10"], "--lat 95: latitude"),
    (["--lat", "41", "--lon", "400"], "--lon 400: longitude"),
    (["--chunks", "foo=10"], "unknown dimension 'foo'"),
    (["--elev", "-50000"], "--elev -50000: not a land elevation"),
])
def test_et0_bad_options(monkeypatch, capsys, tmp_path, option, match):
    err = _refused(monkeypatch, capsys, tmp_path, "et0", CFSR, "-o", tmp_path / "et0.nc",
                   *option)
    assert match in err


def test_csv_cell_that_is_not_a_number(monkeypatch, capsys, tmp_path):
    lines = CSV.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("2000-01-05,"))
    parts = lines[row].split(",")
    lines[row] = ",".join([parts[0], "abc", *parts[2:]])
    bad = tmp_path / "station.csv"
    bad.write_text("\n".join(lines) + "\n")
    err = _refused(monkeypatch, capsys, tmp_path, "et0", bad, "-o", tmp_path / "et0.nc")
    assert "on 2000-01-05 holds 'abc', not a number" in err


def test_csv_empty_cell_is_still_a_missing_value(monkeypatch, capsys, tmp_path):
    lines = CSV.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("2000-01-05,"))
    parts = lines[row].split(",")
    lines[row] = ",".join([parts[0], "", *parts[2:]])
    gap = tmp_path / "station.csv"
    gap.write_text("\n".join(lines) + "\n")
    code, _, err = _run(monkeypatch, capsys, "et0", gap, "-o", tmp_path / "et0.nc")
    assert code == 0, err


@pytest.mark.parametrize("args", [
    ["-o", "no_such_folder/budget.txt"],
    ["--elev", "abc"],                    # ignored before: the sample has its elevation
    ["--input", "x.nc", "--elev", "abc"],
])
@pytest.mark.parametrize("command", ["budget", "report"])
def test_budget_refuses_before_running(monkeypatch, capsys, tmp_path, no_budget, command,
                                       args):
    monkeypatch.chdir(tmp_path)
    xr.Dataset({"t": ("x", np.zeros(1))}).to_netcdf(tmp_path / "x.nc")
    _refused(monkeypatch, capsys, tmp_path, command, "-q", *args)


def test_simulate_refuses_missing_folder_and_says_which_year(monkeypatch, capsys, tmp_path):
    err = _refused(monkeypatch, capsys, tmp_path, "simulate", CSV, "--crop", "cotton",
                   "-o", tmp_path / "nope" / "sim.nc")
    assert "folder" in err
    err = _refused(monkeypatch, capsys, tmp_path, "simulate", CSV, "--crop", "cotton",
                   "--year", "1990", "-o", tmp_path / "sim.nc")
    assert "--start" not in err and "covers 2000-01-01..2001-12-31" in err


def test_simulate_var_option_maps_a_variable(monkeypatch, capsys, tmp_path):
    times = pd.date_range("2021-04-01", "2021-10-31")
    shape = (len(times), 1, 1)
    dims = ("time", "lat", "lon")
    xr.Dataset({
        "TX": (dims, np.full(shape, 30.0), {"units": "degC"}),
        "tasmin": (dims, np.full(shape, 15.0), {"units": "degC"}),
        "pr": (dims, np.zeros(shape), {"units": "mm d-1"}),
        "orog": (("lat", "lon"), np.full((1, 1), 300.0), {"units": "m"}),
    }, coords={"time": times, "lat": [42.0], "lon": [69.0]}).to_netcdf(tmp_path / "c.nc")
    err = _refused(monkeypatch, capsys, tmp_path, "simulate", tmp_path / "c.nc", "--crop",
                   "cotton", "--summary")
    assert "--var tmax=NAME" in err
    code, out, err = _run(monkeypatch, capsys, "simulate", tmp_path / "c.nc", "--crop",
                          "cotton", "--method", "drip", "--var", "tmax=TX", "--summary")
    assert code == 0, err
    assert "cotton" in out and "drip" in out


def test_simulate_rice_points_to_what_works(monkeypatch, capsys, tmp_path):
    err = _refused(monkeypatch, capsys, tmp_path, "simulate", CSV, "--crop", "rice",
                   "--summary")
    assert "irrigate budget --crop rice" in err


def test_calibrate_checks_every_output_before_fitting(monkeypatch, capsys, tmp_path):
    import irrigate.calibration

    def boom(*args, **kwargs):
        raise AssertionError("the fit ran before the outputs were checked")
    monkeypatch.setattr(irrigate.calibration, "calibrate", boom)
    _refused(monkeypatch, capsys, tmp_path, "calibrate", "--preset", "xinjiang",
             "-o", tmp_path / "cal.toml", "--report", tmp_path / "nope" / "report.txt")


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text("x\n", tmp_path / "out.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_budget_table_units_and_crop_names_on_narrow_blocks(tmp_path):
    from test_budget import TURKESTAN, write_grid

    from irrigate.engine.budget import budget as run_budget
    from irrigate.output.budget_table import format_table

    grid = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    ds = run_budget(grid, regions="KZ-61", crops=["cotton", "orchard_apple"],
                    methods=["furrow", "mulched_drip"])
    lines = format_table(ds).splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("crop "))
    assert lines[head + 1].split() == ["kha", "mm", "mm", "mm", "mm"]  # a unit per column
    assert any(line.startswith("orchard_apple ") for line in lines)  # not 'orchard_appl'


def test_validate_table_fits_100_columns(monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, "validate")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 100
    assert out.splitlines()[-1].endswith("0 failed")


def test_budget_markdown_marks_stress_and_names_the_regions_summed(tmp_path):
    from test_budget import TURKESTAN, write_grid

    from irrigate.engine.budget import budget as run_budget
    from irrigate.output.budget_table import format_table, to_markdown

    grid = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    ds = run_budget(grid, regions="KZ-61", crops="cotton", methods=["furrow", "mulched_drip"])
    table, md = format_table(ds), to_markdown(ds)
    assert md.count("\\*") > 0  # the test grid leaves cotton short under a practice
    # the same marks; each legend has one more, escaped in Markdown (not a list item)
    assert table.count("*") == md.count("\\*")
    assert "\n\\* under-irrigated" in md and "\n\\- in a method column" in md
    assert "all regions" not in md and "### Total of the 1 region shown" in md


def test_practices_table_keeps_units_whole(monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, "practices")
    assert code == 0, err
    assert "window_start=04-01 MM-DD" in out and "window_end=09-30 MM-DD" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_budget_var_option_maps_a_variable(monkeypatch, capsys, tmp_path):
    from test_budget import TURKESTAN, synthetic_grid

    synthetic_grid(*TURKESTAN).rename({"tasmax": "TX"}).to_netcdf(tmp_path / "c.nc")
    args = ["--input", tmp_path / "c.nc", "--region", "KZ-61", "--crop", "cotton",
            "--method", "drip", "-q"]
    for command in ("budget", "report"):
        err = _refused(monkeypatch, capsys, tmp_path, command, *args)
        assert "--var tmax=NAME" in err
    code, out, err = _run(monkeypatch, capsys, "budget", *args, "--var", "tmax=TX",
                          "--format", "csv")
    assert code == 0, err
    assert "KZ-61,Turkestan,watered,watered_2025,True,cotton,crop,drip," in out
    err = _refused(monkeypatch, capsys, tmp_path, "budget", *args, "--var", "tmax")
    assert "NAME=VARIABLE" in err
    # the bundled sample has its own names: --var applies to --input files only
    err = _refused(monkeypatch, capsys, tmp_path, "budget", "--var", "tmax=TX", "-q")
    assert "--input" in err


def test_budget_method_abbreviations_are_explained(tmp_path):
    from test_budget import KYZYLORDA, write_grid

    from irrigate.engine.budget import budget as run_budget
    from irrigate.output.budget_table import METHOD_LABELS, format_table, to_markdown

    grid = write_grid(tmp_path / "kyzylorda.nc", *KYZYLORDA)
    ds = run_budget(grid, regions="KZ-43", crops=["rice", "melons"],
                    methods=["alternate_furrow", "sprinkler", "mulched_drip",
                             "continuous_flooding", "awd", "drip_film_rice"])
    table = format_table(ds)
    head = next(line for line in table.splitlines() if line.startswith("crop "))
    assert "alterna " not in head and METHOD_LABELS["alternate_furrow"] in head.split()
    assert all(len(label) < 8 for label in METHOD_LABELS.values())  # a column is 8 wide
    md = to_markdown(ds)
    for text, shown in ((table, ("alternate_furrow", "sprinkler", "mulched_drip",
                                 "continuous_flooding", "drip_film_rice")),
                        (md, ("continuous_flooding", "drip_film_rice"))):  # rice lines
        legend = " ".join(text.split())
        for method in shown:
            assert f"{METHOD_LABELS[method]} = {method}" in legend, method
        assert "awd = alternate wetting and drying" in legend
    assert max(len(line) for line in table.splitlines()) <= 100


@pytest.mark.parametrize("command", ["budget", "report"])
def test_budget_help_defines_the_terms_and_says_where_the_docs_are(monkeypatch, capsys,
                                                                    command):
    code, out, err = _run(monkeypatch, capsys, command, "--help")
    assert code == 0, err
    text = " ".join(out.split())
    # a pip user has no docs/ folder: the help says where it is and gives the key terms
    assert "docs/budget.md in the irrigate source repository" in text
    for term in ("gross", "withdrawal", "conveyance efficiency", "saving"):
        assert term in text, term


def test_budget_outputs_say_where_the_definitions_are(tmp_path):
    from test_budget import TURKESTAN, write_grid

    from irrigate.engine.budget import budget as run_budget
    from irrigate.output.budget_table import format_table, to_markdown
    from irrigate.output.report import render_report

    grid = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    ds = run_budget(grid, regions="KZ-61", crops="cotton", methods=["furrow", "drip"])
    for text in (format_table(ds), to_markdown(ds), render_report(ds),
                 render_report(ds, fmt="html")):
        plain = " ".join(re.sub(r"</?code>|`", "", text).split())
        assert "docs/budget.md in the irrigate source repository" in plain


def test_output_format_follows_the_file_suffix(monkeypatch, capsys, tmp_path):
    from test_budget import TURKESTAN, write_grid

    grid = write_grid(tmp_path / "turkestan.nc", *TURKESTAN)
    args = ["--input", grid, "--region", "KZ-61", "--crop", "cotton", "--method", "drip", "-q"]
    code, _, err = _run(monkeypatch, capsys, "report", *args, "-o", tmp_path / "r.html")
    assert code == 0, err
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    # a suffix the report cannot write is an error, not another format (issue 13)
    code, _, err = _run(monkeypatch, capsys, "report", *args, "-o", tmp_path / "r.txt")
    assert code == 2 and "a report is written as a folder" in err
    assert not (tmp_path / "r.txt").exists()
    code, _, err = _run(monkeypatch, capsys, "budget", *args, "-o", tmp_path / "b.csv")
    assert code == 0, err
    assert (tmp_path / "b.csv").read_text().startswith("region_code,")
    # an explicit --format that the suffix contradicts is refused before the run (issue #16)
    code, _, err = _run(monkeypatch, capsys, "budget", *args, "--format", "json",
                        "-o", tmp_path / "b2.csv")
    assert code == 2 and "the suffix .csv means csv, but the output is json" in err
    assert not (tmp_path / "b2.csv").exists()
    code, _, err = _run(monkeypatch, capsys, "budget", *args, "--format", "json",
                        "-o", tmp_path / "b2.txt")
    assert code == 0, err
    assert (tmp_path / "b2.txt").read_text().startswith("[")
