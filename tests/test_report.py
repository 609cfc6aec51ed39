"""Per-region advisory reports: the advice follows the stated rules and the budget's numbers."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_budget import TURKESTAN, write_grid

from irrigate.budget import budget
from irrigate.cli.main import main
from irrigate.errors import InputError
from irrigate.report import NO_STRESS_PCT, region_context, render_report


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return write_grid(tmp_path_factory.mktemp("report") / "turkestan.nc", *TURKESTAN)


@pytest.fixture(scope="module")
def ds(grid):
    return budget(grid, regions=["KZ-61", "KZ-71"], crops="cotton")


def test_advice_is_the_largest_saving_without_stress(ds):
    ctx = region_context(ds, "KZ-61")
    cotton = next(c for c in ctx["crops"] if c["crop"] == "cotton")
    calm = [r for r in cotton["methods"] if r["et_ratio_pct"] >= NO_STRESS_PCT]
    assert cotton["advised"]["method"] == max(calm, key=lambda r: r["saving_mcm"])["method"]
    assert cotton["largest"]["saving_mcm"] == max(r["saving_mcm"] for r in cotton["methods"])
    row = ds.sel({"region": "KZ-61", "crop": "cotton", "method": cotton["advised"]["method"]})
    assert cotton["advised"]["saving_mcm"] == pytest.approx(float(row["saving_vs_current_mcm"]))
    assert ctx["leaching"]["area_ha"] == pytest.approx(float(
        ds["area_ha"].sel(region="KZ-61", crop="leaching")))


def test_markdown_and_html(ds):
    md = render_report(ds, fmt="markdown")
    assert "## KZ-61 Turkestan" in md and "**cotton**" in md and "Off-season leaching" in md
    assert "## KZ-71 Astana (city)" in md and "No irrigated area" in md
    html = render_report(ds, ["KZ-61"], fmt="html")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "KZ-71" not in html
    with pytest.raises(InputError, match="not in this budget"):
        render_report(ds, ["KZ-43"])
    with pytest.raises(InputError, match="unknown report format"):
        render_report(ds, fmt="pdf")


def test_report_command_writes_a_file(grid, tmp_path):
    out = tmp_path / "kz61.html"
    result = CliRunner().invoke(main, ["report", "--input", str(grid), "--region", "KZ-61",
                                       "--crop", "cotton", "--format", "html", "-o", str(out),
                                       "-q"], standalone_mode=False)
    assert result.exception is None, result.exception
    assert "<h2>KZ-61 Turkestan</h2>" in out.read_text()


def test_synthetic_input_is_flagged_and_estimates_are_caveated(ds):
    for fmt in ("markdown", "html"):
        real = render_report(ds, ["KZ-61"], fmt=fmt)
        assert "Illustration only" not in real and "model estimates" in real
        sample = ds.copy()
        sample.attrs["climate_source"] = "bundled synthetic sample (kz_synthetic_daily_2021)"
        text = render_report(sample, ["KZ-61"], fmt=fmt)
        assert "Illustration only" in text and "not for water allocation" in text


def test_html_sentences_are_separated(ds):
    import re

    html = render_report(ds, ["KZ-61"], fmt="html")
    assert "The largest saving" in html  # cotton: drip advised, mulched drip saves most
    assert not re.search(r"\S\.The largest", html)


def test_todays_total_says_it_includes_the_leaching(ds):
    ctx = region_context(ds, "KZ-61")
    assert ctx["leaching"]  # Turkestan's soils are saline
    for fmt in ("markdown", "html"):
        assert "crops below and their off-season leaching" in render_report(ds, ["KZ-61"],
                                                                            fmt=fmt)
