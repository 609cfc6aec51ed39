"""``irrigate budget`` (comparative regional water budget) and ``irrigate report``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

#: ``--schedule`` word for "each method by its own schedule" (``schedule=None`` in the API)
PRACTICE = "practice"
FORMAT_CHOICES = ("table", "csv", "json", "markdown", "netcdf")
REPORT_CHOICES = ("markdown", "html")
#: format of an -o file by its suffix when --format is not given
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".md": "markdown", ".nc": "netcdf",
                  ".html": "html", ".htm": "html"}


def _format(fmt: str | None, output: str | None, choices: tuple[str, ...], default: str
            ) -> str:
    """Return --format, or the format the -o suffix names (``r.html`` -> html), or default."""
    if fmt is not None:
        return fmt
    guess = SUFFIX_FORMATS.get(Path(output).suffix.lower()) if output else None
    return guess if guess in choices else default


def _elevation(value: str | None, inputs: tuple[str, ...]) -> float | str | None:
    """Return a number as an elevation in m, an existing file as a file name."""
    from irrigate.errors import InputError

    if value is None:
        return None
    if not inputs:
        raise InputError(f"--elev {value}: the bundled sample carries its own elevation; "
                         "--elev applies to --input files only")
    try:
        return float(value)
    except ValueError:
        pass
    if not Path(value).is_file():
        raise InputError(f"--elev {value}: neither a number (metres) nor an existing file")
    return value


def _split(values: tuple[str, ...]) -> list[str] | None:
    """Accept repeated options and comma-separated lists alike; None when not given."""
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


_OPTIONS: list[Callable[[Any], Any]] = [
    click.argument("input_files", nargs=-1, type=click.Path(dir_okay=False),
                   metavar="[INPUT]..."),
    click.option("--input", "inputs", multiple=True, type=click.Path(dir_okay=False),
                 help="Daily climate NetCDF or station CSV (repeatable; files may also be "
                      "given as arguments, e.g. era5land/*.nc). Default: the bundled "
                      "Kazakhstan-wide sample grid."),
    click.option("--elev", "elevation", default=None, metavar="METRES|FILE",
                 help="Elevation in m, or a NetCDF of surface geopotential/orography, for "
                      "inputs without one (e.g. the ERA5-Land invariant geopotential file)."),
    click.option("--var", "var", multiple=True, metavar="NAME=VARIABLE",
                 help="Map a canonical name to a variable of the --input files, e.g. --var "
                      "tmax=TX (repeatable)."),
    click.option("--irrigated-fraction", "irrigated_fraction", default=None,
                 metavar="FILE.nc[:VARIABLE]",
                 help="NetCDF grid of the irrigated fraction of each climate cell (0-1, or "
                      "0-100 with units '%'), on the same lat/lon cells as the climate input; "
                      "regional means then weight cells by area x fraction. Gridded input "
                      "only."),
    click.option("--region", "regions", multiple=True, metavar="CODE",
                 help="Region ISO 3166-2 code, e.g. KZ-61 (repeatable or comma-separated). "
                      "Default: all 20 regions."),
    click.option("--crop", "crops", multiple=True, metavar="NAME",
                 help="Crop from the library (repeatable). Default: every crop with area."),
    click.option("--method", "methods", multiple=True, metavar="NAME",
                 help="Irrigation method to compare (repeatable). Default: all. The region's "
                      "current methods and flood are always simulated for the savings."),
    click.option("--season", "--year", "season", type=int, default=None, metavar="YEAR",
                 help="Season (harvest year) to budget. Default: the last complete season in "
                      "the input."),
    click.option("--models", type=click.Path(file_okay=False, exists=True), default=None,
                 help="Parameter library folder (default: the bundled models/)."),
    click.option("--layout", default="2024", show_default=True,
                 help="Region boundaries: 2024, 2018 or a GeoJSON path."),
    click.option("--schedule", default=PRACTICE, show_default=True, metavar="NAME",
                 help="'practice': each method by its library practice (Kazakh furrow, "
                      "Xinjiang mulched drip) or the FAO-56 RAW rule; or one rule/practice "
                      "for all methods (e.g. fao_mad)."),
    click.option("--leaching/--no-leaching", default=True, show_default=True,
                 help="Add the off-season leaching line of saline regions."),
    click.option("--film-crop", "film_crop", type=click.Choice(["fao", "calibrated"]),
                 default="fao", show_default=True,
                 help="Crop coefficients of the mulched_drip column: FAO-56, or the "
                      "Xinjiang-calibrated record where the library has one (xinjiang_cotton "
                      "under xinjiang_mulched_drip; docs/calibration.md)."),
    click.option("--workers", type=int, default=None, metavar="N",
                 help="Run on a local dask.distributed cluster of N worker processes (needs "
                      "irrigate[distributed]); the same results."),
    click.option("--scheduler", default=None, metavar="ADDRESS",
                 help="Run on a running dask.distributed scheduler (e.g. tcp://host:8786); "
                      "see docs/scaling.md."),
]


def _budget_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def _output_options(choices: tuple[str, ...], default: str) -> Callable[..., Any]:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")(
            func)
        func = click.option("--overwrite", is_flag=True,
                            help="Replace an existing output file.")(func)
        func = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                            help="Write to FILE (atomically) instead of printing.")(func)
        suffixes = ", ".join(f"{k} -> {v}" for k, v in SUFFIX_FORMATS.items() if v in choices)
        return click.option("--format", "fmt", type=click.Choice(choices), default=None,
                            help=f"Output format. Default: from the -o suffix ({suffixes}), "
                                 f"otherwise {default}.")(func)
    return wrap


def _check_output(output: str | None, overwrite: bool) -> None:
    from irrigate.output.io import check_output

    if output:  # fail before a long run, not after it
        check_output(output, overwrite)


def _run(options: dict[str, Any], quiet: bool) -> Any:
    """Run :func:`irrigate.engine.budget` with the shared command-line options."""
    from irrigate.cli.et0 import parse_var
    from irrigate.cli.progress import ProgressBar
    from irrigate.climate.irrigated_fraction import read_irrigated_fraction
    from irrigate.engine.budget import budget as run_budget
    from irrigate.engine.cluster import compute_on
    from irrigate.errors import InputError

    # files given as arguments (a shell glob) and with --input are one list
    options["inputs"] = tuple(options.pop("input_files", ())) + tuple(options["inputs"])
    var_map = parse_var(options["var"]) or None
    if var_map and not options["inputs"]:
        raise InputError(f"--var {options['var'][0]}: the bundled sample has its own variable "
                         "names; --var applies to --input files only")
    fraction = options["irrigated_fraction"]
    fraction = read_irrigated_fraction(fraction) if fraction else None
    # the CLI's word for "each method's own schedule" is the API's None
    schedule = None if options["schedule"] == PRACTICE else options["schedule"]
    bar = ProgressBar("budget", enabled=not quiet)
    try:
        with compute_on(options["workers"], options["scheduler"]) as parallel:
            return _call(run_budget, options, fraction, var_map, schedule, bar, parallel)
    finally:
        bar.close()


def _call(run_budget: Callable[..., Any], options: dict[str, Any], fraction: Any,
          var_map: dict[str, str] | None, schedule: str | None, bar: Any,
          parallel: Any) -> Any:
    return run_budget(
        list(options["inputs"]) or None,
        regions=_split(options["regions"]),
        crops=_split(options["crops"]),
        methods=_split(options["methods"]),
        season=options["season"],
        models=options["models"],
        layout=options["layout"],
        elevation=_elevation(options["elevation"], options["inputs"]),
        schedule=schedule,
        leaching=options["leaching"],
        progress=bar,
        var_map=var_map,
        irrigated_fraction=fraction,
        film_crop=options["film_crop"],
        parallel=parallel,
    )


def _emit(text: str, output: str | None, overwrite: bool) -> None:
    from irrigate.output.io import write_text

    if output:
        write_text(text, output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


BUDGET_HELP = """Seasonal water budget of every region x crop x irrigation method.

    Simulates the FAO-56 dual-Kc water balance on the climate cells of the irrigated regions,
    aggregates it by area, and compares flood, furrow, sprinkler, drip and mulched drip (and
    the rice methods) side by side: depths in mm, volumes at the field and withdrawals at the
    source in million m3, and the savings against current practice and against flood.
    Without options it runs on the bundled sample data for all 20 regions.

    \b
    Key terms (the legend under the table repeats them):
      gross       water applied at the field, mm per season (net + application losses)
      now         the region's current mix of methods (models/regions.toml shares)
      withdrawal  water taken at the source: field volume / conveyance efficiency
                  (canal losses), million m3 (Mm3)
      saving      withdrawal now minus withdrawal with the method; a method's scenario
                  moves every crop it suits to it, the others stay as now
      *           ETa below 90 % of ETc (water stress) under that method's schedule

    Full definitions: docs/budget.md in the irrigate source repository (not installed
    with the package).
    """


@click.command("budget", help=BUDGET_HELP)
@_budget_options
@_output_options(FORMAT_CHOICES, "table")
def budget(fmt: str | None, output: str | None, overwrite: bool, quiet: bool,
           **options: Any) -> None:
    """Print or write the regional water budget (help text: :data:`BUDGET_HELP`)."""
    from irrigate.errors import InputError
    from irrigate.output.budget_table import render, text_attrs
    from irrigate.output.io import provenance, write_netcdf

    fmt = _format(fmt, output, FORMAT_CHOICES, "table")

    if fmt == "netcdf" and not output:
        raise InputError("--format netcdf: a NetCDF file cannot be printed; add -o FILE.nc")
    _check_output(output, overwrite)
    ds = _run(options, quiet)
    if fmt == "netcdf":
        ds.attrs.update(text_attrs(ds))
        ds.attrs.update(provenance("irrigate budget " + " ".join(sys.argv[2:])))
        write_netcdf(ds, output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
        return
    _emit(render(ds, fmt), output, overwrite)


@click.command("report")
@_budget_options
@_output_options(REPORT_CHOICES, "markdown")
def report(fmt: str | None, output: str | None, overwrite: bool, quiet: bool,
           **options: Any) -> None:
    """Per-region irrigation advisory report (Markdown or HTML) from the water budget.

    For each region: today's water use by crop, every method side by side, the method that
    saves most without leaving the crop short of water, the off-season leaching the land
    still needs, and the regional scenarios. Same options as 'irrigate budget'.

    Key terms: gross = water applied at the field (mm); withdrawal = water taken at the
    source, field volume / conveyance efficiency (million m3); saving = withdrawal today
    minus withdrawal with the method. The report states the rule of its advice. Full
    definitions: docs/budget.md in the irrigate source repository (not installed with the
    package).
    """
    from irrigate.library import load_library
    from irrigate.output.report import render_report

    fmt = _format(fmt, output, REPORT_CHOICES, "markdown")
    _check_output(output, overwrite)
    ds = _run(options, quiet)
    library = load_library(options["models"])  # the advice rule reads practices' crops
    _emit(render_report(ds, fmt=fmt, library=library), output, overwrite)


COMMANDS = [budget, report]
