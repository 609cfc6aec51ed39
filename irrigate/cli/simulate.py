"""``irrigate simulate``: daily dual-Kc water balance for crops x irrigation methods."""

from __future__ import annotations

from pathlib import Path

import click

from irrigate.cli.et0 import cluster_options, conventions_option


def _split(values: tuple[str, ...]) -> list[str]:
    """Accept repeated options and comma-separated lists alike."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command("simulate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--crop", "crops", multiple=True, required=True, metavar="NAME",
              help="Crop from the library (repeatable or comma-separated).")
@click.option("--method", "methods", multiple=True, metavar="NAME",
              help="Irrigation method (repeatable): flood, furrow, sprinkler, drip, "
                   "mulched_drip, rainfed ... Default: flood, furrow, sprinkler, drip, "
                   "mulched_drip.")
@click.option("--soil", default="loam", show_default=True, metavar="NAME",
              help="Soil from the library.")
@click.option("--schedule", default=None, metavar="RULE|PRESET|CSV",
              help="Schedule rule (mad, net_requirement, none ...), library practice, or a CSV "
                   "file date,depth_mm[,fw] of net depths. Default: full demand, as 'irrigate "
                   "budget': the FAO-56 RAW rule (fao_mad) within each method's own limits.")
@click.option("--sowing", default=None, metavar="DATE",
              help="Sowing date YYYY-MM-DD or MM-DD (default: the crop's library date).")
@click.option("--year", "--season", "season", type=int, default=None, metavar="YEAR",
              help="Calendar year to simulate. Default: every season of the input (see "
                   "--seasons).")
@click.option("--seasons", default=None, metavar="A-B|LIST|all",
              help="Seasons (harvest years) to simulate: 2001-2014, 2001,2005 or all "
                   "(default). Each is run on its own; crops sown in autumn (winter wheat) "
                   "run from sowing to the next sowing.")
@click.option("--var", "var", multiple=True, metavar="NAME=VARIABLE",
              help="Map a canonical name to a variable of the files, e.g. --var tmax=TX "
                   "(repeatable).")
@click.option("--models", type=click.Path(file_okay=False), default=None,
              help="Parameter library folder (default: the bundled models/).")
@click.option("--water-table", "water_table", type=float, default=None, metavar="M",
              help="Depth of a shallow water table, m (enables capillary rise).")
@click.option("--initial-depletion", type=float, default=0.0, show_default=True,
              help="Depletion fraction of TAW on the first day (0 = field capacity).")
@click.option("--summary", is_flag=True,
              help="Print seasonal totals per crop x method (mm, mean over cells).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the daily variables to this NetCDF file (atomically).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@cluster_options
@conventions_option
def simulate(inputs: tuple[str, ...], crops: tuple[str, ...], methods: tuple[str, ...],
             soil: str, schedule: str, sowing: str | None, season: int | None,
             seasons: str | None, var: tuple[str, ...],
             models: str | None, water_table: float | None, initial_depletion: float,
             summary: bool, output: str | None, overwrite: bool, conventions: str,
             workers: int | None = None, scheduler: str | None = None) -> None:
    """Simulate the FAO-56 dual-Kc soil water balance and irrigation of INPUT climate files.

    INPUT is daily climate NetCDF or station CSV (opened with irrigate.climate.open_climate;
    ET0 by FAO-56 Penman-Monteith). Writes daily et0, kcb, ke, ks, eta, e, t, dr, taw, raw,
    ro, dp, irr_net, irr_gross, irr_loss ... with dims (time, space, crop, method).
    """
    from irrigate.cli.et0 import parse_var, space_chunks
    from irrigate.climate import open_climate
    from irrigate.engine.cluster import compute_on
    from irrigate.engine.seasons import parse_seasons, season_totals, simulate_seasons
    from irrigate.engine.simulate import DEFAULT_METHODS, season_summary
    from irrigate.engine.simulate import simulate as run
    from irrigate.errors import InputError
    from irrigate.output.io import check_output, provenance, write_netcdf
    from irrigate.output.simulate_table import summary_table

    if not output and not summary:
        raise InputError("simulate: nothing to do; give -o OUT.nc and/or --summary")
    if water_table is not None and not 0.0 < water_table <= 100.0:
        raise InputError(f"--water-table {water_table:g}: give the depth of the water table "
                         "below the surface in metres, within 0..100 m")
    if output:  # fail before the run, not after it
        check_output(output, overwrite, fmt="netcdf")
    for path in inputs:
        if not Path(path).is_file():
            raise InputError(f"{path}: input file not found")
    time_range = (f"{season}-01-01", f"{season}-12-31") if season is not None else None
    climate = open_climate(list(inputs), var_map=parse_var(var), time_range=time_range)
    if season is not None and seasons is not None:
        raise InputError("--year and --seasons: give one season or many, not both")
    options = {"soil": soil, "schedule": schedule, "models": models,
               "water_table_depth": water_table, "initial_depletion": initial_depletion,
               "conventions": conventions}
    one_date = sowing is not None and len(sowing.strip()) != 5  # YYYY-MM-DD: one season
    many = season is None and not one_date
    method_list = _split(methods) or list(DEFAULT_METHODS)
    with compute_on(workers, scheduler) as parallel:
        if parallel is not None:
            climate = space_chunks(climate, parallel)
        if many:  # every season of the input, each run on its own
            ds = simulate_seasons(climate, _split(crops), method_list,
                                  seasons=parse_seasons(seasons), sowing=sowing, **options)
        else:
            ds = run(climate, _split(crops), method_list, sowing=sowing, season=season,
                     **options)
        if parallel is not None:
            ds = ds.compute()  # on the workers, one task per chunk of cells
    if output:
        ds.attrs.update(provenance("irrigate simulate " + " ".join(
            click.get_current_context().params.get("inputs", ()))))
        write_netcdf(ds, output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
    if summary and many:
        totals = season_totals(ds)
        click.echo(f"{totals.sizes['season']} seasons ({ds.attrs['seasons']}); means over "
                   "the seasons and cells")
        click.echo(summary_table(totals))
    elif summary:
        click.echo(summary_table(season_summary(ds)))


COMMANDS = [simulate]
