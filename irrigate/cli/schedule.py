"""``irrigate schedule``: when and how much to irrigate one field."""

from __future__ import annotations

import click

FORMATS = ("table", "csv", "json", "markdown")
#: Values of :class:`irrigate.engine.field_weather.OutlookWeather` (strings here: the engine
#: is imported lazily, for start-up time; a test keeps them equal).
OUTLOOKS = ("climatology", "normal")


def parse_years(text: str | None) -> tuple[int, int] | None:
    """Parse ``--climatology 2000-2009`` (or one year) into (first, last)."""
    from irrigate.errors import InputError

    if not text:
        return None
    first, sep, last = text.partition("-")
    try:
        a, b = int(first), int(last) if sep else int(first)
    except ValueError:
        raise InputError(f"--climatology {text}: write the years as FIRST-LAST, e.g. "
                         "2000-2009") from None
    if b < a:
        raise InputError(f"--climatology {text}: the last year is before the first")
    return a, b


@click.command("schedule")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lat", type=float, required=True, help="Latitude of the field, degrees north.")
@click.option("--lon", type=float, required=True, help="Longitude of the field, degrees east.")
@click.option("--crop", required=True, metavar="NAME", help="Crop from the library.")
@click.option("--method", required=True, metavar="NAME",
              help="Irrigation method from the library (furrow, drip, mulched_drip ...).")
@click.option("--sowing", required=True, metavar="YYYY-MM-DD",
              help="Sowing date; its year is the season planned.")
@click.option("--soil", default="loam", show_default=True, metavar="NAME",
              help="Soil from the library.")
@click.option("--schedule", default="fao_mad", show_default=True,
              metavar="RULE|PRACTICE|practice|CSV",
              help="Rule or library practice; 'practice': the one the budget uses for the "
                   "method; or a CSV date,depth_mm[,fw] of planned net depths.")
@click.option("--target", type=float, default=None, metavar="F",
              help="Deficit target: irrigate when ETa/ETc would fall to F (e.g. 0.8; FAO-56 "
                   "Eq. 84 with the crop's p).")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="Real time: weather observed up to this day, the plan starts the next.")
@click.option("--applied", type=click.Path(dir_okay=False), default=None, metavar="CSV",
              help="With --today: irrigations given so far, date,depth_mm (net) or "
                   "date,gross_mm.")
@click.option("--forecast", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="With --today: weather from the day after today (same variables as the "
                   "input), used before the climatology.")
@click.option("--observed", type=click.Path(dir_okay=False), default=None, metavar="CSV",
              help="With --today: soil water readings, date,theta_m3m3 (volumetric water "
                   "content of the root zone) or date,dr_mm (root-zone depletion); the "
                   "balance is reset to each on its day.")
@click.option("--outlook", type=click.Choice(OUTLOOKS), default=None,
              help="With --today: after today (and the forecast), each other year's weather "
                   "(climatology, the default: gives the spread) or their daily normal "
                   "(normal: one run).")
@click.option("--climatology", default=None, metavar="FIRST-LAST",
              help="With --today: years of the input whose weather stands for the rest of "
                   "the season (default: every other year that has it).")
@click.option("--var", "var", multiple=True, metavar="NAME=VARIABLE",
              help="Map a canonical name to a variable of the files (repeatable).")
@click.option("--models", type=click.Path(file_okay=False), default=None,
              help="Parameter library folder (default: the bundled models/).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of the screen.")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
def schedule(inputs: tuple[str, ...], lat: float, lon: float, crop: str, method: str,
             sowing: str, soil: str, schedule: str, target: float | None, today: str | None,
             applied: str | None, forecast: str | None, observed: str | None,
             outlook: str | None, climatology: str | None, var: tuple[str, ...],
             models: str | None, fmt: str, output: str | None, overwrite: bool) -> None:
    """Irrigation events of one field for a season, or the next irrigation from today.

    INPUT is daily climate (NetCDF grid or stations, or a station CSV). Prints the events
    (date, net and gross depth in mm and m3/ha, depletion before and after, RAW, TAW, days
    since the last event, ETa/ETc to date, rain) and the season totals, which equal
    'irrigate simulate' for the same inputs. With --today: the next irrigation date and depth
    and their spread over the other years' weather, from the irrigations applied and the soil
    water measured so far.
    """
    from irrigate.cli.et0 import check_date, check_location, parse_var
    from irrigate.engine.field_inputs import read_applied_csv, read_observed_csv
    from irrigate.engine.field_schedule import field_setup, plan_realtime, plan_season
    from irrigate.engine.field_weather import OutlookWeather, open_field_climate
    from irrigate.errors import InputError
    from irrigate.output.io import check_output, write_text
    from irrigate.output.schedule_table import OutputFormat, render

    if output:
        check_output(output, overwrite)
    check_location(lat, lon)
    check_date("--sowing", sowing)
    check_date("--today", today)
    realtime_only = [name for name, v in (("--applied", applied), ("--forecast", forecast),
                                          ("--observed", observed), ("--outlook", outlook),
                                          ("--climatology", climatology)) if v]
    if realtime_only and today is None:
        raise InputError(f"{realtime_only[0]}: only in real time; add --today YYYY-MM-DD")
    years = parse_years(climatology)
    setup = field_setup(crop, method, sowing, soil=soil, schedule=schedule, models=models,
                        target=target)
    weather = open_field_climate(list(inputs), lat, lon, var_map=parse_var(var))
    if today is None:
        plan = plan_season(weather, setup)
    else:
        import datetime as dt

        given = read_applied_csv(applied, setup.method.efficiency) if applied else None
        readings = read_observed_csv(observed) if observed else None
        fc = open_field_climate([forecast], lat, lon, var_map=parse_var(var)).data \
            if forecast else None
        plan = plan_realtime(weather, setup, dt.date.fromisoformat(today), applied=given,
                             forecast=fc, years=years, observed=readings,
                             outlook=OutlookWeather(outlook or OUTLOOKS[0]))
    text = render(plan, OutputFormat(fmt))
    if output:
        write_text(text, output, overwrite=overwrite)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = [schedule]
