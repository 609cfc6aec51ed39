"""``irrigate calibrate-baseline``: fit today's practice factor per region (no science here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.command("calibrate-baseline")
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path),
              help="Climate input (default: the bundled sample).")
@click.option("--models", type=click.Path(file_okay=False, exists=True), default=None,
              help="Parameter library folder (default: the bundled models/).")
@click.option("--season", type=int, default=None, help="Season (harvest year).")
@click.option("--id", "calibration_id", default="baseline-2025.1", show_default=True,
              help="Calibration id written into the fitted values' sources.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the factors to this file (baseline_factors.toml "
                                 "in a library folder).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
def calibrate_baseline(inputs: tuple[Path, ...], models: str | None, season: int | None,
                       calibration_id: str, output: Path | None, overwrite: bool,
                       quiet: bool) -> None:
    """Fit the practice factor of today per region to the reported season withdrawals.

    Runs the budget with factor 1 on the watered areas, then, for every region of
    models/deliveries.toml marked fit = true, the factor (bounded, default 0.4-1.2) that
    makes today's modelled season withdrawal (off-season leaching excluded) meet the
    reported one, with its range from the reported range. Prints the fit; with -o writes it
    as baseline_factors.toml (sources 'calibrated: ...'), which the budget then uses.
    """
    from irrigate.calibration.baseline import calibrated_toml, fit_factors, fit_table
    from irrigate.cli.progress import ProgressBar
    from irrigate.engine.budget import budget
    from irrigate.library import load_library
    from irrigate.output.io import check_output, write_text

    if output is not None:
        check_output(output, overwrite)
    lib = load_library(models)
    bar = ProgressBar("calibrate-baseline", enabled=not quiet)
    kwargs: dict[str, Any] = {"models": models, "season": season, "progress": bar,
                              "fitted": False, "area": "watered"}
    try:
        ds = budget(list(inputs) or None, **kwargs)
    finally:
        bar.close()
    fits = fit_factors(ds, dict(lib.baseline.deliveries), lib.baseline.fit_bounds,
                       lib.baseline.method_efficiency)
    click.echo(fit_table(fits), nl=False)
    if output is not None:
        climate = f"climate {ds.attrs.get('climate_source', '?')}, season {ds.attrs['season']}"
        write_text(calibrated_toml(fits, calibration_id, climate), output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)


COMMANDS = [calibrate_baseline]
