"""``irrigate budget`` (comparative regional water budget) and ``irrigate report``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

#: ``--schedule`` word for "each method by its own library practice" (``--scenario practice``)
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
    click.option("--scenario", type=click.Choice(["full_demand", "practice", "deficit"]),
                 default="full_demand", show_default=True,
                 help="What the method columns mean: full_demand = every method meets the "
                      "crop's demand within its own limits (models/methods.toml); practice = "
                      "each method under its library practice calendar (a deficit where it "
                      "gives less than the crop needs); deficit = every method waits until "
                      "--deficit-fraction of TAW is depleted. 'now' is always today's practice."),
    click.option("--deficit-fraction", "deficit_fraction", type=float, default=0.8,
                 show_default=True, metavar="F",
                 help="--scenario deficit: irrigate when the depletion reaches this fraction "
                      "of TAW (beyond RAW = p TAW), then refill to field capacity."),
    click.option("--schedule", default=None, metavar="NAME",
                 help="One rule, practice or schedule CSV for every method column instead of "
                      "the scenario's (e.g. fao_mad, kz_furrow_current); 'practice' is "
                      "--scenario practice."),
    click.option("--leaching/--no-leaching", default=True, show_default=True,
                 help="Add the off-season leaching line of saline regions."),
    click.option("--area", "area", type=click.Choice(["watered", "listed"]),
                 default="watered", show_default=True,
                 help="Irrigated area of each region: land actually watered or listed "
                      "irrigated land (models/areas.toml; the JSON says which: area_kind)."),
    click.option("--recharge", "recharge", is_flag=True,
                 help="Add the optional autumn moisture-charging line of winter wheat "
                      "(its own line kind, outside the season totals)."),
    click.option("--fit/--no-fit", "fitted", default=True, show_default=True,
                 help="Scale today's practice by the fitted practice factor of each region "
                      "(models/baseline_factors.toml); --no-fit: factor 1."),
    click.option("--film-crop", "film_crop", type=click.Choice(["calibrated", "fao"]),
                 default="calibrated", show_default=True,
                 help="Crop coefficients of the mulched_drip column: the Xinjiang-calibrated "
                      "record where the library has one (xinjiang_cotton under "
                      "xinjiang_mulched_drip; docs/calibration.md), or FAO-56 for every crop."),
    click.option("--workers", type=int, default=None, metavar="N",
                 help="One season: run on a local dask.distributed cluster of N worker "
                      "processes (needs irrigate[distributed]); with --seasons: budget N "
                      "seasons at once in separate processes. The same results."),
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


def _check_output(output: str | None, overwrite: bool, fmt: str | None = None) -> None:
    from irrigate.output.io import check_output

    if output:  # fail before a long run, not after it
        check_output(output, overwrite, fmt=fmt)


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
    # the CLI's word for "each method's own practice" is the API's practice scenario
    schedule = options["schedule"]
    if schedule == PRACTICE:
        schedule, options["scenario"] = None, PRACTICE
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
        scenario=options["scenario"],
        deficit_fraction=options["deficit_fraction"],
        area=options["area"],
        fitted=options["fitted"],
        recharge=options["recharge"],
    )


_SEASON_OPTIONS: list[Callable[[Any], Any]] = [
    click.option("--seasons", default=None, metavar="A-B|LIST|all",
                 help="Budget many seasons (harvest years: 2001-2014, 2001,2005 or all) and "
                      "print the dependable-year budget with the spread across seasons. "
                      "Without --input: the bundled 30-season synthetic sample."),
    click.option("--probability", type=float, default=None, metavar="P",
                 help="Dependability of the design year (0.75 or 75), with --seasons. "
                      "Default 0.75 (docs/budget.md, 'Many seasons')."),
    click.option("--estimator", type=click.Choice(["weibull", "normal"]), default="weibull",
                 show_default=True,
                 help="Value at P: empirical plotting position k/(n+1), or a fitted normal."),
    click.option("--limit-mcm", "limits", multiple=True, metavar="REGION=MCM",
                 help="Water limit of a region in million m3 (repeatable), with --seasons: "
                      "in how many seasons today's practice exceeds it and by how much."),
    click.option("--delta", default=None, metavar="FILE|T,P",
                 help="Climate change signal, with --seasons: '2,-10' (+2 degC, -10 % "
                      "precipitation) or a CSV of monthly changes; baseline and scenario are "
                      "shown side by side."),
]


def _season_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_SEASON_OPTIONS):
        func = option(func)
    return func


def _run_seasons(options: dict[str, Any], quiet: bool, seasons: str | None,
                 probability: float | None, estimator: str, limits: tuple[str, ...],
                 delta: str | None, workers: int) -> Any:
    """Run :func:`irrigate.engine.seasons.budget_seasons` with the command-line options."""
    from irrigate.cli.progress import ProgressBar
    from irrigate.engine.seasons import budget_seasons
    from irrigate.errors import InputError

    if options["season"] is not None:
        raise InputError("--season and --seasons: give one season or many, not both")
    inputs = tuple(options.pop("input_files", ())) + tuple(options["inputs"])
    fraction = options["irrigated_fraction"]
    bar = ProgressBar("seasons", enabled=not quiet)
    try:
        return _call_seasons(budget_seasons, inputs, options, fraction, bar, seasons=seasons,
                             probability=probability, estimator=estimator, limits=limits,
                             delta=delta, workers=workers)
    finally:
        bar.close()


def _call_seasons(budget_seasons: Callable[..., Any], inputs: tuple[str, ...],
                  options: dict[str, Any], fraction: Any, bar: Any, *, seasons: str | None,
                  probability: float | None, estimator: str, limits: tuple[str, ...],
                  delta: str | None, workers: int) -> Any:
    from irrigate.cli.et0 import parse_var
    from irrigate.climate.delta import read_delta
    from irrigate.climate.irrigated_fraction import read_irrigated_fraction
    from irrigate.engine.seasons import parse_limits, parse_seasons
    from irrigate.science.frequency import DEFAULT_PROBABILITY

    return budget_seasons(
        list(inputs) or None,
        seasons=parse_seasons(seasons),
        probability=DEFAULT_PROBABILITY if probability is None else probability,
        estimator=estimator,
        limits=parse_limits(limits),
        delta=read_delta(delta) if delta else None,
        elevation=_elevation(options["elevation"], inputs),
        var_map=parse_var(options["var"]) or None,
        progress=bar,
        workers=workers,
        regions=_split(options["regions"]),
        crops=_split(options["crops"]),
        methods=_split(options["methods"]),
        models=options["models"],
        layout=options["layout"],
        schedule=None if options["schedule"] == PRACTICE else options["schedule"],
        leaching=options["leaching"],
        irrigated_fraction=read_irrigated_fraction(fraction) if fraction else None,
        film_crop=options["film_crop"],
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
@_season_options
@_output_options(FORMAT_CHOICES, "table")
@click.option("--check", "check", type=click.Choice(["deliveries"]), default=None,
              help="Instead of the table: modelled season withdrawal beside the reported "
                   "figures per region (models/deliveries.toml), fitted or not.")
def budget(fmt: str | None, output: str | None, overwrite: bool, quiet: bool,
           seasons: str | None, probability: float | None, estimator: str,
           limits: tuple[str, ...], delta: str | None, check: str | None,
           **options: Any) -> None:
    """Print or write the regional water budget (help text: :data:`BUDGET_HELP`)."""
    from irrigate.errors import InputError
    from irrigate.output.budget_table import render, text_attrs
    from irrigate.output.io import provenance, write_netcdf
    from irrigate.output.seasons_table import design_view, render_seasons

    fmt = _format(fmt, output, FORMAT_CHOICES, "table")

    if fmt == "netcdf" and not output:
        raise InputError("--format netcdf: a NetCDF file cannot be printed; add -o FILE.nc")
    many = seasons is not None
    for name, given in (("--probability", probability is not None), ("--limit-mcm", limits),
                        ("--delta", delta), ("--estimator", estimator != "weibull")):
        if given and not many:
            raise InputError(f"{name}: applies to a budget over many seasons; add --seasons "
                             "(e.g. --seasons all)")
    _check_output(output, overwrite, fmt)
    sidecar = f"{output}.provenance.json" if output and fmt != "netcdf" else None
    if sidecar:
        _check_output(sidecar, overwrite)
    if many:
        if check is not None:
            from irrigate.errors import InputError

            raise InputError("--check deliveries: one season at a time; drop --seasons")
        if options["scheduler"] is not None:
            raise InputError("--scheduler: one season at a time; with --seasons, --workers N "
                             "runs N seasons at once in local processes")
        ds = _run_seasons(options, quiet, seasons, probability, estimator, limits, delta,
                          options["workers"] or 1)
        render = render_seasons
    else:
        ds = _run(options, quiet)
        if check == "deliveries":
            from irrigate.library import load_library
            from irrigate.output.deliveries_table import render_deliveries

            deliveries = load_library(options["models"]).baseline.deliveries
            _emit(render_deliveries(ds, dict(deliveries)), output, overwrite)
            return
    command = "irrigate budget " + " ".join(sys.argv[2:])
    meta = _provenance(ds, options, command)
    if fmt == "netcdf":
        # many seasons: the schedule and film text of the (season-free) dependable-year view
        ds.attrs.update(text_attrs(design_view(ds) if many else ds))
        ds.attrs.update(provenance(command, **{k: v for k, v in meta.items() if k != "command"}))
        write_netcdf(ds, output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
        return
    _emit(render(ds, fmt), output, overwrite)
    if sidecar:  # CSV/JSON forwarded alone keep season, climate and version beside them
        import json

        from irrigate.output.io import write_text

        write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", sidecar,
                   overwrite=overwrite)


def _provenance(ds: Any, options: dict[str, Any], command: str) -> dict[str, str]:
    """Season, climate (synthetic or not), options, library and version of a budget output."""
    from irrigate import __version__

    climate = str(ds.attrs.get("climate_source", ""))
    used = {k: ",".join(map(str, v)) if isinstance(v, tuple) else str(v)
            for k, v in options.items() if v not in (None, (), False)}
    return {"season": str(ds.attrs.get("season", "")), "climate_source": climate,
            "climate_synthetic": "yes" if "synthetic" in climate.lower() else "no",
            "options": "; ".join(f"{k}={v}" for k, v in used.items()) or "defaults",
            "parameter_library": str(options.get("models") or
                                     f"bundled models/ of irrigate {__version__}"),
            "irrigate_version": __version__, "command": command}


COMMANDS = [budget]
